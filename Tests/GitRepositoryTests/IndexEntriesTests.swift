import Foundation
import GitRepository
import Testing
import TestSupport

@Suite struct IndexEntriesTests {
    @Test func listsTheIndexWithKindsAndBlobIDs() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-index")
        try Run.git(["init", "-q", "-b", "main", "."], in: dir.path())
        try dir.write("b/run.sh", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path("b/run.sh"))
        try dir.write("a.txt", "hello\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path("link"), withDestinationPath: "a.txt")
        try Run.git(["add", "-A"], in: dir.path())
        let repo = try GitRepository.open(at: dir.path(), environment: [:])
        let entries = try repo.indexEntries()
        #expect(entries.map(\.path) == ["a.txt", "b/run.sh", "link"])
        #expect(entries.map(\.kind) == [.file, .executable, .symbolicLink])
        let expected = try Run.git(["rev-parse", ":a.txt"], in: dir.path()).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(entries[0].id.hex == expected)
        #expect(try repo.blobContent(entries[0].id) == Array("hello\n".utf8))
    }

    @Test func hooksDirectoryFollowsCoreHooksPath() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-hooks")
        try Run.git(["init", "-q", "-b", "main", "."], in: dir.path())
        let repo = try GitRepository.open(at: dir.path(), environment: [:])
        #expect(try repo.hooksDirectory() == repo.gitDirectory + "/hooks")
        #expect(try repo.configValue("core.hooksPath") == nil)
        try Run.git(["config", "core.hooksPath", ".githooks/"], in: dir.path())
        let again = try GitRepository.open(at: dir.path(), environment: [:])
        #expect(try again.configValue("core.hooksPath") == ".githooks/")
        #expect(try again.hooksDirectory() == (again.workTreeRoot ?? "") + "/.githooks")
        try Run.git(["config", "core.hooksPath", "/srv/hooks"], in: dir.path())
        #expect(try GitRepository.open(at: dir.path(), environment: [:]).hooksDirectory() == "/srv/hooks")
    }

    @Test func aLinkedWorkTreeUsesTheMainRepositorysHooks() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-hooks-wt")
        try Run.git(["init", "-q", "-b", "main", "main"], in: dir.path())
        try dir.write("main/a.txt", "a\n")
        try Run.git(["add", "-A"], in: dir.path("main"))
        try Run.git(["commit", "-q", "-m", "a"], in: dir.path("main"))
        try Run.git(["worktree", "add", "-q", "../linked"], in: dir.path("main"))
        let main = try GitRepository.open(at: dir.path("main"), environment: [:])
        let linked = try GitRepository.open(at: dir.path("linked"), environment: [:])
        #expect(try linked.hooksDirectory() == main.hooksDirectory())
        let gitSays = try Run.git(["rev-parse", "--path-format=absolute", "--git-path", "hooks"], in: dir.path("linked"))
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try linked.hooksDirectory() == PathForTests.canonical(gitSays))
    }
}

private enum PathForTests {
    static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
