import Foundation
import Hashing
import Testing
import TestSupport

/// `keywarden ignore add|list|remove` and expiring entries, through the real binary.
@Suite struct IgnoreCommandTests {
    let env = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path,
               "KEYWARDEN_TODAY": "2026-11-23"]

    /// A folder with one finding in `a.env` (`key`, else a new fake one); its fingerprint.
    func fixture(key: String? = nil) throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        try dir.write("a.env", "MAINTAINX_API_KEY=\(key ?? FakeKeys.alnum(40))\n")
        let run = try Run.keywarden(["scan", "--no-git", "--format", "json", "a.env"], in: dir.path(), environment: env)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let fp = try #require((object?["findings"] as? [[String: Any]])?.first?["fingerprint"] as? String)
        return (dir, fp)
    }

    func scan(_ dir: TemporaryDirectory, today: String = "2026-11-23", _ extra: [String] = []) throws -> ProcessResult {
        try Run.keywarden(["scan", "--no-git"] + extra + ["a.env"], in: dir.path(), environment: env.merging(["KEYWARDEN_TODAY": today]) { $1 })
    }

    @Test func listAndRemove() throws {
        let (dir, fp) = try fixture()
        let empty = try Run.keywarden(["ignore", "list"], in: dir.path(), environment: env)
        #expect(empty.status == 0)
        #expect(empty.stdout.contains("no entries"))
        #expect(try Run.keywarden(["ignore", "add", fp, "--reason", "test fixture"], in: dir.path(), environment: env).status == 0)
        let listed = try Run.keywarden(["ignore", "list"], in: dir.path(), environment: env)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("\(fp)  no expiry  test fixture"))
        #expect(try scan(dir).status == 0)

        // A unique prefix is enough; afterwards the finding is reported again.
        let removed = try Run.keywarden(["ignore", "remove", String(fp.prefix(10))], in: dir.path(), environment: env)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("removed \(fp)"))
        #expect(try scan(dir).status == 1)
        let again = try Run.keywarden(["ignore", "remove", fp], in: dir.path(), environment: env)
        #expect(again.status == 2)
        #expect(again.stderr.contains("is not in"))
        #expect(try Run.keywarden(["ignore", "remove", "xyz"], in: dir.path(), environment: env).status == 2)
    }

    @Test func anExpiredEntryStopsSuppressingAndIsReported() throws {
        let (dir, fp) = try fixture()
        let add = try Run.keywarden(["ignore", "add", fp, "--reason", "until the vendor fixes it", "--expires", "2027-03-01"],
                                    in: dir.path(), environment: env)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(try String(contentsOfFile: dir.path(".keywardenignore"), encoding: .utf8)
                == "\(fp) expires=2027-03-01  # until the vendor fixes it\n")
        // Up to and including the day: suppressed.
        #expect(try scan(dir, today: "2027-03-01").status == 0)
        // The day after: reported again, with a warning naming the entry.
        let expired = try scan(dir, today: "2027-03-02")
        #expect(expired.status == 1)
        #expect(expired.stderr.contains("expired on 2027-03-01 and no longer suppresses"))
        let listed = try Run.keywarden(["ignore", "list"], in: dir.path(), environment: env.merging(["KEYWARDEN_TODAY": "2027-03-02"]) { $1 })
        #expect(listed.status == 1)
        #expect(listed.stdout.contains("EXPIRED 2027-03-01"))
        // The hook reads the same file the same way.
        try Run.git(["init", "-q", "-b", "main"], in: dir.path())
        try Run.git(["add", "a.env"], in: dir.path())
        let hook = try Run.keywarden(["hook", "run", "pre-commit"], in: dir.path(),
                                     environment: env.merging(["KEYWARDEN_TODAY": "2027-03-02", "GIT_INDEX_FILE": dir.path(".git/index"),
                                                               "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"]) { $1 })
        #expect(hook.status == 1)
        #expect(hook.stderr.contains("no longer suppresses"))

        // Renewing replaces the entry.
        #expect(try Run.keywarden(["ignore", "add", fp, "--reason", "renewed", "--expires", "2027-06-01"], in: dir.path(),
                                   environment: env).status == 0)
        #expect(try String(contentsOfFile: dir.path(".keywardenignore"), encoding: .utf8) == "\(fp) expires=2027-06-01  # renewed\n")
        #expect(try scan(dir, today: "2027-03-02").status == 0)
    }

    @Test func badDatesAndMalformedEntriesAreErrors() throws {
        let (dir, fp) = try fixture()
        for bad in ["2027-02-30", "next week", "2026-11-22"] {
            let r = try Run.keywarden(["ignore", "add", fp, "--reason", "x", "--expires", bad], in: dir.path(), environment: env)
            #expect(r.status == 2, "\(bad)")
            #expect(r.stderr.contains("--expires"))
        }
        try dir.write(".keywardenignore", "\(fp) until=2027-01-01\n")
        let scan = try scan(dir)
        #expect(scan.status == 2)
        #expect(scan.stderr.contains(".keywardenignore:1: unexpected 'until=2027-01-01'"))
    }

    @Test func ignoreFileIsNamedTheSameAsInScan() throws {
        let (dir, fp) = try fixture()
        let add = try Run.keywarden(["ignore", "add", fp, "--reason", "fixture", "--ignore-file", dir.path("team.ignore")], in: dir.path(), environment: env)
        #expect(add.status == 0)
        #expect(try Run.keywarden(["ignore", "list", "--ignore-file", dir.path("team.ignore")], in: dir.path(), environment: env).stdout.contains(fp))
        #expect(try scan(dir, ["--ignore-file", dir.path("team.ignore")]).status == 0)
        #expect(try Run.keywarden(["ignore", "remove", fp, "--file", dir.path("team.ignore")], in: dir.path(), environment: env).status == 0)
        #expect(try scan(dir, ["--ignore-file", dir.path("team.ignore")]).status == 1)
    }

    // MARK: salted fingerprints (issue 14)

    /// The first scan that fingerprints something creates `.keywarden-salt` where `.keywardenignore` goes; a scan
    /// that finds nothing writes nothing; two folders with their own salts give the same key different fingerprints.
    @Test func eachRepositoryHasItsOwnSalt() throws {
        let clean = try TemporaryDirectory()
        try clean.write("a.env", "NOTHING=here\n")
        #expect(try Run.keywarden(["scan", "--no-git", "a.env"], in: clean.path(), environment: env).status == 0)
        #expect(!FileManager.default.fileExists(atPath: clean.path(".keywarden-salt")))

        let key = FakeKeys.alnum(40)
        let (a, fpA) = try fixture(key: key)
        let (b, fpB) = try fixture(key: key)
        #expect(FileManager.default.fileExists(atPath: a.path(".keywarden-salt")))
        #expect(try String(contentsOfFile: a.path(".keywarden-salt"), encoding: .utf8) != String(contentsOfFile: b.path(".keywarden-salt"), encoding: .utf8))
        #expect(fpA != fpB, "the same key in two repositories")
        // A copied salt gives the same fingerprint: that is how a team shares it (commit the file).
        try FileManager.default.removeItem(atPath: b.path(".keywarden-salt"))
        try FileManager.default.copyItem(atPath: a.path(".keywarden-salt"), toPath: b.path(".keywarden-salt"))
        #expect(try Run.keywarden(["ignore", "add", fpA, "--reason", "fixture"], in: b.path(), environment: env).status == 0)
        let shared = try scan(b)
        #expect(shared.status == 0, "\(shared.stdout)\(shared.stderr)")
    }

    /// An entry written by keywarden 0.1 (the plain SHA-256) still suppresses, with a warning naming the file and
    /// the line; `--migrate-fingerprints` rewrites it, and the rewritten entry suppresses without a warning.
    @Test func oldFormatEntriesSuppressWarnAndMigrate() throws {
        let dir = try TemporaryDirectory()
        let key = FakeKeys.alnum(40)
        try dir.write("a.env", "MAINTAINX_API_KEY=\(key)\n")
        let old = Hashing.Hex.encode(Digest.sha256(Array(key.utf8)))
        try dir.write(".keywardenignore", "# team entries\n\(old)  # fixture\n")
        let warned = try scan(dir)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains(".keywardenignore: 1 ignore entry (line 2) in the old fingerprint form"))
        #expect(warned.stderr.contains("--migrate-fingerprints"))
        #expect(try String(contentsOfFile: dir.path(".keywardenignore"), encoding: .utf8).contains(old), "a plain scan rewrites nothing")

        let migrated = try scan(dir, ["--migrate-fingerprints"])
        #expect(migrated.status == 0)
        #expect(migrated.stderr.contains("rewrote 1 ignore entry (line 2)"))
        let text = try String(contentsOfFile: dir.path(".keywardenignore"), encoding: .utf8)
        #expect(!text.contains(old) && text.hasPrefix("# team entries\n") && text.hasSuffix("  # fixture\n"))
        let after = try scan(dir)
        #expect(after.status == 0)
        #expect(!after.stderr.contains("old fingerprint form"))
    }

    @Test func aMalformedSaltFileIsAnErrorAndNothingIsWritten() throws {
        let (dir, fp) = try fixture()
        try dir.write(".keywardenignore", "\(fp)\n")
        try dir.write(".keywarden-salt", "v1 not-hex\n")
        let r = try scan(dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains(".keywarden-salt:1: not a salt line (expected 'v1' and 64 lowercase hex digits)"))
        #expect(try String(contentsOfFile: dir.path(".keywarden-salt"), encoding: .utf8) == "v1 not-hex\n")
        #expect(try String(contentsOfFile: dir.path(".keywardenignore"), encoding: .utf8) == "\(fp)\n")
    }
}
