import SecretScanner
import Verification

/// The JSON report: `version`, `findings` (snake_case keys), `summary`.
enum JSONReport {
    static func render(_ report: Report) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("version", report.toolVersion)
        w.beginArray("findings")
        for (i, f) in report.findings.enumerated() {
            w.beginObject()
            write(f, report: report, notes: report.notes[i], into: &w)
            if let tracked = report.trackedKeys[i] { w.dictionary("tracked_key", tracked) }
            if let v = report.verifications[i] { writeVerification(v, into: &w) }
            w.endObject()
        }
        w.endArray()
        w.beginObject("summary")
        writeSummary(report, into: &w)
        w.endObject()
        w.endObject()
        return w.text + "\n"
    }

    /// The summary's fields (shared with the JSON Lines format).
    static func writeSummary(_ report: Report, into w: inout JSONWriter) {
        let r = report.result
        w.int("findings", report.findings.count)
        w.int("files", r.filesScanned)
        w.int("bytes", r.bytesScanned)
        w.double("duration_seconds", (r.seconds * 1000).rounded() / 1000)
        w.int("ignored", report.ignored)
        w.int("baselined", report.baselined)
        w.string("scope", report.scope)
        w.strings("skipped", r.skipped.map(\.rawDescription))
        w.strings("errors", r.errors.map(\.rawDescription))
        w.strings("warnings", r.warnings.map(\.rawDescription))
        if let p = report.prefilter {
            w.beginObject("prefilter")
            w.string("origin", p.origin)
            w.double("seconds", (p.seconds * 1000).rounded() / 1000)
            w.endObject()
        }
        let counts = report.verificationCounts
        if !counts.isEmpty {
            w.beginObject("verification")
            for state in VerificationState.allCases { w.int(state.rawValue, counts[state] ?? 0) }
            w.endObject()
        }
    }

    /// `"verification": {"state", "http_status", "detail"}` (shared with the JSON Lines format).
    static func writeVerification(_ v: VerificationResult, into w: inout JSONWriter) {
        w.beginObject("verification")
        w.string("state", v.state.rawValue)
        if let status = v.httpStatus { w.int("http_status", status) }
        if !v.detail.isEmpty { w.string("detail", v.detail) }
        w.endObject()
    }

    /// One finding's fields (shared with the JSON Lines format).
    static func write(_ f: Finding, report: Report, notes: [String]?, into w: inout JSONWriter) {
        w.string("rule_id", f.ruleID)
        w.string("description", f.ruleDescription)
        w.string("provider", f.provider)
        w.string("severity", f.severity.rawValue)
        w.string("path", f.path)
        w.int("line", f.line)
        w.int("column", f.column)
        w.int("end_line", f.endLine)
        w.int("end_column", f.endColumn)
        w.string("secret", report.secret(f))
        w.bool("redacted", !report.showSecrets)
        w.string("fingerprint", f.fingerprint)
        if !f.relatedFingerprints.isEmpty { w.strings("related_fingerprints", f.relatedFingerprints) }
        if !f.extra.isEmpty { w.dictionary("extra", f.extra) }
        if let g = f.git {
            w.string("commit", g.commit)
            w.string("author", g.author)
            w.string("email", g.email)
            w.string("date", g.date)
            w.string("message", g.message)
            if let h = g.inHead { w.bool("in_head", h) }
            if let n = g.occurrences { w.int("occurrences", n) }
        }
        if let notes, !notes.isEmpty { w.strings("notes", notes) }
    }
}
