import Foundation
import Testing
import TestSupport

/// The GitLab CI template (`.gitlab/keywarden.gitlab-ci.yml`), read with PyYAML as GitLab reads it, and its
/// job's script run locally with GitLab's variables set, the built keywarden standing in for the image's.
@Suite struct GitLabTemplateTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let templateFile = root.appendingPathComponent(".gitlab/keywarden.gitlab-ci.yml").path

    /// The template as JSON (GitLab's own reading of YAML is a superset of what PyYAML's safe loader takes).
    func template() throws -> [String: Any] {
        let code = "import sys, json, yaml\nprint(json.dumps(yaml.safe_load(open(sys.argv[1]))), end='')"
        let run = try Run.program("/usr/bin/env", ["python3", "-c", code, Self.templateFile])
        try #require(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func theJobRunsInThisVersionsImageAndPublishesWhatItWrites() throws {
        let doc = try template()
        let variables = try #require(doc["variables"] as? [String: Any])
        let version = try String(contentsOfFile: Self.root.appendingPathComponent("VERSION").path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let image = try #require(variables["KEYWARDEN_IMAGE"] as? String)
        #expect(image.hasSuffix("/keywarden:\(version)"), "the image must be this release's: \(image)")
        let job = try #require(doc["keywarden-secret-detection"] as? [String: Any])
        let jobImage = try #require(job["image"] as? [String: Any])
        #expect(jobImage["name"] as? String == "$KEYWARDEN_IMAGE")
        // The image's entrypoint is keywarden itself: GitLab needs it cleared to run the script in a shell.
        #expect(jobImage["entrypoint"] as? [String] == [""])
        let script = try #require(job["script"] as? [String])
        let artifacts = try #require(job["artifacts"] as? [String: Any])
        #expect(artifacts["when"] as? String == "always", "the reports must be kept when the job fails on findings")
        let reports = try #require(artifacts["reports"] as? [String: String])
        for (kind, file) in [("secret_detection", reports["secret_detection"]), ("junit", reports["junit"])] {
            let file = try #require(file, "no \(kind) report")
            #expect(script.contains { $0.contains("--output \(file)") }, "the script does not write the \(kind) report \(file)")
        }
    }

    /// A push pipeline: the script scans the pushed commits, writes both reports, and fails the job on a
    /// finding (exit 1) with the reports written; a clean push passes.
    @Test func theScriptScansThePushedCommitsAndWritesBothReports() throws {
        let doc = try template()
        let script = try #require(doc["keywarden-secret-detection"] as? [String: Any])["script"] as? [String]
        let lines = try #require(script)
        // The template's global variables, as GitLab sets them for the job.
        let globals = try #require(doc["variables"] as? [String: String])
        let dir = try TemporaryDirectory()
        let repo = dir.path("project")
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.path("home"), withIntermediateDirectories: true)
        try Run.git(["init", "-q", "-b", "main"], in: repo)
        try dir.write("project/README.md", "service\n")
        try Run.git(["add", "-A"], in: repo)
        try Run.git(["commit", "-q", "-m", "base"], in: repo)
        func head() throws -> String {
            try Run.git(["rev-parse", "HEAD"], in: repo).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let base = try head()
        try dir.write("project/notes.md", "nothing secret\n")
        try Run.git(["add", "-A"], in: repo)
        try Run.git(["commit", "-q", "-m", "clean change"], in: repo)
        let clean = try head()
        try dir.write("project/deploy.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try Run.git(["add", "-A"], in: repo)
        try Run.git(["commit", "-q", "-m", "add key"], in: repo)
        let leaky = try head()

        let binDir = URL(fileURLWithPath: Run.keywardenPath).deletingLastPathComponent().path
        func runJob(before: String, sha: String) throws -> ProcessResult {
            var env = [
                "PATH": binDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                "GITLAB_CI": "true", "CI": "true", "CI_PIPELINE_SOURCE": "push", "CI_PROJECT_DIR": repo,
                "CI_COMMIT_BEFORE_SHA": before, "CI_COMMIT_SHA": sha, "CI_COMMIT_BRANCH": "main",
                "HOME": dir.path("home"),
                "KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path,
            ]
            for (name, value) in globals { env[name] = value }
            // GitLab runs the script's lines in one shell that stops at the first failing line.
            return try Run.program("/bin/bash", ["-e", "-c", lines.joined(separator: "\n")], in: repo, environment: env)
        }

        let passing = try runJob(before: base, sha: clean)
        #expect(passing.status == 0, "\(passing.stderr)")
        let failing = try runJob(before: clean, sha: leaky)
        #expect(failing.status == 1, "\(failing.stderr)")
        let report = try String(contentsOfFile: dir.path("project/gl-secret-detection-report.json"), encoding: .utf8)
        #expect(report.contains("maintainx-api-key-assignment"))
        #expect(report.contains("deploy.env"))
        let junit = try String(contentsOfFile: dir.path("project/keywarden-junit.xml"), encoding: .utf8)
        #expect(junit.contains("<testsuite"))
        #expect(junit.contains("deploy.env"))
        // The job wrote the git setting it needs for a checkout owned by another user, in its own HOME.
        let gitconfig = try String(contentsOfFile: dir.path("home/.gitconfig"), encoding: .utf8)
        #expect(gitconfig.contains("directory = \(repo)"))
    }
}
