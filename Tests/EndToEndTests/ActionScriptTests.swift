import Foundation
import Testing
import TestSupport

/// The composite action's shell steps, run locally with GitHub's environment variables set.
@Suite struct ActionScriptTests {
    static let actionFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("action.yml").path

    /// The `run:` script of the step named `name`, read with PyYAML.
    func stepScript(_ name: String) throws -> String {
        let code = "import sys, yaml\nsteps = yaml.safe_load(open(sys.argv[1]))['runs']['steps']\n"
            + "print(next(s['run'] for s in steps if s.get('name') == sys.argv[2]), end='')"
        let run = try Run.program("/usr/bin/env", ["python3", "-c", code, Self.actionFile, name])
        try #require(run.status == 0, "\(run.stderr)")
        return run.stdout
    }

    @Test func scanAndAnnotateStepsOnAPush() throws {
        let dir = try TemporaryDirectory()
        let repo = dir.path("repo")
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        try Run.git(["init", "-q", "-b", "main"], in: repo)
        try dir.write("repo/README.md", "service\n")
        try Run.git(["add", "-A"], in: repo)
        try Run.git(["commit", "-q", "-m", "base"], in: repo)
        let base = try Run.git(["rev-parse", "HEAD"], in: repo).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try dir.write("repo/new.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try Run.git(["add", "-A"], in: repo)
        try Run.git(["commit", "-q", "-m", "add key"], in: repo)
        let head = try Run.git(["rev-parse", "HEAD"], in: repo).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try dir.write("event.json", #"{"before":"\#(base)","after":"\#(head)"}"#)
        try dir.write("output", "")
        try dir.write("summary.md", "")
        let binDir = URL(fileURLWithPath: Run.keywardenPath).deletingLastPathComponent().path
        let env = [
            "PATH": binDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": dir.path("event.json"),
            "GITHUB_OUTPUT": dir.path("output"), "GITHUB_STEP_SUMMARY": dir.path("summary.md"),
            "KEYWARDEN_SCOPE": "--ci", "KEYWARDEN_ARGS": "", "KEYWARDEN_SARIF": "keywarden.sarif", "KEYWARDEN_EXIT_CODE": "1",
            "KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path,
        ]
        let scan = try Run.program("/bin/bash", ["-c", try stepScript("Scan (SARIF)")], in: repo, environment: env)
        #expect(scan.status == 0, "findings fail later, after the upload: \(scan.stderr)")
        #expect(try String(contentsOfFile: dir.path("output"), encoding: .utf8).contains("status=1"))
        let sarif = try String(contentsOfFile: dir.path("repo/keywarden.sarif"), encoding: .utf8)
        #expect(sarif.contains("maintainx-api-key-assignment"))
        #expect(scan.stderr.contains("GitHub push: scanning commits \(base)..\(head)"))
        let annotate = try Run.program("/bin/bash", ["-c", try stepScript("Annotate and summarise")], in: repo, environment: env)
        #expect(annotate.status == 0)
        #expect(annotate.stdout.contains("::error file=new.env,line=1"))
        #expect(try String(contentsOfFile: dir.path("summary.md"), encoding: .utf8).contains("new.env"))
    }
}
