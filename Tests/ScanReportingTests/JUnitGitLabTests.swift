import Foundation
import ScanReporting
@testable import SecretScanner
import Testing
import TestSupport

/// JUnit XML and GitLab's secret-detection report: shape and content.
@Suite struct JUnitGitLabTests {
    /// Parses XML with Python's standard library; returns its complaint, or nil when well-formed.
    static func xmlProblem(_ xml: String) throws -> String? {
        let dir = try TemporaryDirectory()
        let file = try dir.write("report.xml", xml)
        let run = try Run.program("/usr/bin/env", ["python3", "-c", "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])", file.path])
        return run.status == 0 ? nil : run.stderr
    }

    @Test func junitHasOneCasePerRuleAndFileFailingWithEachFinding() throws {
        let xml = ReportFormat.junit.render(Fixture.report(), colour: false)
        #expect(try Self.xmlProblem(xml) == nil)
        #expect(xml.contains("<testsuites name=\"keywarden\" tests=\"3\" failures=\"3\" errors=\"0\""))
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 3)
        #expect(xml.contains("<testcase classname=\"keywarden.maintainx-api-key\" name=\"src/client.ts\""))
        #expect(xml.contains("message=\"2 secrets found by maintainx-api-key in src/client.ts\""))
        #expect(xml.contains("src/client.ts:2:15 critical"))
        #expect(xml.contains("src/client.ts:9:3 critical"))
        #expect(xml.contains("Generic API key | &lt;assignment&gt;"))
    }

    @Test func junitCleanRunPassesAndErrorsAreErrors() throws {
        let clean = ReportFormat.junit.render(Fixture.report([]), colour: false)
        #expect(try Self.xmlProblem(clean) == nil)
        #expect(clean.contains("tests=\"1\" failures=\"0\" errors=\"0\""))
        #expect(clean.contains("name=\"no secrets in 3 files\""))
        let failed = ReportFormat.junit.render(Fixture.report([], errors: ["a\"b<c>&d\u{1}.txt: unreadable\nnext"]), colour: false)
        #expect(try Self.xmlProblem(failed) == nil)
        #expect(failed.contains("<error type=\"scan-error\" message=\"a&quot;b&lt;c&gt;&amp;d\u{FFFD}.txt: unreadable&#10;next\"/>"))
    }

    static func gitlab(_ report: Report) throws -> [String: Any] {
        let text = ReportFormat.gitlab.render(report, colour: false)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// GitLab's own published schema (Resources, see SCHEMA-ORIGIN.md): reports with findings, with none, and
    /// with errors validate; a severity GitLab does not have is refused (the check can fail).
    @Test func gitlabReportValidatesAgainstGitLabsPublishedSchema() throws {
        let schema = "gitlab-secret-detection-report-format-15.0.7.json"
        func errors(_ text: String) throws -> [String] {
            try SARIFTests.schemaErrors(text, schema: schema, validator: "Draft7Validator")
        }
        let full = ReportFormat.gitlab.render(Fixture.report(), colour: false)
        let fullErrors = try errors(full)
        #expect(fullErrors.isEmpty, "\(fullErrors)")
        #expect(try errors(ReportFormat.gitlab.render(Fixture.report([]), colour: false)).isEmpty)
        var failed = Fixture.report(errors: ["src/locked.txt: permission denied"], warnings: ["rule x gave up on big.txt"])
        failed.revision = String(repeating: "cd34", count: 10)
        #expect(try errors(ReportFormat.gitlab.render(failed, colour: false)).isEmpty)
        let bad = full.replacingOccurrences(of: "\"severity\": \"Critical\"", with: "\"severity\": \"Severe\"")
        #expect(bad != full)
        #expect(!(try errors(bad)).isEmpty)
    }

    @Test func gitlabReportHasWhatTheSchemaRequires() throws {
        let doc = try Self.gitlab(Fixture.report())
        #expect((doc["version"] as? String)?.hasPrefix("15.") == true)
        let vulns = try #require(doc["vulnerabilities"] as? [[String: Any]])
        #expect(vulns.count == 4)
        for v in vulns {
            #expect(v["category"] as? String == "secret_detection")
            #expect((v["id"] as? String)?.count == 36)
            #expect(["Critical", "High", "Medium", "Low", "Info", "Unknown"].contains(v["severity"] as? String ?? ""))
            #expect((v["name"] as? String)?.isEmpty == false)
            let location = try #require(v["location"] as? [String: Any])
            #expect((location["file"] as? String)?.hasPrefix("./") == false)
            #expect((location["start_line"] as? Int ?? 0) >= 1)
            #expect(((location["commit"] as? [String: Any])?["sha"] as? String)?.isEmpty == false)
            let ids = try #require(v["identifiers"] as? [[String: Any]])
            #expect(ids.first?["type"] as? String == "keywarden_rule_id")
            #expect(ids.first?["value"] as? String != nil && ids.first?["name"] as? String != nil)
        }
        // Git findings carry their commit; others GitLab's placeholder, or the revision when known.
        let shas = vulns.map { (($0["location"] as? [String: Any])?["commit"] as? [String: Any])?["sha"] as? String }
        #expect(shas == ["0000000", "0000000", Fixture.commit, "0000000"])
        var withRevision = Fixture.report()
        withRevision.revision = String(repeating: "cd34", count: 10)
        let revised = try #require(try Self.gitlab(withRevision)["vulnerabilities"] as? [[String: Any]])
        #expect(((revised[0]["location"] as? [String: Any])?["commit"] as? [String: Any])?["sha"] as? String == withRevision.revision)
        // The same finding keeps its id from run to run, and two findings never share one by accident.
        #expect(Set(vulns.compactMap { $0["id"] as? String }).count == 4) // the same secret twice in a file: two ids
        let scan = try #require(doc["scan"] as? [String: Any])
        #expect(scan["type"] as? String == "secret_detection")
        #expect(scan["status"] as? String == "success")
        for key in ["analyzer", "scanner"] {
            let part = try #require(scan[key] as? [String: Any])
            #expect(part["id"] as? String == "keywarden" && part["version"] as? String == "9.9.9-test")
            #expect((part["vendor"] as? [String: Any])?["name"] as? String == "keywarden")
        }
        let pattern = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/#
        #expect((scan["start_time"] as? String).map { $0.wholeMatch(of: pattern) != nil } == true)
        #expect(scan["end_time"] as? String == "2026-05-28T20:26:40")
    }

    @Test func gitlabScanWithErrorsIsAFailure() throws {
        let doc = try Self.gitlab(Fixture.report([], errors: ["src/x: unreadable"]))
        let scan = try #require(doc["scan"] as? [String: Any])
        #expect(scan["status"] as? String == "failure")
        #expect((scan["messages"] as? [[String: Any]])?.first?["value"] as? String == "src/x: unreadable")
        #expect((doc["vulnerabilities"] as? [Any])?.isEmpty == true)
    }

    @Test func jsonLinesHasOneFindingPerLineAndASummaryLast() throws {
        let lines = ReportFormat.jsonl.render(Fixture.report(), colour: false).split(separator: "\n")
        #expect(lines.count == 5)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["type"] as? String } == ["finding", "finding", "finding", "finding", "summary"])
        #expect(objects[0]["rule_id"] as? String == "maintainx-api-key")
        #expect(objects[0]["secret"] as? String == "fake*****")
        #expect(objects[4]["findings"] as? Int == 4)
        #expect(objects[4]["version"] as? String == "9.9.9-test")
        let empty = ReportFormat.jsonl.render(Fixture.report([]), colour: false)
        #expect(empty.split(separator: "\n").count == 1)
    }
}
