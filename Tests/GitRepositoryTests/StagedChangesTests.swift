import Foundation
import GitRepository
import Testing
import TestSupport

@Suite struct StagedChangesTests {
    func text(_ lines: [String]) -> String { lines.map { $0 + "\n" }.joined() }

    func file(_ changes: StagedChanges, _ path: String) -> ChangedFile? { changes.files.first { $0.path == path } }

    @Test func partialStagingScansTheStagedVersionOnly() throws {
        let f = try Fixture()
        try f.commit("base", ["config.txt": text(["one", "two", "three"])])
        let staged = "token = " + FakeKeys.alnum(32)
        let unstaged = "other = " + FakeKeys.alnum(32)
        try f.write("config.txt", text(["one", "two", "three", staged]))
        try f.git("add", "config.txt")
        try f.write("config.txt", text(["one", "two", "three", staged, unstaged]))

        let changes = try f.open().stagedChanges()
        let changed = try #require(file(changes, "config.txt"))
        #expect(changed.kind == .modified)
        #expect(changed.addedLines == [4...4])
        #expect(String(decoding: changed.content, as: UTF8.self) == text(["one", "two", "three", staged]))
        #expect(changed.blob.hex == (try f.blobID(":config.txt")))
    }

    @Test func honoursGitIndexFile() throws {
        let f = try Fixture()
        try f.commit("base", ["a.txt": "a\n"])
        let alternate = f.directory.path("alternate-index")
        let env = ["GIT_INDEX_FILE": alternate]
        try f.git("read-tree", "HEAD", environment: env)
        try f.write("b.txt", "only in the alternate index\n")
        try f.git("add", "b.txt", environment: env)

        #expect(try f.open().stagedChanges().files.isEmpty)
        let viaEnvironment = try f.open(environment: env).stagedChanges()
        #expect(viaEnvironment.files.map(\.path) == ["b.txt"])
        // A relative GIT_INDEX_FILE is taken from the current directory, as git does.
        let relative = try f.open(environment: ["GIT_INDEX_FILE": "alternate-index"]).stagedChanges()
        #expect(relative.files.map(\.path) == ["b.txt"])
    }

    @Test func worksBeforeTheFirstCommit() throws {
        let f = try Fixture()
        try f.write("new.txt", text(["alpha", "beta"]))
        try f.write("dir/other.txt", "gamma")
        try f.git("add", ".")
        let changes = try f.open().stagedChanges()
        #expect(changes.files.map(\.path) == ["dir/other.txt", "new.txt"])
        #expect(file(changes, "new.txt")?.addedLines == [1...2])
        #expect(file(changes, "dir/other.txt")?.addedLines == [1...1])
        #expect(changes.files.allSatisfy { $0.kind == .added })
    }

    @Test func addedLinesUseNewFileNumbersAndDeletionsAreNotListed() throws {
        let f = try Fixture()
        try f.commit("base", ["a.txt": text((1...10).map { "line \($0)" }), "gone.txt": "bye\n",
                              "shrink.txt": text(["keep", "drop", "keep too"])])
        // Delete lines 2-3, insert two lines after line 6, change line 9.
        var lines = (1...10).map { "line \($0)" }
        lines[8] = "changed nine"
        lines.insert(contentsOf: ["new A", "new B"], at: 6)
        lines.removeSubrange(1...2)
        try f.write("a.txt", text(lines))
        try f.write("shrink.txt", text(["keep", "keep too"]))
        try f.git("rm", "-q", "gone.txt")
        try f.git("add", "a.txt", "shrink.txt")
        let changes = try f.open().stagedChanges()
        #expect(changes.files.map(\.path) == ["a.txt"])
        // New file: line 1, 4, 5, 6, new A (5), new B (6) ... check by content.
        let changed = try #require(file(changes, "a.txt"))
        let newLines = String(decoding: changed.content, as: UTF8.self).split(separator: "\n").map(String.init)
        let added = newLines.indices.filter { changed.isAdded(line: $0 + 1) }.map { newLines[$0] }
        #expect(added == ["new A", "new B", "changed nine"])
    }

    @Test func aMultiLineKeyBlockIsOneAddedRange() throws {
        let f = try Fixture()
        try f.commit("base", ["deploy/key.pem.txt": text(["# deploy notes", "end"])])
        let block = [FakeKeys.join("-----BEGIN ", "OPENSSH PRIVATE", " KEY-----")]
            + (0..<5).map { _ in FakeKeys.alnum(64) }
            + [FakeKeys.join("-----END ", "OPENSSH PRIVATE", " KEY-----")]
        try f.write("deploy/key.pem.txt", text(["# deploy notes"] + block + ["end"]))
        try f.git("add", ".")
        let changed = try #require(file(try f.open().stagedChanges(), "deploy/key.pem.txt"))
        #expect(changed.addedLines == [2...8])
        #expect(changed.touchesAddedLine(1...2))
        #expect(!changed.touchesAddedLine(9...9))
        #expect(!changed.isAdded(line: 1))
    }

    @Test func aRenamedFileIsListedOnceWithOnlyItsEditedLines() throws {
        let f = try Fixture()
        let body = (1...20).map { "setting_\($0) = value \($0)" }
        try f.commit("base", ["old/name.cfg": text(body)])
        try FileManager.default.createDirectory(atPath: f.directory.path("new"), withIntermediateDirectories: true)
        try f.git("mv", "old/name.cfg", "new/name.cfg")
        var edited = body
        edited[10] = "setting_11 = " + FakeKeys.alnum(24)
        try f.write("new/name.cfg", text(edited))
        try f.git("add", "new/name.cfg")
        let changes = try f.open().stagedChanges()
        #expect(changes.files.count == 1)
        let changed = try #require(changes.files.first)
        #expect(changed.path == "new/name.cfg")
        #expect(changed.oldPath == "old/name.cfg")
        #expect(changed.kind == .renamed)
        #expect(changed.addedLines == [11...11])
    }

    @Test func aPureRenameHasNothingToScan() throws {
        let f = try Fixture()
        try f.commit("base", ["a.txt": text((1...5).map { "row \($0)" })])
        try f.git("mv", "a.txt", "b.txt")
        let changes = try f.open().stagedChanges()
        #expect(changes.files.isEmpty)
        #expect(changes.skipped.isEmpty)
    }

    @Test func binaryFilesAndLFSPointersAreSkippedWithAReason() throws {
        let f = try Fixture()
        try f.commit("base", ["readme.txt": "hi\n"])
        try f.write("image.bin", bytes: [0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3] + Array("key=\(FakeKeys.alnum(20))".utf8))
        try f.write("big.psd", "version https://git-lfs.github.com/spec/v1\noid sha256:\(FakeKeys.hex(64))\nsize 12345\n")
        try f.write("notes.txt", "plain\n")
        try f.git("add", ".")
        let changes = try f.open().stagedChanges()
        #expect(changes.files.map(\.path) == ["notes.txt"])
        #expect(changes.skipped == [SkippedFile(path: "big.psd", reason: .lfsPointer),
                                    SkippedFile(path: "image.bin", reason: .binary)])
    }

    @Test func submodulesAreSkippedWithAReason() throws {
        let inner = try Fixture()
        try inner.commit("inner", ["inner.txt": "x\n"])
        let f = try Fixture()
        try f.commit("outer", ["outer.txt": "y\n"])
        try f.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", inner.root, "vendor/lib")
        let changes = try f.open().stagedChanges()
        #expect(changes.files.map(\.path) == [".gitmodules"])
        #expect(changes.skipped == [SkippedFile(path: "vendor/lib", reason: .submodule)])
    }

    @Test func duringAMergeTheMergedFilesAreStaged() throws {
        let f = try Fixture()
        try f.commit("base", ["shared.txt": "base\n"])
        try f.git("checkout", "-q", "-b", "feature")
        try f.commit("feature work", ["feature/one.txt": "one\n", "feature/two.txt": "two\n"])
        try f.git("checkout", "-q", "main")
        try f.commit("main work", ["main.txt": "main\n"])
        try f.git("merge", "--no-ff", "--no-commit", "-q", "feature")
        let changes = try f.open().stagedChanges()
        #expect(changes.files.map(\.path) == ["feature/one.txt", "feature/two.txt"])
    }

    @Test func unresolvedConflictsAreSkipped() throws {
        let f = try Fixture()
        try f.commit("base", ["c.txt": "base\n"])
        try f.git("checkout", "-q", "-b", "other")
        try f.commit("other", ["c.txt": "other\n"])
        try f.git("checkout", "-q", "main")
        try f.commit("main", ["c.txt": "main\n"])
        _ = try? Run.git(["merge", "-q", "other"], in: f.root)
        let changes = try f.open().stagedChanges()
        #expect(changes.files.isEmpty)
        #expect(changes.skipped == [SkippedFile(path: "c.txt", reason: .conflict)])
    }

    @Test func worksWithADetachedHead() throws {
        let f = try Fixture()
        try f.commit("one", ["a.txt": "a\n"])
        try f.commit("two", ["a.txt": "a\nb\n"])
        try f.git("checkout", "-q", "--detach", "HEAD~1")
        try f.write("a.txt", "a\nc\n")
        try f.git("add", "a.txt")
        let changed = try #require(try f.open().stagedChanges().files.first)
        #expect(changed.addedLines == [2...2])
    }

    @Test func worksInALinkedWorktree() throws {
        let f = try Fixture()
        try f.commit("one", ["a.txt": "a\n"])
        let linked = try TemporaryDirectory()
        let linkedPath = linked.path("wt")
        try f.git("worktree", "add", "-q", linkedPath)
        try linked.write("wt/b.txt", "b\n")
        try Run.git(["add", "b.txt"], in: linkedPath)
        let repo = try GitRepository.open(at: linkedPath, environment: [:])
        #expect(try repo.stagedChanges().files.map(\.path) == ["b.txt"])
        #expect(try f.open().stagedChanges().files.isEmpty)
        // As a hook sees it: GIT_DIR names the worktree's git directory, the current directory is its root.
        let gitDir = try Run.git(["rev-parse", "--absolute-git-dir"], in: linkedPath).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let hookView = try GitRepository.open(environment: ["GIT_DIR": gitDir], currentDirectory: linkedPath)
        #expect(try hookView.stagedChanges().files.map(\.path) == ["b.txt"])
    }

    @Test func pathsRestrictTheChanges() throws {
        let f = try Fixture()
        try f.commit("base", ["keep.txt": "k\n"])
        try f.write("src/a.txt", "a\n")
        try f.write("src/b.txt", "b\n")
        try f.write("docs/c.txt", "c\n")
        try f.git("add", ".")
        let repo = try f.open()
        #expect(try repo.stagedChanges(paths: ["src"], currentDirectory: f.root).files.map(\.path) == ["src/a.txt", "src/b.txt"])
        #expect(try repo.stagedChanges(paths: ["docs/c.txt", "src/b.txt"], currentDirectory: f.root).files.map(\.path)
            == ["docs/c.txt", "src/b.txt"])
    }

    @Test func aBareRepositoryIsAnError() throws {
        let f = try Fixture(bare: true)
        let error = #expect(throws: GitError.self) { try f.open().stagedChanges() }
        #expect(error?.code == .bareRepository)
    }
}

/// libgit2 is loaded on first use; a library that is not libgit2, or none, is refused with the reason.
@Suite struct LibGit2LoadingTests {
    @Test func theProbeNamesWhatIsMissing() throws {
        let absent = try #require(GitRepository.probeLibrary("libkeywarden-absent.so.0"))
        #expect(absent.hasPrefix("libgit2 could not be loaded (") && absent.contains("libkeywarden-absent.so.0"))
        let other = try #require(GitRepository.probeLibrary("libz.so.1"))
        #expect(other == "libgit2 could not be loaded (libz.so.1 has no git_blob_free)")
        #expect(GitRepository.probeLibrary("libgit2.so.1.5") == nil)
    }
}
