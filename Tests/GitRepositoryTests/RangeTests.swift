import Foundation
import GitRepository
import Testing
import TestSupport

@Suite struct RangeTests {
    func text(_ lines: [String]) -> String { lines.map { $0 + "\n" }.joined() }

    @Test func commitsInARangeComeOldestFirstWithTheirMetadata() throws {
        let f = try Fixture()
        let base = try f.commit("base", ["a.txt": "a\n"], date: 1_700_000_000)
        let second = try f.commit("second\n\nbody text", ["b.txt": "b\n"], date: 1_700_003_600)
        let third = try f.commit("third", ["c.txt": "c\n"], date: 1_700_007_200)
        let repo = try f.open()
        let commits = try repo.commits(inRange: "\(base)..HEAD")
        #expect(commits.map(\.id.hex) == [second, third])
        #expect(commits[0].summary == "second")
        #expect(commits[0].authorName == "Test Author")
        #expect(commits[0].authorEmail == "author@example.com")
        #expect(commits[0].authorTime == 1_700_003_600)
        #expect(commits[0].authorTimeZoneMinutes == 0)
        #expect(try repo.commits(since: base).map(\.id.hex) == [second, third])
        #expect(try repo.commits(inRange: "HEAD").count == 3)
    }

    @Test func anUnknownRevisionIsAClearError() throws {
        let f = try Fixture()
        try f.commit("base", ["a.txt": "a\n"])
        let error = #expect(throws: GitError.self) { try f.open().commits(inRange: "nope..HEAD") }
        #expect(error?.code == .invalidRevision)
        #expect(error?.message.contains("nope..HEAD") == true)
    }

    @Test func eachCommitListsTheLinesItAdded() throws {
        let f = try Fixture()
        let root = try f.commit("root", ["a.txt": text(["one", "two"])])
        try f.write("a.txt", text(["one", "inserted", "two"]))
        try f.git("add", "a.txt")
        let next = try f.commit("insert")
        let repo = try f.open()
        let rootChanges = try repo.changes(in: try #require(ObjectID(hex: root)))
        #expect(rootChanges.files.map(\.path) == ["a.txt"])
        #expect(rootChanges.files.first?.addedLines == [1...2])
        #expect(rootChanges.commit.summary == "root")
        let nextChanges = try repo.changes(in: try #require(ObjectID(hex: next)))
        #expect(nextChanges.files.first?.addedLines == [2...2])
        #expect(nextChanges.files.first?.kind == .modified)
    }

    @Test func aMergeListsOnlyWhatTheMergeItselfIntroduced() throws {
        let f = try Fixture()
        try f.commit("base", ["shared.txt": text(["one", "two", "three"])])
        try f.git("checkout", "-q", "-b", "feature")
        try f.commit("feature", ["feature.txt": "from the branch\n"])
        try f.git("checkout", "-q", "main")
        try f.commit("main", ["main.txt": "on main\n"])
        try f.git("merge", "-q", "--no-ff", "--no-commit", "feature")
        // An "evil merge": an edit made in the merge commit itself.
        try f.write("shared.txt", text(["one", "two", "three", "added in the merge"]))
        try f.git("add", "shared.txt")
        let merge = try f.commit("merge feature")
        let changes = try f.open().changes(in: try #require(ObjectID(hex: merge)))
        #expect(changes.files.map(\.path) == ["shared.txt"])
        #expect(changes.files.first?.addedLines == [4...4])
        #expect(changes.commit.parentCount == 2)
    }

    @Test func binaryFilesInACommitAreSkipped() throws {
        let f = try Fixture()
        try f.write("blob.bin", bytes: [0, 1, 2, 3, 0, 255])
        try f.git("add", "blob.bin")
        let commit = try f.commit("binary")
        let changes = try f.open().changes(in: try #require(ObjectID(hex: commit)))
        #expect(changes.files.isEmpty)
        #expect(changes.skipped == [SkippedFile(path: "blob.bin", reason: .binary)])
    }
}
