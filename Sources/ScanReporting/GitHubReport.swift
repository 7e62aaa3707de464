import Foundation
import SecretRules
import SecretScanner

/// GitHub Actions workflow commands: one annotation per finding (`::error file=...,line=...,title=...::...`),
/// and a Markdown job summary for `GITHUB_STEP_SUMMARY`. GitHub shows only a few annotations per step
/// (10 errors and 10 warnings), so the summary, which has no such cap, lists every finding. Redacted always.
public enum GitHubReport {
    /// The annotations, one line each, then scan errors and a note when GitHub will not show them all.
    public static func render(_ report: Report) -> String {
        var out = ""
        var perLevel: [String: Int] = [:]
        for f in report.findings {
            let level = command(f.severity)
            perLevel[level, default: 0] += 1
            var properties = [("file", CIFacts.file(f)), ("line", String(max(1, f.line)))]
            if f.endLine > f.line {
                properties.append(("endLine", String(f.endLine)))
            } else {
                properties.append(("col", String(max(1, f.column))))
                if f.endColumn > f.column { properties.append(("endColumn", String(f.endColumn))) }
            }
            properties.append(("title", "keywarden: \(f.ruleID)"))
            let message = ([CIFacts.message(f)] + CIFacts.member(f)).joined(separator: "\n") + "\nFix: "
                + Advice.fix(for: f, leftMachine: report.keysLeftMachine)
            out += annotation(level, properties: properties, message: message)
        }
        for e in report.result.errors {
            out += annotation("error", properties: [("title", "keywarden: scan error")], message: e.rawDescription)
        }
        if perLevel.values.contains(where: { $0 > annotationsShownPerLevel }) {
            out += annotation("notice", properties: [("title", "keywarden")],
                              message: "\(report.findings.count) findings: GitHub shows only the first \(annotationsShownPerLevel) "
                                  + "annotations of each level per step; the job summary lists them all.")
        }
        return out
    }

    /// How many annotations of one level GitHub shows per step.
    public static let annotationsShownPerLevel = 10

    /// One workflow command line.
    public static func annotation(_ level: String, properties: [(String, String)], message: String) -> String {
        let props = properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
        return "::\(level)\(props.isEmpty ? "" : " " + props)::\(escapeData(message))\n"
    }

    /// Escapes a workflow command's message as GitHub requires: `%`, CR and LF.
    public static func escapeData(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Escapes a workflow command's property value: as `escapeData`, plus `:` and `,`.
    public static func escapeProperty(_ s: String) -> String {
        var out = ""
        for c in escapeData(s).unicodeScalars {
            switch c {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// The workflow command for a severity: `error`, `warning` or `notice`.
    static func command(_ s: Severity) -> String {
        switch s {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "notice"
        }
    }

    /// The job summary: a Markdown table of every finding, the counts, what to do, and any errors.
    public static func summary(_ report: Report) -> String {
        let r = report.result
        let n = report.findings.count
        var out = n == 0 ? "## keywarden: no secrets found\n\n" : "## keywarden: \(n) secret\(n == 1 ? "" : "s") found\n\n"
        var counts = report.scope.isEmpty ? "" : "Scope: \(cell(report.scope)). "
        counts += "Scanned \(r.filesScanned) file\(r.filesScanned == 1 ? "" : "s") (\(size(r.bytesScanned))) in "
            + String(format: "%.2f", r.seconds) + " s"
        if report.ignored > 0 { counts += "; \(report.ignored) ignored" }
        if report.baselined > 0 { counts += "; \(report.baselined) in the baseline" }
        if !r.skipped.isEmpty { counts += "; \(r.skipped.count) skipped" }
        out += counts + ".\n\n"
        if n > 0 {
            out += "| Severity | Rule | Location | Secret (redacted) | Fingerprint |\n| --- | --- | --- | --- | --- |\n"
            for f in report.findings {
                var location = "\(CIFacts.path(f.path)):\(f.line)"
                if let g = f.git { location += " @ \(g.commit.prefix(12))" }
                out += "| \(f.severity.rawValue) | \(code(f.ruleID)) \(cell(CIFacts.title(f.ruleDescription, ruleID: f.ruleID))) "
                    + "| \(code(location)) | \(code(f.redactedSecret)) | \(code(f.fingerprint)) |\n"
            }
            out += "\n### What to do\n\n"
            for rule in CIFacts.firedRules(report.findings) {
                out += "- \(code(rule.id)): \(cell(CIFacts.ruleHelp(provider: rule.provider)))\n"
            }
            out += "\n"
        }
        if !r.errors.isEmpty {
            out += "### Errors\n\n"
            for e in r.errors { out += "- \(cell(e.rawDescription))\n" }
            out += "\n"
        }
        return out
    }

    /// Appends the job summary to `path` (the file `GITHUB_STEP_SUMMARY` names), creating it when missing.
    public static func appendSummary(_ report: Report, toFile path: String) throws(ReportingError) {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path), !fm.createFile(atPath: path, contents: nil) {
            throw ReportingError(.cannotWrite, "cannot create the job summary file \(path)")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ReportingError(.cannotWrite, "cannot open the job summary file \(path) for writing")
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(summary(report).utf8))
        } catch {
            throw ReportingError(.cannotWrite, "cannot append to the job summary file \(path): \(error.localizedDescription)")
        }
    }

    /// A byte count for people: B, KB or MB.
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1_048_576 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// Text for a table cell: one line, `|` escaped, no HTML.
    static func cell(_ s: String) -> String { tableText(s, code: false) }

    /// A code span for a table cell (backticks inside become quotes, `|` escaped as GitHub's tables require).
    static func code(_ s: String) -> String { "`" + tableText(s, code: true) + "`" }

    private static func tableText(_ s: String, code: Bool) -> String {
        var out = ""
        for c in s {
            switch c {
            case "|": out += "\\|"
            case "\n", "\r", "\r\n": out += " "
            case "`" where code: out += "'"
            case "<" where !code: out += "&lt;"
            case ">" where !code: out += "&gt;"
            case "&" where !code: out += "&amp;"
            default: out.append(c)
            }
        }
        return out
    }
}
