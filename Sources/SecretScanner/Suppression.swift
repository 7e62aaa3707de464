import Foundation
import Hashing
import SystemSupport

/// Fingerprints a team has declared not to be secrets (`.keywardenignore`), and findings already known
/// from an earlier report (`--baseline`). Both match on the secret's value, never on its position.
public struct Suppression: Sendable {
    public private(set) var ignored = Set<String>()
    /// (rule id, fingerprint) pairs from a baseline report.
    public private(set) var baseline = Set<String>()

    public init() {}

    /// Reads an ignore file: one fingerprint per line, `#` starts a comment. A missing file is empty.
    /// Throws with the line number of a line that is not a fingerprint.
    public mutating func loadIgnoreFile(_ path: String) throws(ScanError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScanError(.input, "\(path): cannot read the ignore file")
        }
        for (n, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let value = content.trimmingCharacters(in: .whitespaces)
            if value.isEmpty { continue }
            guard Fingerprinter.isFingerprint(value) else {
                throw ScanError(.input, "\(path):\(n + 1): not a fingerprint (expected 64 lowercase hex digits)")
            }
            ignored.insert(value)
        }
    }

    /// Reads a JSON report written by `keywarden scan --format json`.
    public mutating func loadBaseline(_ path: String) throws(ScanError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScanError(.input, "\(path): cannot read the baseline report")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let findings = object["findings"] as? [[String: Any]] else {
            throw ScanError(.input, "\(path): not a keywarden JSON report (expected an object with \"findings\")")
        }
        for f in findings {
            if let rule = f["rule_id"] as? String, let fp = f["fingerprint"] as? String { baseline.insert(rule + "\u{0}" + fp) }
        }
    }

    /// Splits findings into those to report and the number suppressed by each mechanism.
    public func apply(_ findings: [Finding]) -> (kept: [Finding], ignored: Int, baselined: Int) {
        var kept = [Finding]()
        var ignoredCount = 0, baselined = 0
        for f in findings {
            if ignored.contains(f.fingerprint) || f.relatedFingerprints.contains(where: ignored.contains) {
                ignoredCount += 1
            } else if baseline.contains(f.ruleID + "\u{0}" + f.fingerprint) {
                baselined += 1
            } else {
                kept.append(f)
            }
        }
        return (kept, ignoredCount, baselined)
    }

    /// Appends a fingerprint with a reason to an ignore file, creating it when needed.
    public static func append(fingerprint: String, reason: String, to path: String) throws(ScanError) {
        guard Fingerprinter.isFingerprint(fingerprint) else {
            throw ScanError(.input, "'\(fingerprint.prefix(80))' is not a fingerprint (expected 64 lowercase hex digits, as printed by scan)")
        }
        var existing = ""
        if let data = FileManager.default.contents(atPath: path) { existing = String(decoding: data, as: UTF8.self) }
        if existing.split(separator: "\n").contains(where: { $0.hasPrefix(fingerprint) }) { return }
        if !existing.isEmpty && !existing.hasSuffix("\n") { existing += "\n" }
        let comment = reason.replacingOccurrences(of: "\n", with: " ")
        existing += comment.isEmpty ? "\(fingerprint)\n" : "\(fingerprint)  # \(comment)\n"
        do {
            try AtomicFile.write(existing.utf8, to: path)
        } catch {
            throw ScanError(.output, "\(path): cannot write: \(error.reason)")
        }
    }
}
