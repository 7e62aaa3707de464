import SecretRules
import SecretScanner

/// GitLab's secret-detection security report (`artifacts: reports: secret_detection`), schema version 15:
/// one vulnerability per finding with a stable id, the rule as identifier, the fix as solution, and a
/// location whose commit is the finding's own (git sources), else `Report.revision`, else `0000000` as
/// GitLab's own analyzer writes for files outside git. Redacted always: no source extract is included.
enum GitLabReport {
    static let schemaVersion = "15.0.7"
    /// The commit GitLab's analyzer reports when a finding has none.
    static let noCommit = "0000000"

    static func render(_ report: Report) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("version", schemaVersion)
        w.beginArray("vulnerabilities")
        for (f, id) in zip(report.findings, CIFacts.stableIDs(report.findings)) {
            write(f, id: id, revision: report.revision, leftMachine: report.keysLeftMachine, into: &w)
        }
        w.endArray()
        writeScan(report, into: &w)
        w.endObject()
        return w.text + "\n"
    }

    private static func write(_ f: Finding, id: String, revision: String?, leftMachine: Bool, into w: inout JSONWriter) {
        let title = CIFacts.title(f.ruleDescription, ruleID: f.ruleID)
        let path = CIFacts.path(f.path)
        w.beginObject()
        w.string("id", uuid(id))
        w.string("category", "secret_detection")
        w.string("name", String(title.prefix(255)))
        var description = "\(title) in \(path) at line \(f.line): \(f.redactedSecret) (fingerprint \(f.fingerprint))."
        if let g = f.git { description += " Introduced in commit \(g.commit.prefix(12))." }
        w.string("description", description)
        w.string("severity", severity(f.severity))
        w.string("solution", Advice.fix(for: f, leftMachine: leftMachine))
        w.beginObject("location")
        w.string("file", CIFacts.file(f))   // an archive member: the archive; the description names the member
        w.int("start_line", max(1, f.line))
        w.int("end_line", max(1, f.endLine, f.line))
        w.beginObject("commit")
        if let g = f.git {
            w.string("author", "\(g.author) <\(g.email)>")
            w.string("date", g.date)
            w.string("message", g.message)
            w.string("sha", g.commit)
        } else {
            w.string("sha", revision.flatMap { $0.isEmpty ? nil : $0 } ?? noCommit)
        }
        w.endObject()
        w.endObject()
        w.beginArray("identifiers")
        w.beginObject()
        w.string("type", "keywarden_rule_id")
        w.string("name", "keywarden rule ID \(f.ruleID)")
        w.string("value", f.ruleID)
        w.endObject()
        w.endArray()
        w.endObject()
    }

    private static func writeScan(_ report: Report, into w: inout JSONWriter) {
        let r = report.result
        w.beginObject("scan")
        for key in ["analyzer", "scanner"] {
            w.beginObject(key)
            w.string("id", "keywarden")
            w.string("name", "keywarden")
            w.string("version", report.toolVersion)
            w.beginObject("vendor")
            w.string("name", "keywarden")
            w.endObject()
            w.endObject()
        }
        w.string("type", "secret_detection")
        w.string("start_time", CIFacts.utc(CIFacts.startedAt(report)))
        w.string("end_time", CIFacts.utc(report.finishedAt))
        w.string("status", r.errors.isEmpty ? "success" : "failure")
        if !r.errors.isEmpty || !r.warnings.isEmpty {
            w.beginArray("messages")
            for (level, texts) in [("fatal", r.errors), ("warn", r.warnings)] {
                for text in texts {
                    w.beginObject()
                    w.string("level", level)
                    w.string("value", text.description)
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.endObject()
    }

    /// GitLab's severities: Critical, High, Medium, Low, Info (Unknown is never needed).
    static func severity(_ s: Severity) -> String {
        switch s {
        case .critical: "Critical"
        case .high: "High"
        case .medium: "Medium"
        case .low: "Low"
        case .info: "Info"
        }
    }

    /// The first 32 hex digits of `hex` in UUID form.
    static func uuid(_ hex: String) -> String {
        let h = Array(hex.prefix(32))
        guard h.count == 32 else { return hex }
        return [h[0..<8], h[8..<12], h[12..<16], h[16..<20], h[20..<32]].map { String($0) }.joined(separator: "-")
    }
}
