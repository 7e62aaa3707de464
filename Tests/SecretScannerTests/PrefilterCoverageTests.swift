@testable import SecretScanner
import Testing

/// Every built-in pattern goes through the prefilter. A pattern Vectorscan cannot parse (a branch reset
/// `(?|...)`, say) is confirmed over the whole of every file instead, whatever the file holds: one such
/// rule cost a directory scan about a tenth of its time.
@Suite struct PrefilterCoverageTests {
    @Test func everyBuiltInPatternIsPrefiltered() {
        let rules = Engine.builtIn.rules
        let unfiltered = rules.unfilteredRules.map { rules.rules[$0].rule.id }
        #expect(unfiltered.isEmpty, "rules run over every file: \(unfiltered)")
    }

    /// curl's `-u user:password` and `-u "token:"` (a token given as the user name) each report the secret
    /// alone, in the form's own group.
    @Test func curlUserReportsThePasswordOrTheTokenAlone() throws {
        // (Assembled at run time: this file holds nothing secret-shaped.)
        let password = ["Qm7", "vR2k", "X9pL", "4tZ8w"].joined()
        let token = ["sk7H", "q2Lw9", "xV3mN", "8pR4tY6zB1"].joined()
        let both = try Engine.scan("curl -u deploy:\(password) https://ci.example.com/api/json\ncurl -u \"\(token):\" https://api.example.com/v1/charges\n",
                                   path: "deploy.sh").filter { $0.ruleID == "curl-user-password" }
        #expect(both.map(\.secret) == [password, token])
        #expect(both.map(\.line) == [1, 2])
    }
}

/// A scanner keeps which path-scoped rules apply to the last path it scanned (for the decoded runs and
/// reassembled values of the same file): the next file's path is judged afresh.
@Suite struct PathScopedRuleTests {
    @Test func eachPathIsJudgedByItself() throws {
        let scanner = BufferScanner(Engine.builtIn.rules, fingerprinter: Engine.builtIn.fingerprinter)
        let line = Array("db.corp.internal:5432:billing:billing_rw:\("Vq8" + "Lm2Xr7Tz4Kp9Wd3")\n".utf8)
        func found(_ path: String) throws -> [String] {
            try line.withUnsafeBytes { try scanner.scan($0, InputContext(path: path)) }.map(\.ruleID).filter { $0 == "pgpass-password" }
        }
        #expect(try found("home/.pgpass") == ["pgpass-password"])
        #expect(try found("home/notes.txt").isEmpty)
        #expect(try found("srv/pgpass.conf") == ["pgpass-password"])
        #expect(try found("srv/pgpass.conf.md").isEmpty)
    }
}
