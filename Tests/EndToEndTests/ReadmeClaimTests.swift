import Foundation
import Testing
import TestSupport

/// README claims about `keywarden scan` that only the built binary can show: each test fails when the
/// behaviour it names breaks.
@Suite struct ReadmeClaimTests {
    let cacheEnv = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]

    func scan(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        try Run.keywarden(["scan"] + arguments, in: directory, environment: cacheEnv.merging(environment) { $1 })
    }

    func report(_ run: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\n\(run.stderr)")
    }

    func findings(_ run: ProcessResult) throws -> [[String: Any]] {
        try #require(try report(run)["findings"] as? [[String: Any]])
    }

    func git(_ arguments: [String], in dir: TemporaryDirectory, environment: [String: String] = [:]) throws {
        try Run.git(arguments, in: dir.path(), environment: environment)
    }

    // MARK: - Checksums

    @Test func aGitHubOrNpmTokenWithABadChecksumIsReportedLowAndMarkedInvalid() throws {
        let dir = try TemporaryDirectory()
        let tokens = [
            "good-github": FakeKeys.githubToken("ghp"), "bad-github": FakeKeys.githubToken("ghp", validChecksum: false),
            "good-npm": FakeKeys.npmToken(), "bad-npm": FakeKeys.npmToken(validChecksum: false),
        ]
        for (name, token) in tokens { try dir.write("config/\(name).cfg", "token: \"\(token)\"\n") }
        let run = try scan(["--no-git", "--format", "json", "config"], in: dir.path())
        #expect(run.status == 1, "\(run.stderr)")
        var byFile = [String: [String: Any]]()
        for f in try findings(run) { byFile[URL(fileURLWithPath: f["path"] as? String ?? "").deletingPathExtension().lastPathComponent] = f }
        #expect(byFile.count == 4, "one finding per token: \(byFile.keys.sorted())")
        for kind in ["github", "npm"] {
            let good = try #require(byFile["good-\(kind)"]), bad = try #require(byFile["bad-\(kind)"])
            #expect((good["extra"] as? [String: String])?["checksum"] == "valid", "\(kind)")
            #expect(good["severity"] as? String == "high", "\(kind): a verified checksum keeps its rule's severity")
            #expect((bad["extra"] as? [String: String])?["checksum"] == "invalid", "\(kind)")
            #expect(bad["severity"] as? String == "low", "\(kind): a checksum that does not verify is reported low")
            #expect(good["rule_id"] as? String == bad["rule_id"] as? String)
        }
        // The text report says so too.
        let text = try scan(["--no-git", "config/bad-npm.cfg"], in: dir.path())
        #expect(text.status == 1)
        #expect(text.stdout.contains("checksum: invalid"), "\(text.stdout)")
    }

    @Test func findingsInTestsAndDocumentationAreLoweredUnlessTheKeyProvedItself() throws {
        let dir = try TemporaryDirectory()
        try dir.write("src/app.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try dir.write("Tests/fixture.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try dir.write("docs/setup.md", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try dir.write("Tests/proven.cfg", "token: \"\(FakeKeys.githubToken("ghp"))\"\n")
        let run = try scan(["--no-git", "--format", "json", "src", "Tests", "docs"], in: dir.path())
        #expect(run.status == 1, "\(run.stderr)")
        var byPath = [String: [String: Any]]()
        for f in try findings(run) { byPath[f["path"] as? String ?? ""] = f }
        func severity(_ path: String) -> String? { byPath[path]?["severity"] as? String }
        func context(_ path: String) -> String? { (byPath[path]?["extra"] as? [String: String])?["context"] }
        #expect(byPath.count == 4, "\(byPath.keys.sorted())")
        #expect(severity("src/app.env") == "high" && context("src/app.env") == nil)
        #expect(severity("Tests/fixture.env") == "low" && context("Tests/fixture.env") == "test")
        #expect(severity("docs/setup.md") == "low" && context("docs/setup.md") == "documentation")
        // A token whose checksum verifies proved itself: marked, not lowered.
        #expect(severity("Tests/proven.cfg") == "high" && context("Tests/proven.cfg") == "test")
    }

    // MARK: - Threads

    @Test func resultsAreByteIdenticalWithOneTwoAndEightThreads() throws {
        let dir = try TemporaryDirectory()
        // Files of very different sizes in several folders, so that workers finish out of order.
        for i in 0..<48 {
            var lines = (0..<(i % 5 == 0 ? 4000 : 3)).map { "line \($0) of file \(i)" }
            lines.insert("MAINTAINX_API_KEY=\(FakeKeys.alnum(40))", at: min(lines.count, i % 3))
            if i % 2 == 0 { lines.append("token: \"\(FakeKeys.githubToken("ghp"))\"") }
            if i % 7 == 0 { lines.append("npm_token=\(FakeKeys.npmToken(validChecksum: i % 2 == 0))") }
            try dir.write("src/group\(i % 6)/file\(i).env", lines.joined(separator: "\n") + "\n")
        }
        var outputs: [Int: (text: String, json: String)] = [:]
        for threads in [1, 2, 8] {
            let text = try scan(["--no-git", "--threads", "\(threads)", "src"], in: dir.path())
            let json = try scan(["--no-git", "--threads", "\(threads)", "--format", "json", "src"], in: dir.path())
            #expect(text.status == 1 && json.status == 1)
            // The run's duration and the prefilter's load time are the fields that may differ.
            let stable = json.stdout.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.contains("\"duration_seconds\"") && !$0.contains("\"seconds\"") }.joined(separator: "\n")
            outputs[threads] = (text.stdout, stable)
        }
        let one = try #require(outputs[1])
        #expect(try findings(scan(["--no-git", "--threads", "1", "--format", "json", "src"], in: dir.path())).count >= 48 + 24)
        for threads in [2, 8] {
            #expect(outputs[threads]?.text == one.text, "text with \(threads) threads differs from 1 thread")
            #expect(outputs[threads]?.json == one.json, "json with \(threads) threads differs from 1 thread")
        }
    }

    // MARK: - Symbolic links

    @Test func symbolicLinksAreNotFollowedUnlessAsked() throws {
        let dir = try TemporaryDirectory()
        try dir.write("elsewhere/linked.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try dir.write("scan/plain.txt", "nothing here\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path("scan/linked"), withDestinationPath: dir.path("elsewhere"))
        let byDefault = try scan(["--no-git", "scan"], in: dir.path())
        #expect(byDefault.status == 0, "\(byDefault.stdout)")
        let followed = try scan(["--no-git", "--follow-symlinks", "scan"], in: dir.path())
        #expect(followed.status == 1)
        #expect(followed.stdout.contains("scan/linked/linked.env:1:"), "\(followed.stdout)")
    }

    // MARK: - Baseline

    @Test func aReportWrittenByScanIsABaselineForTheNextScan() throws {
        let dir = try TemporaryDirectory()
        let old = FakeKeys.alnum(40)
        try dir.write("src/old.env", "MAINTAINX_API_KEY=\(old)\n")
        try dir.write("src/other.env", "MX_API_KEY=\(FakeKeys.alnum(40))\n")
        let baseline = dir.path("baseline.json")
        let first = try scan(["--no-git", "--format", "json", "--output", baseline, "src"], in: dir.path())
        #expect(first.status == 1)
        // The same findings against their own report: nothing new.
        let same = try scan(["--no-git", "--format", "json", "--baseline", baseline, "src"], in: dir.path())
        #expect(same.status == 0, "\(same.stdout)\n\(same.stderr)")
        #expect(try findings(same).isEmpty)
        #expect((try report(same)["summary"] as? [String: Any])?["baselined"] as? Int == 2)
        // A new secret is reported, and only it.
        let new = FakeKeys.alnum(40)
        try dir.write("src/new.env", "MAINTAINX_API_KEY=\(new)\n")
        let next = try scan(["--no-git", "--format", "json", "--show-secrets", "--baseline", baseline, "src"], in: dir.path())
        #expect(next.status == 1)
        let found = try findings(next)
        #expect(found.map { $0["secret"] as? String } == [new])
        // The same value moved to another line is still the baselined secret (rule + fingerprint).
        try dir.write("src/old.env", "# moved\n\nMAINTAINX_API_KEY=\(old)\n")
        try FileManager.default.removeItem(atPath: dir.path("src/new.env"))
        #expect(try scan(["--no-git", "--baseline", baseline, "src"], in: dir.path()).status == 0)
        // A baseline that is not a report is an error, before any scanning.
        try dir.write("not-a-report.json", "[1, 2]\n")
        #expect(try scan(["--no-git", "--baseline", dir.path("not-a-report.json"), "src"], in: dir.path()).status == 2)
    }

    // MARK: - Staged with GIT_INDEX_FILE

    @Test func stagedHonoursGITINDEXFILEAtTheCommandLine() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-git-e2e")
        try git(["init", "-q", "-b", "main", "."], in: dir)
        try dir.write("readme.txt", "hello\n")
        try git(["add", "-A"], in: dir)
        try git(["commit", "-q", "-m", "base"], in: dir)
        // A secret staged in an alternate index only; the default index has nothing staged.
        let alternate = dir.path("alternate-index")
        try git(["read-tree", "HEAD"], in: dir, environment: ["GIT_INDEX_FILE": alternate])
        try dir.write("secret.env", "\n\nMAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try git(["add", "secret.env"], in: dir, environment: ["GIT_INDEX_FILE": alternate])
        let defaultIndex = try scan(["--staged", "--format", "json"], in: dir.path())
        #expect(defaultIndex.status == 0, "\(defaultIndex.stdout)")
        let viaVariable = try scan(["--staged", "--format", "json"], in: dir.path(), environment: ["GIT_INDEX_FILE": alternate])
        #expect(viaVariable.status == 1, "\(viaVariable.stderr)")
        let found = try findings(viaVariable)
        #expect(found.count == 1)
        #expect(found.first?["path"] as? String == "secret.env")
        #expect(found.first?["line"] as? Int == 3)
        // Relative to the current folder, as git takes it.
        let relative = try scan(["--staged"], in: dir.path(), environment: ["GIT_INDEX_FILE": "alternate-index"])
        #expect(relative.status == 1)
    }

    /// (The staged scan reads the index and the object database, so what this shows is that `GIT_DIR` names
    /// the repository; `GIT_WORK_TREE`'s part, the work tree listing, is `WorkTreeTests.honoursGitDirAndGitWorkTree`.)
    @Test func stagedFindsTheRepositoryNamedByGITDIRFromAnotherFolder() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-git-e2e")
        try git(["init", "-q", "-b", "main", "."], in: dir)
        try dir.write("readme.txt", "hello\n")
        try git(["add", "-A"], in: dir)
        try git(["commit", "-q", "-m", "base"], in: dir)
        try dir.write("app.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try git(["add", "app.env"], in: dir)
        // Run from a folder outside the repository: only the variables say where it is.
        let elsewhere = try TemporaryDirectory()
        let ceiling = ["GIT_CEILING_DIRECTORIES": (elsewhere.path() as NSString).deletingLastPathComponent]
        let without = try scan(["--staged"], in: elsewhere.path(), environment: ceiling)
        #expect(without.status == 2, "outside a repository: \(without.stderr)")
        let with = try scan(["--staged", "--format", "json"], in: elsewhere.path(),
                            environment: ceiling.merging(["GIT_DIR": dir.path(".git"), "GIT_WORK_TREE": dir.path()]) { $1 })
        #expect(with.status == 1, "\(with.stderr)")
        #expect(try findings(with).map { $0["path"] as? String } == ["app.env"])
    }

    // MARK: - Shallow clones

    @Test func aShallowCloneIsScannedAsFarAsItGoesWithAWarning() throws {
        let origin = try TemporaryDirectory(prefix: "keywarden-git-e2e")
        try git(["init", "-q", "-b", "main", "."], in: origin)
        for i in 1...4 {
            try origin.write("file\(i).txt", "content \(i)\n")
            if i == 1 { try origin.write("old.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n") }
            if i == 2 { try FileManager.default.removeItem(atPath: origin.path("old.env")) }
            try git(["add", "-A"], in: origin)
            try git(["commit", "-q", "-m", "commit \(i)"], in: origin)
        }
        let warning = "shallow clone: commits before the shallow boundary are not in this repository and were not scanned"
        // The full history: the secret of the first commit is found, and there is no warning.
        let full = try scan(["--history", "--format", "json"], in: origin.path())
        #expect(full.status == 1)
        #expect(!full.stderr.contains("shallow clone"))
        // Two commits deep: the secret is beyond the boundary; the scan says what it could not see.
        let clones = try TemporaryDirectory()
        try Run.git(["clone", "-q", "--depth", "2", "file://" + origin.path(), clones.path("shallow")], in: clones.path())
        let shallow = try scan(["--history", "--format", "json"], in: clones.path("shallow"))
        #expect(shallow.status == 0, "\(shallow.stderr)")
        #expect(shallow.stderr.contains(warning), "\(shallow.stderr)")
        let summary = try #require(try report(shallow)["summary"] as? [String: Any])
        #expect((summary["warnings"] as? [String])?.contains { $0.contains(warning) } == true)
    }
}
