import Foundation
import Testing
import SystemSupport
import TestSupport

/// What a run leaves behind and tells about itself (issue 15): stale temporaries of atomic writes are
/// cleaned without touching a live writer's, a cache folder that cannot be written is a warning, and a
/// long rule compile shows progress on a terminal.
@Suite struct RunHygieneTests {
    // MARK: stale temporaries

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock")))
    func aKilledWritersTemporaryIsRemovedAndALiveOneIsNot() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-hygiene")
        let ledger = dir.path("keys.toml")
        let env = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
        let add = ["keys", "add", "--provider", "acme", "--env", "dev", "--stdin", "--ledger", ledger]
        #expect(try Run.keywarden(add + ["k1"], stdin: FakeKeys.alnum(32) + "\n", environment: env).status == 0)
        // What a `keys add` killed mid-write leaves, and the temporary of a writer still at work (locked).
        let stale = dir.path(".keys.toml.keywarden-3kq8d1x0stale.tmp")
        let live = dir.path(".keys.toml.keywarden-7m2lq0c9live.tmp")
        try dir.write(".keys.toml.keywarden-3kq8d1x0stale.tmp", String(repeating: "half a ledger\n", count: 1000))
        try dir.write(".keys.toml.keywarden-7m2lq0c9live.tmp", "being written\n")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        // -F: flock becomes the command (sleep), so killing it ends the hold at once. (SIGKILL: the child inherits
        // the test runner's ignored SIGTERM, so terminate() left the holder to sleep its 60 s.)
        holder.arguments = ["-F", "-x", live, "sleep", "60"]
        let holderExit = try ProcessExit(launching: holder)
        defer { kill(holder.processIdentifier, SIGKILL); holderExit.wait() }
        // Wait until the lock is held.
        var held = false
        for _ in 0..<100 where !held {
            held = try Run.program("/usr/bin/flock", ["-n", live, "true"]).status != 0
            if !held { usleep(50_000) }
        }
        try #require(held, "flock did not take the lock")

        #expect(try Run.keywarden(add + ["k2"], stdin: FakeKeys.alnum(32) + "\n", environment: env).status == 0)
        #expect(!FileManager.default.fileExists(atPath: stale), "the stale temporary is still there")
        #expect(FileManager.default.fileExists(atPath: live), "a live writer's temporary was removed")
        #expect(try String(contentsOfFile: ledger, encoding: .utf8).contains("id = \"k2\""))
    }

    // MARK: the cache folder

    /// A cache folder keywarden trusts but cannot write to. Not writable by mode for a normal user; as
    /// root (who writes anyway) each cache file's name is taken by a folder, so the rename onto it fails.
    func unwritableCache() throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory(prefix: "keywarden-hygiene-cache")
        let first = dir.path("first")
        #expect(try Run.keywarden(["scan", "--no-git", "/dev/null"], environment: ["KEYWARDEN_CACHE_DIR": first]).status == 0)
        let cache = dir.path("cache")
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        try FileManager.default.copyItem(atPath: first + "/.key", toPath: cache + "/.key")
        if geteuid() == 0 {
            for name in try FileManager.default.contentsOfDirectory(atPath: first) where name != ".key" {
                try FileManager.default.createDirectory(atPath: cache + "/" + name, withIntermediateDirectories: false)
            }
        } else {
            #expect(chmod(cache, 0o500) == 0)
        }
        return (dir, cache)
    }

    @Test func aCacheFolderThatCannotBeWrittenIsAWarningEveryRun() throws {
        let (dir, cache) = try unwritableCache()
        defer { _ = chmod(cache, 0o700) }
        try dir.write("a.txt", "nothing\n")
        for _ in 0..<2 {
            let text = try Run.keywarden(["scan", "--no-git", "a.txt"], in: dir.path(), environment: ["KEYWARDEN_CACHE_DIR": cache])
            #expect(text.status == 0, "\(text.stderr)")
            let lines = text.stderr.split(separator: "\n").filter { $0.contains("cannot be written") }
            #expect(lines.count == 1, "\(text.stderr)")
            #expect(lines.first?.hasPrefix("keywarden: warning: the cache folder \(cache) cannot be written") == true, "\(text.stderr)")
        }
        let json = try Run.keywarden(["scan", "--no-git", "--format", "json", "a.txt"], in: dir.path(), environment: ["KEYWARDEN_CACHE_DIR": cache])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let warnings = try #require((object?["summary"] as? [String: Any])?["warnings"] as? [String])
        #expect(warnings.filter { $0.contains("cannot be written") }.count == 1, "\(warnings)")
        // A command other than scan prints it when it ends.
        let list = try Run.keywarden(["rules", "check"], in: dir.path(), environment: ["KEYWARDEN_CACHE_DIR": cache])
        #expect(list.stderr.contains("cannot be written"), "\(list.stderr)")
    }

    // MARK: compile progress

    /// 800 user rules take more than a second to compile: on a terminal (a pseudo-terminal from
    /// `script`) a progress line is drawn and cleared; with standard error not a terminal, nothing.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func aLongCompileShowsProgressOnATerminalOnly() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-hygiene-compile")
        var config = "[extend]\nuseDefault = true\n\n"
        for i in 0..<800 {
            config += "[[rules]]\nid = \"user-rule-\(i)\"\ndescription = \"user rule \(i)\"\nregex = '''zq\(i)x[0-9a-f]{\(16 + i % 7)}'''\n\n"
        }
        try dir.write(".keywarden.toml", config)
        try dir.write("a.txt", "nothing\n")
        let quoted = "'\(Run.keywardenPath)' scan --no-git a.txt"
        let onTerminal = try Run.program("/usr/bin/script", ["-qec", quoted, "/dev/null"], in: dir.path(),
                                         environment: ["KEYWARDEN_CACHE_DIR": dir.path("cache1")])
        #expect(onTerminal.stdout.contains("compiling rules: "), "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("\r\u{1B}[K\u{1B}") || onTerminal.stdout.contains("\r\u{1B}[Kkeywarden"), "the line is not cleared")
        let piped = try Run.keywarden(["scan", "--no-git", "a.txt"], in: dir.path(), environment: ["KEYWARDEN_CACHE_DIR": dir.path("cache2")])
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("compiling rules"))
    }
}
