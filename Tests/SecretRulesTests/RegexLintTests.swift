import SecretRules
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
