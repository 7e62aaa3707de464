import Foundation
import Testing
import TestSupport

/// The edges of git sources through the real binary (issue 15): submodules and nested repositories,
/// depth-limited clones, a sparse index, blobs over the size limit. Repositories are built at test time.
@Suite struct GitEdgeTests {
    let env = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]

    func repository(_ prefix: String = "keywarden-gitedge") throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory(prefix: prefix)
        try Run.git(["init", "-q", "-b", "main", "."], in: dir.path())
        try dir.write("readme.txt", "hello\n")
        try commit(dir, "base")
        return dir
    }

    func commit(_ dir: TemporaryDirectory, _ message: String, in sub: String = "") throws {
        try Run.git(["add", "-A"], in: dir.path(sub))
        try Run.git(["commit", "-q", "--allow-empty", "-m", message], in: dir.path(sub))
    }

    func json(_ run: ProcessResult) throws -> (findings: [[String: Any]], summary: [String: Any]) {
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return (try #require(object?["findings"] as? [[String: Any]]), try #require(object?["summary"] as? [String: Any]))
    }

    func scan(_ arguments: [String], in dir: TemporaryDirectory, sub: String = "",
              extra: [String: String] = [:]) throws -> ProcessResult {
        try Run.keywarden(["scan", "--format", "json"] + arguments, in: dir.path(sub), environment: env.merging(extra) { $1 })
    }

    func secret(_ id: Int) -> String { "MAINTAINX_API_KEY=\(FakeKeys.maintainX(userID: id))\n" }

    // MARK: submodules and nested repositories

    /// A superproject with a checked-out submodule `lib` and an untracked nested repository `vendor/inner`,
    /// each holding a key; the superproject itself is clean.
    func superproject() throws -> TemporaryDirectory {
        let library = try repository("keywarden-gitedge-lib")
        try library.write("config.env", secret(3101))
        try commit(library, "library key")
        let top = try repository("keywarden-gitedge-top")
        try Run.git(["-c", "protocol.file.allow=always", "submodule", "add", "-q", library.path(), "lib"], in: top.path())
        try commit(top, "add lib")
        try Run.git(["init", "-q", "-b", "main", "vendor/inner"], in: top.path())
        try top.write("vendor/inner/app.env", secret(3102))
        try commit(top, "inner key", in: "vendor/inner")
        return top
    }

    @Test func submodulesAndNestedRepositoriesAreNotedAsNotScanned() throws {
        let top = try superproject()
        let run = try scan([], in: top)
        #expect(run.status == 0, "\(run.stderr)")
        let skipped = try #require(try json(run).summary["skipped"] as? [String])
        #expect(skipped.contains("lib: submodule not scanned (--recurse-submodules scans it)"), "\(skipped)")
        #expect(skipped.contains("vendor/inner: nested git repository not scanned (--recurse-submodules scans it)"), "\(skipped)")
        // The text summary lists them too.
        let text = try Run.keywarden(["scan"], in: top.path(), environment: env)
        #expect(text.stderr.contains("keywarden: skipped lib: submodule not scanned"), "\(text.stderr)")
        #expect(text.stderr.contains("keywarden: skipped vendor/inner: nested git repository not scanned"), "\(text.stderr)")
    }

    @Test func recurseSubmodulesScansThemUnderTheirPaths() throws {
        let top = try superproject()
        let run = try scan(["--recurse-submodules"], in: top)
        #expect(run.status == 1, "\(run.stderr)")
        let (findings, summary) = try json(run)
        #expect(Set(findings.compactMap { $0["path"] as? String }) == ["lib/config.env", "vendor/inner/app.env"])
        #expect((summary["skipped"] as? [String] ?? []).isEmpty)
        // Named by a path from a subdirectory: the paths are relative to what was named.
        try FileManager.default.createDirectory(atPath: top.path("docs"), withIntermediateDirectories: true)
        let fromBelow = try scan(["--recurse-submodules", "../lib", "../vendor"], in: top, sub: "docs")
        #expect(Set(try json(fromBelow).findings.compactMap { $0["path"] as? String }) == ["../lib/config.env", "../vendor/inner/app.env"])
    }

    @Test func aSubmoduleNotCheckedOutIsNotedEvenWhenRecursing() throws {
        let top = try superproject()
        let clone = try TemporaryDirectory(prefix: "keywarden-gitedge-clone")
        try Run.git(["clone", "-q", top.path(), "c"], in: clone.path())
        let run = try scan(["--recurse-submodules"], in: clone, sub: "c")
        #expect(run.status == 0, "\(run.stderr)")
        let skipped = try #require(try json(run).summary["skipped"] as? [String])
        #expect(skipped.contains { $0.hasPrefix("lib: submodule not checked out") }, "\(skipped)")
    }

    @Test func recurseSubmodulesGoesWithWorkTreeScansOnly() throws {
        let top = try repository()
        for mode in [["--staged"], ["--history"], ["--range", "HEAD"], ["--no-git"]] {
            let run = try scan(["--recurse-submodules"] + mode, in: top)
            #expect(run.status == 2, "\(mode): \(run.stderr)")
            #expect(run.stderr.contains("--recurse-submodules goes with a work-tree scan only"), "\(run.stderr)")
        }
    }

    // MARK: depth-limited clones

    @Test func rangesAndHistoryWorkInAShallowClone() throws {
        let origin = try repository()
        for i in 1...3 {
            try origin.write("notes\(i).txt", "note \(i)\n")
            try commit(origin, "note \(i)")
        }
        try origin.write("app.env", secret(3201))
        try commit(origin, "a key")
        let holder = try TemporaryDirectory(prefix: "keywarden-gitedge-shallow")
        try Run.git(["clone", "-q", "--depth", "2", "file://" + origin.path(), "s"], in: holder.path())

        let range = try scan(["--range", "HEAD~1..HEAD"], in: holder, sub: "s")
        #expect(range.status == 1, "\(range.stderr)")
        #expect(try json(range).findings.map { $0["path"] as? String } == ["app.env"])

        // Everything the clone holds: the boundary commit counts as a root, with a warning saying so.
        let all = try scan(["--range", "HEAD"], in: holder, sub: "s")
        #expect(all.status == 1, "\(all.stderr)")
        let warnings = try #require(try json(all).summary["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("at the shallow boundary") }, "\(warnings)")

        // The pre-push hook of a shallow clone: a new branch with a key, pushed for the first time.
        try Run.git(["checkout", "-q", "-b", "feature"], in: holder.path("s"))
        try holder.write("s/feature.env", secret(3202))
        try commit(holder, "feature key", in: "s")
        let tip = try Run.git(["rev-parse", "HEAD"], in: holder.path("s")).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let zero = String(repeating: "0", count: 40)
        let push = try Run.keywarden(["hook", "run", "pre-push", "origin", "url"], in: holder.path("s"),
                                     stdin: "refs/heads/feature \(tip) refs/heads/feature \(zero)\n", environment: env)
        #expect(push.status == 1, "\(push.stderr)")
        #expect(push.stderr.contains("feature.env:1"), "\(push.stderr)")
        #expect(!push.stderr.contains("app.env"), "a commit the remote has was scanned again: \(push.stderr)")

        let history = try scan(["--history"], in: holder, sub: "s")
        #expect(history.status == 1, "\(history.stderr)")
        #expect((try json(history).summary["warnings"] as? [String] ?? []).contains { $0.hasPrefix("shallow clone") })
    }

    // MARK: sparse index

    /// A cone-mode sparse checkout of `a/` with a sparse index (`b/` is one directory entry).
    func sparseRepository() throws -> TemporaryDirectory {
        let dir = try repository()
        try dir.write("a/x.txt", "x\n")
        try dir.write("b/y.txt", "y\n")
        try dir.write("b/deep/z.txt", "z\n")
        try commit(dir, "two folders")
        try Run.git(["config", "index.sparse", "true"], in: dir.path())
        try Run.git(["sparse-checkout", "init", "--cone", "--sparse-index"], in: dir.path())
        try Run.git(["sparse-checkout", "set", "a"], in: dir.path())
        let listed = try Run.git(["ls-files", "--sparse"], in: dir.path()).stdout
        try #require(listed.split(separator: "\n").contains("b/"), "not a sparse index: \(listed)")
        return dir
    }

    @Test func stagedScansWorkWithASparseIndex() throws {
        let dir = try sparseRepository()
        try dir.write("a/new.env", secret(3301))
        try Run.git(["add", "a/new.env"], in: dir.path())
        let run = try scan(["--staged"], in: dir)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(try json(run).findings.map { $0["path"] as? String } == ["a/new.env"])

        // A deletion beside the addition takes the general path (rename detection), on the expanded index.
        try Run.git(["rm", "-q", "a/x.txt"], in: dir.path())
        let general = try scan(["--staged"], in: dir)
        #expect(general.status == 1, "\(general.stderr)")
        #expect(try json(general).findings.map { $0["path"] as? String } == ["a/new.env"])

        // GIT_INDEX_FILE naming a sparse index, and the work-tree scan, read it too.
        try FileManager.default.copyItem(atPath: dir.path(".git/index"), toPath: dir.path(".git/index.copy"))
        let copy = try scan(["--staged"], in: dir, extra: ["GIT_INDEX_FILE": dir.path(".git/index.copy")])
        #expect(copy.status == 1, "\(copy.stderr)")
        let tree = try scan([], in: dir)
        #expect(tree.status == 1, "\(tree.stderr)")
        #expect(try json(tree).findings.map { $0["path"] as? String } == ["a/new.env"])
    }

    @Test func aSparseDirectoryThatDiffersFromHEADIsExpanded() throws {
        let dir = try sparseRepository()
        // A commit that adds a key under b/ (outside the cone), then a soft reset: the index's b/ entry
        // is the new tree, HEAD's is the old one, so the key is staged inside the sparse directory.
        try Run.git(["sparse-checkout", "disable"], in: dir.path())
        try dir.write("b/deep/key.env", secret(3302))
        try commit(dir, "key in b")
        try Run.git(["sparse-checkout", "set", "--cone", "--sparse-index", "a"], in: dir.path())
        try Run.git(["reset", "-q", "--soft", "HEAD~1"], in: dir.path())
        try #require(try Run.git(["ls-files", "--sparse"], in: dir.path()).stdout.split(separator: "\n").contains("b/"))
        let run = try scan(["--staged"], in: dir)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(try json(run).findings.map { $0["path"] as? String } == ["b/deep/key.env"])
    }

    // MARK: blobs over the size limit

    /// `--staged` and `--range` read a blob's size from its header: 200 MB of one letter (a few hundred KB
    /// in git) over `--max-file-size` is skipped with a note and never inflated (issue 14), also when it is
    /// renamed with an edit (rename detection would read both versions whole).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time")))
    func stagedAndRangeNeverInflateABlobOverTheLimit() throws {
        let dir = try repository()
        let size = 200 << 20
        FileManager.default.createFile(atPath: dir.path("bomb.txt"), contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir.path("bomb.txt")))
        let block = Data(repeating: 0x61, count: 1 << 20)
        for _ in 0..<(size >> 20) { handle.write(block) }
        try handle.close()
        try Run.git(["add", "bomb.txt"], in: dir.path())
        func peak(_ arguments: [String]) throws -> (ProcessResult, Int) {
            let r = try Run.program("/usr/bin/time", ["-f", "maxrss=%M", Run.keywardenPath, "scan", "--max-file-size", "1M"] + arguments,
                                    in: dir.path(), environment: env)
            let line = try #require(r.stderr.split(separator: "\n").last { $0.hasPrefix("maxrss=") })
            return (r, try #require(Int(line.dropFirst("maxrss=".count))))
        }
        let (staged, stagedPeak) = try peak(["--staged"])
        #expect(staged.status == 0, "\(staged.stderr)")
        #expect(staged.stderr.contains("skipped bomb.txt: larger than the size limit"), "\(staged.stderr)")
        #expect(stagedPeak < size >> 10, "peak memory \(stagedPeak) KB: the staged blob was inflated")
        try commit(dir, "bomb")
        // Renamed with an edit: a deletion and an addition that libgit2 would compare whole.
        try Run.git(["mv", "bomb.txt", "renamed.txt"], in: dir.path())
        let edit = try FileHandle(forWritingTo: URL(fileURLWithPath: dir.path("renamed.txt")))
        try edit.seekToEnd()
        edit.write(Data("one more line\n".utf8))
        try edit.close()
        try Run.git(["add", "-A"], in: dir.path())
        let (renamed, renamedPeak) = try peak(["--staged"])
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(renamed.stderr.contains("skipped renamed.txt: larger than the size limit"), "\(renamed.stderr)")
        #expect(renamedPeak < size >> 10, "peak memory \(renamedPeak) KB: the renamed blobs were inflated")
        try commit(dir, "renamed")
        try FileManager.default.removeItem(atPath: dir.path("renamed.txt"))
        let (range, rangePeak) = try peak(["--range", "HEAD~2..HEAD"])
        #expect(range.status == 0, "\(range.stderr)")
        #expect(range.stderr.contains("bomb.txt in "), "\(range.stderr)")
        #expect(range.stderr.contains("renamed.txt in "), "\(range.stderr)")
        #expect(rangePeak < size >> 10, "peak memory \(rangePeak) KB: a committed blob was inflated")
    }

    /// An input over 4 GiB (a sparse file: no disk used; text for its first 8 KB, so it does not look
    /// binary) is skipped with a note even when the size limit allows it, never a trap; the other files
    /// are still scanned (issue 18).
    @Test func anInputOver4GiBIsSkippedWithANote() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-gitedge-huge")
        let big = dir.path("huge.log")
        try dir.write("huge.log", String(repeating: "log line\n", count: 1024))
        #expect(truncate(big, (4 << 30) + 4096) == 0)
        try dir.write("app.env", secret(3401))
        let run = try Run.keywarden(["scan", "--no-git", "--format", "json", "--max-file-size", "8G", "."], in: dir.path(), environment: env)
        #expect(run.status == 1, "\(run.stderr)")
        let (findings, summary) = try json(run)
        #expect(findings.map { $0["path"] as? String } == ["app.env"])
        let skipped = try #require(summary["skipped"] as? [String])
        #expect(skipped.contains { $0.hasPrefix("huge.log: larger than 4 GiB") }, "\(skipped)")
    }
}
