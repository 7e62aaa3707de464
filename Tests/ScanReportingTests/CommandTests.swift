import Foundation
import Testing
import TestSupport

/// `keywarden scan` with the CI formats, `--exit-code` and `GITHUB_STEP_SUMMARY`, through the built binary.
@Suite struct CommandTests {
    let env = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-ci-cache").path]

    /// A folder with one file holding a fake MaintainX-style assignment, and the secret.
    static func dirty() throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let key = FakeKeys.alnum(40)
        try dir.write("src/.env", "MAINTAINX_API_KEY=\(key)\n")
        return (dir, key)
    }

    @Test func exitCodeForFindingsIsConfigurableAndErrorsStayTwo() throws {
        let (dir, _) = try Self.dirty()
        let src = dir.path("src")
        #expect(try Run.keywarden(["scan", "--no-git", src], environment: env).status == 1)
        #expect(try Run.keywarden(["scan", "--no-git", "--exit-code", "0", src], environment: env).status == 0)
        #expect(try Run.keywarden(["scan", "--no-git", "--exit-code", "3", src], environment: env).status == 3)
        try dir.write("clean/a.txt", "nothing here\n")
        #expect(try Run.keywarden(["scan", "--no-git", "--exit-code", "3", dir.path("clean")], environment: env).status == 0)
        let missing = try Run.keywarden(["scan", "--no-git", "--exit-code", "0", dir.path("missing")], environment: env)
        #expect(missing.status == 2)
        for bad in ["2", "256", "-1"] {
            let run = try Run.keywarden(["scan", "--no-git", "--exit-code", bad, src], environment: env)
            #expect(run.status == 2, "--exit-code \(bad)")
            #expect(run.stderr.contains("--exit-code"), "--exit-code \(bad): \(run.stderr)")
        }
    }

    @Test(arguments: ["sarif", "github", "junit", "gitlab", "jsonl"])
    func everyCIFormatRedactsAndReportsTheFinding(_ format: String) throws {
        let (dir, key) = try Self.dirty()
        let run = try Run.keywarden(["scan", "--no-git", "--format", format, "--show-secrets", dir.path("src")], environment: env)
        #expect(run.status == 1)
        #expect(run.stdout.contains("maintainx"))
        #expect(!run.stdout.contains(key), "\(format) redacts even with --show-secrets")
        #expect(!run.stderr.contains(key))
        if format == "sarif" { #expect(try SARIFTests.schemaErrors(run.stdout).isEmpty) }
    }

    @Test func textAndJSONShowSecretsOnlyWhenAsked() throws {
        let (dir, key) = try Self.dirty()
        for format in ["text", "json"] {
            let hidden = try Run.keywarden(["scan", "--no-git", "--format", format, dir.path("src")], environment: env)
            #expect(hidden.status == 1)
            #expect(!hidden.stdout.contains(key), "\(format) redacts by default")
            let shown = try Run.keywarden(["scan", "--no-git", "--format", format, "--show-secrets", dir.path("src")], environment: env)
            #expect(shown.status == 1)
            #expect(shown.stdout.contains(key), "\(format) honours --show-secrets")
        }
    }

    @Test func githubFormatAppendsTheJobSummary() throws {
        let (dir, key) = try Self.dirty()
        let summary = try dir.write("summary.md", "")
        var environment = env
        environment["GITHUB_STEP_SUMMARY"] = summary.path
        let run = try Run.keywarden(["scan", "--no-git", "--format", "github", dir.path("src")], environment: environment)
        #expect(run.status == 1)
        #expect(run.stdout.hasPrefix("::error file="))
        let text = try String(contentsOf: summary, encoding: .utf8)
        #expect(text.hasPrefix("## keywarden: 1 secret found"))
        #expect(text.contains("| Severity | Rule |"))
        #expect(!text.contains(key))
        // Other formats leave the summary alone (a run that really scanned and found the secret).
        let sarif = try Run.keywarden(["scan", "--no-git", "--format", "sarif", dir.path("src")], environment: environment)
        #expect(sarif.status == 1, "\(sarif.stderr)")
        #expect(sarif.stdout.contains("\"ruleId\""), "the SARIF run reported its finding")
        #expect(try String(contentsOf: summary, encoding: .utf8) == text)
    }
}
