import Foundation
import Hashing
import SecretScanner

/// Names and values read from a credentials file (dotenv, Java `.properties`, a Kubernetes `Secret`), and
/// which of them the scanner's own rules recognise as credentials of a provider.
enum KeyRecognition {
    /// One `NAME=value` entry of a file, with its 1-based line in that file.
    struct Entry: Equatable {
        var name: String
        var value: String
        var line: Int
    }

    /// A recognised credential: provider and rule from the scanner, the variable name, the fingerprint the
    /// scanner gives it (what scans will match in the ledger), and the value (for its facts only: never
    /// printed or stored).
    struct Credential {
        var name: String
        var line: Int
        var provider: String
        var ruleID: String
        var fingerprint: String
        var value: String
        /// For a key pair (Mindtickle API key and secret key): `name` is the API key's variable, this the
        /// secret key's; the fingerprint is the pair's (the scanner's, so scans name the tracked key).
        var partnerName: String?
    }

    enum Format: String { case dotenv, properties, kubernetes = "Kubernetes Secret" }

    /// The file's format: a Kubernetes `Secret` manifest (`kind: Secret`), a `.properties` file, else dotenv.
    static func format(of text: String, path: String) -> Format {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if lines.contains(where: { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\"", with: "") == "kind: Secret" }) {
            return .kubernetes
        }
        return path.lowercased().hasSuffix(".properties") ? .properties : .dotenv
    }

    /// The entries of `text` in `format`; an error names the line that cannot be read.
    static func entries(_ text: String, format: Format) throws -> [Entry] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" })
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        switch format {
        case .dotenv, .properties:
            var out = [Entry]()
            for (i, raw) in lines.enumerated() {
                var line = raw.drop { $0 == " " || $0 == "\t" }
                if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
                if format == .dotenv, line.hasPrefix("export ") { line = line.dropFirst(7).drop { $0 == " " } }
                let separators: Set<Character> = format == .properties ? ["=", ":", " ", "\t"] : ["="]
                guard let sep = line.firstIndex(where: { separators.contains($0) }) else { continue }
                let name = String(line[..<sep]).trimmingCharacters(in: .whitespaces)
                var value = String(line[line.index(after: sep)...]).trimmingCharacters(in: .whitespaces)
                if format == .properties, let first = value.first, first == "=" || first == ":" {
                    value = String(value.dropFirst()).trimmingCharacters(in: .whitespaces)
                }
                value = unquote(value, stripComment: format == .dotenv)
                if !name.isEmpty, !value.isEmpty { out.append(Entry(name: name, value: value, line: i + 1)) }
            }
            return out
        case .kubernetes:
            // `data:` (base64 values) and `stringData:` (plain values), one level of `NAME: value` under each.
            var out = [Entry]()
            var section: (base64: Bool, indent: Int)?
            for (i, raw) in lines.enumerated() {
                let indent = raw.prefix { $0 == " " }.count
                let line = raw.dropFirst(indent)
                if line.isEmpty || line.hasPrefix("#") { continue }
                if line == "---" { section = nil; continue }
                if line == "data:" || line == "stringData:" {
                    section = (line == "data:", indent)
                    continue
                }
                guard let s = section else { continue }
                guard indent > s.indent else {
                    section = nil
                    continue
                }
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
                let value = unquote(String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces), stripComment: true)
                guard !name.isEmpty, !value.isEmpty else { continue }
                if s.base64 {
                    guard let data = Data(base64Encoded: value), let decoded = String(data: data, encoding: .utf8) else {
                        throw CommandFailure("line \(i + 1): the data value of \(name) is not base64-encoded text")
                    }
                    let trimmed = decoded.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !trimmed.isEmpty { out.append(Entry(name: name, value: trimmed, line: i + 1)) }
                } else {
                    out.append(Entry(name: name, value: value, line: i + 1))
                }
            }
            return out
        }
    }

    private static func unquote(_ value: String, stripComment: Bool) -> String {
        if let q = value.first, q == "\"" || q == "'", value.count >= 2, let end = value.dropFirst().firstIndex(of: q) {
            return String(value[value.index(after: value.startIndex)..<end])
        }
        if stripComment, let hash = value.range(of: " #") { return String(value[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces) }
        return value
    }

    /// The credentials among `entries`, recognised by the rules in `scanner` (the scanner sees them as
    /// `NAME=value` lines in file order, so rules that need the name or a nearby partner work as in a scan).
    /// Findings of the low-confidence generic rule are not credentials of a known provider and are left out.
    static func recognise(_ entries: [Entry], scanner: BufferScanner) throws -> [Credential] {
        guard !entries.isEmpty else { return [] }
        let text = entries.map { "\($0.name)=\($0.value)\n" }.joined()
        var findings = [Finding]()
        do {
            findings = try Array(text.utf8).withUnsafeBytes { raw throws(ScanError) in
                try scanner.scan(raw, InputContext(path: "import.env"))
            }
        } catch {
            throw CommandFailure("\(error)")
        }
        var out = [Credential]()
        for f in findings where f.provider != "generic" {
            // The finding's line in the synthetic text is the entry's index + 1; a pair reports its first line.
            var lines = [f.line]
            if let key = f.extra["api_key_line"].flatMap(Int.init), let secret = f.extra["secret_key_line"].flatMap(Int.init) {
                lines = [key, secret]
            }
            guard let first = lines.first, (1...entries.count).contains(first) else { continue }
            let entry = entries[first - 1]
            let partner = lines.count > 1 && (1...entries.count).contains(lines[1]) ? entries[lines[1] - 1].name : nil
            out.append(Credential(name: entry.name, line: entry.line, provider: f.provider, ruleID: f.ruleID,
                                  fingerprint: f.fingerprint, value: f.secret, partnerName: partner))
        }
        return out
    }

    /// The provider the rules recognise in one value, read as `name=value` (a variable name helps rules
    /// that need one); nil when no provider-specific rule finds it.
    static func provider(of value: String, name: String?, scanner: BufferScanner) throws -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let entry = Entry(name: name ?? "API_KEY", value: trimmed, line: 1)
        let found = try recognise([entry], scanner: scanner)
        return (found.first { $0.value == trimmed } ?? found.first)?.provider
    }

    /// A scanner with the project's rules (`.keywarden.toml`, else the built-in ones).
    static func scanner() throws -> BufferScanner {
        let context = try ProjectContext.current()
        let compiled = try RuleOptions.compiledRules(config: nil, context: context)
        return BufferScanner(compiled, fingerprinter: try context.fingerprinter())
    }
}
