import Foundation
import SecretRules
@testable import SecretScanner
import Testing

/// The start-up work done for every rule (the prefilter's literals and patterns, the provider words) is
/// done with byte operations instead of Foundation's string and character-set calls; it must give what
/// those gave, on the whole built-in catalog and on the odd inputs a user rule may hold.
@Suite struct StartupWorkTests {
    /// What `CompiledRules.literal` gave with `CharacterSet` and `String(format:)`.
    func foundationLiteral(_ word: String) -> String {
        var out = ""
        for c in word.unicodeScalars {
            if CharacterSet.alphanumerics.contains(c) && c.isASCII { out.unicodeScalars.append(c) } else {
                out += String(format: "\\x%02x", c.value)
            }
        }
        return out
    }

    /// What `CompiledRules.providerTokens` gave with `Character`'s properties over every rule.
    func foundationTokens(_ rules: [Rule]) -> Set<String> {
        let ignored: Set<String> = ["generic", "database", "message", "broker", "private", "key", "jwt", "url", "google", "chat", "cloud", "api"]
        var out = Set<String>()
        for r in rules {
            for part in r.provider.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where part.count >= 3 {
                if !ignored.contains(String(part)) { out.insert(String(part)) }
            }
        }
        return out
    }

    @Test func literalsAreTheSame() throws {
        let words = try RuleLoader.builtIn().rules.flatMap(\.keywords)
            + ["api-key", "x.y_z", "Société", "café", "naïve\u{301}", "emoji😀", "tab\tnew\nline", "\u{0}", "A9z", ""]
        #expect(words.count > 100)
        for w in words { #expect(CompiledRules.literal(w) == foundationLiteral(w), "\(w)") }
    }

    @Test func providerWordsAreTheSame() throws {
        var rules = try RuleLoader.builtIn().rules
        for (i, provider) in ["Société Générale", "ÆON Pay", "Straße-Cloud", "Mixed_Case.API v2", "x\r\ny z", "٣٤٥abc"].enumerated() {
            var r = Rule(id: "extra-\(i)")
            r.provider = provider
            rules.append(r)
        }
        let tokens = CompiledRules.providerTokens(rules)
        #expect(tokens.contains("stripe"))
        #expect(tokens == foundationTokens(rules))
    }

    /// What `AccessFacts.unnamed` gave with Foundation's string search.
    func foundationUnnamed(_ pattern: String) -> String {
        guard pattern.contains("(?<") || pattern.contains("(?P<") else { return pattern }
        var out = ""
        var rest = Substring(pattern)
        while let r = rest.range(of: "(?") {
            out += rest[..<r.lowerBound]
            var after = rest[r.upperBound...]
            if after.hasPrefix("P<") { after = after.dropFirst() }
            if after.hasPrefix("<"), let close = after.firstIndex(of: ">"),
               let first = after.dropFirst().first, first.isLetter || first == "_" {
                out += "("
                rest = after[after.index(after: close)...]
            } else {
                out += "(?"
                rest = after
            }
        }
        return out + rest
    }

    @Test func unnamedPatternsAreTheSame() throws {
        let patterns = try RuleLoader.builtIn().rules.compactMap(\.regex)
            + ["(?<host>[a-z]+):(?P<port>\\d+)", "(?<=key=)(?<!x)abc", "(?<1bad>x)", "no groups", "(?i)(?<user>\\w+)",
               "(?<émoji>x)", "(?<_u>x)(?<", "(?P<=x)", "(?<a", "((?:x)|(?<b>y))", "(?", "(?<ü>é)"]
        #expect(patterns.filter { $0.contains("(?<") }.count > 10)
        for p in patterns { #expect(AccessFacts.unnamed(p) == foundationUnnamed(p), "\(p)") }
        #expect(AccessFacts.unnamed("(?<host>[a-z]+):(?P<port>\\d+)") == "([a-z]+):(\\d+)")
        #expect(AccessFacts.unnamed("(?<=key=)(?<!x)abc") == "(?<=key=)(?<!x)abc")
    }
    /// What `CompiledNamed.takesUUIDs` gave with Foundation's `replacingOccurrences`.
    func foundationTakesUUIDs(_ value: String?) -> Bool {
        guard var shape = value else { return false }
        for spelling in ["[0-9a-f]", "[a-f0-9]", "[0-9a-fA-F]", "[0-9A-Fa-f]", "[a-fA-F0-9]", "[A-Fa-f0-9]"] {
            shape = shape.replacingOccurrences(of: spelling, with: "H")
        }
        return shape == "H{8}-H{4}-H{4}-H{4}-H{12}"
    }

    @Test func uuidShapesAreTheSame() throws {
        let values = try RuleLoader.builtIn().rules.compactMap { $0.named?.value }
        let hex = ["[0-9a-f]", "[A-Fa-f0-9]", "H", "[0-9a-fA-F]", "[0-9A-F]", "[a-f0-9]", "[0-9A-Fa-f]"]
        var odd: [String?] = [nil, "", "H", "H{8}", "[0-9a-f]{8}-", "é{8}-H{4}-H{4}-H{4}-H{12}", "H{8}-H{4}-H{4}-H{4}-H{12}é"]
        for i in 0..<200 {
            // Five groups in various spellings; some with a wrong count, a missing dash or a trailing character.
            let counts = i % 11 == 3 ? ["8", "4", "4", "4", "11"] : ["8", "4", "4", "4", "12"]
            var text = (0..<5).map { g in hex[(i * 3 + g * (i % 5 + 1)) % hex.count] + "{\(counts[g])}" }.joined(separator: i % 13 == 7 ? "_" : "-")
            if i % 17 == 5 { text += "x" }
            if i % 19 == 2 { text = "(" + text + ")" }
            odd.append(text)
        }
        #expect(values.count > 5)
        #expect(odd.filter { foundationTakesUUIDs($0) }.count > 20 && odd.filter { !foundationTakesUUIDs($0) }.count > 20)
        for v in values.map(Optional.some) + odd { #expect(CompiledNamed.takesUUIDs(v) == foundationTakesUUIDs(v), "\(v ?? "nil")") }
        #expect(CompiledNamed.takesUUIDs("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
        #expect(!CompiledNamed.takesUUIDs("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}+"))
    }
}
