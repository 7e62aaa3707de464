import PatternMatching
@testable import SecretScanner
import Testing

/// A pattern that starts with a bounded run of a class before a group of words (generic-secret-assignment)
/// is searched word first (`LeadingRun`): it must find exactly what PCRE2 finds over the whole window.
@Suite struct LeadingRunTests {
    static let generic = #"(?i)[a-z0-9_.-]{0,40}(?:secret|token|passwd|password|pwd|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|credential|private[_.-]?key|client[_.-]?secret)[a-z0-9_.-]{0,20}["']?\s*(?:=|:|=>|:=)\s*["'`]([A-Za-z0-9_\-\.+/=~]{16,256})["'`]"#

    @Test func theGenericAssignmentRuleIsSearchedWordFirst() throws {
        let rules = Engine.builtIn.rules
        let rule = try #require(rules.rules.first { $0.rule.id == "generic-secret-assignment" })
        let regex = try #require(rule.regex)
        let run = try #require(LeadingRun.of(regex.pattern))
        #expect(run.reach == 40)
        #expect(run.words.pattern == "(?i)(?:secret|token|passwd|password|pwd|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|credential|private[_.-]?key|client[_.-]?secret)")
    }

    @Test func otherShapesAreSearchedAsTheyAre() {
        for pattern in [
            "[a-z]{0,40}(?:ab|cd)x|y",          // a match of the other side holds no word
            "[^a]{0,4}(?:ab)x",                 // a negated class
            "[a-z]*(?:ab)x",                    // an unbounded run
            "[a-z]{0,4}(ab)x",                  // a capturing group
            "[a-z]{0,4}(?:a\\w)x",              // an escape among the words
            "(?x)[a-z]{0,4}(?:ab)x",            // other leading options
            "[a-z]{0,4}(?:ab)(?x)x|y",          // an option in the rest
            "\\b[a-z]{0,4}(?:ab)x",
        ] {
            #expect(LeadingRun.of(pattern) == nil, "\(pattern)")
        }
        #expect(LeadingRun.of("[a-z]{2,5}?(?:ab|c(?:d|e))x(?:y|z)")?.reach == 5)
    }

    /// Random texts of names, words, operators, quotes and values: the word-first search gives PCRE2's own
    /// matches over whole texts and over windows that start and end anywhere.
    @Test func theSameMatchesAsThePatternAlone() throws {
        // (Values assembled at run time: this file holds nothing secret-shaped.)
        let a = ["Qm7", "vR2k", "X9pL", "4tZ8w"].joined(), b = ["sk7H", "q2Lw9", "xV3mN", "8pR4tY6zB1"].joined()
        let q = "\"", s = "'", t = "`"
        let pieces = ["secret", "TOKEN", "api_key", "api-key", "pwd", "Password", "private.key", "client_secret", "key", "db_",
                      "x", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "_", ".", "-", " ", "\n", "\t", "=", ":", "=>", ":=",
                      q, s, t, a, q + a + q, s + b + s, t + a + "Qm7" + t,
                      q + "ab12" + q, " = ", ": ", "=" + q, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_secret = " + q + a + q, b, "+/=", "(", ")", "{", ",", "#"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let scratch = MatchScratch()
        var found = 0
        for pattern in [Self.generic, "[a-z_]{0,6}?(?:key|secret)[=:]\"([a-z0-9]{4,})\"", "[a-z.]{1,3}+(?:to(?:ken)?|pw)\\s*=\\s*(\\w+)"] {
            let regex = try CompiledRegex(pattern)
            let run = try #require(LeadingRun.of(pattern))
            for _ in 0..<1000 {
                let text = (0..<(5 + next(120))).map { _ in pieces[next(pieces.count)] }.joined()
                let bytes = Array(text.utf8)
                let lo = next(3) == 0 ? next(bytes.count) : 0
                let hi = next(3) == 0 ? lo + next(bytes.count - lo + 1) : bytes.count
                try bytes.withUnsafeBytes { buffer in
                    var plain = [RegexMatch](), wordFirst = [RegexMatch]()
                    try regex.forEachMatch(in: buffer, range: lo..<hi, scratch: scratch) { plain.append($0); return true }
                    // (A budget makes each PCRE2 call try a few start positions: the word-first search must too.)
                    let budget = next(2) == 0 ? nil : RegexBudget(seconds: 100, startsPerCall: 1 + next(5))
                    try run.forEachMatch(of: regex, in: buffer, range: lo..<hi, scratch: scratch, budget: budget) { wordFirst.append($0); return true }
                    #expect(plain == wordFirst, "\(pattern) over \(lo)..<\(hi) of \(text.debugDescription)")
                    found += plain.count
                }
            }
        }
        #expect(found > 1000)
    }
}
