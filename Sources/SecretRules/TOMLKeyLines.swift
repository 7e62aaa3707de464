/// The line of a key of a TOML table in the document's text, for messages: TOMLKit keeps no source
/// positions for values (only for syntax errors), so the text is searched, line by line, for the table's
/// header (`[extend]`) and then the key (`useDefault = ...`, quoted or not) before the next header. A key
/// written as a dotted key (`extend.useDefault = ...`) or inside an inline table is found at that line.
/// Nil when nothing matches (the message then names the file only): never a guess.
enum TOMLKeyLines {
    /// `table` "" is the top level (keys before the first header).
    static func line(of key: String, inTable table: String, text: String) -> Int? {
        var current = ""
        var lineNumber = 0
        // By scalar: a CRLF line end is one Character, which a split on "\n" would not see.
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Substring(raw).drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[") {
                // `[table]` or `[[array]]` (never matched), with optional spaces and a comment after.
                let name = line.drop { $0 == "[" }.prefix { $0 != "]" }.trimmingSpaces
                current = line.hasPrefix("[[") ? "[[" + name : name
                continue
            }
            guard let name = keyName(line) else { continue }
            if current == table, name == key { return lineNumber }
            if !table.isEmpty, current.isEmpty {
                if name == table + "." + key { return lineNumber }
                if name == table, line.contains(key) { return lineNumber }   // extend = { useDefault = ... }
            }
        }
        return nil
    }

    /// The key a `key = value` line assigns (quotes removed, spaces around dots removed); nil for other lines.
    private static func keyName(_ line: Substring) -> String? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        let parts = line[..<equals].split(separator: ".", omittingEmptySubsequences: false).map { part -> String in
            var p = part.trimmingSpaces
            if p.count >= 2, let first = p.first, first == "\"" || first == "'", p.last == first { p = String(p.dropFirst().dropLast()) }
            return p
        }
        guard parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        return parts.joined(separator: ".")
    }
}

private extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
