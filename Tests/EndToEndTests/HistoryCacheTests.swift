import Foundation
import Synchronization
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

        /// The cache files in `.git/keywarden`, one per rule set and options (names sorted).
        var cacheFiles: [String] {
            let folder = dir.path(".git/keywarden")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.filter { $0.hasPrefix("history-") && $0.hasSuffix(".cache") }.sorted().map { folder + "/" + $0 }
        }

        /// The cache file when there is exactly one (a path that does not exist otherwise).
        var cacheFile: String {
            let files = cacheFiles
            return files.count == 1 ? files[0] : dir.path(".git/keywarden/history-none.cache")
        }
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
        try repo.dir.write(".keywarden.toml", Self.extraRule)
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

    /// docs/ci.md's recipe: a CI job saves `.git/keywarden`, a later job on another runner (another cache folder,
    /// a fresh clone at another path, with new commits) restores it and scans with the same `KEYWARDEN_CACHE_KEY`:
    /// the cache is used (only the new commit is walked) and the report is the full scan's.
    @Test func aCacheRestoredIntoAFreshCloneWithTheSameKeyIsUsed() throws {
        let repo = try Repo()
        repo.environment["KEYWARDEN_CACHE_KEY"] = "ci-job-key"
        try repo.commit("base", ["app.env": "MX_API_KEY=\(FakeKeys.maintainX())\n"])
        try repo.commit("more", ["b.txt": "b\n"])
        let saved = try repo.scan()
        #expect(try cacheLine(saved)[0] == 0)
        try repo.commit("new", ["c.env": "MX_API_KEY=\(FakeKeys.maintainX(userID: 4242))\n"])

        // The next job: a fresh clone elsewhere, the repository's salt (committed in a real repository), the
        // saved folder copied in, and a runner whose own cache folder is empty.
        let clone = try TemporaryDirectory(prefix: "keywarden-history-clone")
        try Run.git(["clone", "-q", repo.dir.path(), clone.path()], in: repo.dir.path())
        try FileManager.default.copyItem(atPath: repo.dir.path(".keywarden-salt"), toPath: clone.path(".keywarden-salt"))
        try FileManager.default.createDirectory(atPath: clone.path(".git/keywarden"), withIntermediateDirectories: true)
        for file in repo.cacheFiles {
            try FileManager.default.copyItem(atPath: file, toPath: clone.path(".git/keywarden/" + (file as NSString).lastPathComponent))
        }
        let runner = try TemporaryDirectory(prefix: "keywarden-history-runner")
        let environment = ["KEYWARDEN_CACHE_DIR": runner.path(), "KEYWARDEN_CACHE_KEY": "ci-job-key"]
        let restored = try Run.keywarden(["scan", "--history", "--format", "json"], in: clone.path(), environment: environment)
        let full = try Run.keywarden(["scan", "--history", "--format", "json", "--no-cache"], in: clone.path(), environment: environment)
        #expect(!restored.stderr.contains("another key") && !restored.stderr.contains("damaged"), "\(restored.stderr)")
        // "history cache: 2 of 3 commits ...": the two commits the first job scanned are known.
        let line = try cacheLine(restored)
        #expect(line.prefix(2) == [2, 3], "\(restored.stderr)")
        #expect(try findings(restored) == findings(full))
        #expect(try findings(restored).count == 2)
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
        let cacheFile = repo.cacheFile
        try FileManager.default.removeItem(atPath: cacheFile)
        #expect(mkfifo(cacheFile, 0o600) == 0)
        // `-k`: a scan blocked opening the FIFO did not end on SIGTERM under the test runner; SIGKILL 5 s later.
        let r = try Run.program("/usr/bin/timeout", ["-k", "5", "60", Run.keywardenPath, "scan", "--history", "--format", "json"],
                                in: repo.dir.path(), environment: repo.environment)
        #expect(r.status == 1, "exit \(r.status) (124 or 137: it hung): \(r.stderr)")
        #expect(r.stderr.contains("is a FIFO, not a regular file"), "\(r.stderr)")
        // Not the next scan: it would hang on the FIFO still there, with no time limit.
        try #require(r.status == 1)
        #expect(try findings(r) == expected)
        var info = stat()
        #expect(lstat(cacheFile, &info) == 0 && info.st_mode & S_IFMT == S_IFREG, "a regular cache file again")
        #expect(try cacheLine(try repo.scan())[0] == 1, "and it is used")
    }

    /// A project rule, in a config kept outside the repository (`--config`): another rule set.
    static let extraRule = """
        [extend]
        useDefault = true

        [[rules]]
        id = "internal-token"
        description = "Internal token"
        regex = '''internal_token\\s*=\\s*"([a-z0-9]{24})"'''
        secretGroup = 1
        keywords = ["internal_token"]

        """

    /// Scans with `arguments`, then the same with `--no-cache`, expects the same report and at most four
    /// cache files; returns the cached run's cache line.
    func cachedLine(_ repo: Repo, _ arguments: [String], _ comment: Comment) throws -> [Int] {
        let incremental = try repo.scan(arguments)
        let full = try repo.scan(arguments + ["--no-cache"])
        #expect(incremental.status == full.status, comment)
        #expect(try findings(incremental) == findings(full), comment)
        #expect(repo.cacheFiles.count <= 4, "\(comment): \(repo.cacheFiles)")
        return try cacheLine(incremental)
    }

    /// Two rule sets in turn (a CI job with the built-in rules, a developer with a config that adds one):
    /// each has a file of its own, so each run after the first is incremental. The folder keeps the four
    /// most recently used files; a run that only uses its file (nothing new to write) counts as a use.
    @Test func alternatingRuleSetsEachStayIncrementalAndTheFolderKeepsFourFiles() throws {
        let repo = try Repo()
        let config = try TemporaryDirectory(prefix: "keywarden-history-config")
        try config.write("extra.toml", Self.extraRule)
        let extra = ["--config", config.path("extra.toml")]
        try repo.commit("base", ["app.env": "MX_API_KEY=\(FakeKeys.maintainX())\n"])
        let token = FakeKeys.random(Array("abcdefghijklmnopqrstuvwxyz0123456789"), 24)
        try repo.commit("internal", ["conf/internal.ini": "internal_token = \"\(token)\"\n"])
        for i in 0..<3 { try repo.commit("work \(i)", ["src/file\(i).txt": "line \(i)\n"]) }

        #expect(try cachedLine(repo, [], "built-in rules, cold")[0] == 0)
        #expect(try cachedLine(repo, extra, "the extra rule, cold")[0] == 0)
        #expect(repo.cacheFiles.count == 2)
        #expect(try findings(try repo.scan(extra)).joined().contains("internal-token"))
        #expect(try !findings(try repo.scan()).joined().contains("internal-token"))

        var commits = 5
        for round in 0..<3 {
            try repo.commit("round \(round)", ["src/round\(round).txt": "round \(round)\n",
                                               "env/round\(round).env": "MX_API_KEY=\(FakeKeys.maintainX(userID: 100 + round))\n"])
            commits += 1
            for (arguments, name) in [([String](), "built-in"), (extra, "extra")] {
                let line = try cachedLine(repo, arguments, "\(name), round \(round)")
                // Every commit but the new one known; the two new blobs read, and the others only for their findings.
                #expect(line[0] == commits - 1 && line[1] == commits, "\(name), round \(round): \(line)")
                #expect(line[4] - line[5] == 2, "\(name), round \(round): \(line)")
            }
            #expect(repo.cacheFiles.count == 2)
        }

        // Options that change what is scanned have files of their own too. Oldest first: built-in, extra, 1M, 2M.
        #expect(try cachedLine(repo, ["--max-file-size", "1M"], "1M")[0] == 0)
        #expect(try cachedLine(repo, ["--max-file-size", "2M"], "2M")[0] == 0)
        #expect(repo.cacheFiles.count == 4)
        // The built-in rules again, nothing new: the file is not rewritten, but it is now the most recently used.
        let used = try cachedLine(repo, [], "built-in, nothing new")
        #expect(used[0] == commits && used[4] == used[5], "\(used)")
        // A fifth file: the least recently used (the extra rule's) goes.
        #expect(try cachedLine(repo, ["--max-file-size", "3M"], "3M")[0] == 0)
        #expect(repo.cacheFiles.count == 4)
        #expect(try cachedLine(repo, [], "built-in, kept")[0] == commits)
        #expect(try cachedLine(repo, extra, "extra, removed")[0] == 0)
        #expect(repo.cacheFiles.count == 4)
    }

    /// A cache made with `--no-archives` remembers an archive as a binary file it skipped: a scan that opens
    /// archives must not take that from it (it missed the key inside).
    @Test func aCacheMadeWithoutArchivesIsNotUsedByAScanThatOpensThem() throws {
        let repo = try Repo()
        let key = FakeKeys.maintainX()
        let made = try Run.program("/usr/bin/python3", ["-c", """
            import os, zipfile
            with zipfile.ZipFile('bundle.zip', 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('deploy/prod.env', os.environ['TEXT'])
            """], in: repo.dir.path(), environment: ["TEXT": "MX_API_KEY=\(key)\n"])
        try #require(made.status == 0, "\(made.stderr)")
        try repo.commit("bundle", [:])
        #expect(try repo.scan(["--no-archives"]).status == 0)
        let opened = try repo.scan()
        #expect(opened.status == 1, "\(opened.stderr)")
        #expect(try findings(opened) == findings(try repo.scan(["--no-cache"])))
        #expect(try findings(opened).joined().contains("bundle.zip!deploy\\/prod.env"), "\(opened.stdout)")
    }

    /// Two scans of one repository at the same time, with the same cache: both report what a full scan
    /// reports, and the file left behind is whole and used by the next run (cold, then with new commits).
    @Test func twoRunsAtOnceReportWhatAFullScanReportsAndLeaveAUsableCache() throws {
        let repo = try Repo()
        // Enough history that the runs overlap: 400 commits through fast-import, a secret every 50.
        var stream = ""
        for i in 0..<400 {
            let content = i % 50 == 7 ? "MX_API_KEY=\(FakeKeys.maintainX(userID: 1000 + i))\n" : "line \(i)\n"
            stream += "commit refs/heads/main\ncommitter T <t@example.com> \(1_700_000_000 + i * 60) +0000\n"
            stream += "data 6\nc\(String(format: "%04d", i))\n"
            stream += "M 100644 inline dir\(i % 20)/file\(i % 37).env\ndata \(content.utf8.count)\n\(content)\n"
        }
        let imported = try Run.program("/usr/bin/git", ["fast-import", "--quiet"], in: repo.dir.path(), stdin: stream)
        try #require(imported.status == 0, "\(imported.stderr)")
        try repo.git("reset", "-q", "--hard")
        let path = repo.dir.path(), environment = repo.environment

        for round in ["cold", "after new commits"] {
            if round != "cold" {
                for i in 0..<5 { try repo.commit("new \(i)", ["new/file\(i).env": "MX_API_KEY=\(FakeKeys.maintainX(userID: 5000 + i))\n"]) }
            }
            let expected = try findings(try repo.scan(["--no-cache"]))
            let results = Mutex<[ProcessResult?]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                let r = try? Run.keywarden(["scan", "--history", "--format", "json"], in: path, environment: environment)
                results.withLock { $0.append(r) }
            }
            for started in results.withLock({ $0 }) {
                let r = try #require(started, "\(round): a run could not be started")
                #expect(r.status == 1, "\(round): exit \(r.status): \(r.stderr)")
                #expect(try findings(r) == expected, "\(round)")
                #expect(!r.stderr.contains("damaged") && !r.stderr.contains("could not be written"), "\(round): \(r.stderr)")
            }
            // One whole file, no temporary left, and the next run takes every commit from it.
            #expect(repo.cacheFiles.count == 1, "\(round): \(repo.cacheFiles)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: repo.dir.path(".git/keywarden")).filter { $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty, "\(round): \(leftovers)")
            let next = try repo.scan()
            #expect(try findings(next) == expected, "\(round)")
            let line = try cacheLine(next)
            #expect(line[0] == line[1] && line[4] == line[5], "\(round): every commit and blob known: \(line)")
        }
    }
}
