import Foundation
import Testing
import TestSupport

/// `scan --staged`, `hook run pre-commit` and the pre-commit framework's hook on `git commit` go through one
/// scan pipeline: the same staged change gives the same findings, with `.keywardenignore` (written from a
/// subfolder) and the hook's `[hook] baseline` honoured by all of them.
@Suite struct PipelineParityTests {
    /// One finding as every frontend shows it.
    struct Seen: Hashable, CustomStringConvertible {
        let path: String
        let line: Int
        let rule: String
        let fingerprint: String
        var description: String { "\(path):\(line) \(rule) \(fingerprint.prefix(12))" }
    }

    /// The findings of a `--format json` report.
    static func fromJSON(_ text: String) throws -> Set<Seen> {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        return Set(try findings.map {
            Seen(path: try #require($0["path"] as? String), line: try #require($0["line"] as? Int),
                 rule: try #require($0["rule_id"] as? String), fingerprint: try #require($0["fingerprint"] as? String))
        })
    }

    /// The findings of a hook's blocked message: `  path:line  rule  (provider)  ...` then `fingerprint: ...`.
    static func fromHookMessage(_ text: String) -> Set<Seen> {
        var out = Set<Seen>()
        var pending: (String, Int, String)?
        for raw in text.split(separator: "\n") {
            let line = String(raw)
            if line.hasPrefix("  "), !line.hasPrefix("   "), let colon = line.dropFirst(2).firstIndex(of: ":") {
                let fields = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: true)
                let location = line[line.index(line.startIndex, offsetBy: 2)..<colon]
                if fields.count >= 2, let number = Int(fields[0].split(separator: ":").last ?? "") {
                    pending = (String(location), number, String(fields[1]))
                }
            } else if let p = pending, let r = line.range(of: "fingerprint: ") {
                out.insert(Seen(path: p.0, line: p.1, rule: p.2, fingerprint: String(line[r.upperBound...]).trimmingCharacters(in: .whitespaces)))
                pending = nil
            }
        }
        return out
    }

    @Test func theSameStagedChangeGivesTheSameFindingsEverywhere() throws {
        let repo = try HookFixture(install: false)
        let binDir = URL(fileURLWithPath: Run.keywardenPath).deletingLastPathComponent().path
        let home = try TemporaryDirectory(prefix: "keywarden-precommit-home")
        let env = repo.env.merging(["PATH": binDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                                    "PRE_COMMIT_HOME": home.path()]) { $1 }

        // The framework, configured with this repository's manifest (a local clone of it).
        let source = try HookFixture(empty: true, install: false)
        try source.write(".pre-commit-hooks.yaml",
                         try String(contentsOfFile: HookFixture.packageRoot + "/.pre-commit-hooks.yaml", encoding: .utf8))
        try source.git("add", "-A")
        try source.git("commit", "-q", "-m", "manifest")
        repo.keepAlive += [source.dir, home]
        try repo.write(".pre-commit-config.yaml",
                       "repos:\n  - repo: \(source.path)\n    rev: \(try source.head())\n    hooks:\n      - id: keywarden-system\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "--no-verify", "-m", "pre-commit config")
        let install = try Run.program("/usr/bin/env", ["python3", "-m", "pre_commit", "install"], in: repo.path, environment: env)
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")

        // Four credentials in three folders: one will be ignored, one baselined, two stay.
        let ignoredKey = FakeKeys.maintainX(userID: 5101), baselinedKey = FakeKeys.maintainX(userID: 5202)
        let keptKey = FakeKeys.maintainX(userID: 5303)
        let pair = FakeKeys.mindtickle()
        try repo.write("src/app.env", "LOG_LEVEL=info\nMAINTAINX_API_KEY=\(ignoredKey)\n")
        try repo.write("src/config/settings.py", """
            # Mindtickle export job
            MINDTICKLE_API_KEY = "\(pair.apiKey)"
            MINDTICKLE_SECRET_KEY = "\(pair.secretKey)"
            """ + "\n")
        try repo.write("deploy/values.env", "REGION=eu\nMAINTAINX_API_TOKEN=\(baselinedKey)\n")
        try repo.write("deploy/other.env", "MX_API_KEY=\(keptKey)\n")
        try repo.git("add", "src", "deploy")

        let subfolder = repo.dir.path("src/config")
        let first = try Run.keywarden(["scan", "--staged", "--format", "json"], in: subfolder, environment: repo.env)
        #expect(first.status == 1, "\(first.stderr)")
        let all = try Self.fromJSON(first.stdout)
        #expect(all.count == 4, "\(all)")
        let ignored = try #require(all.first { $0.path == "src/app.env" })
        let baselined = try #require(all.first { $0.path == "deploy/values.env" })

        // `ignore add` from a subfolder writes the root's file, the one scan and the hook read.
        let add = try Run.keywarden(["ignore", "add", ignored.fingerprint, "--reason", "test fixture"], in: subfolder, environment: repo.env)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(try repo.read(".keywardenignore").contains(ignored.fingerprint))
        #expect(!FileManager.default.fileExists(atPath: repo.dir.path("src/config/.keywardenignore")))

        // A baseline holding one finding, named by the hook's settings and by scan's option.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        var baseline = object
        baseline["findings"] = (object["findings"] as? [[String: Any]] ?? []).filter { $0["fingerprint"] as? String == baselined.fingerprint }
        try repo.write(".keywarden/baseline.json", String(decoding: try JSONSerialization.data(withJSONObject: baseline), as: UTF8.self))
        try repo.write(".keywarden.toml", "[hook]\nbaseline = \".keywarden/baseline.json\"\n")

        let expected = all.subtracting([ignored, baselined])
        #expect(expected.count == 2)

        let scan = try Run.keywarden(["scan", "--staged", "--format", "json", "--baseline", repo.dir.path(".keywarden/baseline.json")],
                                     in: subfolder, environment: repo.env)
        #expect(scan.status == 1, "\(scan.stderr)")
        #expect(try Self.fromJSON(scan.stdout) == expected)
        #expect(scan.stderr.contains("1 ignored") && scan.stderr.contains("1 in baseline"), "\(scan.stderr)")

        let hook = try Run.keywarden(["hook", "run", "pre-commit"], in: subfolder, environment: repo.env)
        #expect(hook.status == 1, "\(hook.stderr)")
        #expect(Self.fromHookMessage(hook.stderr) == expected, "\(hook.stderr)")

        let framework = try Run.program("/usr/bin/git", ["commit", "-q", "-m", "credentials"], in: repo.path, environment: env)
        #expect(framework.status != 0)
        #expect(Self.fromHookMessage(framework.stdout + framework.stderr) == expected, "\(framework.stdout)\(framework.stderr)")
        #expect(try repo.commitCount() == 2, "the framework's hook blocked the commit")
    }
}
