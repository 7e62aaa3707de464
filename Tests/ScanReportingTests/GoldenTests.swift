import Foundation
import ScanReporting
import Testing

/// Every format against its golden file, with redaction asserted in each. Regenerate after a deliberate
/// change with `KEYWARDEN_UPDATE_GOLDEN=1 swift test --filter ScanReportingTests.GoldenTests`, then review
/// the diff.
@Suite struct GoldenTests {
    static let cases: [(name: String, render: @Sendable (Report) -> String)] = [
        ("report.txt", { ReportFormat.text.render($0, colour: false) }),
        ("report.json", { ReportFormat.json.render($0, colour: false) }),
        ("report.jsonl", { ReportFormat.jsonl.render($0, colour: false) }),
        ("report.sarif", { ReportFormat.sarif.render($0, colour: false) }),
        ("report.github", { ReportFormat.github.render($0, colour: false) }),
        ("report-summary.md", { GitHubReport.summary($0) }),
        ("report.junit.xml", { ReportFormat.junit.render($0, colour: false) }),
        ("report.gitlab.json", { ReportFormat.gitlab.render($0, colour: false) }),
    ]

    @Test(arguments: cases.map(\.name))
    func matchesGoldenFile(_ name: String) throws {
        let render = try #require(Self.cases.first { $0.name == name }).render
        let text = render(Fixture.report())
        for secret in Fixture.secrets {
            #expect(!text.contains(secret), "\(name) holds a secret in full")
        }
        #expect(text.contains("fake*****"), "\(name) shows the redacted secret")
        if ProcessInfo.processInfo.environment["KEYWARDEN_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: Fixture.sourceResource("golden/" + name))
            Issue.record("wrote golden/\(name): review the diff and run the tests again")
            return
        }
        let golden = try String(contentsOf: Fixture.resource("golden/" + name), encoding: .utf8)
        #expect(text == golden, "\(name) differs from its golden file")
        if text != golden {
            let a = text.split(separator: "\n", omittingEmptySubsequences: false)
            let b = golden.split(separator: "\n", omittingEmptySubsequences: false)
            if let i = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("first difference at line \(i + 1):\n  got:    \(a[i])\n  golden: \(b[i])")
            }
        }
    }

    @Test func goldenFilesHoldNoSecretAndCIFormatsStayRedactedWhenSecretsAreShown() throws {
        var report = Fixture.report()
        report.showSecrets = true
        // The CI formats are uploaded and kept: they redact even when --show-secrets is given.
        for format in [ReportFormat.sarif, .github, .junit, .gitlab, .jsonl] {
            let text = format.render(report, colour: false)
            for secret in Fixture.secrets { #expect(!text.contains(secret), "\(format) shows a secret") }
        }
        #expect(!ReportFormat.jsonl.render(report, colour: false).contains("\"redacted\":false"))
        #expect(!GitHubReport.summary(report).contains(Fixture.maintainXSecret))
        // The reports for people and local tools honour it.
        #expect(ReportFormat.text.render(report, colour: false).contains(Fixture.maintainXSecret))
        #expect(ReportFormat.json.render(report, colour: false).contains(Fixture.maintainXSecret))
        for case let name in Self.cases.map(\.name) {
            let golden = try String(contentsOf: Fixture.resource("golden/" + name), encoding: .utf8)
            for secret in Fixture.secrets { #expect(!golden.contains(secret), "golden/\(name) holds a secret") }
        }
    }

    @Test func everyFormatIsCovered() {
        #expect(Set(ReportFormat.allCases.map(\.rawValue)) == ["text", "json", "jsonl", "sarif", "github", "junit", "gitlab"])
    }
}
