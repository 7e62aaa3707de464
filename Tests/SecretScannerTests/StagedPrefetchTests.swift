import Foundation
import GitRepository
import SecretScanner
import Testing
import TestSupport

/// `scan --staged` reads the staged changes on another thread while the rules load: what it scans is what
/// reading them in place gives, and a failure is the same error.
@Suite struct StagedPrefetchTests {
    @Test func prefetchedChangesScanLikeChangesReadInPlace() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-prefetch")
        try Run.git(["init", "-q", "-b", "main", "."], in: dir.path())
        try dir.write("app.env", "NAME=app\n")
        try Run.git(["add", "-A"], in: dir.path())
        try Run.git(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "base"], in: dir.path())
        try dir.write("app.env", "NAME=app\nGITHUB_TOKEN=\(FakeKeys.githubToken())\n")
        try dir.write("other.env", "MAINTAINX_API_KEY=\(FakeKeys.maintainX())\n")
        try Run.git(["add", "-A"], in: dir.path())

        let session = Engine.builtIn
        let repository = try GitRepository.open(currentDirectory: dir.path())
        let inPlace = session.scanStaged(try repository.stagedChanges(paths: ["app.env"], currentDirectory: dir.path(), maxBlobSize: 1 << 20))
        let (_, changes) = try StagedPrefetch(paths: ["app.env"], maxBlobSize: 1 << 20, directory: dir.path()).result()
        let prefetched = session.scanStaged(changes)
        #expect(!inPlace.findings.isEmpty)
        #expect(prefetched.findings.map(\.description) == inPlace.findings.map(\.description))
        #expect(prefetched.findings.allSatisfy { $0.path == "app.env" })
    }

    @Test func aDirectoryOutsideARepositoryGivesTheSameError() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-prefetch-plain")
        let prefetch = StagedPrefetch(paths: [], maxBlobSize: 1 << 20, directory: dir.path())
        #expect(throws: GitError.self) { try prefetch.result() }
        do { _ = try prefetch.result() } catch { #expect(error.code == .notARepository, "\(error.message)") }
    }
}
