import Foundation
@testable import GitRepository
import Testing
import TestSupport

/// The index-reading fast path must give exactly what libgit2's tree-to-index diff gives.
@Suite struct StagedFastPathTests {
    func text(_ lines: [String]) -> String { lines.map { $0 + "\n" }.joined() }

    func summary(_ c: StagedChanges) -> [String] {
        c.files.map { "\($0.path) \($0.kind) \($0.blob.hex) \($0.addedLines)" }
            + c.skipped.map { "skipped \($0.path) \($0.reason)" }
    }

    /// Asserts the fast path applies and agrees with libgit2.
    func expectSame(_ f: Fixture, environment: [String: String] = [:], pathspec: [String] = [],
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let repo = try f.open(environment: environment)
        let fast = try #require(try repo.stagedFast(pathspec: pathspec), sourceLocation: sourceLocation)
        let slow = try repo.stagedChangesWithLibgit2(pathspec: pathspec)
        #expect(summary(fast).sorted() == summary(slow).sorted(), sourceLocation: sourceLocation)
        #expect(!fast.files.isEmpty || !fast.skipped.isEmpty, sourceLocation: sourceLocation)
    }

    func populated() throws -> Fixture {
        let f = try Fixture()
        var files: [String: String] = [:]
        for d in ["a", "b", "b/c", "b/c/d", "e.f", "e"] {
            for n in 1...3 { files["\(d)/file\(n).txt"] = text((1...6).map { "\(d) \(n) line \($0)" }) }
        }
        files["top.txt"] = "top\n"
        files["e-"] = "dash\n"
        try f.commit("base", files)
        return f
    }

    @Test func modificationsAdditionsAndPartialStagingInNestedDirectories() throws {
        let f = try populated()
        try f.write("b/c/d/file2.txt", text(["new first"] + (1...6).map { "b/c/d 2 line \($0)" } + ["new last"]))
        try f.write("b/c/new.txt", "brand new\n")
        try f.write("e.f/file1.txt", text(["changed"]))
        try f.write("zzz/added.txt", "z\n")
        try f.git("add", ".")
        try f.write("a/file1.txt", "unstaged edit\n")
        try expectSame(f)
        try expectSame(f, pathspec: ["b/c"])
    }

    @Test func beforeTheFirstCommit() throws {
        let f = try Fixture()
        try f.write("x/y.txt", "y\n")
        try f.write("x.txt", "x\n")
        try f.git("add", ".")
        try expectSame(f)
    }

    @Test func aFreshWriteTreeCacheIsUsedAndStillRight() throws {
        let f = try populated()
        try f.write("b/c/file3.txt", text(["only change"]))
        try f.git("add", ".")
        try f.git("write-tree")   // every cached tree valid again, root included
        try expectSame(f)
    }

    @Test func modeChangesSymlinksSubmodulesAndBinaryFiles() throws {
        let inner = try Fixture()
        try inner.commit("inner", ["i.txt": "i\n"])
        let f = try populated()
        try f.git("update-index", "--chmod=+x", "a/file1.txt")
        try FileManager.default.createSymbolicLink(atPath: f.directory.path("link"), withDestinationPath: "top.txt")
        try f.write("bin.dat", bytes: [1, 0, 2])
        try f.write("a/file2.txt", text(["edited"]))
        try f.git("add", "link", "bin.dat", "a/file2.txt")
        try f.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", inner.root, "b/sub")
        try expectSame(f)
    }

    @Test func aVersion4IndexAndAnAlternateIndexFile() throws {
        let f = try populated()
        try f.git("update-index", "--index-version", "4")
        try f.write("b/c/d/file1.txt", text(["v4"]))
        try f.git("add", ".")
        try expectSame(f)
        let alternate = f.directory.path("alt-index")
        try f.git("read-tree", "HEAD", environment: ["GIT_INDEX_FILE": alternate])
        try f.write("e/file1.txt", text(["alt"]))
        try f.git("add", "e/file1.txt", environment: ["GIT_INDEX_FILE": alternate])
        try expectSame(f, environment: ["GIT_INDEX_FILE": alternate])
    }

    @Test func renamesFallBackToLibgit2() throws {
        let f = try populated()
        try f.git("mv", "top.txt", "moved.txt")
        #expect(try f.open().stagedFast(pathspec: []) == nil)
    }

    @Test func aMergeConflictInTheIndexFallsBackToLibgit2() throws {
        let f = try populated()
        try f.git("checkout", "-q", "-b", "other")
        try f.commit("other side", ["a/file1.txt": "other side\n"])
        try f.git("checkout", "-q", "main")
        try f.commit("this side", ["a/file1.txt": "this side\n"])
        // Stage an unrelated change as well, so that the fast path would have something to report.
        try f.write("b/file1.txt", "staged edit\n")
        try f.git("add", "b/file1.txt")
        #expect(try f.open().stagedFast(pathspec: []) != nil, "without a conflict the fast path applies")
        try f.git("commit", "-q", "-m", "staged edit")
        #expect(throws: GitFailure.self) { try f.git("merge", "-q", "other") }
        let index = try f.git("ls-files", "--stage", "a/file1.txt")
        #expect(index.contains(" 1\ta/file1.txt") && index.contains(" 2\ta/file1.txt"), "a conflicted entry: \(index)")
        #expect(try f.open().stagedFast(pathspec: []) == nil)
    }

    /// A sparse index (cone `b`, so `a/`, `e/`, `e.f/` are sparse directory entries): the fast path reads
    /// it and agrees with libgit2 working on the expanded in-memory copy, which also lists every file of
    /// the sparse directories as tracked.
    @Test func aSparseIndexIsReadByBothPaths() throws {
        let f = try populated()
        try f.git("config", "index.sparse", "true")
        try f.git("sparse-checkout", "init", "--cone", "--sparse-index")
        try f.git("sparse-checkout", "set", "b")
        try #require(try f.git("ls-files", "--sparse").split(separator: "\n").contains("a/"), "not a sparse index")
        try f.write("b/c/file1.txt", text(["sparse edit"]))
        try f.write("b/new.txt", "new\n")
        try f.git("add", "b")
        try expectSame(f)
        let repo = try f.open()
        let tracked = try repo.indexEntries().map(\.path)
        #expect(tracked.contains("a/file1.txt") && tracked.contains("e.f/file3.txt") && !tracked.contains("a/"), "\(tracked)")
        #expect(try repo.isTracked(f.directory.path("e/file2.txt")))
    }
}
