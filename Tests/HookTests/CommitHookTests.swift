import Foundation
import Testing
import TestSupport

/// The installed pre-commit hook, driven by real `git commit` runs.
@Suite struct CommitHookTests {
    @Test func blocksACommitWithASecretAndLetsOneWithoutThrough() throws {
        let repo = try HookFixture()
        let (line, key) = HookFixture.secretLine()
        try repo.write("app.env", line)
        try repo.git("add", "app.env")
        let blocked = try repo.commit()
        #expect(blocked.status == 1)
        #expect(try repo.commitCount() == 1)
        #expect(blocked.stderr.contains("commit blocked"))
        #expect(blocked.stderr.contains("app.env:1"))
        #expect(blocked.stderr.contains("maintainx"))
        #expect(blocked.stderr.contains("keywarden ignore add"))
        #expect(blocked.stderr.contains("keywarden keys runbook maintainx"))
        #expect(blocked.stderr.contains("MAINTAINX_API_KEY"))
        #expect(blocked.stderr.contains("--no-verify"))
        #expect(!blocked.stderr.contains(key), "the secret itself must never be shown")

        // The audit log: one line for the blocked commit, never the secret.
        let entries = try repo.auditEntries()
        #expect(entries.count == 1)
        #expect(entries.first?["action"] as? String == "pre-commit")
        #expect(entries.first?["result"] as? String == "blocked")
        #expect((entries.first?["paths"] as? [String]) == ["app.env"])
        #expect((entries.first?["rules"] as? [String])?.isEmpty == false)
        #expect((entries.first?["fingerprints"] as? [String])?.count == 1)
        #expect(!(try repo.read(".git/keywarden/audit.jsonl")).contains(key))
        // The message names the finding's fingerprint (what `keywarden ignore add` takes).
        let fingerprint = try #require((entries.first?["fingerprints"] as? [String])?.first)
        #expect(blocked.stderr.contains("fingerprint: \(fingerprint)"), "\(blocked.stderr)")

        try repo.write("app.env", "MAINTAINX_API_KEY=${MAINTAINX_API_KEY}\n")
        try repo.git("add", "app.env")
        let passed = try repo.commit()
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(try repo.commitCount() == 2)
        #expect(try repo.auditEntries().count == 1)
    }

    @Test func onlyTheStagedVersionCounts() throws {
        let repo = try HookFixture()
        // Staged: clean; unstaged on top: a secret. The commit holds no secret: it passes.
        try repo.write("app.env", "MODE=dev\n")
        try repo.git("add", "app.env")
        try repo.write("app.env", "MODE=dev\n" + HookFixture.secretLine().line)
        #expect(try repo.commit().status == 0)

        // Staged: a secret; the work tree cleaned afterwards. The commit would hold it: blocked.
        try repo.write("app.env", "MODE=dev\n" + HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        try repo.write("app.env", "MODE=dev\n")
        let blocked = try repo.commit()
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("app.env:2"))
    }

    @Test func commitDashAScansWhatItWillStage() throws {
        let repo = try HookFixture()
        try repo.write("app.env", "MODE=dev\n")
        try repo.git("add", "app.env")
        #expect(try repo.commit().status == 0)
        try repo.write("app.env", "MODE=dev\n" + HookFixture.secretLine().line)   // modified, not staged
        #expect(try repo.commit().status != 0)   // nothing staged: git refuses on its own
        let blocked = try repo.commit(["-a"])
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("app.env:2"))
    }

    @Test func commitWithPathsScansThosePathsOnly() throws {
        let repo = try HookFixture()
        try repo.write("app.env", "MODE=dev\n")
        try repo.write("notes.txt", "one\n")
        try repo.git("add", "-A")
        #expect(try repo.commit().status == 0)

        try repo.write("app.env", "MODE=dev\n" + HookFixture.secretLine().line)
        try repo.write("notes.txt", "one\ntwo\n")
        // `git commit notes.txt` commits notes.txt only: the secret in app.env is not part of it.
        #expect(try repo.commit(["notes.txt"]).status == 0)
        let blocked = try repo.commit(["app.env"])
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("app.env:2"))
    }

    @Test func amendIsChecked() throws {
        let repo = try HookFixture()
        try repo.write("app.env", "MODE=dev\n")
        try repo.git("add", "app.env")
        #expect(try repo.commit().status == 0)
        let before = try repo.head()
        try repo.write("app.env", "MODE=dev\n" + HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        let blocked = try repo.commit(["--amend"])
        #expect(blocked.status == 1)
        #expect(try repo.head() == before)
    }

    /// What the README says of `--amend`: the hook checks what the amend stages (the index against the
    /// current HEAD), not what HEAD already holds. A secret committed with --no-verify stays in an amended
    /// commit unnoticed by the pre-commit hook; the pre-push hook and CI still find it.
    @Test func amendDoesNotRecheckWhatHeadAlreadyHolds() throws {
        let repo = try HookFixture(installArguments: ["--pre-push"])
        try repo.write("app.env", HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        try repo.git("commit", "-q", "--no-verify", "-m", "skipped the check")
        try repo.write("notes.txt", "unrelated\n")
        try repo.git("add", "notes.txt")
        let amended = try repo.commit(["--amend"])
        #expect(amended.status == 0, "documented: the pre-commit hook does not re-check HEAD's own changes")
        // The documented safety nets: the pre-push hook and `scan --since`/CI see the commit's changes.
        let remote = try TemporaryDirectory(prefix: "keywarden-hook-remote")
        repo.keepAlive.append(remote)
        try repo.git("init", "-q", "--bare", remote.path())
        try repo.git("remote", "add", "origin", remote.path())
        let pushed = try repo.gitResult(["push", "-q", "origin", "main"])
        #expect(pushed.status != 0)
        #expect(pushed.stderr.contains("app.env:1"))
        let scanned = try repo.keywarden(["scan", "--since", "HEAD~1"])
        #expect(scanned.status == 1)
    }

    @Test func mergeCommitWithASecretInTheResolutionIsBlocked() throws {
        let repo = try HookFixture()
        try repo.write("app.env", "MODE=base\n")
        try repo.git("add", "app.env")
        #expect(try repo.commit().status == 0)
        try repo.git("checkout", "-q", "-b", "topic")
        try repo.write("app.env", "MODE=topic\n")
        #expect(try repo.commit(["-a"]).status == 0)
        try repo.git("checkout", "-q", "main")
        try repo.write("app.env", "MODE=main\n")
        #expect(try repo.commit(["-a"]).status == 0)
        let merge = try repo.gitResult(["merge", "-q", "topic"])
        #expect(merge.status != 0)   // a conflict: the resolution is committed with `git commit`
        try repo.write("app.env", "MODE=merged\n" + HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        let blocked = try repo.gitResult(["commit", "-q", "--no-edit"])
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("app.env:2"))
        try repo.write("app.env", "MODE=merged\n")
        try repo.git("add", "app.env")
        let merged = try repo.gitResult(["commit", "-q", "--no-edit"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try repo.git("rev-list", "--parents", "-n", "1", "HEAD").stdout.split(separator: " ").count == 3)
    }

    @Test func initialCommitIsChecked() throws {
        let repo = try HookFixture(empty: true)
        try repo.write("app.env", HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        let blocked = try repo.commit()
        #expect(blocked.status == 1)
        #expect(try repo.commitCount() == 0)
        try repo.write("app.env", "MODE=dev\n")
        try repo.git("add", "app.env")
        #expect(try repo.commit().status == 0)
        #expect(try repo.commitCount() == 1)
    }

    @Test func allowCommentAndIgnoreFileLetAFalsePositiveThrough() throws {
        let repo = try HookFixture()
        let (line, _) = HookFixture.secretLine()
        try repo.write("app.env", line.dropLast() + "  # keywarden:allow\n")
        try repo.git("add", "app.env")
        #expect(try repo.commit().status == 0)

        try repo.write("other.env", HookFixture.secretLine("MX_API_KEY").line)
        try repo.git("add", "other.env")
        let blocked = try repo.commit()
        #expect(blocked.status == 1)
        let entries = try repo.auditEntries()
        let fingerprint = try #require((entries.last?["fingerprints"] as? [String])?.first)
        #expect(try repo.keywarden(["ignore", "add", fingerprint, "--reason", "test value"]).status == 0)
        try repo.git("add", ".keywardenignore")
        let passed = try repo.commit()
        #expect(passed.status == 0, "\(passed.stderr)")
    }
}
