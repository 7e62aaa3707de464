import Foundation
import Testing
import TestSupport

/// The built binary, as users and the benchmark harness call it.
@Suite struct ScanCommandTests {
    let cacheEnv: [String: String]
    init() throws {
        cacheEnv = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
    }

    @Test func exitCodesTellTheTruth() throws {
        let dir = try TemporaryDirectory()
        try dir.write("clean/app.swift", "let answer = 42\n")
        try dir.write("dirty/.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        #expect(try Run.keywarden(["scan", "--no-git", dir.path("clean")], environment: cacheEnv).status == 0)
        let dirty = try Run.keywarden(["scan", "--no-git", dir.path("dirty")], environment: cacheEnv)
        #expect(dirty.status == 1)
        #expect(dirty.stdout.contains("maintainx-api-key-assignment"))
        #expect(try Run.keywarden(["scan", "--no-git", dir.path("missing")], environment: cacheEnv).status == 2)
        let usage = try Run.keywarden(["scan", "--no-such-flag"], environment: cacheEnv)
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("keywarden scan"))
        #expect(try Run.keywarden(["no-such-command"], environment: cacheEnv).status == 2)
    }

    @Test func jsonReportHasTheContractFieldsAndRedacts() throws {
        let dir = try TemporaryDirectory()
        let key = FakeKeys.maintainX()
        try dir.write("src/client.ts", "// client\nconst token = \"\(key)\";\n")
        let out = dir.path("report.json")
        let run = try Run.keywarden(["scan", "--no-git", "--format", "json", "--output", out, dir.path("src")], environment: cacheEnv)
        #expect(run.status == 1)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(!text.contains(key) && !run.stdout.contains(key) && !run.stderr.contains(key))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["version"] is String)
        let findings = try #require(object["findings"] as? [[String: Any]])
        let f = try #require(findings.first)
        for field in ["rule_id", "provider", "severity", "path", "line", "column", "end_line", "secret", "fingerprint"] {
            #expect(f[field] != nil, "finding has \(field)")
        }
        #expect(f["rule_id"] as? String == "maintainx-api-key")
        #expect(f["line"] as? Int == 2)
        #expect((f["path"] as? String)?.hasSuffix("src/client.ts") == true)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["files"] as? Int == 1)
        #expect(summary["errors"] as? [String] == [])
        let shown = try Run.keywarden(["scan", "--no-git", "--format", "json", "--show-secrets", dir.path("src")], environment: cacheEnv)
        #expect(shown.stdout.contains(key))
        // `--output -` is standard output, not a file named "-" in the current directory.
        let dash = try Run.keywarden(["scan", "--no-git", "--format", "json", "--output", "-", "src"], in: dir.path(), environment: cacheEnv)
        #expect(dash.status == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.path("-")))
        let dashed = try #require(try JSONSerialization.jsonObject(with: Data(dash.stdout.utf8)) as? [String: Any])
        #expect((dashed["findings"] as? [[String: Any]])?.count == 1)
    }

    @Test func standardInputIsScanned() throws {
        let key = FakeKeys.alnum(40)
        let run = try Run.keywarden(["scan", "-"], stdin: "MX_API_KEY=\(key)\n", environment: cacheEnv)
        #expect(run.status == 1)
        #expect(run.stdout.contains("<stdin>:1:"))
        #expect(!run.stdout.contains(key))
    }

    @Test func theBinaryCarriesItsRulesWhenCopiedAlone() throws {
        let dir = try TemporaryDirectory()
        let copy = dir.path("bin/keywarden")
        try FileManager.default.createDirectory(atPath: dir.path("bin"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Run.keywardenPath, toPath: copy)
        let list = try Run.program(copy, ["rules", "list"], in: dir.path(), environment: cacheEnv)
        #expect(list.status == 0)
        #expect(list.stdout.contains("maintainx-api-key"))
        let check = try Run.program(copy, ["rules", "check", "--require-examples", "2"], in: dir.path(), environment: cacheEnv)
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("0 failed"))
    }

    @Test func rulesCheckFailsNamingARuleWithABrokenExampleOrAMatchingNegative() throws {
        let dir = try TemporaryDirectory()
        let good = """
            [[rules]]
            id = "acme-good"
            regex = '''\\bacme_([a-z]{24})\\b'''
            examples = ["token = acme_{{lower:24}}"]
            negative_examples = ["token = acme_short"]

            """
        let brokenExample = """
            [[rules]]
            id = "acme-broken-example"
            regex = '''\\bbeta_([a-z]{24})\\b'''
            examples = ["token = beta_{{digits:24}}"]
            negative_examples = ["token = beta_short"]

            """
        let matchingNegative = """
            [[rules]]
            id = "acme-matching-negative"
            regex = '''\\bgamma_([a-z]{24})\\b'''
            examples = ["token = gamma_{{lower:24}}"]
            negative_examples = ["token = gamma_{{lower:24}}"]

            """
        let head = "[extend]\nuseDefault = false\n\n"
        func check(_ name: String, _ rules: String) throws -> ProcessResult {
            try dir.write(name, head + rules)
            return try Run.keywarden(["rules", "check", "--config", dir.path(name)], in: dir.path(), environment: cacheEnv)
        }
        let passing = try check("good.toml", good)
        #expect(passing.status == 0, "\(passing.stdout)")
        #expect(passing.stdout.contains("1 rules, 1 examples, 1 negative examples: 1 passed, 0 failed"), "\(passing.stdout)")

        let broken = try check("broken.toml", good + brokenExample)
        #expect(broken.status == 1, "\(broken.stdout)")
        #expect(broken.stdout.contains("FAIL acme-broken-example"), "\(broken.stdout)")
        #expect(broken.stdout.contains("example 1 was not found"))
        #expect(!broken.stdout.contains("FAIL acme-good"))

        let negative = try check("negative.toml", good + matchingNegative)
        #expect(negative.status == 1, "\(negative.stdout)")
        #expect(negative.stdout.contains("FAIL acme-matching-negative"), "\(negative.stdout)")
        #expect(negative.stdout.contains("negative example 1 was found"))
        #expect(!negative.stdout.contains("FAIL acme-good"))

        let both = try check("both.toml", good + brokenExample + matchingNegative)
        #expect(both.status == 1)
        #expect(both.stdout.contains("3 rules, 3 examples, 3 negative examples: 1 passed, 2 failed"), "\(both.stdout)")
    }

    @Test func ignoreAddSuppressesByFingerprint() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        let first = try Run.keywarden(["scan", "--no-git", "--format", "json", "a.env"], in: dir.path(), environment: cacheEnv)
        let object = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
        let fp = try #require((object?["findings"] as? [[String: Any]])?.first?["fingerprint"] as? String)
        let add = try Run.keywarden(["ignore", "add", fp, "--reason", "fixture"], in: dir.path(), environment: cacheEnv)
        #expect(add.status == 0)
        let second = try Run.keywarden(["scan", "--no-git", "a.env"], in: dir.path(), environment: cacheEnv)
        #expect(second.status == 0)
        #expect(second.stderr.contains("1 ignored"))
        #expect(try Run.keywarden(["ignore", "add", "zz", "--reason", "x"], in: dir.path(), environment: cacheEnv).status == 2)
    }

    @Test func malformedConfigIsAnErrorNamingFileAndLine() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad.toml", "[[rules]]\nid = \"x\"\nregex = '''abc\n")
        try dir.write("a.txt", "hello\n")
        let run = try Run.keywarden(["scan", "--no-git", "--config", dir.path("bad.toml"), dir.path("a.txt")], environment: cacheEnv)
        #expect(run.status == 2)
        #expect(run.stderr.contains("bad.toml:3"))
    }

    @Test func aBrokenUserRuleIsNamedAndTheOthersStillFind() throws {
        let dir = try TemporaryDirectory()
        try dir.write("rules.toml", """
            [[rules]]
            id = "broken-rule"
            regex = '''(unclosed'''
            [[rules]]
            id = "acme-token"
            regex = '''acme_([a-z]{24})'''
            """)
        try dir.write("a.txt", "t = acme_\(FakeKeys.random(Array("abcdefghijklmnopqrstuvwxyz"), 24))\n")
        let run = try Run.keywarden(["scan", "--no-git", "--config", dir.path("rules.toml"), dir.path("a.txt")], environment: cacheEnv)
        #expect(run.status == 2, "a broken rule makes the scan incomplete")
        #expect(run.stderr.contains("broken-rule") && run.stderr.contains("rules.toml:1"))
        #expect(run.stdout.contains("acme-token"))
    }

    @Test func gitleaksConfigWithUnsupportedFieldWarnsOnce() throws {
        let dir = try TemporaryDirectory()
        try dir.write("rules.toml", """
            [[rules]]
            id = "a"
            regex = '''aaa_[0-9]{8}'''
            skipReport = true
            [[rules]]
            id = "b"
            regex = '''bbb_[0-9]{8}'''
            skipReport = true
            """)
        try dir.write("a.txt", "nothing\n")
        let run = try Run.keywarden(["scan", "--no-git", "--config", dir.path("rules.toml"), dir.path("a.txt")], environment: cacheEnv)
        #expect(run.status == 0)
        let warnings = run.stderr.split(separator: "\n").filter { $0.contains("skipReport") }
        #expect(warnings.count == 1)
    }

    @Test func anUnreadableFileIsListedAndTheRestIsScanned() throws {
        let dir = try TemporaryDirectory()
        try dir.write("ok.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try dir.write("locked.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        chmod(dir.path("locked.env"), 0)
        chmod(dir.path(), 0o755)
        var arguments = ["scan", "--no-git", dir.path()]
        var program = Run.keywardenPath
        var binaryCopy: TemporaryDirectory?
        if getuid() == 0 {
            // root reads everything: run the scan as nobody, so that permissions apply.
            // A copy of the binary in a world-readable place, wherever the checkout lives.
            let bin = try TemporaryDirectory(prefix: "keywarden-bin")
            chmod(bin.path(), 0o755)
            let copy = bin.path("keywarden")
            try FileManager.default.copyItem(atPath: Run.keywardenPath, toPath: copy)
            chmod(copy, 0o755)
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", copy] + arguments
            binaryCopy = bin
            program = "/usr/bin/setpriv"
        }
        let run = try Run.program(program, arguments, environment: ["KEYWARDEN_CACHE_DIR": ""])
        withExtendedLifetime(binaryCopy) {}
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("locked.env") && run.stderr.contains("Permission denied"))
        #expect(run.stdout.contains("ok.env"))
    }
}

@Suite struct TrackedKeyScanTests {
    @Test func aFindingThatIsATrackedKeyNamesIt() throws {
        let dir = try TemporaryDirectory()
        let env = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
        let key = FakeKeys.maintainX()
        let ledger = dir.path(".keywarden/keys.toml")
        let add = try Run.keywarden(["keys", "add", "mx-prod", "--env", "prod", "--owner", "ops@example.com",
                                     "--from-env", "MX_KEY", "--ledger", ledger],
                                    in: dir.path(), environment: env.merging(["MX_KEY": key]) { a, _ in a })
        #expect(add.status == 0, "\(add.stderr)")
        try dir.write("src/app.ts", "const token = \"\(key)\";\n")
        let text = try Run.keywarden(["scan", "--no-git", "--ledger", ledger, dir.path("src")], in: dir.path(), environment: env)
        #expect(text.status == 1)
        #expect(text.stdout.contains("tracked key mx-prod (environment prod, owner ops@example.com): rotate it now"))
        let json = try Run.keywarden(["scan", "--no-git", "--format", "json", "--ledger", ledger, dir.path("src")], in: dir.path(), environment: env)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let finding = try #require((object?["findings"] as? [[String: Any]])?.first)
        let tracked = try #require(finding["tracked_key"] as? [String: String])
        #expect(tracked["id"] == "mx-prod" && tracked["environment"] == "prod" && tracked["current"] == "true")
        #expect(!json.stdout.contains(key) && !text.stdout.contains(key))
        // Another key of the same shape is not called tracked.
        try dir.write("src/app.ts", "const token = \"\(FakeKeys.maintainX())\";\n")
        let other = try Run.keywarden(["scan", "--no-git", "--ledger", ledger, dir.path("src")], in: dir.path(), environment: env)
        #expect(other.status == 1 && !other.stdout.contains("tracked key"))
    }
}

/// `KEYWARDEN_TIMING`: where a scan's time goes, on standard error, only when asked for.
@Suite struct ScanTimingTests {
    let cacheEnv = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]

    /// The phases' times in the timing line, by name.
    func phases(_ stderr: String) throws -> [(String, Double)] {
        let line = try #require(stderr.split(separator: "\n").first { $0.hasPrefix("keywarden: timing: ms since main: ") })
        return try line.dropFirst("keywarden: timing: ms since main: ".count).split(separator: ", ").map { part in
            let words = part.split(separator: " ")
            let last = try #require(words.last)
            let ms = try #require(Double(last), "not a time: \(part)")
            return (words.dropLast().joined(separator: " "), ms)
        }
    }

    @Test func aScanSaysWhenEachPhaseEndedOnlyWhenAsked() throws {
        let dir = try TemporaryDirectory()
        try dir.write("app/.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        let timed = try Run.keywarden(["scan", "--no-git", "--format", "json", "--output", dir.path("r.json"), dir.path("app")],
                                      environment: cacheEnv.merging(["KEYWARDEN_TIMING": "1"]) { $1 })
        #expect(timed.status == 1)
        let marks = try phases(timed.stderr)
        let names = marks.map(\.0)
        for phase in ["arguments parsed", "rules loaded", "rules ready", "scanned", "report written"] {
            #expect(names.contains(phase), "no \(phase) in \(names)")
        }
        // The main thread's phases come in order, at times that never go back.
        let main = marks.filter { !$0.0.hasSuffix("(background)") }
        #expect(main.map(\.0).firstIndex(of: "rules loaded")! < main.map(\.0).firstIndex(of: "scanned")!)
        #expect(zip(main, main.dropFirst()).allSatisfy { $0.1 <= $1.1 })
        #expect(!timed.stdout.contains("timing"))

        let untimed = try Run.keywarden(["scan", "--no-git", "--format", "json", "--output", dir.path("r2.json"), dir.path("app")],
                                        environment: cacheEnv)
        #expect(untimed.status == 1)
        #expect(!untimed.stderr.contains("timing"))
    }

    /// A staged scan of an ordinary repository times its staged read and never loads libgit2; with `GIT_DIR`
    /// set, discovery is libgit2's, and its loading is timed too.
    @Test func aStagedScanTimesTheStagedReadAndLibgit2WhenLoaded() throws {
        let dir = try TemporaryDirectory()
        try Run.git(["init", "-q", "-b", "main"], in: dir.path())
        try dir.write("config.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try Run.git(["add", "config.env"], in: dir.path())
        let timed = try Run.keywarden(["scan", "--staged"], in: dir.path(), environment: cacheEnv.merging(["KEYWARDEN_TIMING": "1"]) { $1 })
        #expect(timed.status == 1)
        let names = try phases(timed.stderr).map(\.0)
        for phase in ["repository opened (background)", "staged changes read (background)", "scanned"] {
            #expect(names.contains(phase), "no \(phase) in \(names)")
        }
        #expect(!names.contains("libgit2 loaded"), "libgit2 was loaded: \(names)")
        let viaLibgit2 = try Run.keywarden(["scan", "--staged"], in: dir.path(),
                                           environment: cacheEnv.merging(["KEYWARDEN_TIMING": "1", "GIT_DIR": ".git"]) { $1 })
        #expect(viaLibgit2.status == 1)
        let loaded = try phases(viaLibgit2.stderr).map(\.0)
        for phase in ["libgit2 loaded", "staged changes read (background)", "scanned"] {
            #expect(loaded.contains(phase), "no \(phase) in \(loaded)")
        }
    }
}

/// A global allowlist's `paths` take a file out of the scan whatever its content: a binary key store under
/// such a path is not reported by name either.
@Suite struct GlobalPathAllowlistTests {
    @Test func aKeyStoreUnderAnAllowlistedPathIsNotReported() throws {
        let dir = try TemporaryDirectory()
        let binary = Data([0x30, 0x82, 0x0A, 0x00, 0x00, 0x01, 0x02, 0x03, 0x00, 0xFF])
        try dir.write("certs/server.p12", data: binary)
        try dir.write("vendor/lib/client.p12", data: binary)
        try dir.write(".keywarden.toml", "[[allowlists]]\npaths = ['''^vendor/''']\n")
        let cacheEnv = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
        let run = try Run.keywarden(["scan", "--no-git", "--format", "json", "--output", dir.path("r.json"), "."],
                                    in: dir.path(), environment: cacheEnv)
        #expect(run.status == 1, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("r.json")))) as? [String: Any])
        let paths = try #require(report["findings"] as? [[String: Any]]).compactMap { $0["path"] as? String }
        #expect(paths.contains { $0.hasSuffix("certs/server.p12") }, "\(paths)")
        #expect(!paths.contains { $0.contains("vendor/") }, "\(paths)")
    }

    /// A file under an allowlisted path is not read: a binary or too large one there leaves no skip note and is not
    /// counted as scanned, while the same files elsewhere still are noted, and a key there is not reported.
    @Test func filesUnderAnAllowlistedPathAreNotReadAndLeaveNoNotes() throws {
        let dir = try TemporaryDirectory()
        let big = String(repeating: "filler line of a generated file\n", count: 200)
        let binary = Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x00, 0x01, 0x02])
        for folder in ["build", "src"] {
            try dir.write("\(folder)/bundle.txt", big)
            try dir.write("\(folder)/tool.bin", data: binary)
        }
        try dir.write("build/.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try dir.write(".keywarden.toml", "[[allowlists]]\npaths = ['''^build/''']\n")
        let cacheEnv = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
        let run = try Run.keywarden(["scan", "--no-git", "--max-file-size", "1K", "--format", "json", "--output", dir.path("r.json"), "."],
                                    in: dir.path(), environment: cacheEnv)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("r.json")))) as? [String: Any])
        #expect((report["findings"] as? [[String: Any]])?.isEmpty == true)
        let summary = try #require(report["summary"] as? [String: Any])
        let skipped = try #require(summary["skipped"] as? [String])
        #expect(skipped.contains { $0.contains("src/bundle.txt") } && skipped.contains { $0.contains("src/tool.bin") }, "\(skipped)")
        #expect(!skipped.contains { $0.contains("build/") }, "\(skipped)")
        // Read and counted: .keywarden.toml alone (the src files were skipped, the build files not read).
        #expect(summary["files"] as? Int == 1, "\(summary)")
    }
}
