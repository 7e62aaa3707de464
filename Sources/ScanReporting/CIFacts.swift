import Foundation
import Hashing
public import SecretScanner
import SecretRules

/// One rule that fired in a report, with what the CI formats say about it.
struct FiredRule {
    var id: String
    var description: String
    var provider: String
    var severity: Severity
    /// How many findings of this rule the report has.
    var count: Int
}

/// What the CI formats share: identities that stay stable across runs, levels, paths, times and texts.
/// Nothing here ever sees more of a secret than `Report.secret(_:)` gives.
public enum CIFacts {
    /// The key of keywarden's SARIF `partialFingerprints` entry.
    public static let fingerprintKey = "keywarden/v1"

    /// An identity for a finding that survives lines moving and holds no secret: SHA-256 over the rule,
    /// the (normalised) path and the finding's fingerprint, which is itself a hash of the secret.
    public static func stableID(_ f: Finding) -> String {
        let material = fingerprintKey + "\u{0}" + f.ruleID + "\u{0}" + path(f.path) + "\u{0}" + f.fingerprint
        return Hex.encode(Digest.sha256(Array(material.utf8)))
    }

    /// The stable ids of `findings`, in order: `stableID`, except that a repeat of the same secret in the same
    /// file under the same rule gets its occurrence number mixed in, so that ids are unique within a report
    /// and still do not change when lines move.
    public static func stableIDs(_ findings: [Finding]) -> [String] {
        var seen: [String: Int] = [:]
        return findings.map { f in
            let id = stableID(f)
            seen[id, default: 0] += 1
            guard let n = seen[id], n > 1 else { return id }
            return Hex.encode(Digest.sha256(Array((id + "#" + String(n)).utf8)))
        }
    }

    /// A path as CI systems expect it: relative paths without a leading `./`.
    /// The file a CI system can point at: an archive member's archive (`extra.archive`), else the finding's path.
    static func file(_ f: Finding) -> String { path(f.extra["archive"] ?? f.path) }

    /// For a finding inside an archive, the sentence that names the member and its line; empty otherwise.
    static func member(_ f: Finding) -> [String] {
        f.extra["archive"] != nil ? ["In the archive member \(f.path), line \(f.line)."] : []
    }

    public static func path(_ p: String) -> String {
        var s = Substring(p)
        while s.hasPrefix("./") { s = s.dropFirst(2) }
        return s.isEmpty ? "." : String(s)
    }

    /// The rules that fired, sorted by id.
    static func firedRules(_ findings: [Finding]) -> [FiredRule] {
        var byID: [String: FiredRule] = [:]
        for f in findings {
            if var r = byID[f.ruleID] {
                r.count += 1
                r.severity = max(r.severity, f.severity)
                byID[f.ruleID] = r
            } else {
                byID[f.ruleID] = FiredRule(id: f.ruleID, description: f.ruleDescription, provider: f.provider,
                                           severity: f.severity, count: 1)
            }
        }
        return byID.values.sorted { $0.id < $1.id }
    }

    /// A rule's one-line description, never empty.
    static func title(_ description: String, ruleID: String) -> String {
        description.isEmpty ? "Secret found by rule \(ruleID)" : description
    }

    /// What to do about any finding of a rule (the per-finding fix names the fingerprint too).
    static func ruleHelp(provider: String) -> String {
        let source = provider == "private-key"
            ? Advice.variable(for: provider)
            : "the environment (\(Advice.variable(for: provider))) or a secret manager"
        return "Remove the value from the file and load it from \(source). "
            + "If the value ever left this machine (pushed, shared, logged), treat it as leaked and rotate it: "
            + "`keywarden keys runbook \(provider)`. "
            + "If it is not a secret, add `keywarden:allow` on the line, or run "
            + "`keywarden ignore add FINGERPRINT --reason \"...\"` with the fingerprint from the report."
    }

    /// The message of one finding: what, the redacted secret and its fingerprint. CI formats always redact:
    /// their output is uploaded and kept, so `--show-secrets` does not apply to them.
    static func message(_ f: Finding) -> String {
        var text = "\(title(f.ruleDescription, ruleID: f.ruleID)) (\(f.ruleID)): \(f.redactedSecret), fingerprint \(f.fingerprint)"
        if let g = f.git { text += ", introduced in commit \(g.commit.prefix(12))" }
        return text
    }

    /// `date` as `yyyy-MM-ddTHH:mm:ss` in UTC (GitLab's format; SARIF adds `Z`).
    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let year = String(c.year ?? 1970)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)) + year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    /// When the scan started.
    static func startedAt(_ report: Report) -> Date {
        report.finishedAt.addingTimeInterval(-max(0, report.result.seconds))
    }
}
