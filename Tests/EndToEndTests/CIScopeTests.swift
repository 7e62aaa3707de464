import Foundation
import Testing
import TestSupport

/// `keywarden scan --ci` picks the scope from the CI environment and says which.
@Suite struct CIScopeTests {
    struct Fixture {
        let dir: TemporaryDirectory
        let base: String
        let head: String
        let oldKey: String
        let newKey: String
    }

    /// A repository whose first commit already holds one secret and whose second commit adds another.
    func fixture() throws -> Fixture {
        let dir = try TemporaryDirectory()
        let oldKey = FakeKeys.alnum(40), newKey = FakeKeys.alnum(40)
        try Run.git(["init", "-q", "-b", "main"], in: dir.path())
        try dir.write("old.env", "MAINTAINX_API_KEY=\(oldKey)\n")
        try Run.git(["add", "-A"], in: dir.path())
        try Run.git(["commit", "-q", "-m", "base"], in: dir.path())
        let base = try Run.git(["rev-parse", "HEAD"], in: dir.path()).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try dir.write("new.env", "MX_API_KEY=\(newKey)\n")
        try Run.git(["add", "-A"], in: dir.path())
        try Run.git(["commit", "-q", "-m", "add new key"], in: dir.path())
        let head = try Run.git(["rev-parse", "HEAD"], in: dir.path()).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return Fixture(dir: dir, base: base, head: head, oldKey: oldKey, newKey: newKey)
    }

    func scan(_ f: Fixture, _ env: [String: String]) throws -> ProcessResult {
        var environment = env
        environment["KEYWARDEN_CACHE_DIR"] = FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path
        return try Run.keywarden(["scan", "--ci", "--format", "json"], in: f.dir.path(), environment: environment)
    }

    func paths(_ run: ProcessResult) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return ((object?["findings"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String }.sorted()
    }

    @Test func ciAdviceSaysTheKeyHasLeftTheMachine() throws {
        let f = try fixture()
        let cache = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
        let ci = try Run.keywarden(["scan", "--ci"], in: f.dir.path(),
                                   environment: cache.merging(["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "workflow_dispatch"]) { $1 })
        #expect(ci.status == 1)
        #expect(ci.stdout.contains("fix: this key has left the machine"))
        #expect(ci.stdout.contains("rotate it now (`keywarden keys runbook maintainx`)"))
        let github = try Run.keywarden(["scan", "--ci", "--format", "github"], in: f.dir.path(),
                                       environment: cache.merging(["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "workflow_dispatch"]) { $1 })
        #expect(github.stdout.contains("Fix: this key has left the machine"))
        // On a developer's machine the key may not have left yet: the advice is to take it out first.
        let local = try Run.keywarden(["scan"], in: f.dir.path(), environment: cache)
        #expect(local.status == 1)
        #expect(!local.stdout.contains("has left the machine"))
        #expect(local.stdout.contains("fix: remove the value"))
    }

    /// A CI job on a repository that has not committed `.keywarden-salt` writes none into the checkout and
    /// reports the same fingerprints in every run; once the salt a local scan made is there, CI uses it and its
    /// fingerprints are the local ones.
    @Test func ciFingerprintsAreStableWithoutACommittedSalt() throws {
        let f = try fixture()
        let env = ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "workflow_dispatch"]
        func fingerprints(_ run: ProcessResult) throws -> [String] {
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            return ((object?["findings"] as? [[String: Any]]) ?? []).compactMap { $0["fingerprint"] as? String }.sorted()
        }
        let first = try scan(f, env), second = try scan(f, env)
        #expect(first.status == 1 && second.status == 1, "\(first.stderr)")
        #expect(try fingerprints(first).count == 2)
        #expect(try fingerprints(first) == fingerprints(second))
        #expect(first.stderr.contains("no .keywarden-salt in the repository"))
        #expect(!FileManager.default.fileExists(atPath: f.dir.path(".keywarden-salt")))
        // A local scan creates the salt; CI then uses it, and reports the local fingerprints.
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path
        let local = try Run.keywarden(["scan", "--format", "json"], in: f.dir.path(), environment: ["KEYWARDEN_CACHE_DIR": cache])
        #expect(FileManager.default.fileExists(atPath: f.dir.path(".keywarden-salt")))
        let salted = try scan(f, env)
        #expect(!salted.stderr.contains("no .keywarden-salt"))
        #expect(try fingerprints(salted) == fingerprints(local))
        #expect(try fingerprints(salted) != fingerprints(first))
    }

    @Test func aMissingOrUnreadableGitHubEventFileIsAnError() throws {
        let f = try fixture()
        try f.dir.write("../bad-\(f.head).json", "not json")
        let cases: [(String?, String)] = [
            (nil, "without GITHUB_EVENT_PATH"),
            (f.dir.path("../missing-\(f.head).json"), "cannot read GITHUB_EVENT_PATH"),
            (f.dir.path("../bad-\(f.head).json"), "is not a JSON object"),
        ]
        for event in ["pull_request", "push"] {
            for (path, message) in cases {
                var env = ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event]
                env["GITHUB_EVENT_PATH"] = path
                let run = try scan(f, env)
                #expect(run.status == 2, "\(event) \(path ?? "unset"): \(run.stderr)")
                #expect(run.stderr.contains(message))
                #expect(!run.stderr.contains("scanning the work tree"))
            }
        }
    }

    @Test func gitHubPullRequestScansOnlyItsCommits() throws {
        let f = try fixture()
        try f.dir.write("../event-\(f.head).json", #"{"pull_request":{"number":7,"base":{"sha":"\#(f.base)"},"head":{"sha":"\#(f.head)"}}}"#)
        let run = try scan(f, ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request",
                               "GITHUB_EVENT_PATH": f.dir.path("../event-\(f.head).json")])
        #expect(run.status == 1)
        #expect(run.stderr.contains("--ci: GitHub pull request #7: scanning commits \(f.base)..\(f.head)"))
        #expect(try paths(run) == ["new.env"])
        #expect(run.stdout.contains(f.head), "the finding names the commit that introduced it")
    }

    @Test func gitHubPushScansThePushedRange() throws {
        let f = try fixture()
        let event = f.dir.path("../push-\(f.head).json")
        try f.dir.write("../push-\(f.head).json", #"{"before":"\#(f.base)","after":"\#(f.head)"}"#)
        let run = try scan(f, ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": event])
        #expect(run.stderr.contains("GitHub push: scanning commits \(f.base)..\(f.head)"))
        #expect(try paths(run) == ["new.env"])
        // A new branch: `before` is all zeros; the pushed commits come from the event's list.
        try f.dir.write("../push-\(f.head).json", #"{"before":"\#(String(repeating: "0", count: 40))","after":"\#(f.head)","commits":[{"id":"\#(f.head)"}]}"#)
        let newBranch = try scan(f, ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": event])
        #expect(newBranch.stderr.contains("GitHub push of a new branch"))
        #expect(try paths(newBranch) == ["new.env"])
        // A deleted branch: nothing to scan, exit 0.
        try f.dir.write("../push-\(f.head).json", #"{"before":"\#(f.head)","after":"\#(String(repeating: "0", count: 40))"}"#)
        let deleted = try scan(f, ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": event, "GITHUB_REF": "refs/heads/gone"])
        #expect(deleted.status == 0)
        #expect(deleted.stderr.contains("deleting refs/heads/gone: nothing to scan"))
    }

    @Test func gitLabMergeRequestAndPush() throws {
        let f = try fixture()
        let mr = try scan(f, ["GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": f.base, "CI_COMMIT_SHA": f.head, "CI_MERGE_REQUEST_IID": "3"])
        #expect(mr.stderr.contains("GitLab merge request !3: scanning commits \(f.base)..\(f.head)"))
        #expect(try paths(mr) == ["new.env"])
        let push = try scan(f, ["GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": f.base, "CI_COMMIT_SHA": f.head])
        #expect(push.stderr.contains("GitLab push"))
        #expect(try paths(push) == ["new.env"])
        let firstPush = try scan(f, ["GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": String(repeating: "0", count: 40), "CI_COMMIT_SHA": f.head])
        #expect(firstPush.stderr.contains("scanning the work tree"))
        #expect(try paths(firstPush) == ["new.env", "old.env"])
    }

    @Test func elsewhereTheWorkTreeIsScanned() throws {
        let f = try fixture()
        let run = try scan(f, [:])
        #expect(run.stderr.contains("no CI environment detected"))
        #expect(try paths(run) == ["new.env", "old.env"])
        let scheduled = try scan(f, ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "schedule"])
        #expect(scheduled.stderr.contains("GitHub schedule event: scanning the work tree"))
    }

    @Test func ciExcludesOtherSources() throws {
        let f = try fixture()
        let run = try Run.keywarden(["scan", "--ci", "--staged"], in: f.dir.path())
        #expect(run.status == 2)
    }
}

/// In CI the pull request cannot allowlist its own secret: the settings come from the base commit and a
/// change to them is a `config-change` finding (issue 14).
@Suite struct CIBaseSettingsTests {
    /// Commits the work tree, then scans it as GitLab CI does for a merge request from `base`: the run and
    /// its JSON findings.
    func commitAndScanTheMergeRequest(_ dir: TemporaryDirectory, base: String, message: String) throws -> (ProcessResult, [[String: Any]]) {
        try Run.git(["add", "-A"], in: dir.path())
        try Run.git(["commit", "-q", "-m", message], in: dir.path())
        let head = try Run.git(["rev-parse", "HEAD"], in: dir.path()).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let env = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path,
                   "GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_COMMIT_SHA": head, "CI_MERGE_REQUEST_IID": "3"]
        let run = try Run.keywarden(["scan", "--ci", "--format", "json"], in: dir.path(), environment: env)
        let findings = ((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]]) ?? []
        return (run, findings)
    }

    @Test func thePullRequestsOwnIgnoreFileAndConfigDoNotApply() throws {
        let dir = try TemporaryDirectory()
        let key = FakeKeys.alnum(40)
        let cache = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
        try Run.git(["init", "-q", "-b", "main"], in: dir.path())
        try dir.write("readme.txt", "hello\n")
        try Run.git(["add", "-A"], in: dir.path())
        try Run.git(["commit", "-q", "-m", "base"], in: dir.path())
        let base = try Run.git(["rev-parse", "HEAD"], in: dir.path()).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try dir.write("new.env", "MAINTAINX_API_KEY=\(key)\n")
        let first = try Run.keywarden(["scan", "--no-git", "--format", "json", "new.env"], in: dir.path(), environment: cache)
        let object = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
        let found = try #require((object?["findings"] as? [[String: Any]])?.first)
        let fingerprint = try #require(found["fingerprint"] as? String), rule = try #require(found["rule_id"] as? String)
        // The pull request allowlists its own secret twice over.
        try dir.write(".keywardenignore", "\(fingerprint)\n")
        try dir.write(".keywarden.toml", "[extend]\ndisabledRules = [\"\(rule)\"]\n")
        let (run, findings) = try commitAndScanTheMergeRequest(dir, base: base, message: "add a key, allowlisted")
        #expect(run.status == 1, "\(run.stderr)")
        #expect(findings.contains { $0["path"] as? String == "new.env" && $0["rule_id"] as? String == rule }, "\(run.stdout)")
        let changes = findings.filter { $0["rule_id"] as? String == "config-change" }.compactMap { $0["path"] as? String }.sorted()
        #expect(changes == [".keywarden.toml", ".keywardenignore"], "\(run.stdout)")
        #expect(findings.filter { $0["rule_id"] as? String == "config-change" }.allSatisfy { $0["severity"] as? String == "medium" })
    }

    /// The base's `.keywarden.toml` extends a rules file: that file is read from the base commit too, so a
    /// pull request that edits it (here: an allowlist for its own secret) changes nothing (issue 14).
    @Test func aRulesFileTheBaseConfigExtendsComesFromTheBaseToo() throws {
        let dir = try TemporaryDirectory()
        let cache = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
        let quotes = String(repeating: "'", count: 3)
        try Run.git(["init", "-q", "-b", "main"], in: dir.path())
        try dir.write(".keywarden.toml", "[extend]\nuseDefault = true\npath = \"ci/rules.toml\"\n")
        try dir.write("ci/rules.toml", "[[rules]]\nid = \"corp-token\"\nregex = \(quotes)corp_[A-Za-z0-9]{24}\(quotes)\n")
        try Run.git(["add", "-A"], in: dir.path())
        try Run.git(["commit", "-q", "-m", "base"], in: dir.path())
        let base = try Run.git(["rev-parse", "HEAD"], in: dir.path()).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try dir.write("new.txt", "token = corp_\(FakeKeys.alnum(24))\n")
        try dir.write("ci/rules.toml", "[[rules]]\nid = \"corp-token\"\nregex = \(quotes)corp_[A-Za-z0-9]{24}\(quotes)\n"
                      + "[rules.allowlist]\npaths = [\(quotes)new\\.txt\(quotes)]\n")
        let (run, findings) = try commitAndScanTheMergeRequest(dir, base: base, message: "add a token, allowlisted in the extended file")
        #expect(run.status == 1, "\(run.stderr)")
        #expect(findings.contains { $0["path"] as? String == "new.txt" && $0["rule_id"] as? String == "corp-token" }, "\(run.stdout)")
        // Outside CI the work tree's settings apply: the pull request's allowlist holds there.
        let local = try Run.keywarden(["scan", "new.txt"], in: dir.path(), environment: cache)
        #expect(local.status == 0, "\(local.stdout)\(local.stderr)")
    }
}
