import Foundation
import Testing
import TestSupport

/// `keywarden scan --staged / --range / --since / --history` on repositories built at test time.
@Suite struct GitScanCommandTests {
    let cacheEnv: [String: String]
    init() throws {
        cacheEnv = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
    }

    /// A fresh repository with one commit.
    func repository() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory(prefix: "keywarden-git-e2e")
        try Run.git(["init", "-q", "-b", "main", "."], in: dir.path())
        try dir.write("readme.txt", "hello\n")
        try commit(dir, "base")
        return dir
    }

    @discardableResult
    func commit(_ dir: TemporaryDirectory, _ message: String) throws -> String {
        try Run.git(["add", "-A"], in: dir.path())
        try Run.git(["commit", "-q", "--allow-empty", "-m", message], in: dir.path())
        return try Run.git(["rev-parse", "HEAD"], in: dir.path()).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func findings(_ run: ProcessResult) throws -> [[String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return try #require(json?["findings"] as? [[String: Any]])
    }

    func scan(_ arguments: [String], in dir: TemporaryDirectory) throws -> ProcessResult {
        try Run.keywarden(["scan", "--format", "json"] + arguments, in: dir.path(), environment: cacheEnv)
    }

    /// libgit2 is not linked: it is loaded (dlopen) only when something needs it. A scan of plain files
    /// (`--no-git`) never maps it; neither does a staged scan of an ordinary repository (found, and its
    /// index, trees and blobs read, by keywarden itself), new and modified files alike. The same staged scan
    /// with `GIT_DIR` set (discovery left to libgit2) or a history scan loads it, and finds the same.
    @Test func libgit2IsLoadedOnlyWhenSomethingNeedsIt() throws {
        let needed = try Run.program("/usr/bin/readelf", ["-d", Run.keywardenPath], in: "/")
        #expect(needed.status == 0 && needed.stdout.contains("(NEEDED)"), "\(needed.stderr)")
        #expect(!needed.stdout.contains("libgit2"), "the binary links libgit2")
        let dir = try repository()
        let old = FakeKeys.maintainX(userID: 6)
        try dir.write("old.env", "FIRST=1\nMX_API_KEY=\(old)\n")
        try commit(dir, "an old key")
        try dir.write("old.env", "FIRST=1\nMX_API_KEY=\(old)\nMX_OTHER_KEY=\(FakeKeys.maintainX(userID: 8))\n")
        try dir.write("app.env", "MX_API_KEY=\(FakeKeys.maintainX(userID: 7))\n")
        try Run.git(["add", "app.env", "old.env"], in: dir.path())
        var traced = cacheEnv
        traced["LD_DEBUG"] = "files"
        let plain = try Run.keywarden(["scan", "--no-git", "--format", "json", "app.env"], in: dir.path(), environment: traced)
        #expect(plain.status == 1, "\(plain.stderr.suffix(400))")
        #expect(!plain.stderr.contains("libgit2.so"), "a scan of plain files loaded libgit2")
        let staged = try Run.keywarden(["scan", "--staged", "--format", "json"], in: dir.path(), environment: traced)
        #expect(staged.status == 1, "\(staged.stderr.suffix(400))")
        #expect(!staged.stderr.contains("libgit2.so"), "a staged scan of an ordinary repository loaded libgit2")
        let expected: [String?] = ["app.env:1", "old.env:3"]
        #expect(try findings(staged).map { "\($0["path"] as? String ?? ""):\($0["line"] as? Int ?? 0)" } == expected)
        traced["GIT_DIR"] = ".git"
        let throughLibgit2 = try Run.keywarden(["scan", "--staged", "--format", "json"], in: dir.path(), environment: traced)
        #expect(throughLibgit2.status == 1, "\(throughLibgit2.stderr.suffix(400))")
        #expect(throughLibgit2.stderr.contains("libgit2.so"), "with GIT_DIR set, libgit2 was not used?")
        #expect(try findings(throughLibgit2).map { "\($0["path"] as? String ?? ""):\($0["line"] as? Int ?? 0)" } == expected)
        traced["GIT_DIR"] = nil
        let history = try Run.keywarden(["scan", "--history", "--no-cache", "--format", "json"], in: dir.path(), environment: traced)
        #expect(history.stderr.contains("libgit2.so"), "a history scan ran without libgit2?")
    }

    @Test func stagedScansTheStagedVersionAndOnlyItsAddedLines() throws {
        let dir = try repository()
        let old = FakeKeys.maintainX(userID: 1)
        try dir.write("app.env", "MX_API_KEY=\(old)\n")
        try commit(dir, "an old key, already committed")
        try dir.write("app.env", "MX_API_KEY=\(old)\nMX_NEW_KEY=\(FakeKeys.maintainX(userID: 2))\n")
        try Run.git(["add", "app.env"], in: dir.path())
        // An unstaged edit on top: not what is about to be committed.
        let staged = try String(contentsOfFile: dir.path("app.env"), encoding: .utf8)
        try dir.write("app.env", staged + "MX_UNSTAGED=\(FakeKeys.maintainX(userID: 3))\n")

        let run = try scan(["--staged"], in: dir)
        #expect(run.status == 1)
        let found = try findings(run)
        #expect(found.count == 1)
        #expect(found.first?["path"] as? String == "app.env")
        #expect(found.first?["line"] as? Int == 2)
        #expect(found.first?["commit"] == nil)
    }

    @Test func stagedWithNothingStagedIsClean() throws {
        let dir = try repository()
        try dir.write("app.env", "MX_API_KEY=\(FakeKeys.maintainX())\n")   // untracked, not staged
        #expect(try scan(["--staged"], in: dir).status == 0)
    }

    @Test func stagedInABareRepositoryOrOutsideOneExitsTwo() throws {
        let dir = try repository()
        let bare = try TemporaryDirectory()
        try Run.git(["clone", "-q", "--bare", dir.path(), bare.path("r.git")], in: bare.path())
        let inBare = try Run.keywarden(["scan", "--staged"], in: bare.path("r.git"), environment: cacheEnv)
        #expect(inBare.status == 2)
        #expect(inBare.stderr.contains("bare repository"))
        let plain = try TemporaryDirectory()
        let outside = try Run.keywarden(["scan", "--staged"], in: plain.path(),
                                        environment: cacheEnv.merging(["GIT_CEILING_DIRECTORIES": (plain.path() as NSString).deletingLastPathComponent]) { a, _ in a })
        #expect(outside.status == 2)
        #expect(outside.stderr.contains("not a git repository"))
    }

    @Test func rangeAndSinceReportTheIntroducingCommit() throws {
        let dir = try repository()
        let base = try Run.git(["rev-parse", "HEAD"], in: dir.path()).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try dir.write("svc/app.env", "MX_API_KEY=\(FakeKeys.maintainX())\n")
        let introducing = try commit(dir, "configure the service")
        try dir.write("readme.txt", "hello again\n")
        try commit(dir, "unrelated")
        for arguments in [["--since", base], ["--range", "\(base)..HEAD"]] {
            let run = try scan(arguments, in: dir)
            #expect(run.status == 1)
            let found = try findings(run)
            #expect(found.count == 1)
            #expect(found.first?["commit"] as? String == introducing)
            #expect(found.first?["message"] as? String == "configure the service")
            #expect(found.first?["path"] as? String == "svc/app.env")
        }
        #expect(try scan(["--since", "HEAD~1"], in: dir).status == 0)
        let unknown = try scan(["--range", "nope..HEAD"], in: dir)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("nope..HEAD"))
    }

    @Test func historyReportsEachSecretOncePerPathWithItsFirstCommit() throws {
        let dir = try repository()
        let key = FakeKeys.maintainX()
        try dir.write("old.env", "MX_API_KEY=\(key)\n")
        let introducing = try commit(dir, "add old.env")
        try dir.write("readme.txt", "one\n")
        try commit(dir, "carry 1")
        try dir.write("old.env", "# a comment first\nMX_API_KEY=\(key)\n")   // a new blob, same secret
        try commit(dir, "carry 2, edited")
        try FileManager.default.removeItem(atPath: dir.path("old.env"))
        try commit(dir, "remove old.env")
        try dir.write("new.env", "MX_API_KEY=\(key)\n")
        let moved = try commit(dir, "add new.env")

        let run = try scan(["--history"], in: dir)
        #expect(run.status == 1)
        let found = try findings(run).sorted { ($0["path"] as? String ?? "") < ($1["path"] as? String ?? "") }
        #expect(found.map { $0["path"] as? String } == ["new.env", "old.env"])
        let old = found[1], new = found[0]
        #expect(old["commit"] as? String == introducing)
        #expect(old["in_head"] as? Bool == false)
        #expect(old["occurrences"] as? Int == 3)
        #expect(new["commit"] as? String == moved)
        #expect(new["in_head"] as? Bool == true)

        // The same history from a bare clone, and one branch only.
        let bare = try TemporaryDirectory()
        try Run.git(["clone", "-q", "--bare", dir.path(), bare.path("r.git")], in: bare.path())
        let inBare = try Run.keywarden(["scan", "--format", "json", "--history", bare.path("r.git")], environment: cacheEnv)
        #expect(inBare.status == 1)
        #expect(try findings(inBare).count == 2)
        try Run.git(["branch", "early", introducing], in: dir.path())
        let early = try scan(["--history", "--branch", "early"], in: dir)
        #expect(try findings(early).map { $0["path"] as? String } == ["old.env"])
    }

    @Test func historyShowsAProgressLineOnATerminalOnly() throws {
        let dir = try repository()
        for i in 0..<3 {
            try dir.write("f\(i).txt", "line \(i)\n")
            try commit(dir, "commit \(i)")
        }
        // Not a terminal: no progress line, no carriage returns.
        let plain = try scan(["--history"], in: dir)
        #expect(plain.status == 0)
        #expect(!plain.stderr.contains("\r") && !plain.stderr.contains("history:"))
        // A terminal (util-linux `script` gives the command a pseudo-terminal): the line is drawn and cleared.
        // Without the history cache, which would leave nothing to read.
        let command = ([Run.keywardenPath, "scan", "--history", "--no-cache", "--format", "json", "--output", dir.path("out.json")])
            .map { "'" + $0 + "'" }.joined(separator: " ")
        let tty = try Run.program("/usr/bin/script", ["-qec", command, "/dev/null"], in: dir.path(), environment: cacheEnv)
        #expect(tty.status == 0, "\(tty.stdout) \(tty.stderr)")
        #expect(tty.stdout.contains("keywarden: history: 4 commits, blobs 4/4"))
        #expect(tty.stdout.contains("\r\u{1B}[K"))
    }

    @Test func inAWorkTreeIgnoredFilesAreLeftOutUnlessNamed() throws {
        let dir = try repository()
        try dir.write(".gitignore", "*.log\nbuild/\n")
        try dir.write("src/tracked.env", "MX_API_KEY=\(FakeKeys.maintainX())\n")
        try commit(dir, "tracked")
        try dir.write("src/untracked.env", "MX_API_KEY=\(FakeKeys.maintainX())\n")
        try dir.write("debug.log", "MX_API_KEY=\(FakeKeys.maintainX())\n")
        try dir.write("build/out.env", "MX_API_KEY=\(FakeKeys.maintainX())\n")
        func paths(_ arguments: [String], in directory: String? = nil) throws -> [String] {
            let run = try Run.keywarden(["scan", "--format", "json"] + arguments, in: directory ?? dir.path(), environment: cacheEnv)
            return try findings(run).compactMap { $0["path"] as? String }.sorted()
        }
        #expect(try paths([]) == ["src/tracked.env", "src/untracked.env"])
        #expect(try paths(["src"]) == ["src/tracked.env", "src/untracked.env"])
        #expect(try paths(["."], in: dir.path("src")) == ["tracked.env", "untracked.env"])
        #expect(try paths(["debug.log"]) == ["debug.log"])
        #expect(try paths(["--no-git"]) == ["build/out.env", "debug.log", "src/tracked.env", "src/untracked.env"])
    }

    /// `-o /dev/null` once replaced the device with a regular file (atomic write): a link to a device is
    /// written in place; a link to a file (a committed `keywarden.sarif -> ../../victim`) is refused and
    /// both the link and its target stay as they were (issue 14).
    @Test func theReportGoesThroughALinkOnlyToADevice() throws {
        let dir = try repository()
        try dir.write("reports/real.json", "")
        try FileManager.default.createSymbolicLink(atPath: dir.path("link.json"), withDestinationPath: "reports/real.json")
        let run = try Run.keywarden(["scan", "--format", "json", "-o", "link.json", "readme.txt"], in: dir.path(), environment: cacheEnv)
        #expect(run.status == 2)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.path("link.json"))
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
        #expect(try String(contentsOfFile: dir.path("reports/real.json"), encoding: .utf8).isEmpty)
        try FileManager.default.createSymbolicLink(atPath: dir.path("null.json"), withDestinationPath: "/dev/null")
        let device = try Run.keywarden(["scan", "--format", "json", "-o", "null.json", "readme.txt"], in: dir.path(), environment: cacheEnv)
        #expect(device.status == 0, "\(device.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.path("null.json")) == "/dev/null")
    }

    @Test func gitSourcesAreExclusive() throws {
        let dir = try repository()
        #expect(try scan(["--staged", "--history"], in: dir).status == 2)
        #expect(try scan(["--branch", "main"], in: dir).status == 2)
        #expect(try scan(["--history", "a", "b"], in: dir).status == 2)
    }
}
