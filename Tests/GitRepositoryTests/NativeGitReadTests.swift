import Foundation
@testable import GitRepository
import Testing
import SystemSupport
import TestSupport

/// Reading a repository without libgit2 (``GitLayout``, ``ObjectFiles``): it finds the repository git would,
/// reads objects byte for byte as git stores them, gives up (nil, `.unknown`, `.unavailable`) on anything
/// unusual instead of guessing, and a staged read of an ordinary repository never opens libgit2.
@Suite struct NativeGitReadTests {
    func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// What `git` writes to its standard output, as bytes (trees are binary).
    func gitBytes(_ arguments: [String], in directory: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        process.standardOutput = out
        let exit = try ProcessExit(launching: process)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        exit.wait()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "git \(arguments) failed"]) }
        return [UInt8](data)
    }

    // MARK: finding the repository

    @Test func aWorkTreeIsFoundFromASubdirectoryAsGitFindsIt() throws {
        let f = try Fixture()
        try f.commit("base", ["a/b/c.txt": "c\n"])
        let layout = try #require(GitLayout.discover(from: f.root + "/a/b", environment: [:]))
        let root = PathUtilities.canonical(f.root)
        #expect(layout.workTreeRoot == root)
        #expect(layout.gitDirectory == root + "/.git")
        #expect(layout.commonDirectory == root + "/.git")
        #expect(PathUtilities.canonical(trimmed(try Run.git(["rev-parse", "--absolute-git-dir"], in: f.root + "/a/b").stdout)) == layout.gitDirectory)
    }

    @Test func aLinkedWorkTreeSharesTheMainRepositorysObjects() throws {
        let f = try Fixture()
        try f.commit("base", ["x.txt": "x\n"])
        let other = try TemporaryDirectory(prefix: "keywarden-worktree")
        let path = other.path("wt")
        try f.git("worktree", "add", "-q", path)
        let layout = try #require(GitLayout.discover(from: path, environment: [:]))
        let main = PathUtilities.canonical(f.root) + "/.git"
        #expect(layout.workTreeRoot == PathUtilities.canonical(path))
        #expect(layout.gitDirectory == main + "/worktrees/wt")
        #expect(layout.commonDirectory == main)
    }

    @Test func anythingUnusualIsLeftToLibgit2() throws {
        let f = try Fixture()
        try f.commit("base", ["x.txt": "x\n"])
        #expect(GitLayout.discover(from: f.root, environment: [:]) != nil)
        for variable in GitLayout.discoveryVariables {
            #expect(GitLayout.discover(from: f.root, environment: [variable: f.root + "/.git"]) == nil, "\(variable)")
        }
        // Inside the git directory, and a bare repository.
        #expect(GitLayout.discover(from: f.root + "/.git/objects", environment: [:]) == nil)
        let bare = try Fixture(bare: true)
        #expect(GitLayout.discover(from: bare.root, environment: [:]) == nil)
        // Config that moves the work tree or changes how objects and refs are stored.
        for (key, value) in [("core.worktree", "/tmp"), ("core.bare", "true"), ("extensions.objectformat", "sha1"),
                             ("include.path", "other.conf"), ("includeIf.gitdir:/x/.path", "other.conf")] {
            let g = try Fixture()
            try g.git("config", key, value)
            #expect(GitLayout.discover(from: g.root, environment: [:]) == nil, "\(key)")
        }
        // A config line this reader does not understand.
        #expect(!GitLayout.configIsPlain("[core]\n\tbare = false\n\tname = a \\\n b\n"))
        #expect(GitLayout.configIsPlain("[core]\n\tbare = false\n\tfilemode ; a comment\n[remote \"origin\"]\n\turl = x\n"))
        #expect(GitLayout.configIsPlain("[Core]\r\n\tBare = FALSE\r\n\tRepositoryFormatVersion = 1 # v1\r\n"))
        #expect(!GitLayout.configIsPlain("[CORE]\n\tWorkTree = /elsewhere\n"))
        #expect(!GitLayout.configIsPlain("[core]\n\tbare\n"))          // a key alone means true
        #expect(!GitLayout.configIsPlain("[core]\n\trepositoryformatversion = 2\n"))
        #expect(!GitLayout.configIsPlain("[Extensions]\n\tobjectFormat = sha256\n"))
        #expect(!GitLayout.configIsPlain("[core.worktree]\n"))
        #expect(!GitLayout.configIsPlain("[core]\n\t= value\n"))
        #expect(GitLayout.configIsPlain("[remote \"ü\"]\n\turl = \"ä\" ; comment\n"))
    }

    // MARK: HEAD

    @Test func headIsFollowedThroughLooseAndPackedRefs() throws {
        let f = try Fixture()
        #expect(try #require(GitLayout.discover(from: f.root, environment: [:])).head() == .unborn)
        let first = try f.commit("one", ["a.txt": "a\n"])
        let layout = try #require(GitLayout.discover(from: f.root, environment: [:]))
        #expect(layout.head() == .commit(try #require(ObjectID(hex: first))))
        try f.git("pack-refs", "--all")
        #expect(!FileManager.default.fileExists(atPath: f.root + "/.git/refs/heads/main"))
        #expect(layout.head() == .commit(try #require(ObjectID(hex: first))))
        let second = try f.commit("two", ["a.txt": "b\n"])
        try f.git("checkout", "-q", "--detach", first)
        #expect(layout.head() == .commit(try #require(ObjectID(hex: first))))
        try f.git("checkout", "-q", "main")
        #expect(layout.head() == .commit(try #require(ObjectID(hex: second))))
        // A ref file that is not a ref: not guessed at.
        try f.write(".git/refs/heads/main", "not an id\n")
        #expect(layout.head() == .unknown)
    }

    /// A repository is untrusted input: a FIFO where a file should be must not block the reader (an open of
    /// a FIFO for reading waits for a writer); each is read as "cannot tell" instead.
    @Test func aFIFOInTheRepositoryNeverBlocksTheReader() throws {
        let f = try Fixture()
        let first = try f.commit("one", ["a.txt": "a\n"])
        let layout = try #require(GitLayout.discover(from: f.root, environment: [:]))
        func fifo(_ path: String) throws {
            try? FileManager.default.removeItem(atPath: path)
            #expect(mkfifo(path, 0o600) == 0, "mkfifo \(path)")
        }
        try f.git("pack-refs", "--all")
        try fifo(f.root + "/.git/packed-refs")
        #expect(layout.head() == .unknown)
        try FileManager.default.removeItem(atPath: f.root + "/.git/packed-refs")
        try f.git("update-ref", "refs/heads/main", first)
        // A staged file whose object is a FIFO: an error naming it, not a read handed to libgit2 (which blocks).
        try f.write("a.txt", "a\nb\n")
        try f.git("add", "a.txt")
        let hex = try f.blobID(":a.txt")
        try fifo(f.root + "/.git/objects/" + hex.prefix(2) + "/" + hex.dropFirst(2))
        let outcome = ObjectFiles(objectsDirectory: f.root + "/.git/objects").readObject(try #require(ObjectID(hex: hex)), type: .blob)
        guard case .damaged(let why) = outcome else { Issue.record("a FIFO object read as \(outcome)"); return }
        #expect(why.contains("a FIFO"))
        #expect(throws: GitError.self) { _ = try f.open().stagedChanges() }
        do { _ = try f.open().stagedChanges() } catch { #expect("\(error)".contains("is a FIFO"), "\(error)") }
        // An index that is a FIFO: the same.
        try fifo(f.root + "/.git/index")
        #expect(IndexFile(contentsOf: f.root + "/.git/index") == nil)
        do {
            _ = try f.open().stagedChanges()
            Issue.record("a FIFO index was read")
        } catch { #expect("\(error)".contains("index") && "\(error)".contains("a FIFO"), "\(error)") }
        // Named by GIT_INDEX_FILE (as inside `git commit`): said as it is, not as an empty file.
        do {
            _ = try f.open(environment: ["GIT_INDEX_FILE": f.root + "/.git/index"])
            Issue.record("a FIFO named by GIT_INDEX_FILE was accepted")
        } catch { #expect("\(error)".contains("GIT_INDEX_FILE names") && "\(error)".contains("a FIFO"), "\(error)") }
        try fifo(f.root + "/.git/HEAD")
        #expect(layout.head() == .unknown)
        #expect(GitLayout.discover(from: f.root, environment: [:]) == nil)
    }

    /// FIFOs, sockets and devices where git keeps its files are found before libgit2 opens the repository (it
    /// would block opening one): in the object folders, refs (also behind a link), info/ and the top level;
    /// regular files, folders, dangling links and folders git does not read for a scan (hooks/, logs/) are not.
    @Test func specialFilesWhereGitKeepsItsFilesAreFoundBeforeLibgit2OpensTheRepository() throws {
        let f = try Fixture()
        try f.commit("one", ["a.txt": "a\n"])
        try f.commit("two", ["b.txt": "b\n"])
        let git = f.root + "/.git"
        #expect(SpecialFiles.find(gitDirectory: git, commonDirectory: git).isEmpty)
        // Not read for a scan, so not looked at: a FIFO among the hooks or the logs, and a link to nowhere.
        #expect(mkfifo(git + "/hooks/pre-push.fifo", 0o600) == 0)
        #expect(mkfifo(git + "/logs/evil", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: git + "/refs/heads/dangling", withDestinationPath: "/nonexistent/ref")
        #expect(SpecialFiles.find(gitDirectory: git, commonDirectory: git).isEmpty)
        try FileManager.default.removeItem(atPath: git + "/refs/heads/dangling")

        let blob = try f.blobID("HEAD:b.txt")
        let object = "objects/" + blob.prefix(2) + "/" + blob.dropFirst(2)
        try FileManager.default.removeItem(atPath: git + "/" + object)
        #expect(mkfifo(git + "/" + object, 0o600) == 0)
        #expect(mkfifo(git + "/refs/heads/evil", 0o600) == 0)
        #expect(mkfifo(git + "/FETCH_HEAD", 0o600) == 0)
        #expect(mkfifo(git + "/elsewhere.fifo", 0o600) == 0)
        try FileManager.default.createDirectory(atPath: git + "/info", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: git + "/info/grafts", withDestinationPath: git + "/elsewhere.fifo")
        let found = SpecialFiles.find(gitDirectory: git, commonDirectory: git)
        #expect(Set(found.map(\.path)) == [object, "refs/heads/evil", "FETCH_HEAD", "elsewhere.fifo", "info/grafts"])
        #expect(found.allSatisfy { $0.kind == "a FIFO" })
        // Opening the repository for libgit2 fails with an error naming them, the shortcut's open and libgit2's own.
        let repository = try f.open()
        do {
            _ = try repository.resolveCommit("HEAD")
            Issue.record("libgit2 opened a repository with FIFOs in it")
        } catch { #expect("\(error)".contains(object) && "\(error)".contains("a FIFO"), "\(error)") }
        do {
            _ = try f.open(environment: ["GIT_DIR": git])
            Issue.record("libgit2 opened a repository with FIFOs in it (GIT_DIR)")
        } catch { #expect("\(error)".contains("a FIFO") && "\(error)".contains("not regular files"), "\(error)") }
    }

    // MARK: objects

    /// Every object of a repository, loose and then packed (with deltas, after `git gc`), reads as `git cat-file` gives it.
    @Test func objectsReadAsGitStoresThem() throws {
        let f = try Fixture()
        var text = (1...200).map { "line \($0) of a file that changes a little each commit\n" }
        for round in 0..<6 {
            text[round * 30] = "changed in round \(round)\n"
            try f.commit("round \(round)", ["big.txt": text.joined(), "dir/small\(round).txt": "small \(round)\n"])
        }
        func check(_ label: String) throws {
            let files = ObjectFiles(objectsDirectory: f.root + "/.git/objects")
            let listed = try f.git("rev-list", "--objects", "--all").split(separator: "\n").map { String($0.prefix(40)) }
            #expect(listed.count > 20)
            for hex in listed {
                let id = try #require(ObjectID(hex: hex))
                let typeName = trimmed(try f.git("cat-file", "-t", hex))
                let type: PackedObjectReader.ObjectType = ["commit": .commit, "tree": .tree, "blob": .blob, "tag": .tag][typeName]!
                let expected = try gitBytes(["cat-file", typeName, hex], in: f.root)
                guard case .read(let bytes) = files.readObject(id, type: type) else {
                    Issue.record("\(label): \(typeName) \(hex) not read"); continue
                }
                #expect(bytes == expected, "\(label): \(typeName) \(hex)")
                // Asked for as another type: not read.
                if case .read = files.readObject(id, type: type == .blob ? .tree : .blob) { Issue.record("\(label): \(hex) read as the wrong type") }
            }
        }
        try check("loose")
        try f.git("gc", "-q", "--aggressive")
        let loose = try f.git("count-objects", "-v")
        #expect(loose.contains("count: 0"), "\(loose)")
        try check("packed")
        // A size limit: the object is not read, its size is told.
        let big = try #require(ObjectID(hex: try f.blobID("HEAD:big.txt")))
        let size = text.joined().utf8.count
        if case .tooLarge(let told) = ObjectFiles(objectsDirectory: f.root + "/.git/objects").readObject(big, type: .blob, sizeLimit: 100) {
            #expect(told == size)
        } else { Issue.record("a blob over the limit was not reported as too large") }
    }

    /// A pack opened for lookups (fan-out read, names searched with `pread`) finds every object where the
    /// whole-index reader does, and misses what is not there; a truncated or inconsistent index is refused.
    @Test func aPackOpenedForLookupsFindsWhatTheWholeIndexFinds() throws {
        let f = try Fixture()
        for round in 0..<40 { try f.commit("round \(round)", ["f\(round % 7).txt": "round \(round)\n"]) }
        try f.git("gc", "-q")
        let packDir = f.root + "/.git/objects/pack"
        let idx = try #require(try FileManager.default.contentsOfDirectory(atPath: packDir).first { $0.hasSuffix(".idx") })
        let base = packDir + "/" + idx.dropLast(4)
        guard case .success(let whole) = PackFile.open(base) else { Issue.record("the pack did not open"); return }
        let probed = try #require(PackFile.openForLookups(base))
        let listed = try f.git("rev-list", "--objects", "--all").split(separator: "\n").map { String($0.prefix(40)) }
        #expect(listed.count > 100)
        for hex in listed {
            let id = try #require(ObjectID(hex: hex))
            #expect(probed.offset(of: id) != nil && probed.offset(of: id) == whole.offset(of: id), "\(hex)")
        }
        for absent in ["00", "7f", "ff"].map({ $0 + String(repeating: "e", count: 38) }) {
            #expect(probed.offset(of: try #require(ObjectID(hex: absent))) == nil)
        }
        // Cut short, the index is refused; so is one whose fan-out decreases.
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: base + ".idx")))
        let copy = try TemporaryDirectory(prefix: "keywarden-pack")
        try FileManager.default.copyItem(atPath: base + ".pack", toPath: copy.path("p.pack"))
        try Data(bytes.prefix(bytes.count - 100)).write(to: URL(fileURLWithPath: copy.path("p.idx")))
        #expect(PackFile.openForLookups(copy.path("p")) == nil)
        var decreasing = bytes
        let more = UInt32(listed.count + 1)   // entry 100 of the fan-out above the total in entry 255
        for k in 0..<4 { decreasing[8 + 4 * 100 + k] = UInt8(truncatingIfNeeded: more >> (24 - 8 * UInt32(k))) }
        try FileManager.default.removeItem(atPath: copy.path("p.idx"))
        try Data(decreasing).write(to: URL(fileURLWithPath: copy.path("p.idx")))
        #expect(PackFile.openForLookups(copy.path("p")) == nil)
    }

    @Test func aDamagedLooseObjectIsNotGuessedAt() throws {
        let f = try Fixture()
        try f.commit("one", ["a.txt": "some content\n"])
        let hex = try f.blobID("HEAD:a.txt")
        let path = f.root + "/.git/objects/" + hex.prefix(2) + "/" + hex.dropFirst(2)
        let id = try #require(ObjectID(hex: hex))
        guard case .read = ObjectFiles(objectsDirectory: f.root + "/.git/objects").readObject(id, type: .blob) else {
            Issue.record("the intact object was not read"); return
        }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x55
        try FileManager.default.removeItem(atPath: path)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        if case .read = ObjectFiles(objectsDirectory: f.root + "/.git/objects").readObject(id, type: .blob) {
            Issue.record("a damaged object was read")
        }
        // Headers that lie about the size or the type.
        #expect(ObjectFiles.looseContent(Array("blob 5\0abc".utf8), count: 10, type: .blob, sizeLimit: .max).isUnavailable)
        #expect(ObjectFiles.looseContent(Array("blob 03\0abc".utf8), count: 11, type: .blob, sizeLimit: .max).isUnavailable)
        #expect(ObjectFiles.looseContent(Array("tree 3\0abc".utf8), count: 10, type: .blob, sizeLimit: .max).isUnavailable)
        #expect(!ObjectFiles.looseContent(Array("blob 3\0abc".utf8), count: 10, type: .blob, sizeLimit: .max).isUnavailable)
    }

    // MARK: the staged read

    /// An ordinary repository's staged changes are read without libgit2 and agree with libgit2's own open;
    /// what needs libgit2 afterwards (a revision expression) still works, by opening it then.
    @Test func aStagedReadOfAnOrdinaryRepositoryNeverOpensLibgit2() throws {
        let f = try Fixture()
        try f.commit("base", ["a/one.txt": "1\n2\n3\n", "b.txt": "b\n"])
        try f.git("gc", "-q")
        try f.write("a/one.txt", "1\n2 changed\n3\nfour\n")
        try f.write("c.txt", "new\n")
        try f.git("add", ".")
        let native = try GitRepository.open(at: f.root + "/a", environment: [:], currentDirectory: f.root + "/a")
        #expect(native.layout != nil)
        let changes = try native.stagedChanges()
        #expect(!native.usesLibgit2, "libgit2 was opened for a staged read")
        let viaLibgit2 = try GitRepository.open(at: f.root + "/a", environment: [:], currentDirectory: f.root + "/a", withoutLibgit2: false)
        #expect(viaLibgit2.layout == nil && viaLibgit2.usesLibgit2)
        let summary = { (c: StagedChanges) in
            c.files.map { "\($0.path) \($0.kind) " + $0.addedLines.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",") }
        }
        #expect(summary(changes) == ["a/one.txt modified 2-2,4-4", "c.txt added 1-1"])
        #expect(summary(changes) == summary(try viaLibgit2.stagedChangesWithLibgit2(pathspec: [])))
        #expect(native.gitDirectory == viaLibgit2.gitDirectory && native.workTreeRoot == viaLibgit2.workTreeRoot
                && native.commonDirectory == viaLibgit2.commonDirectory)
        #expect(try native.headCommit() == viaLibgit2.headCommit())
        #expect(try native.resolveCommit("HEAD") == viaLibgit2.resolveCommit("HEAD"))
        #expect(native.usesLibgit2)
    }
}

extension ObjectFiles.Outcome {
    var isUnavailable: Bool { if case .unavailable = self { true } else { false } }
}

extension ObjectFiles.Outcome: CustomStringConvertible {
    public var description: String {
        switch self {
        case .read(let bytes): "read (\(bytes.count) bytes)"
        case .tooLarge(let size): "too large (\(size))"
        case .unavailable: "unavailable"
        case .damaged(let why): "damaged: \(why)"
        }
    }
}
