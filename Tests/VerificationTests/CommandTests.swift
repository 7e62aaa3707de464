import Foundation
import TestSupport
import Testing

/// The environment that points a provider at a loopback server.
func testEnvironment(_ servers: [String: LoopbackServer]) -> [String: String] {
    var env = ["KEYWARDEN_VERIFY_ALLOW_TEST_URLS": "1", "NO_COLOR": "1"]
    for (key, server) in servers { env["KEYWARDEN_VERIFY_TEST_BASE_URL_" + key.uppercased()] = server.baseURL }
    return env
}

func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite struct VerifyCommandTests {
    @Test(arguments: [(200, Int32(0), "valid (HTTP 200)"), (401, 1, "invalid (HTTP 401)"), (500, 2, "unknown (HTTP 500)")])
    func exitCodeFollowsTheState(status: Int, exit: Int32, text: String) throws {
        let key = FakeKeys.maintainX()
        let server = try LoopbackServer { _, _ in .json(status, #"{"organizations":[{"name":"Acme"}]}"#) }
        var env = testEnvironment(["maintainx": server])
        env["MAINTAINX_API_KEY"] = key
        let r = try Run.keywarden(["verify", "--provider", "maintainx", "--from-env", "MAINTAINX_API_KEY"], environment: env)
        #expect(r.status == exit)
        #expect(r.stdout.contains(text))
        #expect(r.stdout.contains("$MAINTAINX_API_KEY"))
        #expect(!r.stdout.contains(key) && !r.stderr.contains(key))
        #expect(try #require(server.requests.first).header("Authorization") == "Bearer " + key)
    }

    @Test func keyFromStandardInput() throws {
        let token = FakeKeys.alnum(40)
        let server = try LoopbackServer { _, _ in .json(200, #"{"login":"dev"}"#) }
        let r = try Run.keywarden(["verify", "--provider", "github", "--stdin"], stdin: token + "\n", environment: testEnvironment(["github": server]))
        #expect(r.status == 0)
        #expect(r.stdout.contains("user dev"))
        #expect(!r.stdout.contains(token))
    }

    @Test func mindtickleTakesThePairAndTheTenantFromTheEnvironment() throws {
        let pair = FakeKeys.mindtickle()
        let server = try LoopbackServer { _, _ in .json(200, #"{"token":"t","expires_in":3600}"#) }
        var env = testEnvironment(["mindtickle": server])
        env["MINDTICKLE_API_KEY"] = pair.apiKey
        env["MINDTICKLE_SECRET_KEY"] = pair.secretKey
        env["MT_LS_URL"] = "acme.mindtickle.com"
        let r = try Run.keywarden(["verify", "--provider", "mindtickle", "--from-env", "MINDTICKLE_API_KEY"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let body = try #require(server.requests.first).bodyText
        #expect(body.contains(pair.apiKey) && body.contains(pair.secretKey) && body.contains("acme.mindtickle.com"))
        #expect(!r.stdout.contains(pair.apiKey) && !r.stdout.contains(pair.secretKey))
    }

    @Test func mindtickleWithoutTenantIsUnverifiable() throws {
        let pair = FakeKeys.mindtickle()
        let server = try LoopbackServer { _, _ in .json(200, "{}") }
        var env = testEnvironment(["mindtickle": server])
        env["MT_API_KEY"] = pair.apiKey
        env["MT_SECRET"] = pair.secretKey
        let r = try Run.keywarden(["verify", "--provider", "mindtickle", "--from-env", "MT_API_KEY", "--secret-key-from-env", "MT_SECRET"], environment: env)
        #expect(r.status == 2)
        #expect(r.stdout.contains("unverifiable"))
        #expect(server.requests.isEmpty)
    }

    @Test func testURLWithoutTheSwitchIsRefusedAndNothingIsSent() throws {
        let server = try LoopbackServer { _, _ in .json(200, "{}") }
        let env = ["KEYWARDEN_VERIFY_TEST_BASE_URL_MAINTAINX": server.baseURL, "K": FakeKeys.maintainX()]
        let r = try Run.keywarden(["verify", "--provider", "maintainx", "--from-env", "K"], environment: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("KEYWARDEN_VERIFY_ALLOW_TEST_URLS"))
        #expect(server.requests.isEmpty)
    }

    @Test func unknownProviderAndMissingKeyAreUsageErrors() throws {
        #expect(try Run.keywarden(["verify", "--provider", "acme", "--from-env", "K"], environment: ["K": "x"]).status == 2)
        let r = try Run.keywarden(["verify", "--provider", "maintainx", "--from-env", "UNSET_VARIABLE"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("UNSET_VARIABLE"))
    }
}

@Suite struct ScanVerifyTests {
    /// A folder with a MaintainX key and a Mindtickle pair whose learning site is two lines away.
    func fixture() throws -> (TemporaryDirectory, key: String, pair: (apiKey: String, secretKey: String)) {
        let dir = try TemporaryDirectory()
        let key = FakeKeys.maintainX()
        let pair = FakeKeys.mindtickle()
        try dir.write("client.ts", "const token = \"\(key)\";\n")
        try dir.write("mt.yaml", "mindtickle:\n  ls_url: 'acme.mindtickle.com'\n  api_key: '\(pair.apiKey)'\n  secret_key: '\(pair.secretKey)'\n")
        return (dir, key, pair)
    }

    @Test func jsonReportCarriesEachFindingsVerification() throws {
        let (dir, key, pair) = try fixture()
        let mx = try LoopbackServer { _, _ in .json(401, "{}") }
        let mt = try LoopbackServer { _, _ in .json(200, #"{"token":"t","expires_in":3600}"#) }
        let r = try Run.keywarden(["scan", "--no-git", "--verify", "--format", "json", "."], in: dir.path(),
                                  environment: testEnvironment(["maintainx": mx, "mindtickle": mt]))
        #expect(r.status == 1, "\(r.stderr)")
        let findings = try #require(try jsonObject(r.stdout)["findings"] as? [[String: Any]])
        let byRule = Dictionary(findings.map { ($0["rule_id"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let mxVerification = try #require(byRule["maintainx-api-key"]?["verification"] as? [String: Any])
        #expect(mxVerification["state"] as? String == "invalid")
        #expect(mxVerification["http_status"] as? Int == 401)
        let pairFinding = try #require(byRule["mindtickle-key-pair"])
        #expect((pairFinding["extra"] as? [String: String])?["tenant"] == "acme.mindtickle.com")
        #expect((pairFinding["verification"] as? [String: Any])?["state"] as? String == "valid")
        let body = try #require(mt.requests.first).bodyText
        #expect(body.contains(pair.apiKey) && body.contains(pair.secretKey) && body.contains("\"ls_url\":\"acme.mindtickle.com\""))
        for secret in [key, pair.apiKey, pair.secretKey] { #expect(!r.stdout.contains(secret) && !r.stderr.contains(secret)) }
        let summary = try #require(try jsonObject(r.stdout)["summary"] as? [String: Any])
        let counts = try #require(summary["verification"] as? [String: Int])
        #expect(counts == ["valid": 1, "invalid": 1, "unverifiable": 0, "unknown": 0])
        #expect(r.stderr.contains("1 valid (live)"))
        #expect(r.stderr.contains("1 invalid"))
    }

    @Test func sameKeyInTwoFilesIsAskedOnce() throws {
        let dir = try TemporaryDirectory()
        let key = FakeKeys.maintainX()
        try dir.write("a.env", "MAINTAINX_API_KEY=\(key)\n")
        try dir.write("b.env", "MAINTAINX_API_KEY=\(key)\n")
        let mx = try LoopbackServer { _, _ in .json(200, "{}") }
        let r = try Run.keywarden(["scan", "--no-git", "--verify", "--format", "jsonl", "."], in: dir.path(), environment: testEnvironment(["maintainx": mx]))
        #expect(r.status == 1)
        #expect(r.stdout.components(separatedBy: "\"verification\":{\"state\":\"valid\"").count - 1 == 2)
        #expect(mx.requests.count == 1)
    }

    @Test func textAndSARIFShowTheVerification() throws {
        let (dir, _, _) = try fixture()
        let mx = try LoopbackServer { _, _ in .json(200, #"{"organizations":[{"name":"Acme"}]}"#) }
        let mt = try LoopbackServer { _, _ in .json(403, "{}") }
        let env = testEnvironment(["maintainx": mx, "mindtickle": mt])
        let text = try Run.keywarden(["scan", "--no-git", "--verify", "."], in: dir.path(), environment: env)
        #expect(text.stdout.contains("verification: valid: LIVE KEY (HTTP 200), organization Acme"))
        #expect(text.stdout.contains("verification: invalid (HTTP 403)"))
        let sarif = try Run.keywarden(["scan", "--no-git", "--verify", "--format", "sarif", "."], in: dir.path(), environment: env)
        let runs = try #require(try jsonObject(sarif.stdout)["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        let states = results.compactMap { (($0["properties"] as? [String: Any])?["verification"] as? [String: Any])?["state"] as? String }
        #expect(states.sorted() == ["invalid", "valid"])
        // Each run asks again (the cache is per run), and the second run's answers are the same.
        #expect(mx.requests.count == 2)
    }

    @Test func withoutTheFlagNothingIsSent() throws {
        let (dir, _, _) = try fixture()
        let mx = try LoopbackServer { _, _ in .json(200, "{}") }
        let mt = try LoopbackServer { _, _ in .json(200, "{}") }
        let r = try Run.keywarden(["scan", "--no-git", "--format", "json", "."], in: dir.path(), environment: testEnvironment(["maintainx": mx, "mindtickle": mt]))
        #expect(r.status == 1)
        #expect(!r.stdout.contains("\"verification\""))
        #expect(mx.requests.isEmpty && mt.requests.isEmpty)
    }
}

/// Only keywarden's own rules' findings are sent to a provider; a secret-looking `--from-env NAME` is
/// never echoed (issue 14).
@Suite struct UntrustedVerificationTests {
    @Test func aConfigRulesFindingIsNeverSent() throws {
        let dir = try TemporaryDirectory()
        let token = "acme" + "_" + FakeKeys.alnum(16).lowercased()
        let quotes = String(repeating: "'", count: 3)
        try dir.write(".keywarden.toml", "[[rules]]\nid = \"acme-token\"\nverifier = \"maintainx\"\nregex = \(quotes)acme_[a-z0-9]{16}\(quotes)\n")
        try dir.write("app.txt", "token = \(token)\n")
        let mx = try LoopbackServer { _, _ in .json(200, "{}") }
        let r = try Run.keywarden(["scan", "--no-git", "--verify", "--format", "json", "."], in: dir.path(),
                                  environment: testEnvironment(["maintainx": mx]))
        #expect(r.status == 1, "\(r.stderr)")
        let findings = try #require(try jsonObject(r.stdout)["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["rule_id"] as? String == "acme-token" }, "\(r.stdout)")
        #expect(findings.allSatisfy { $0["verification"] == nil })
        Thread.sleep(forTimeInterval: 0.1)
        #expect(mx.requests.isEmpty, "nothing was sent")
    }

    @Test func aKeyGivenAsTheVariableNameIsNotEchoed() throws {
        let key = FakeKeys.maintainX()
        let r = try Run.keywarden(["verify", "--provider", "maintainx", "--from-env", key], environment: ["KEYWARDEN_VERIFY_ALLOW_TEST_URLS": "1"])
        #expect(r.status == 2)
        #expect(!r.stdout.contains(key) && !r.stderr.contains(key), "\(r.stderr)")
        #expect(!r.stderr.contains(String(key.prefix(12))))
        let named = try Run.keywarden(["verify", "--provider", "maintainx", "--from-env", "MAINTAINX_API_KEY"], environment: [:])
        #expect(named.stderr.contains("MAINTAINX_API_KEY"), "a plain variable name is still shown: \(named.stderr)")
    }
}
