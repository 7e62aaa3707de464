import Foundation
import Testing
import TestSupport

/// The block message's advice fits the file, the repository and the key: real `git commit` and `git push` runs.
@Suite struct AdviceTests {
    @Test func aDotenvFileIsToBeKeptOutOfGitNotEdited() throws {
        let repo = try HookFixture()
        try repo.write(".env", HookFixture.secretLine().line)
        try repo.git("add", ".env")
        let blocked = try repo.commit()
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains(".env is a dotenv file: it should never be committed"))
        #expect(blocked.stderr.contains("echo '.env' >> .gitignore && git rm --cached .env"))
        #expect(!blocked.stderr.contains("Take the value out of the file"))
    }

    @Test func anOrdinaryFileIsEditedAndUnstagedWithRestore() throws {
        let repo = try HookFixture()
        try repo.write("settings.py", HookFixture.secretLine().line)
        try repo.git("add", "settings.py")
        let blocked = try repo.commit()
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("Take the value out of the file and stage it again: edit, then git add settings.py"))
        #expect(blocked.stderr.contains("git restore --staged settings.py"))
        #expect(!blocked.stderr.contains("never be committed"))
    }

    @Test func beforeTheFirstCommitTheAdviceIsRmCached() throws {
        let repo = try HookFixture(empty: true)
        try repo.write("settings.py", HookFixture.secretLine().line)
        try repo.git("add", "settings.py")
        let blocked = try repo.commit()
        #expect(blocked.status == 1)
        #expect(try repo.commitCount() == 0)
        #expect(blocked.stderr.contains("git rm --cached settings.py; there is no commit yet"))
        #expect(!blocked.stderr.contains("git restore --staged settings.py"))
        // The advice works: the file leaves the index and stays on disk.
        try repo.git("rm", "-q", "--cached", "settings.py")
        #expect(FileManager.default.fileExists(atPath: repo.dir.path("settings.py")))
    }

    @Test func aMaintainXKeysAgeAndATrackedKeysDueDateAreShown() throws {
        let repo = try HookFixture()
        // Issued 2025-01-01; "today" is 2026-11-23 in the fixture.
        let key = FakeKeys.maintainX(userID: 51_234, issuedAt: 1_735_689_600)
        let added = try repo.keywarden(["keys", "add", "maintainx-prod", "--env", "prod", "--stdin"], stdin: key + "\n")
        #expect(added.status == 0, "\(added.stderr)")
        try repo.write("settings.py", "MAINTAINX_API_KEY=\(key)\n")
        try repo.git("add", "settings.py")
        let blocked = try repo.commit()
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("key created 2025-01-01 (691 days ago)"))
        #expect(blocked.stderr.contains("tracked key maintainx-prod: stale: not rotated in 691 days; was due 2025-04-01"))
        #expect(!blocked.stderr.contains(key))
    }

    @Test func preCommitFrameworkOverFilesSaysFilesNotCommit() throws {
        let repo = try HookFixture(install: false)
        try repo.write("settings.py", HookFixture.secretLine().line)
        try repo.write("notes.txt", "clean\n")
        // As `pre-commit run --all-files` calls it: file names, no GIT_INDEX_FILE.
        let run = try repo.keywarden(["hook", "run", "pre-commit", "settings.py", "notes.txt"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("keywarden: 1 secret found in 2 files"))
        #expect(run.stderr.contains("Take the value out of the file: edit settings.py"))
        #expect(!run.stderr.contains("commit blocked"))
        #expect(!run.stderr.contains("git restore --staged"))
        #expect(!run.stderr.contains("git commit --no-verify"))
    }

    @Test func prePushAdviceNamesTheCommit() throws {
        let repo = try HookFixture(installArguments: ["--pre-push"])
        let remote = try TemporaryDirectory(prefix: "keywarden-hook-remote")
        repo.keepAlive.append(remote)
        try repo.git("init", "-q", "--bare", remote.path())
        try repo.git("remote", "add", "origin", remote.path())
        try repo.git("push", "-q", "origin", "main")
        try repo.write("settings.py", HookFixture.secretLine().line)
        try repo.git("add", "settings.py")
        try repo.git("commit", "-q", "--no-verify", "-m", "add settings")
        let older = String(try repo.head().prefix(12))
        try repo.write("notes.txt", "later\n")
        try repo.git("add", "notes.txt")
        try repo.git("commit", "-q", "-m", "later")
        let blocked = try repo.gitResult(["push", "-q", "origin", "main"])
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("git rebase -i \(older)^"))
        #expect(!blocked.stderr.contains("<commit>"))

        // The secret in the last commit: amend.
        try repo.git("reset", "-q", "--hard", "HEAD~2")
        try repo.write(".env", HookFixture.secretLine().line)
        try repo.git("add", ".env")
        try repo.git("commit", "-q", "--no-verify", "-m", "add env")
        let last = String(try repo.head().prefix(12))
        let amend = try repo.gitResult(["push", "-q", "origin", "main"])
        #expect(amend.status != 0)
        #expect(amend.stderr.contains("Take the value out of commit \(last) (your last commit): git rm --cached .env"))
        #expect(amend.stderr.contains("git commit --amend"))
    }
}
