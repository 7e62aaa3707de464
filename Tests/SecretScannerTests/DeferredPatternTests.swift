import Foundation
import Hashing
import SecretRules
import SecretScanner
import Testing
import TestSupport

/// A scan compiles the built-in rules' patterns on first use; the findings must not change, and user rules
/// must still be checked when loaded.
@Suite struct DeferredPatternTests {
    @Test func deferringBuiltInPatternsFindsTheSame() throws {
        let set = try RuleLoader.builtIn()
        #expect(set.rules.allSatisfy { $0.isBuiltIn })
        let deferred = ScanSession(rules: try CompiledRules(set, cacheDirectory: Engine.cache, deferBuiltInPatterns: true),
                                   fingerprinter: Fingerprinter(key: nil), options: ScanOptions())
        let text = """
            MAINTAINX_API_KEY=\(FakeKeys.maintainX())
            aws_access_key_id = \(FakeKeys.join("AK", "IA", FakeKeys.random(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 16)))
            token: \(FakeKeys.join("gh", "p_", FakeKeys.alnum(36)))
            password = "hunter2"
            """
        let a = try Engine.scan(text)
        let b = try Engine.scan(text, session: deferred)
        #expect(!a.isEmpty)
        #expect(a.map { "\($0.ruleID) \($0.line) \($0.fingerprint)" } == b.map { "\($0.ruleID) \($0.line) \($0.fingerprint)" })
    }

    @Test func aBrokenUserRuleIsStillReportedWhenBuiltInsAreDeferred() throws {
        let toml = """
            [extend]
            useDefault = true

            [[rules]]
            id = "broken-user-rule"
            regex = '''token=([a-z]+'''
            """
        let set = try RuleLoader.parse(toml, file: "user.toml")
        let rules = try CompiledRules(set, cacheDirectory: Engine.cache, deferBuiltInPatterns: true)
        #expect(rules.problems.contains { $0.contains("broken-user-rule") && $0.contains("user.toml") })
    }
}
