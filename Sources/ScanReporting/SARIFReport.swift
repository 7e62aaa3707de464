import Foundation
import SecretRules
import SecretScanner
import Verification

/// SARIF 2.1.0 as GitHub code scanning takes it: one run, the rules that fired, one result per finding with
/// a physical location and a `partialFingerprints` entry that stays the same when lines move. Redacted always.
enum SARIFReport {
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    static func render(_ report: Report) -> String {
        let rules = CIFacts.firedRules(report.findings)
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($0.element.id, $0.offset) })
        var w = JSONWriter()
        w.beginObject()
        w.string("$schema", schema)
        w.string("version", "2.1.0")
        w.beginArray("runs")
        w.beginObject()
        w.beginObject("tool")
        w.beginObject("driver")
        w.string("name", "keywarden")
        w.string("version", report.toolVersion)
        w.string("semanticVersion", report.toolVersion)
        w.beginArray("rules")
        for rule in rules { write(rule, into: &w) }
        w.endArray()
        w.endObject()
        w.endObject()
        writeInvocation(report, into: &w)
        w.beginArray("results")
        let ids = CIFacts.stableIDs(report.findings)
        for (i, f) in report.findings.enumerated() {
            write(f, id: ids[i], ruleIndex: index[f.ruleID] ?? 0, notes: report.notes[i] ?? [], tracked: report.trackedKeys[i],
                  verification: report.verifications[i], into: &w)
        }
        w.endArray()
        if let revision = report.revision {
            w.beginObject("properties")
            w.string("revision", revision)
            w.endObject()
        }
        w.endObject()
        w.endArray()
        w.endObject()
        return w.text + "\n"
    }

    private static func write(_ rule: FiredRule, into w: inout JSONWriter) {
        let title = CIFacts.title(rule.description, ruleID: rule.id)
        let help = CIFacts.ruleHelp(provider: rule.provider)
        w.beginObject()
        w.string("id", rule.id)
        w.string("name", camelCase(rule.id))
        w.beginObject("shortDescription")
        w.string("text", title)
        w.endObject()
        w.beginObject("fullDescription")
        w.string("text", "\(title). keywarden rule `\(rule.id)` finds \(rule.provider) credentials in files and git "
            + "history; a finding means the value is in the repository, where everyone with read access can use it.")
        w.endObject()
        w.beginObject("help")
        w.string("text", help)
        w.string("markdown", "**\(title)**\n\n\(help)")
        w.endObject()
        w.beginObject("defaultConfiguration")
        w.string("level", level(rule.severity))
        w.endObject()
        w.beginObject("properties")
        w.strings("tags", ["security", "secret", rule.provider])
        w.string("precision", "high")
        w.string("security-severity", securitySeverity(rule.severity))
        w.endObject()
        w.endObject()
    }

    private static func write(_ f: Finding, id: String, ruleIndex: Int, notes: [String], tracked: [String: String]?,
                              verification: VerificationResult?, into w: inout JSONWriter) {
        w.beginObject()
        w.string("ruleId", f.ruleID)
        w.int("ruleIndex", ruleIndex)
        w.string("level", level(f.severity))
        w.beginObject("message")
        let verified = verification.map { ["Live verification: \($0)"] } ?? []
        // A member of an archive is located at the archive file; the message names the member and its line.
        w.string("text", ([CIFacts.message(f)] + CIFacts.member(f) + notes + verified).joined(separator: "\n"))
        w.endObject()
        w.beginArray("locations")
        w.beginObject()
        w.beginObject("physicalLocation")
        w.beginObject("artifactLocation")
        let path = CIFacts.file(f)
        w.string("uri", uri(path))
        if !path.hasPrefix("/") { w.string("uriBaseId", "%SRCROOT%") }
        w.endObject()
        w.beginObject("region")
        w.int("startLine", max(1, f.line))
        w.int("startColumn", max(1, f.column))
        if f.endLine > f.line || (f.endLine == f.line && f.endColumn > f.column) {
            w.int("endLine", f.endLine)
            w.int("endColumn", max(1, f.endColumn))
        }
        w.endObject()
        w.endObject()
        w.endObject()
        w.endArray()
        w.beginObject("partialFingerprints")
        w.string(CIFacts.fingerprintKey, id)
        w.endObject()
        w.beginObject("properties")
        w.string("fingerprint", f.fingerprint)
        w.string("secret", f.redactedSecret)
        w.string("provider", f.provider)
        w.string("severity", f.severity.rawValue)
        if let g = f.git {
            w.string("commit", g.commit)
            w.string("commitDate", g.date)
            if let h = g.inHead { w.bool("inHead", h) }
        }
        if let tracked { w.dictionary("trackedKey", tracked) }
        if let verification {
            w.beginObject("verification")
            w.string("state", verification.state.rawValue)
            if let status = verification.httpStatus { w.int("httpStatus", status) }
            if !verification.detail.isEmpty { w.string("detail", verification.detail) }
            w.endObject()
        }
        w.endObject()
        w.endObject()
    }

    private static func writeInvocation(_ report: Report, into w: inout JSONWriter) {
        let r = report.result
        w.beginArray("invocations")
        w.beginObject()
        w.bool("executionSuccessful", r.errors.isEmpty)
        w.string("startTimeUtc", CIFacts.utc(CIFacts.startedAt(report)) + "Z")
        w.string("endTimeUtc", CIFacts.utc(report.finishedAt) + "Z")
        if !r.errors.isEmpty || !r.warnings.isEmpty {
            w.beginArray("toolExecutionNotifications")
            for (lvl, texts) in [("error", r.errors), ("warning", r.warnings)] {
                for text in texts {
                    w.beginObject()
                    w.string("level", lvl)
                    w.beginObject("message")
                    w.string("text", text.description)
                    w.endObject()
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.endObject()
        w.endArray()
    }

    /// SARIF's `level`: `error`, `warning` or `note`.
    static func level(_ s: Severity) -> String {
        switch s {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    /// GitHub's `security-severity` score (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low below).
    static func securitySeverity(_ s: Severity) -> String {
        switch s {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "1.0"
        }
    }

    /// `maintainx-api-key` → `MaintainxApiKey`.
    static func camelCase(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A path as a URI reference: relative paths stay relative; absolute ones become `file://` URIs.
    static func uri(_ path: String) -> String {
        var out = path.hasPrefix("/") ? "file://" : ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
