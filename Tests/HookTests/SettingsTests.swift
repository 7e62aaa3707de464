import Foundation
import Testing
import TestSupport

/// `.keywarden.toml`: [hook] settings, project rules; fail-closed errors; tracked keys.
@Suite struct SettingsTests {
    /// A config whose rules cannot be loaded: an internal error for the hook.
    let brokenRules = "[extend]\npath = \"missing-rules.toml\"\n"

    @Test func anInternalErrorBlocksTheCommit() throws {
        let repo = try HookFixture()
        try repo.write(".keywarden.toml", brokenRules)
        try repo.write("notes.txt", "x\n")
        try repo.git("add", "-A")
        let blocked = try repo.commit()
        #expect(blocked.status != 0)   // git itself exits 1 whatever the hook's code
        #expect(blocked.stderr.contains("missing-rules.toml"))
        #expect(blocked.stderr.contains("fail closed"))
        #expect(try repo.commitCount() == 1)
        #expect(try repo.auditEntries().last?["reason"] as? String == "error")
        let direct = try repo.keywarden(["hook", "run", "pre-commit"])
        #expect(direct.status == 2, "an error is exit 2")
    }

    /// A rule that gives up on a staged file (its time budget or backtracking limit) leaves the check
    /// unfinished: the commit is blocked as for an internal error (issue 14), not let through as clean.
    @Test func aRuleThatGivesUpBlocksTheCommitAsUnfinished() throws {
        let repo = try HookFixture()
        let quotes = String(repeating: "'", count: 3)
        try repo.write(".keywarden.toml", "[[rules]]\nid = \"slow-rule\"\nregex = \(quotes)(?:(a|aa)+;|!)\(quotes)\n")
        var line = ""
        for i in 1...4000 { line += String(repeating: "a", count: 21) + (i % 40 == 0 ? "!" : "b") }
        try repo.write("slow.txt", line + "\n")
        try repo.git("add", "-A")
        let direct = try repo.keywarden(["hook", "run", "pre-commit"])
        #expect(direct.status == 2, "\(direct.stderr)")
        #expect(direct.stderr.contains("slow-rule") && direct.stderr.contains("incomplete"), "\(direct.stderr)")
        #expect(direct.stderr.contains("fail closed"), "\(direct.stderr)")
    }

    @Test func onErrorWarnLetsTheCommitThroughWithAWarning() throws {
        let repo = try HookFixture()
        try repo.write(".keywarden.toml", brokenRules + "[hook]\non_error = \"warn\"\n")
        try repo.write("notes.txt", "x\n")
        try repo.git("add", "-A")
        let passed = try repo.commit()
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stderr.contains("on_error = \"warn\""))
        #expect(try repo.commitCount() == 2)
    }

    @Test func aMalformedSettingIsAnErrorNamingTheFile() throws {
        let repo = try HookFixture()
        try repo.write(".keywarden.toml", "[hook]\non_error = \"sometimes\"\n")
        let r = try repo.keywarden(["hook", "run", "pre-commit"])
        #expect(r.status == 2)
        #expect(r.stderr.contains(".keywarden.toml"))
        #expect(r.stderr.contains("on_error"))
        #expect(try repo.auditEntries().last?["reason"] as? String == "error", "a blocked run is logged even then")
    }

    @Test func auditLogPlaceIsConfigurableInTheUsersOwnConfig() throws {
        let user = try TemporaryDirectory(prefix: "keywarden-user")
        let log = user.path("state/audit.jsonl")
        _ = try user.write("keywarden/config.toml", "[hook]\naudit_log = \"\(log)\"\n")
        let repo = try HookFixture(extraEnv: ["XDG_CONFIG_HOME": user.path()])
        try FileManager.default.createDirectory(atPath: user.path("state"), withIntermediateDirectories: true)
        try repo.write("app.env", HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        #expect(try repo.commit().status == 1)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(try repo.auditEntries().isEmpty)
    }

    @Test func projectRulesApplyToTheHookAndToScanWithTheBuiltInsKept() throws {
        let repo = try HookFixture()
        let prefix = "acme" + "_"
        try repo.write(".keywarden.toml", """
            [[rules]]
            id = "acme-token"
            description = "ACME token"
            provider = "acme"
            severity = "high"
            regex = '''\\b\(prefix)([a-z0-9]{32})\\b'''
            secretGroup = 1
            keywords = ["\(prefix)"]

            [hook]
            warn_tracked_keys = true

            """)
        try repo.write("a.txt", "token \(prefix)\(FakeKeys.hex(32))\n")
        try repo.git("add", "a.txt")
        let blocked = try repo.commit()
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("acme-token"))
        #expect(!blocked.stderr.contains("not support"), "the [hook] table is not a rules problem")
        // The built-in rules still run beside the project's.
        try repo.write("b.env", HookFixture.secretLine().line)
        let scan = try repo.keywarden(["scan", "--format", "json", "a.txt", "b.env"])
        #expect(scan.status == 1)
        #expect(scan.stdout.contains("acme-token"))
        #expect(scan.stdout.contains("maintainx"))
    }

    @Test func framedFilesAreScannedWholeOutsideACommit() throws {
        let repo = try HookFixture()
        try repo.write("app.env", HookFixture.secretLine().line)   // not staged
        let r = try repo.keywarden(["hook", "run", "pre-commit", "app.env", "readme.txt"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("app.env:1"))
        #expect(r.stderr.contains("2 files"))
        let missing = try repo.keywarden(["hook", "run", "pre-commit", "gone.txt"])
        #expect(missing.status == 2, "a file that could not be scanned is never a clean result")
        #expect(try repo.keywarden(["hook", "run", "pre-commit", "readme.txt"]).status == 0)
        // A file name that looks like an option is still a file.
        try repo.write("-odd.env", HookFixture.secretLine().line)
        let odd = try repo.keywarden(["hook", "run", "pre-commit", "-odd.env"])
        #expect(odd.status == 1, "\(odd.stderr)")
        // Inside `git commit` (GIT_INDEX_FILE set) the staged changes are what counts.
        let staged = try repo.keywarden(["hook", "run", "pre-commit", "app.env"],
                                        environment: ["GIT_INDEX_FILE": repo.dir.path(".git/index")])
        #expect(staged.status == 0, "app.env is not staged")
    }

    /// A ledger tracking `key` as `mx-prod`, created on `created`.
    func track(_ repo: HookFixture, key: String, created: String) throws {
        let r = try repo.keywarden(["keys", "add", "mx-prod", "--env", "prod", "--provider", "maintainx",
                                    "--created", created, "--from-env", "MX_KEY"], environment: ["MX_KEY": key])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func aStagedTrackedKeyIsNamed() throws {
        let repo = try HookFixture()
        let (line, key) = HookFixture.secretLine()
        try track(repo, key: key, created: "2026-11-01")
        try repo.write("app.env", line)
        try repo.git("add", "app.env")
        let blocked = try repo.commit()
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("prod maintainx key `mx-prod`"))
        #expect(blocked.stderr.contains("rotate it"))
    }

    @Test func overdueTrackedKeysWarnAndBlockOnlyWhenConfigured() throws {
        let repo = try HookFixture()
        try track(repo, key: FakeKeys.maintainX(), created: "2026-01-01")   // 90 days: long overdue on 2026-11-23
        try repo.write("notes.txt", "x\n")
        try repo.git("add", "notes.txt")
        let warned = try repo.commit()
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("tracked key mx-prod"))
        #expect(warned.stderr.contains("overdue"))

        try repo.write(".keywarden.toml", "[hook]\nblock_on_overdue_keys = true\n")
        try repo.write("notes.txt", "y\n")
        try repo.git("add", "-A")
        let blocked = try repo.commit()
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("block_on_overdue_keys"))
        #expect((try repo.auditEntries().last?["keys"] as? [String]) == ["mx-prod"])

        try repo.write(".keywarden.toml", "[hook]\nwarn_tracked_keys = false\n")
        try repo.git("add", "-A")
        let quiet = try repo.commit()
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("mx-prod"))
    }
}

/// The user's `[hook] verify = true` (here `KEYWARDEN_HOOK_VERIFY=1`): the blocked message says what the provider answered (here nothing: the test
/// points MaintainX at a closed loopback port, so the answer is `unknown`); off by default.
@Suite struct HookVerifySettingTests {
    @Test func verifyIsOffByDefaultAndShownWhenConfigured() throws {
        let repo = try HookFixture()
        try repo.write("app.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try repo.git("add", "-A")
        let loopback = ["KEYWARDEN_VERIFY_ALLOW_TEST_URLS": "1", "KEYWARDEN_VERIFY_TEST_BASE_URL_MAINTAINX": "http://127.0.0.1:9"]
        let plain = try repo.keywarden(["hook", "run", "pre-commit"], environment: loopback)
        #expect(plain.status == 1)
        #expect(!plain.stderr.contains("verification:"))
        // The user's own setting (a repository's `[hook] verify` is ignored: see UntrustedConfigTests).
        let verified = try repo.keywarden(["hook", "run", "pre-commit"], environment: loopback.merging(["KEYWARDEN_HOOK_VERIFY": "1"]) { $1 })
        #expect(verified.status == 1, "verification never unblocks a commit")
        #expect(verified.stderr.contains("verification: unknown"), "\(verified.stderr)")
    }
}
