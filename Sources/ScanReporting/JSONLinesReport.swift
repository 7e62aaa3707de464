import SecretScanner

/// JSON Lines: one compact object per finding (`"type": "finding"`, the JSON report's finding fields), then
/// one summary object (`"type": "summary"`, the JSON report's summary fields and `version`). Streams well
/// into log pipelines and `jq -c`.
///
/// A CI format: like SARIF, GitHub, JUnit and GitLab it always redacts, even with `--show-secrets` (CI logs
/// are kept and shown to everyone with read access); only `text` and `json` honour that option.
enum JSONLinesReport {
    static func render(_ shown: Report) -> String {
        var report = shown
        report.showSecrets = false
        var out = ""
        for (i, f) in report.findings.enumerated() {
            var w = JSONWriter(pretty: false)
            w.beginObject()
            w.string("type", "finding")
            JSONReport.write(f, report: report, notes: report.notes[i], into: &w)
            if let tracked = report.trackedKeys[i] { w.dictionary("tracked_key", tracked) }
            if let v = report.verifications[i] { JSONReport.writeVerification(v, into: &w) }
            w.endObject()
            out += w.text + "\n"
        }
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("type", "summary")
        w.string("version", report.toolVersion)
        JSONReport.writeSummary(report, into: &w)
        w.endObject()
        return out + w.text + "\n"
    }
}
