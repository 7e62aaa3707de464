import Foundation
import ScanReporting
import SecretRules
@testable import SecretScanner
import Testing
import TestSupport

/// Workflow-command annotations and their escaping, and the job summary.
@Suite struct GitHubTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("100%", "100%25"),
        ("a\nb", "a%0Ab"),
        ("a\r\nb", "a%0D%0Ab"),
        ("%0A stays literal", "%250A stays literal"),
        ("a:b,c", "a:b,c"),
    ])
    func messageEscaping(_ input: String, _ expected: String) {
        #expect(GitHubReport.escapeData(input) == expected)
    }

    @Test(arguments: [
        ("src/app.ts", "src/app.ts"),
        ("a:b", "a%3Ab"),
        ("a,b", "a%2Cb"),
        ("50%, done: yes\r\n", "50%25%2C done%3A yes%0D%0A"),
        ("%3A", "%253A"),
    ])
    func propertyEscaping(_ input: String, _ expected: String) {
        #expect(GitHubReport.escapeProperty(input) == expected)
    }

    @Test func annotationOfAnAwkwardPathAndMessageStaysOneCommand() throws {
        var f = Fixture.finding(rule: "generic-api-key", description: "two\nlines, with: colons", severity: .high,
                                path: "dir/a,b:c%.env", line: 4, column: 2, endColumn: 10)
        f.ruleDescription = "two\nlines, with: colons"
        let text = ReportFormat.github.render(Fixture.report([f]), colour: false)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.hasPrefix("::error file=dir/a%2Cb%3Ac%25.env,line=4,col=2,endColumn=10,title=keywarden%3A generic-api-key::"))
        #expect(line.contains("two%0Alines, with: colons"))
        #expect(!line.contains(Fixture.maintainXSecret))
        #expect(line.contains("fake*****"))
    }

    @Test func levelsFollowSeverity() {
        let findings = [Severity.critical, .high, .medium, .low, .info].map { Fixture.finding(severity: $0) }
        let commands = ReportFormat.github.render(Fixture.report(findings), colour: false)
            .split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(commands == ["::error", "::error", "::warning", "::notice", "::notice"])
    }

    @Test func manyFindingsGetANoticeAndTheSummaryListsThemAll() {
        let findings = (1...25).map { Fixture.finding(line: $0) }
        let report = Fixture.report(findings)
        let annotations = ReportFormat.github.render(report, colour: false).split(separator: "\n")
        #expect(annotations.filter { $0.hasPrefix("::error ") }.count == 25)
        #expect(annotations.last?.hasPrefix("::notice title=keywarden::25 findings") == true)
        let summary = GitHubReport.summary(report)
        #expect(summary.hasPrefix("## keywarden: 25 secrets found"))
        #expect(summary.split(separator: "\n").filter { $0.hasPrefix("| critical |") }.count == 25)
        // Few findings: no notice.
        #expect(!ReportFormat.github.render(Fixture.report(), colour: false).contains("::notice title=keywarden::"))
    }

    @Test func scanErrorsAreAnnotatedToo() {
        let text = ReportFormat.github.render(Fixture.report([], errors: ["src/x.txt: permission denied"]), colour: false)
        #expect(text == "::error title=keywarden%3A scan error::src/x.txt: permission denied\n")
    }

    @Test func summaryTableEscapesCells() {
        let summary = GitHubReport.summary(Fixture.report())
        #expect(summary.contains("Generic API key \\| &lt;assignment&gt;"))
        #expect(summary.contains("| `config/app, prod:1.env:7 @ ab12ab12ab12` |"))
        #expect(summary.contains("### What to do"))
        let clean = GitHubReport.summary(Fixture.report([]))
        #expect(clean.hasPrefix("## keywarden: no secrets found\n\nScope: files. Scanned 3 files (2.0 KB) in 0.25 s."))
        #expect(!clean.contains("| Severity |"))
    }

    @Test func summaryIsAppendedNotOverwritten() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("summary.md", "# Earlier step\n\n")
        try GitHubReport.appendSummary(Fixture.report(), toFile: file.path)
        try GitHubReport.appendSummary(Fixture.report([]), toFile: file.path)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("# Earlier step\n\n## keywarden: 4 secrets found"))
        #expect(text.contains("## keywarden: no secrets found"))
        // A missing file is created; an unwritable place is a clear error naming it.
        let fresh = dir.path("fresh.md")
        try GitHubReport.appendSummary(Fixture.report([]), toFile: fresh)
        #expect(FileManager.default.fileExists(atPath: fresh))
        let bad = dir.path("no/such/dir/summary.md")
        #expect { try GitHubReport.appendSummary(Fixture.report([]), toFile: bad) } throws: { error in
            (error as? ReportingError)?.code == .cannotWrite && "\(error)".contains(bad)
        }
    }
}
