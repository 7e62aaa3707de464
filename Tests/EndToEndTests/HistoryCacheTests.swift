import Foundation
import Testing
import TestSupport

/// `keywarden scan --history` keeps what it learnt in `.git/keywarden/`: the next run walks only new commits
/// and reads only new blobs (and those with findings), and reports exactly what a full scan reports.
@Suite struct HistoryCacheTests {
    /// A repository, a private cache folder (its per-user key) and a commit clock.
    final class Repo {
        let dir: TemporaryDirectory
        let cache: TemporaryDirectory
        var environment: [String: String]
        private var clock = 1_700_000_000

        init() throws {
            dir = try TemporaryDirectory(prefix: "keywarden-history-cache")
            cache = try TemporaryDirectory(prefix: "keywarden-history-cache-key")
            environment = ["KEYWARDEN_CACHE_DIR": cache.path()]
            try git("init", "-q", "-b", "main", ".")
            // The first scan with a finding creates the fingerprint salt; `commit`'s `add -A` must not commit it
            // (the blob counts below are of the test's own files).
            try dir.write(".git/info/exclude", ".keywarden-salt\n")
        }

        @discardableResult
        func git(_ arguments: String...) throws -> String {
            clock += 60
            let date = "\(clock) +0100"
            return try Run.git(arguments, in: dir.path(), environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @discardableResult
        func commit(_ message: String, _ files: [String: String?]) throws -> String {
            for (path, content) in files {
                if let content {
                    try FileManager.default.createDirectory(atPath: (dir.path(path) as NSString).deletingLastPathComponent,
                                                            withIntermediateDirectories: true)
                    try dir.write(path, content)
                } else {
                    try FileManager.default.removeItem(atPath: dir.path(path))
                }
            }
            try git("add", "-A")
            try git("commit", "-q", "--allow-empty", "-m", message)
            return try git("rev-parse", "HEAD")
        }

        func scan(_ extra: [String] = []) throws -> ProcessResult {
            try Run.keywarden(["scan", "--history", "--format", "json"] + extra, in: dir.path(), environment: environment)
        }

        var cacheFile: String { dir.path(".git/keywarden/history-all.cache") }
    }

    /// The findings of a JSON report, each as canonical JSON text (every field compared).
    func findings(_ run: ProcessResult) throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let list = try #require(json?["findings"] as? [[String: Any]], "no report: \(run.stderr)")
        return try list.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
    }

    /// "history cache: R of N commits and K of B blobs known ...; X blobs read (Y again ...)" as numbers.
    func cacheLine(_ run: ProcessResult) throws -> [Int] {
        let line = try #require(run.stderr.split(separator: "\n").first { $0.contains("history cache: ") }, "no cache line: \(run.stderr)")
        return line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    }

    /// Scans with the cache, then without, and expects the same report; returns the cached run.
    @discardableResult
    func expectSameAsFullScan(_ repo: Repo, _ comment: Comment) throws -> ProcessResult {
        let incremental = try repo.scan()
        let full = try repo.scan(["--no-cache"])
        #expect(incremental.status == full.status, comment)
        #expect(try findings(incremental) == findings(full), comment)
        #expect(!full.stderr.contains("history cache"), comment)
        return incremental
    }

    @Test func incrementalScansReportWhatAFullScanReportsThroughCommitsRewritesAndARuleChange() throws {
        let repo = try Repo()
        let first = FakeKeys.maintainX(userID: 1), second = FakeKeys.githubToken(), third = FakeKeys.maintainX(userID: 3)
        try repo.commit("base", ["readme.txt": "hello\n"])
        try repo.commit("add config", ["svc/app.env": "MX_API_KEY=\(first)\n"])
        for i in 0..<5 { try repo.commit("work \(i)", ["src/file\(i).txt": "line \(i)\n"]) }

        // The first run learns everything.
        let cold = try expectSameAsFullScan(repo, "first run")
        let coldLine = try cacheLine(cold)
        #expect(coldLine[0] == 0 && coldLine[1] == 7, "nothing known yet: \(coldLine)")
        #expect(FileManager.default.fileExists(atPath: repo.cacheFile))

        // New commits: the same secret in a new blob, a new secret, the first file deleted.
        try repo.commit("edit config", ["svc/app.env": "# comment\nMX_API_KEY=\(first)\n"])
        try repo.commit("token", ["ci/token.txt": "GITHUB_TOKEN=\(second)\n"])
        try repo.commit("drop config", ["svc/app.env": nil])
        let warm = try expectSameAsFullScan(repo, "after new commits")
        let warmLine = try cacheLine(warm)
        #expect(warmLine[0] == 7 && warmLine[1] == 10, "7 commits reused: \(warmLine)")
        // Only the two new blobs are new; the blob with findings is read again for its report.
        #expect(warmLine[4] == 3 && warmLine[5] == 1, "\(warmLine)")

        // Nothing new: only the blobs with findings are read.
        let again = try expectSameAsFullScan(repo, "no change")
        let againLine = try cacheLine(again)
        #expect(againLine[0] == againLine[1] && againLine[4] == againLine[5], "\(againLine)")

        // A branch with its own secret, then a rebase of it and the deletion of the branch.
        try repo.git("checkout", "-q", "-b", "feature", "HEAD~2")
        try repo.commit("feature secret", ["feature.env": "MX_API_KEY=\(third)\n"])
        try repo.commit("feature work", ["feature.txt": "more\n"])
        try repo.git("checkout", "-q", "main")
        try expectSameAsFullScan(repo, "with a feature branch")
        try repo.git("rebase", "-q", "main", "feature")
        try repo.git("checkout", "-q", "main")
        try expectSameAsFullScan(repo, "after a rebase")
        try repo.git("branch", "-q", "-D", "feature")
        let deleted = try expectSameAsFullScan(repo, "after deleting the branch")
        #expect(try !findings(deleted).joined().contains("feature.env"))

        // A force-push: main rewritten two commits back, the token commit dropped, a new commit on top.
        try repo.git("reset", "-q", "--hard", "HEAD~2")
        try repo.commit("rewritten", ["svc/app.env": "MX_API_KEY=\(first)\nMX_OTHER=\(third)\n"])
        try repo.git("reflog", "expire", "--expire=now", "--all")
        try repo.git("gc", "-q", "--prune=now")
        let rewritten = try expectSameAsFullScan(repo, "after a force-push")
        #expect(try !findings(rewritten).joined().contains("ci/token.txt"))

        // A rule change (a project rule) rescans everything, and finds what the new rule finds.
        try repo.dir.write(".keywarden.toml", """
            [extend]
            useDefault = true

            [[rules]]
            id = "internal-token"
            description = "Internal token"
            regex = '''internal_token\\s*=\\s*"([a-z0-9]{24})"'''
            secretGroup = 1
            keywords = ["internal_token"]

            """)
        try repo.commit("internal", ["conf/internal.ini": "internal_token = \"\(FakeKeys.random(Array("abcdefghijklmnopqrstuvwxyz0123456789"), 24))\"\n"])
        let ruled = try expectSameAsFullScan(repo, "after a rule change")
        #expect(try cacheLine(ruled)[0] == 0, "a new rule set starts from nothing")
        #expect(try findings(ruled).joined().contains("internal-token"))
        let afterRules = try expectSameAsFullScan(repo, "the new rule set, warm")
        #expect(try cacheLine(afterRules)[0] > 0)
    }

    @Test func aDamagedOrForeignCacheIsRebuiltWithANote() throws {
        let repo = try Repo()
        try repo.commit("base", ["app.env": "MX_API_KEY=\(FakeKeys.maintainX())\n"])
        try repo.commit("more", ["b.txt": "b\n"])
        let first = try repo.scan()
        let expected = try findings(first)

        // One flipped byte: the HMAC fails; the scan is a full one, says so, and writes a good cache again.
        var bytes = try #require(FileManager.default.contents(atPath: repo.cacheFile))
        bytes[bytes.count / 2] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: repo.cacheFile))
        let damaged = try repo.scan()
        #expect(damaged.stderr.contains("damaged or was written with another key"))
        #expect(try findings(damaged) == expected)
        #expect(try cacheLine(damaged)[0] == 0)
        let repaired = try repo.scan()
        #expect(!repaired.stderr.contains("damaged"))
        #expect(try cacheLine(repaired)[0] == 2)

        // A cache written under another user's key (another cache folder) is not trusted.
        let other = try TemporaryDirectory(prefix: "keywarden-other-user")
        repo.environment["KEYWARDEN_CACHE_DIR"] = other.path()
        let foreign = try repo.scan()
        #expect(foreign.stderr.contains("written with another key"))
        #expect(try findings(foreign) == expected)

        // CI: a key from KEYWARDEN_CACHE_KEY; the same key trusts the file, another does not.
        repo.environment["KEYWARDEN_CACHE_KEY"] = "ci-secret-one"
        _ = try repo.scan()
        #expect(try cacheLine(try repo.scan())[0] == 2)
        repo.environment["KEYWARDEN_CACHE_KEY"] = "ci-secret-two"
        let wrongKey = try repo.scan()
        #expect(wrongKey.stderr.contains("written with another key"))
        #expect(try findings(wrongKey) == expected)

        // A truncated file (a crash cannot leave one, a copy can): rebuilt with a note too.
        let whole = try #require(FileManager.default.contents(atPath: repo.cacheFile))
        try whole.prefix(10).write(to: URL(fileURLWithPath: repo.cacheFile))
        let truncated = try repo.scan()
        #expect(truncated.stderr.contains("damaged"))
        #expect(try findings(truncated) == expected)
    }

    @Test func theCacheHoldsNoSecretAndNoCacheWritesNothing() throws {
        let repo = try Repo()
        let key = FakeKeys.maintainX(), token = FakeKeys.githubToken()
        try repo.commit("secrets", ["app.env": "MX_API_KEY=\(key)\n", "ci.txt": "GITHUB_TOKEN=\(token)\n"])

        let bare = try repo.scan(["--no-cache"])
        #expect(bare.status == 1)
        #expect(!FileManager.default.fileExists(atPath: repo.cacheFile))
        #expect(!FileManager.default.fileExists(atPath: repo.dir.path(".git/keywarden")))

        let run = try repo.scan(["--show-secrets"])
        #expect(run.status == 1)
        let bytes = try #require(FileManager.default.contents(atPath: repo.cacheFile))
        let reported = try findings(run).joined()
        #expect(reported.contains(key) && reported.contains(token))
        for secret in [key, token] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil)
            // Nor any long piece of it.
            #expect(bytes.range(of: Data(secret.utf8.dropFirst(8).prefix(16))) == nil)
        }
        // Nor the fingerprints the report shows.
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        for f in (json?["findings"] as? [[String: Any]]) ?? [] {
            let fingerprint = try #require(f["fingerprint"] as? String)
            #expect(bytes.range(of: Data(fingerprint.utf8)) == nil)
        }
        var info = stat()
        #expect(stat(repo.cacheFile, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    /// A FIFO at the cache's path hung the scan (the open waited for a writer): it is not read, a note says
    /// what it is, the scan is a full one with the same findings, and a regular cache file replaces it.
    @Test func aFIFOAtTheCachePathIsReplacedNotWaitedFor() throws {
        let repo = try Repo()
        try repo.commit("base", ["app.env": "MX_API_KEY=\(FakeKeys.maintainX())\n"])
        let expected = try findings(try repo.scan())
        try FileManager.default.removeItem(atPath: repo.cacheFile)
        #expect(mkfifo(repo.cacheFile, 0o600) == 0)
        // `-k`: a scan blocked opening the FIFO did not end on SIGTERM under the test runner; SIGKILL 5 s later.
        let r = try Run.program("/usr/bin/timeout", ["-k", "5", "60", Run.keywardenPath, "scan", "--history", "--format", "json"],
                                in: repo.dir.path(), environment: repo.environment)
        #expect(r.status == 1, "exit \(r.status) (124 or 137: it hung): \(r.stderr)")
        #expect(r.stderr.contains("is a FIFO, not a regular file"), "\(r.stderr)")
        // Not the next scan: it would hang on the FIFO still there, with no time limit.
        try #require(r.status == 1)
        #expect(try findings(r) == expected)
        var info = stat()
        #expect(lstat(repo.cacheFile, &info) == 0 && info.st_mode & S_IFMT == S_IFREG, "a regular cache file again")
        #expect(try cacheLine(try repo.scan())[0] == 1, "and it is used")
    }
}
