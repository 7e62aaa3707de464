import Foundation
import SecretScanner

/// The JSON report: `version`, `findings` (snake_case keys), `summary`.
enum JSONReport {
    static func render(_ report: Report) -> String {
        var findings = [[String: Any]]()
        for (i, f) in report.findings.enumerated() {
            var o: [String: Any] = [
                "rule_id": f.ruleID, "description": f.description, "provider": f.provider, "severity": f.severity.rawValue,
                "path": f.path, "line": f.line, "column": f.column, "end_line": f.endLine, "end_column": f.endColumn,
                "secret": report.secret(f), "redacted": !report.showSecrets, "fingerprint": f.fingerprint,
            ]
            if !f.relatedFingerprints.isEmpty { o["related_fingerprints"] = f.relatedFingerprints }
            if !f.extra.isEmpty { o["extra"] = f.extra }
            if let g = f.git {
                o["commit"] = g.commit
                o["author"] = g.author
                o["email"] = g.email
                o["date"] = g.date
                o["message"] = g.message
                if let h = g.inHead { o["in_head"] = h }
                if let n = g.occurrences { o["occurrences"] = n }
            }
            if let notes = report.notes[i] { o["notes"] = notes }
            findings.append(o)
        }
        let r = report.result
        let summary: [String: Any] = [
            "findings": report.findings.count, "files": r.filesScanned, "bytes": r.bytesScanned,
            "duration_seconds": (r.seconds * 1000).rounded() / 1000, "ignored": report.ignored, "baselined": report.baselined,
            "skipped": r.skipped, "errors": r.errors, "warnings": r.warnings, "scope": report.scope,
        ]
        let root: [String: Any] = ["version": report.toolVersion, "findings": findings, "summary": summary]
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return "{}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
