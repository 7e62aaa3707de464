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
}
