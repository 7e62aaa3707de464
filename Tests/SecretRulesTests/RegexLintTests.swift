import SecretRules
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
        #expect(TOMLPrecheck.crashingLine(text) == nil)
    }
}
