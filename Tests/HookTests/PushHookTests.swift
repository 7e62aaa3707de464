import Foundation
import Testing
import TestSupport

/// The installed pre-push hook with real `git push` runs to a bare repository.
@Suite struct PushHookTests {
    /// A repository with both hooks and a bare `origin` that has `main`.
    func repository() throws -> (HookFixture, TemporaryDirectory) {
        let repo = try HookFixture(installArguments: ["--pre-push"])
        let remote = try TemporaryDirectory(prefix: "keywarden-hook-remote")
        try repo.git("init", "-q", "--bare", remote.path())
        try repo.git("remote", "add", "origin", remote.path())
        try repo.git("push", "-q", "origin", "main")
        repo.keepAlive.append(remote)
        return (repo, remote)
    }

    /// Commits a secret without the pre-commit check (as someone with --no-verify would).
    func commitSecret(_ repo: HookFixture, file: String = "app.env") throws {
        try repo.write(file, HookFixture.secretLine().line)
        try repo.git("add", file)
        try repo.git("commit", "-q", "--no-verify", "-m", "add \(file)")
    }

    @Test func newBranchWithASecretIsBlocked() throws {
        let (repo, remote) = try repository()
        try repo.git("checkout", "-q", "-b", "feature")
        try commitSecret(repo)
        let blocked = try repo.gitResult(["push", "-q", "origin", "feature"])
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("push blocked"))
        #expect(blocked.stderr.contains("app.env:1"))
        #expect(try Run.git(["branch", "--list", "feature"], in: remote.path()).stdout.isEmpty)
        let entry = try #require(try repo.auditEntries().last)
        #expect(entry["action"] as? String == "pre-push")
        #expect((entry["refs"] as? [String]) == ["refs/heads/feature -> refs/heads/feature"])
        #expect((entry["commits"] as? [String])?.count == 1)
    }

    @Test func newBranchScansOnlyCommitsTheRemoteLacks() throws {
        let (repo, _) = try repository()
        // A secret already on the remote (pushed with --no-verify) is not this push's business.
        try commitSecret(repo, file: "old.env")
        try repo.git("push", "-q", "--no-verify", "origin", "main")
        try repo.git("checkout", "-q", "-b", "feature")
        try repo.write("notes.txt", "clean\n")
        try repo.git("add", "notes.txt")
        #expect(try repo.commit().status == 0)
        let pushed = try repo.gitResult(["push", "-q", "origin", "feature"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
    }

    @Test func updateIsCheckedAndOnlyItsNewCommits() throws {
        let (repo, _) = try repository()
        try repo.write("notes.txt", "one\n")
        try repo.git("add", "notes.txt")
        #expect(try repo.commit().status == 0)
        #expect(try repo.gitResult(["push", "-q", "origin", "main"]).status == 0)

        try commitSecret(repo)
        let blocked = try repo.gitResult(["push", "-q", "origin", "main"])
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("1 commit not yet on origin"))
    }

    @Test func deletionPushesNothingToScan() throws {
        let (repo, remote) = try repository()
        try repo.git("checkout", "-q", "-b", "old")
        try commitSecret(repo)
        try repo.git("push", "-q", "--no-verify", "origin", "old")
        let deleted = try repo.gitResult(["push", "-q", "origin", ":old"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try Run.git(["branch", "--list", "old"], in: remote.path()).stdout.isEmpty)
    }

    /// Three new branches off main: the first and the middle one carry a secret each, the last is clean.
    /// Returns each branch's tip.
    func threeBranches(_ repo: HookFixture) throws -> [(branch: String, tip: String)] {
        var tips: [(String, String)] = []
        for (branch, file) in [("a-first", "first.env"), ("b-middle", "middle.env"), ("c-last", "")] {
            try repo.git("checkout", "-q", "main")
            try repo.git("checkout", "-q", "-b", branch)
            if file.isEmpty {
                try repo.write("notes.txt", "clean\n")
                try repo.git("add", "notes.txt")
                try repo.git("commit", "-q", "--no-verify", "-m", "notes")
            } else {
                try commitSecret(repo, file: file)
            }
            tips.append((branch, try repo.head()))
        }
        return tips
    }

    @Test func severalRefsInOnePushAreAllChecked() throws {
        let (repo, remote) = try repository()
        _ = try threeBranches(repo)
        let blocked = try repo.gitResult(["push", "-q", "origin", "a-first", "b-middle", "c-last"])
        #expect(blocked.status != 0)
        // Both secrets are reported, whichever order git lists the refs in.
        #expect(blocked.stderr.contains("first.env:1"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("middle.env:1"), "\(blocked.stderr)")
        let entry = try #require(try repo.auditEntries().last)
        #expect((entry["refs"] as? [String])?.count == 3)
        #expect(try Run.git(["branch", "--list"], in: remote.path()).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "main")
    }

    @Test func everyStandardInputLineIsScannedNotOnlyTheLast() throws {
        let (repo, _) = try repository()
        let zero = String(repeating: "0", count: 40)
        let lines = try threeBranches(repo).map { "refs/heads/\($0.branch) \($0.tip) refs/heads/\($0.branch) \(zero)\n" }
        // Secrets on the first and the middle line, the last line clean.
        let all = try repo.keywarden(["hook", "run", "pre-push", "origin", "url"], stdin: lines.joined())
        #expect(all.status == 1, "\(all.stderr)")
        #expect(all.stderr.contains("first.env:1"), "the first ref is scanned: \(all.stderr)")
        #expect(all.stderr.contains("middle.env:1"), "a middle ref is scanned: \(all.stderr)")
        #expect(all.stderr.contains("3 commits not yet on origin"), "\(all.stderr)")
        // The last line alone is clean: the block above came from the other lines.
        let last = try repo.keywarden(["hook", "run", "pre-push", "origin", "url"], stdin: lines[2])
        #expect(last.status == 0, "\(last.stderr)")
    }

    @Test func standardInputLinesDirectly() throws {
        let (repo, _) = try repository()
        let head = try repo.head()
        let zero40 = String(repeating: "0", count: 40), zero64 = String(repeating: "0", count: 64)
        // Deletions, SHA-1 and SHA-256 lengths: nothing to scan.
        for zero in [zero40, zero64] {
            let r = try repo.keywarden(["hook", "run", "pre-push", "origin", "url"],
                                       stdin: "(delete) \(zero) refs/heads/gone \(head)\n")
            #expect(r.status == 0, "\(r.stderr)")
        }
        // A new ref whose remote id is 64 zeros (a SHA-256 remote) is a new ref, not an unknown commit.
        try repo.git("checkout", "-q", "-b", "feature")
        try commitSecret(repo)
        let tip = try repo.head()
        let r = try repo.keywarden(["hook", "run", "pre-push", "origin", "url"],
                                   stdin: "refs/heads/feature \(tip) refs/heads/feature \(zero64)\n")
        #expect(r.status == 1)
        // Garbage in: fail closed.
        let bad = try repo.keywarden(["hook", "run", "pre-push", "origin", "url"], stdin: "not a push line\n")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("pre-push input line 1"))
    }
}
