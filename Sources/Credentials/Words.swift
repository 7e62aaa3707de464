/// The words of a name or value: its runs of letters and digits, lowercased (`Acme-API_v2` gives `acme`,
/// `api`, `v2`). ASCII text, nearly all of it, is split on bytes: Character's letter and number properties
/// cost more than the rest of the work where this runs (every value judged, every rule's provider at start).
public enum Words {
    public static func lowercased(_ text: String) -> [String] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        }
        return text.utf8.split(whereSeparator: { b in !((48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b)) })
            .map { word in String(decoding: word.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self) }
    }
}
