import Foundation
import Testing
import TestSupport

/// `keywarden doctor` run as a program on repositories built at test time.
@Suite struct DoctorCommandTests {
    func repository() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory(prefix: "keywarden-doctor-e2e")
        try Run.git(["init", "-q", "-b", "main", "."], in: dir.path())
        return dir
    }

    func doctor(_ arguments: [String], in dir: TemporaryDirectory, environment: [String: String] = [:]) throws -> ProcessResult {
        try Run.keywarden(["doctor"] + arguments, in: dir.path(), environment: ["KEYWARDEN_TODAY": "2026-11-23"].merging(environment) { $1 })
    }

    /// Each check's status by id, from `doctor --format json`.
    func statuses(_ dir: TemporaryDirectory) throws -> [String: String] {
        let r = try doctor(["--format", "json"], in: dir)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let checks = try #require(json["checks"] as? [[String: Any]])
        return Dictionary(checks.map { ($0["id"] as? String ?? "", $0["status"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    @Test func failingChecksExitOneWithTheFixUnderEachLine() throws {
        let dir = try repository()
        try dir.write(".env", "A=1\n")
        // Readable by others whatever the umask of the test run: the permissions check must fail.
        chmod(dir.path(".env"), 0o644)
        try Run.git(["add", ".env"], in: dir.path())
        #expect(try statuses(dir) == ["gitignore": "fail", "tracked-secrets": "fail", "hook": "fail", "ledger-overdue": "skip",
                                      "ledger-reuse": "skip", "required-env": "skip", "env-distinct": "skip",
                                      "env-permissions": "fail", "env-ignored": "pass", "history-secrets": "skip"])
        let r = try doctor([], in: dir)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("FAIL  .gitignore covers"))
        #expect(r.stdout.contains("fix: git rm --cached -- .env"))
        #expect(r.stdout.contains("fix: keywarden hook install"))
        #expect(r.stdout.contains("SKIP  no key in the ledger is overdue or leaked"))
        #expect(!r.stdout.contains("\u{1B}["), "no colour when piped")
        #expect(r.stdout.contains("fix: chmod 600"), "\(r.stdout)")
        #expect(r.stdout.hasSuffix("10 checks: 1 passed, 4 failed, 5 skipped\n"), "\(r.stdout)")
        // Readable by the owner only: that check passes, nothing else changes.
        chmod(dir.path(".env"), 0o600)
        #expect(try statuses(dir)["env-permissions"] == "pass")
    }

    @Test func allPassingExitsZero() throws {
        let dir = try repository()
        try dir.write(".gitignore", ".env\n.env.*\n!.env.example\n*.key\n*.pem\n*.p12\n")
        let hook = try dir.write(".git/hooks/pre-commit", "#!/bin/sh\n# keywarden-hook v1\nkeywarden hook run pre-commit\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook.path)
        let r = try doctor([], in: dir)
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.contains("0 failed"))
    }

    @Test func jsonListsEveryCheck() throws {
        let dir = try repository()
        let r = try doctor(["--format", "json"], in: dir)
        #expect(r.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let checks = try #require(json["checks"] as? [[String: Any]])
        #expect(checks.map { $0["id"] as? String } == ["gitignore", "tracked-secrets", "hook", "ledger-overdue", "ledger-reuse",
                                                        "required-env", "env-distinct", "env-permissions", "env-ignored",
                                                        "history-secrets"])
        #expect(checks.allSatisfy { ["pass", "fail", "skip", "warn"].contains($0["status"] as? String ?? "") && $0["message"] is String })
        #expect(checks.first?["fix"] is String)
        // No .gitignore and no hook fail; nothing is tracked, so no secret file is; the rest has nothing to check.
        let byID = Dictionary(checks.map { ($0["id"] as? String ?? "", $0["status"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(byID == ["gitignore": "fail", "tracked-secrets": "pass", "hook": "fail", "ledger-overdue": "skip",
                         "ledger-reuse": "skip", "required-env": "skip", "env-distinct": "skip", "env-permissions": "skip",
                         "env-ignored": "skip", "history-secrets": "skip"])
        #expect(json["passed"] as? Int == byID.values.filter { $0 == "pass" }.count)
        #expect(json["failed"] as? Int == byID.values.filter { $0 == "fail" }.count)
        #expect(json["skipped"] as? Int == byID.values.filter { $0 == "skip" }.count)
        #expect(json["warnings"] as? Int == 0)
    }

    @Test func fixSaysWhatItDoesAndAFailedHookInstallHasOnePrefix() throws {
        let help = try Run.keywarden(["doctor", "--help"])
        #expect(help.stdout.contains("install the missing pre-commit hook"))
        // A tracked core.hooksPath folder: hook install refuses (exit 1), and --fix reports it once, clearly.
        let dir = try repository()
        try dir.write("githooks/README", "team hooks\n")
        try Run.git(["add", "githooks/README"], in: dir.path())
        try Run.git(["commit", "-q", "-m", "hooks"], in: dir.path())
        try Run.git(["config", "core.hooksPath", "githooks"], in: dir.path())
        let r = try doctor(["--fix"], in: dir, environment: ["GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("'keywarden hook install' failed: warning: core.hooksPath is githooks, a folder tracked in git"))
        #expect(!r.stderr.contains("keywarden: keywarden"))
        #expect(!r.stderr.contains(": keywarden: "))
        #expect(r.stderr.components(separatedBy: "keywarden: ").count - 1 == 1, "one prefix: \(r.stderr)")
    }

    @Test func fixTwiceChangesNothingTheSecondTime() throws {
        let dir = try repository()
        let first = try doctor(["--fix"], in: dir)
        #expect(first.stdout.contains("--fix: appended to .gitignore: .env .env.* *.key *.pem *.p12 !.env.example"))
        #expect(first.stdout.contains("installed the pre-commit hook"), "\(first.stdout)")
        let hook = try String(contentsOfFile: dir.path(".git/hooks/pre-commit"), encoding: .utf8)
        #expect(hook.contains("# keywarden-hook v1"))
        let text = try String(contentsOfFile: dir.path(".gitignore"), encoding: .utf8)
        let second = try doctor(["--fix"], in: dir)
        #expect(second.stdout.hasPrefix("--fix: nothing to change\n"), "\(second.stdout)")
        #expect(try String(contentsOfFile: dir.path(".gitignore"), encoding: .utf8) == text)
        #expect(try String(contentsOfFile: dir.path(".git/hooks/pre-commit"), encoding: .utf8) == hook)
        #expect(second.stdout.contains("PASS") && !second.stdout.contains("fix: keywarden hook install"))
        let json = try doctor(["--fix", "--format", "json"], in: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let fix = try #require(object["fix"] as? [String: Any])
        #expect((fix["changes"] as? [String])?.isEmpty == true)
        #expect((fix["left_to_you"] as? [String])?.contains("keywarden hook install") == false)
    }

    @Test func outsideARepositoryExitsTwo() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-doctor-norepo")
        let r = try doctor([], in: dir, environment: ["GIT_CEILING_DIRECTORIES": FileManager.default.temporaryDirectory.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("is not in a git repository"))
        #expect(r.stdout.isEmpty)
    }

    /// A repository whose every check passes (a hook, a complete .gitignore), with one commit.
    func passingRepository() throws -> TemporaryDirectory {
        let dir = try repository()
        try dir.write(".gitignore", ".env\n.env.*\n!.env.example\n*.key\n*.pem\n*.p12\n")
        let hook = try dir.write(".git/hooks/pre-commit", "#!/bin/sh\n# keywarden-hook v1\nkeywarden hook run pre-commit\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook.path)
        try Run.git(["add", ".gitignore"], in: dir.path())
        try Run.git(Self.commit + ["start"], in: dir.path())
        return dir
    }

    static let commit = ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--no-verify", "-q", "-m"]

    /// Commits `path` holding `text`, then a commit that deletes it: the text stays in the history only.
    func commitThenRemove(_ path: String, _ text: String, in dir: TemporaryDirectory) throws {
        try dir.write(path, text)
        try Run.git(["add", path], in: dir.path())
        try Run.git(Self.commit + ["add \(path)"], in: dir.path())
        try Run.git(["rm", "-q", path], in: dir.path())
        try Run.git(Self.commit + ["remove \(path)"], in: dir.path())
    }

    @Test func nestedDotenvFilesAreCheckedForPermissionsAndIgnoreCoverage() throws {
        let dir = try passingRepository()
        // The root's .gitignore anchors .env to the root: a service's own .env is not covered.
        try dir.write(".gitignore", "/.env\n.env.*\n!.env.example\n*.key\n*.pem\n*.p12\n")
        try dir.write("services/api/.env", "A=1\n")
        chmod(dir.path("services/api/.env"), 0o644)
        try dir.write("services/api/.env.example", "A=\n")
        chmod(dir.path("services/api/.env.example"), 0o644)
        // Installed dependencies are not the team's files.
        try dir.write("node_modules/pkg/.env", "B=2\n")
        chmod(dir.path("node_modules/pkg/.env"), 0o644)
        let r = try doctor(["--no-history"], in: dir)
        #expect(r.status == 1, "\(r.stdout)")
        #expect(r.stdout.contains("- services/api/.env (mode 644) is readable by group or others"), "\(r.stdout)")
        #expect(r.stdout.contains("fix: chmod 600 services/api/.env\n"), "\(r.stdout)")
        #expect(r.stdout.contains("- services/api/.env is not ignored by git"), "\(r.stdout)")
        #expect(r.stdout.contains("    /services/api/.env\n"), "\(r.stdout)")
        #expect(!r.stdout.contains("node_modules"), "\(r.stdout)")
        #expect(!r.stdout.contains(".env.example is"), "\(r.stdout)")
        // --fix appends the file's own line; the next run finds it ignored and changes nothing.
        let fix = try doctor(["--fix", "--no-history"], in: dir)
        #expect(fix.stdout.contains("--fix: appended to .gitignore: /services/api/.env\n"), "\(fix.stdout)")
        chmod(dir.path("services/api/.env"), 0o600)
        let statuses = try self.statuses(dir)
        #expect(statuses["env-ignored"] == "pass")
        #expect(statuses["env-permissions"] == "pass")
        let again = try doctor(["--fix", "--no-history"], in: dir)
        #expect(again.stdout.hasPrefix("--fix: nothing to change\n"), "\(again.stdout)")
    }

    @Test func aSecretGoneFromHeadButStillInHistoryWarns() throws {
        let dir = try passingRepository()
        let token = FakeKeys.githubToken()
        try commitThenRemove("deploy/settings.txt", "GITHUB_TOKEN=\(token)\n", in: dir)
        let r = try doctor([], in: dir)
        // A warning: the run still passes.
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("WARN  no secret gone from HEAD is still live in the git history"), "\(r.stdout)")
        #expect(r.stdout.contains("- deploy/settings.txt:1 github-pat-classic (github), committed in "), "\(r.stdout)")
        #expect(r.stdout.contains("fix: keywarden keys runbook github"), "\(r.stdout)")
        #expect(r.stdout.contains("1 warned\n"), "\(r.stdout)")
        #expect(!r.stdout.contains(token) && !r.stderr.contains(token), "no secret printed")
        #expect(try statuses(dir)["history-secrets"] == "warn")
        #expect(try doctor(["--no-history", "--format", "json"], in: dir).stdout.contains("\"message\" : \"--no-history\""))
        // The same value still in HEAD (moved to another file) is not "gone": no warning.
        try dir.write("config/settings.txt", "GITHUB_TOKEN=\(token)\n")
        try Run.git(["add", "config/settings.txt"], in: dir.path())
        try Run.git(Self.commit + ["moved"], in: dir.path())
        #expect(try statuses(dir)["history-secrets"] == "pass")
    }

    @Test func aLeakedValueTheLedgerShowsRotatedPasses() throws {
        let dir = try passingRepository()
        let old = FakeKeys.githubToken(), new = FakeKeys.githubToken()
        try commitThenRemove("deploy/settings.txt", "GITHUB_TOKEN=\(old)\n", in: dir)
        let env = ["KEYWARDEN_TODAY": "2026-11-23"]
        let add = try Run.keywarden(["keys", "add", "ci-token", "--provider", "github", "--env", "ci", "--from-env", "TOKEN"],
                                    in: dir.path(), environment: env.merging(["TOKEN": old]) { $1 })
        #expect(add.status == 0, "\(add.stderr)")
        // Still the key's current value: the warning names the tracked key.
        let before = try doctor([], in: dir)
        #expect(before.stdout.contains("tracked key ci-token (still its current value)"), "\(before.stdout)")
        #expect(before.stdout.contains("keywarden keys runbook github --key ci-token"), "\(before.stdout)")
        let rotated = try Run.keywarden(["keys", "rotated", "ci-token", "--from-env", "TOKEN"],
                                        in: dir.path(), environment: env.merging(["TOKEN": new]) { $1 })
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let after = try doctor([], in: dir)
        #expect(after.stdout.contains("the history holds no secret that HEAD does not (1 older value the ledger shows rotated)"), "\(after.stdout)")
        #expect(try statuses(dir)["history-secrets"] == "pass")
    }
}
