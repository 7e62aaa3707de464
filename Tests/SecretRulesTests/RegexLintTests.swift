@testable import SecretRules
import SystemSupport
import Testing

/// `rules check` warns about regexes that backtrack catastrophically (issue 14).
@Suite struct RegexLintTests {
    @Test(arguments: ["(?:(a|aa)+;|!)", "(a+)+b", "(\\w*)*x", "(?:[a-z]+-?)+$", "((ab)*c)*", "(x|xy){2,}z", "(a+){1,100}"])
    func nestedQuantifiersAreFlagged(regex: String) {
        #expect(RegexLint.nestedQuantifier(in: regex) != nil, "\(regex)")
    }

    @Test(arguments: ["\\bAKIA[0-9A-Z]{16}\\b", "(?:[A-Za-z0-9+/]{4})*", "(a|b)c+", "[(a+)]+", "x(?:ab|cd)y", "(a{3})+", "\\(a+\\)+"])
    func ordinaryRegexesAreNot(regex: String) {
        #expect(RegexLint.nestedQuantifier(in: regex) == nil, "\(regex)")
    }
}

/// The value shape of a rule tagged `vendor-then-value` may not repeat without bound (issue 17).
@Suite struct OpenRepeatTests {
    @Test(arguments: [("[a-z]+", "[a-z]+"), ("x[0-9]*", "[0-9]*"), ("[A-Z]{12,}", "[A-Z]{12,}"), ("(?:ab|cd)+", "(?:ab|cd)+"),
                      ("[a-f0-9]{8}-\\w+?", "\\w+"), ("[+]{4}.*", ".*"), ("a{4}b+", "b+"), ("[]a]{2}[^]+]*", "[^]+]*")])
    func anUnboundedRepeatIsNamed(regex: String, repeated: String) {
        #expect(RegexLint.openRepeat(in: regex) == repeated, "\(regex)")
    }

    @Test(arguments: ["[a-f0-9]{40}", "[A-Za-z0-9+/]{60,100}={0,2}", "eyJ[A-Za-z0-9]{30,40}\\.eyJ[A-Za-z0-9._-]{200,320}",
                      "[a-f0-9]{32}|[A-F0-9]{32}", "x\\+y\\*", "a{4}+b?+c??", "(?i)[a-z]{4}", "[[:alnum:]+]{8}", "a{,}b", "x{1,2"])
    func boundedShapesAreNot(regex: String) {
        #expect(RegexLint.openRepeat(in: regex) == nil, "\(regex)")
    }
}

/// Found by fuzzing (issue 14): a table name starting with a non-ASCII character aborted the process in
/// toml++'s key parser. Now it is a syntax error naming the line.
@Suite struct TOMLCrashInputTests {
    @Test(arguments: ["[é]\n", "x = 1\n[[ \u{FFFD}x]]\n", "  [\u{FFFB}]\n", "[[[[keys]]\n", "[`oo]\n", "\u{FEFF}[   \u{18}\n"])
    func aNonASCIITableNameIsAnErrorNotACrash(text: String) {
        #expect {
            _ = try ProjectSettings.parse(text, file: "conf.toml")
        } throws: { error in
            "\(error)".contains("table name") && "\(error)".hasPrefix("conf.toml:")
        }
    }

    @Test func arraysAndMultiLineStringsAreNotHeaders() throws {
        let text = "x = [\n  [1, 2],\n  [ [3] ],\n]\ny = \'\'\'\n[^a-z]\n\'\'\'\nz = \"[^\"\n[ok]\n"
        #expect(TOMLPrecheck.problem(text) == nil)
    }

    /// `id = [ }` aborted keywarden in toml++'s parse_value (the ledger fuzz target), and so did a line
    /// separator as an array element; a CRLF file hid a bad header from the line-by-line check.
    @Test(arguments: [
        ("id = [ }\n", 1), ("x = 1\nid = [ 1, }\n", 2), ("x = [ [ } ] ]", 1), ("x = [\n# c\n}]", 3), ("x = [\r\n}]\r\n", 2),
        ("id = [\u{2028}]", 1), ("id = [ 1,\u{2029} ]", 1), ("id = [\u{85}]", 1), ("a = { b = [ } }", 1),
        ("a = 1\r\n[é]\r\n", 2), ("[[keys]]\noviironment = 1013-05-20 0    # s gy", 2), ("x = [1_013-05-20 7]", 1), ("[[keys]]\nlast_rotated = 2026-10-1= 6\n", 2), ("x = 2026-1a-10 7\n", 1), (#"a = """"# + "\n\n" + #"""""# + "\n[é]", 4), ("a = \"x\\\n[é]\n", 2),
    ])
    func anArrayElementThatIsNoValueIsAnErrorNotACrash(text: String, line: Int) {
        #expect(TOMLPrecheck.problem(text)?.line == line, "\(text.debugDescription)")
        #expect {
            _ = try ProjectSettings.parse(text, file: "conf.toml")
        } throws: { error in
            "\(error)".hasPrefix("conf.toml:\(line):")
        }
    }

    /// Valid TOML is never refused by the precheck: braces and brackets inside strings, multi-line
    /// strings with extra closing quotes, inline tables in arrays, comments, CRLF line ends.
    @Test(arguments: [
        #"a = [ "}", '}', """"# + "\n}" + #"""", { b = 1 }, ]"# + "\r\n[t]\r\nc = [\r\n  # }\r\n  1,\r\n]\r\n",
        #"x = [""""# + "a" + #""""", 1]"# + "\n[[keys]]\nid = \"k\"\n[[keys]]\nid = 'l'\n",
        "t = 1979-05-27 07:32:00\nd = 1979-05-27\nu = [1979-05-27 07:32:00Z, 2024-01-01]\n",
        "[ \"quoted é\" ]\n[a.'b'.\"c\"]\nx = { y = [ [], { z = \"]\" } ] }\n",
        #"s = "a\"[é]""# + "\nt = '''\n[é]\n'''\n",
    ])
    func validTOMLPassesThePrecheck(text: String) throws {
        #expect(TOMLPrecheck.problem(text) == nil, "\(text.debugDescription)")
        #expect(throws: Never.self) { _ = try RuleLoader.table(text, file: "conf.toml") }
    }
}
