import Foundation
import Testing
import TestSupport

/// `keywarden ignore add|list|remove` and expiring entries, through the real binary.
@Suite struct IgnoreCommandTests {
    let env = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path,
               "KEYWARDEN_TODAY": "2026-11-23"]

    /// A folder with one finding in `a.env`; its fingerprint.
    func fixture() throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        try dir.write("a.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
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
}
