import Foundation
import GitRepository
import Testing
import TestSupport

@Suite struct WorkTreeTests {
    /// A repository with tracked, untracked, ignored, deleted, symlinked and nested-repository entries.
    func makeRepository() throws -> Fixture {
        let f = try Fixture()
        try f.commit("initial", [
            ".gitignore": "*.log\nbuild/\n",
            "a.txt": "a\n", "src/b.swift": "b\n", "src/deep/c.swift": "c\n", "gone.txt": "gone\n",
        ])
        try f.write("logs/kept.log", "tracked despite the pattern\n")
        try f.git("add", "-f", "logs/kept.log")
        try f.commit("force-add")
        try FileManager.default.removeItem(atPath: f.directory.path("gone.txt"))
        try f.write("new.txt", "untracked\n")
        try f.write("src/new.swift", "untracked\n")
        try f.write("debug.log", "ignored\n")
        try f.write("logs/other.log", "ignored\n")
        try f.write("build/out.txt", "ignored directory\n")
        try f.write("nested/inner.txt", "belongs to another repository\n")
        try f.git("init", "-q", "nested")
        try FileManager.default.createSymbolicLink(atPath: f.directory.path("link.txt"), withDestinationPath: "a.txt")
        return f
    }

    @Test func enclosingWorkTreeIsTheNearestFolderWithAGitEntry() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("a/b"), withIntermediateDirectories: true)
        #expect(GitRepository.enclosingWorkTree(of: dir.path("a/b")) != dir.path("a/b"))
        try dir.write(".git/HEAD", "ref: refs/heads/main\n")
        #expect(GitRepository.enclosingWorkTree(of: dir.path("a/b")) == dir.path())
        #expect(GitRepository.enclosingWorkTree(of: dir.path("a/b") + "/") == dir.path())
        #expect(GitRepository.enclosingWorkTree(of: dir.path()) == dir.path())
        // A linked work tree or submodule has a `.git` file, not a folder.
        try dir.write("a/.git", "gitdir: ../.git/worktrees/a\n")
        #expect(GitRepository.enclosingWorkTree(of: dir.path("a/b")) == dir.path("a"))
    }

    @Test func listsTrackedAndUntrackedButNotIgnoredFiles() throws {
        let f = try makeRepository()
        let repo = try f.open()
        let files = try repo.workTreeFiles()
        #expect(files.map(\.path) == [".gitignore", "a.txt", "logs/kept.log", "new.txt", "src/b.swift",
                                      "src/deep/c.swift", "src/new.swift"])
        #expect(files.filter { !$0.isTracked }.map(\.path) == ["new.txt", "src/new.swift"])
        #expect(files.allSatisfy { $0.absolutePath == repo.workTreeRoot! + "/" + $0.path })
    }

    @Test func matchesGitLsFiles() throws {
        let f = try makeRepository()
        let listed: String = try f.git("ls-files", "--cached", "--others", "--exclude-standard")
        let left: Set<String> = ["gone.txt", "link.txt", "nested/"]
        let expected: [String] = listed.split(separator: "\n").map(String.init).filter { !left.contains($0) }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let ours = try f.open().workTreeFiles().map(\.path)
        #expect(ours == expected, "\(ours) vs \(listed)")
    }

    @Test func restrictsToGivenPaths() throws {
        let f = try makeRepository()
        let repo = try f.open()
        let src = try repo.workTreeFiles(under: ["src"], currentDirectory: f.root)
        #expect(src.map(\.path) == ["src/b.swift", "src/deep/c.swift", "src/new.swift"])
        let relativeToSubdirectory = try repo.workTreeFiles(under: ["deep", "../a.txt"], currentDirectory: f.directory.path("src"))
        #expect(relativeToSubdirectory.map(\.path) == ["a.txt", "src/deep/c.swift"])
        let absolute = try repo.workTreeFiles(under: [f.directory.path("src/deep/c.swift")])
        #expect(absolute.map(\.path) == ["src/deep/c.swift"])
    }

    @Test func aNamedIgnoredFileIsListedOnlyWhenAskedFor() throws {
        let f = try makeRepository()
        let repo = try f.open()
        #expect(try repo.workTreeFiles(under: ["debug.log"], currentDirectory: f.root).map(\.path) == ["debug.log"])
        #expect(try repo.workTreeFiles(under: ["debug.log"], includeNamedFiles: false, currentDirectory: f.root).isEmpty)
        #expect(try repo.workTreeFiles(under: ["build"], currentDirectory: f.root).isEmpty)
    }

    @Test func ignoreRulesComeFromGit() throws {
        let f = try makeRepository()
        try f.write(".git/info/exclude", "secret-notes.md\n")
        let repo = try f.open()
        #expect(try repo.isIgnored("debug.log", currentDirectory: f.root))
        #expect(try repo.isIgnored("build/out.txt", currentDirectory: f.root))
        #expect(try repo.isIgnored("secret-notes.md", currentDirectory: f.root))
        #expect(try !repo.isIgnored("a.txt", currentDirectory: f.root))
        #expect(try repo.isIgnored("logs/kept.log", currentDirectory: f.root))
        #expect(try repo.isTracked("logs/kept.log", currentDirectory: f.root))
        #expect(try !repo.isTracked("new.txt", currentDirectory: f.root))
    }

    @Test func pathsOutsideTheWorkTreeAreRejected() throws {
        let f = try makeRepository()
        let other = try TemporaryDirectory()
        try other.write("x.txt", "x\n")
        let error = #expect(throws: GitError.self) {
            try f.open().workTreeFiles(under: [other.path("x.txt")])
        }
        #expect(error?.code == .outsideWorkTree)
        let missing = #expect(throws: GitError.self) {
            try f.open().workTreeFiles(under: ["no-such-file"], currentDirectory: f.root)
        }
        #expect(missing?.code == .io)
    }

    @Test func discoveryFindsTheRootFromAFileInASubdirectory() throws {
        let f = try makeRepository()
        let repo = try GitRepository.open(at: f.directory.path("src/deep/c.swift"), environment: [:])
        #expect(repo.workTreeRoot == (f.root as NSString).resolvingSymlinksInPath)
        #expect(!repo.isBare)
    }

    @Test func outsideARepositoryIsAClearError() throws {
        let plain = try TemporaryDirectory()
        let error = #expect(throws: GitError.self) {
            try GitRepository.open(at: plain.path(), environment: ["GIT_CEILING_DIRECTORIES": (plain.path() as NSString).deletingLastPathComponent])
        }
        #expect(error?.code == .notARepository)
        #expect(error?.message.contains(plain.path()) == true)
    }

    @Test func honoursGitDirAndGitWorkTree() throws {
        let f = try makeRepository()
        let elsewhere = try TemporaryDirectory()
        // GIT_DIR wins over the path; GIT_WORK_TREE names the work tree.
        let repo = try GitRepository.open(at: elsewhere.path(),
                                          environment: ["GIT_DIR": f.directory.path(".git"), "GIT_WORK_TREE": f.root],
                                          currentDirectory: elsewhere.path())
        #expect(repo.workTreeRoot == (f.root as NSString).resolvingSymlinksInPath)
        #expect(try repo.workTreeFiles().map(\.path).contains("src/b.swift"))
        // GIT_DIR alone: the current directory is the work tree, as with git.
        let sub = try GitRepository.open(environment: ["GIT_DIR": "../.git"], currentDirectory: f.directory.path("src"))
        #expect(sub.workTreeRoot == (f.directory.path("src") as NSString).resolvingSymlinksInPath)
    }

    @Test func aBareRepositoryHasNoWorkTree() throws {
        let f = try Fixture(bare: true)
        let repo = try f.open()
        #expect(repo.isBare)
        #expect(repo.workTreeRoot == nil)
        let error = #expect(throws: GitError.self) { try repo.workTreeFiles() }
        #expect(error?.code == .bareRepository)
    }

    @Test func submodulesAreNotEntered() throws {
        let inner = try Fixture()
        try inner.commit("inner", ["inner.txt": "x\n"])
        let f = try Fixture()
        try f.commit("outer", ["outer.txt": "y\n"])
        try f.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", inner.root, "sub")
        try f.commit("add submodule")
        let files = try f.open().workTreeFiles().map(\.path)
        #expect(files == [".gitmodules", "outer.txt"])
    }
}
