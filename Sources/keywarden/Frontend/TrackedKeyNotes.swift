import Foundation
import KeyAge
import ScanReporting

/// Names the tracked key (from the ledger) behind each finding whose fingerprint the ledger knows.
enum TrackedKeyNotes {
    /// Adds a note and the key's facts to each finding of `report` that is a tracked key. Returns the
    /// ledger when one was loaded (nil when there is none); a ledger that cannot be read is a warning.
    @discardableResult
    static func annotate(_ report: inout Report, ledgerPath path: String, warnings: inout [String],
                         always: Bool = false) -> KeyLedger? {
        guard always || !report.findings.isEmpty else { return nil }
        let loaded: KeyLedger?
        do {
            loaded = try LedgerStore(path: path).loadIfPresent()
        } catch {
            warnings.append("key ledger not used: \(error)")
            return nil
        }
        guard let keys = loaded else { return nil }
        for (i, f) in report.findings.enumerated() {
            guard let info = ([f.fingerprint] + f.relatedFingerprints).lazy.compactMap({ keys.lookup(fingerprint: $0) }).first else { continue }
            report.notes[i, default: []].append(info.summary)
            var facts = ["id": info.id, "provider": info.provider, "environment": info.environment,
                         "current": info.isCurrentValue ? "true" : "false"]
            if let owner = info.owner { facts["owner"] = owner }
            report.trackedKeys[i] = facts
        }
        return keys
    }
}
