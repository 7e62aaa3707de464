@testable import SecretScanner
import SecretRules
import TestSupport
import Testing

/// A rule with `prefilter = "keywords"` is looked for only in inputs that hold one of its keywords: its pattern
/// leaves the one pass (where a pattern with no literal to anchor on slows the pass over everything), its
/// keywords take its place there, and its own database runs where one occurs. Its findings are those it had.
@Suite struct KeywordPrefilterTests {
    static func rule(gated: Bool, regex: String = #"\b([A-Za-z0-9]{6}\.[A-Za-z0-9]{6}:[A-Za-z0-9_-]{24})(?![A-Za-z0-9_-])"#) -> String {
        """
        [[rules]]
        id = "zorbl-key"
        provider = "zorbl"
        regex = '''\(regex)'''
        keywords = ["zorbl", "zbl_cfg"]
        entropy = 3.0
        \(gated ? "prefilter = \"keywords\"" : "")
        """
    }

    /// The `n`th key of the rule's shape (made at run time: no key is written in this file).
    static func key(_ n: inout Int) -> String {
        n += 1
        return FakeKeys.alnum(6, line: 1000 + n) + "." + FakeKeys.alnum(6, line: 2000 + n) + ":" + FakeKeys.alnum(24, line: 3000 + n)
    }

    static let inputs: [String] = {
        var g = 0
        var out: [String] = []
        out.append("ZORBL_KEY=\(key(&g))\n")                                       // keyword next to it, upper case
        out.append("zorbl:\n  key: \(key(&g))\n  other: \(key(&g))\n")              // two keys under it
        out.append("key = \(key(&g))\n")                                            // no keyword: never reported
        out.append("# zorbl\n" + String(repeating: "x = 1\n", count: 60) + "key = \(key(&g))\n") // keyword too far
        out.append("prezorbled = \(key(&g))\n")                                     // keyword inside a word still counts
        out.append("cfg.zbl_cfg = \"\(key(&g))\" # and zorbl\n")                     // the second keyword
        out.append(String(repeating: "filler line\n", count: 300) + "zorbl_token: \(key(&g))\n")
        return out
    }()

    @Test func theRuleLeavesTheOnePassAndItsKeywordsTakeItsPlace() throws {
        let session = try Engine.session(Self.rule(gated: true))
        let rules = session.rules
        #expect(rules.keywordGatedRules == [0])
        #expect(!rules.prefilterToRule.contains(0), "the pattern is not in the one pass")
        #expect(rules.gatedWordRules == [[0], [0]])
        let plain = try Engine.session(Self.rule(gated: false)).rules
        #expect(plain.keywordGatedRules.isEmpty && plain.prefilterToRule == [0])
    }

    @Test func theFindingsAreTheSameAsWhenThePatternIsInTheOnePass() throws {
        let gated = try Engine.session(Self.rule(gated: true)), plain = try Engine.session(Self.rule(gated: false))
        var total = 0
        for text in Self.inputs {
            let a = try Engine.scan(text, session: gated), b = try Engine.scan(text, session: plain)
            #expect(a.map { [$0.secret, "\($0.line):\($0.column)"] } == b.map { [$0.secret, "\($0.line):\($0.column)"] }, "\(text.prefix(40))")
            total += a.count
        }
        // Keyword near: 1 + 2 + 1 (inside a word) + 1 (second keyword) + 1 (after filler); none without or far from it.
        #expect(total == 6)
        #expect(try Engine.scan(Self.inputs[2], session: gated).isEmpty)
        #expect(try Engine.scan(Self.inputs[3], session: gated).isEmpty)
    }

    /// A pattern the matching engine cannot take even as a prefilter is read over the whole input where a keyword
    /// occurs, so that nothing is missed.
    @Test func aPatternTheEngineCannotTakeReadsTheWholeInput() throws {
        let regex = #"\bzorbl(?|=([A-Za-z0-9]{16})|:([0-9]{16}))\b"#
        let session = try Engine.session(Self.rule(gated: true, regex: regex))
        let value = FakeKeys.alnum(16)
        let found = try Engine.scan("x zorbl=\(value) y\n", session: session)
        #expect(found.map(\.secret) == [value])
        #expect(try Engine.scan("x zorbl=\(value) y\n", session: try Engine.session(Self.rule(gated: false, regex: regex))).map(\.secret) == [value])
    }

    /// The built-in rules looked for by their keywords: a file whose path holds one of those keywords (the path
    /// goes through the one pass for the named-value gate words) and a token near its keyword.
    @Test func builtInRulesLookedForByKeywordFindTheirTokens() throws {
        let gated = Engine.builtIn.rules.keywordGatedRules.map { Engine.builtIn.rules.rules[$0].rule.id }
        #expect(Set(["discord-bot-token", "uptimerobot-api-key", "ably-api-key"]).isSubset(of: Set(gated)))
        let token = "M" + FakeKeys.alnum(23) + "." + FakeKeys.alnum(6) + "." + FakeKeys.alnum(27)
        let found = try Engine.scan("DISCORD_BOT_TOKEN=\(token)\n", path: "bots/discord/probably.env")
        #expect(found.contains { $0.ruleID == "discord-bot-token" && $0.secret == token })
    }
}
