import Foundation
import ScanReporting
@testable import SecretScanner
import Testing
import TestSupport

/// SARIF output against the official SARIF 2.1.0 JSON schema (a copy in Resources, validated with Python's
/// `jsonschema`, which scripts/install-deps.sh installs), and what GitHub code scanning relies on.
@Suite struct SARIFTests {
    /// Validates `document` against the schema; returns the validator's complaints (empty when valid).
    static func schemaErrors(_ document: String, schema: String = "sarif-2.1.0.json",
                             validator: String = "Draft4Validator") throws -> [String] {
        let dir = try TemporaryDirectory()
        let file = try dir.write("report.json", document)
        let script = """
            import json, sys
            from jsonschema import \(validator) as Validator
            schema = json.load(open(sys.argv[1], encoding="utf-8"))
            doc = json.load(open(sys.argv[2], encoding="utf-8"))
            errors = sorted(Validator(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
            for e in errors:
                print("/".join(map(str, e.absolute_path)) or "<root>", e.message)
            sys.exit(1 if errors else 0)
            """
        let run = try Run.program("/usr/bin/env", ["python3", "-c", script, try Fixture.resource(schema).path, file.path])
        guard run.status == 0 || run.status == 1 else {
            Issue.record("python3 with jsonschema is needed (scripts/install-deps.sh installs it): \(run.stderr)")
            return ["validator did not run"]
        }
        return run.status == 0 ? [] : run.stdout.split(separator: "\n").map(String.init) + [run.stderr]
    }

    @Test func reportWithFindingsIsValidSARIF() throws {
        let errors = try Self.schemaErrors(ReportFormat.sarif.render(Fixture.report(), colour: false))
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test func reportWithNothingFoundAndWithErrorsIsValidSARIF() throws {
        let empty = Fixture.report([])
        #expect(try Self.schemaErrors(ReportFormat.sarif.render(empty, colour: false)).isEmpty)
        var failed = Fixture.report(errors: ["src/locked.txt: permission denied"], warnings: ["rule x gave up on big.txt"])
        failed.revision = String(repeating: "cd34", count: 10)
        #expect(try Self.schemaErrors(ReportFormat.sarif.render(failed, colour: false)).isEmpty)
    }

    @Test func validatorRejectsWhatTheSchemaForbids() throws {
        // The check above can fail: a level SARIF does not have is refused.
        let good = ReportFormat.sarif.render(Fixture.report(), colour: false)
        let bad = good.replacingOccurrences(of: "\"level\": \"error\"", with: "\"level\": \"fatal\"")
        #expect(bad != good)
        #expect(!(try Self.schemaErrors(bad)).isEmpty)
    }

    static func parse(_ report: Report) throws -> [String: Any] {
        let text = ReportFormat.sarif.render(report, colour: false)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func oneRunWithToolRulesAndResultsGitHubCanUse() throws {
        let doc = try Self.parse(Fixture.report())
        #expect(doc["version"] as? String == "2.1.0")
        #expect((doc["$schema"] as? String)?.contains("sarif-2.1.0") == true)
        let runs = try #require(doc["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "keywarden")
        #expect(driver["version"] as? String == "9.9.9-test")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == ["generic-api-key", "maintainx-api-key", "pkcs12-file"])
        for rule in rules {
            for key in ["shortDescription", "fullDescription", "help"] {
                #expect(((rule[key] as? [String: Any])?["text"] as? String)?.isEmpty == false, "rule has \(key)")
            }
            #expect(((rule["help"] as? [String: Any])?["text"] as? String)?.contains("keywarden keys runbook") == true)
        }
        let results = try #require(runs[0]["results"] as? [[String: Any]])
        #expect(results.count == 4)
        for r in results {
            let index = try #require(r["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == r["ruleId"] as? String)
            #expect(["error", "warning", "note"].contains(r["level"] as? String ?? ""))
            #expect(((r["message"] as? [String: Any])?["text"] as? String)?.contains("fingerprint") == true)
            let location = try #require((r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            let uri = try #require((location["artifactLocation"] as? [String: Any])?["uri"] as? String)
            #expect(!uri.hasPrefix("./"))
            #expect(((location["region"] as? [String: Any])?["startLine"] as? Int ?? 0) >= 1)
            let fp = try #require((r["partialFingerprints"] as? [String: String])?[CIFacts.fingerprintKey])
            #expect(fp.count == 64)
        }
        // The path with a comma, colon and space is a valid URI reference.
        let generic = try #require(results.first { $0["ruleId"] as? String == "generic-api-key" })
        let uri = (((generic["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String
        #expect(uri == "config/app%2C%20prod%3A1.env")
        #expect((generic["properties"] as? [String: Any])?["commit"] as? String == Fixture.commit)
    }

    @Test func partialFingerprintSurvivesMovedLinesButNotAnotherRuleOrFile() {
        let f = Fixture.finding()
        var moved = f
        moved.line += 40
        moved.endLine += 40
        moved.column = 1
        var elsewhere = f
        elsewhere.path = "src/other.ts"
        var otherRule = f
        otherRule.ruleID = "generic-api-key"
        var sameFileSpelledDifferently = f
        sameFileSpelledDifferently.path = "src/client.ts"
        #expect(CIFacts.stableID(f) == CIFacts.stableID(moved))
        #expect(CIFacts.stableID(f) == CIFacts.stableID(sameFileSpelledDifferently))
        #expect(CIFacts.stableID(f) != CIFacts.stableID(elsewhere))
        #expect(CIFacts.stableID(f) != CIFacts.stableID(otherRule))
        #expect(CIFacts.stableID(f) != CIFacts.stableID(Fixture.finding(secret: Fixture.genericSecret)))
        #expect(!CIFacts.stableID(f).contains(f.fingerprint))
        // The same secret twice in one file: two distinct ids, the first the plain one.
        let ids = CIFacts.stableIDs([f, moved, elsewhere])
        #expect(ids[0] == CIFacts.stableID(f) && ids[1] != ids[0] && ids[2] == CIFacts.stableID(elsewhere))
    }
}
