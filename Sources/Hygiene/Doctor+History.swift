/// A secret that a history scan found in some commit but not in HEAD: removed from the files, still in
/// every clone of the repository.
public struct HistorySecret: Sendable, Equatable {
    public let ruleID: String
    public let provider: String
    /// Where it was first committed.
    public let path: String
    public let line: Int
    public let commit: String
    public let date: String
    /// The ledger's key id, when the ledger knows this value.
    public let trackedKey: String?
    /// For a tracked key: true when the value is still the key's current one, false when the ledger
    /// records it as a value the key was rotated away from.
    public let isCurrentValue: Bool?

    public init(ruleID: String, provider: String, path: String, line: Int, commit: String, date: String,
                trackedKey: String? = nil, isCurrentValue: Bool? = nil) {
        self.ruleID = ruleID
        self.provider = provider
        self.path = path
        self.line = line
        self.commit = commit
        self.date = date
        self.trackedKey = trackedKey
        self.isCurrentValue = isCurrentValue
    }

    /// True when the ledger shows the key was rotated since this value leaked.
    public var isRotated: Bool { isCurrentValue == false }
}

/// What doctor knows about the history: the command runs `scan --history` and passes the result in.
public enum HistoryEvidence: Sendable, Equatable {
    /// The history was not scanned, and why (`--no-history`, no commit yet, the scan failed).
    case notScanned(String)
    /// The secrets the history scan found that HEAD no longer holds.
    case scanned([HistorySecret])
}

extension Doctor {
    func checkHistory(_ evidence: HistoryEvidence) -> CheckResult {
        switch evidence {
        case .notScanned(let why):
            return .skip(.historySecrets, why)
        case .scanned(let secrets):
            let live = secrets.filter { !$0.isRotated }
            let rotated = secrets.count - live.count
            let rotatedNote = rotated == 0 ? "" : " (\(rotated) older value\(rotated == 1 ? "" : "s") the ledger shows rotated)"
            if live.isEmpty {
                return .pass(.historySecrets, "the history holds no secret that HEAD does not" + rotatedNote)
            }
            let details = live.map { s -> String in
                var line = "\(s.path):\(s.line) \(s.ruleID) (\(s.provider)), committed in \(s.commit) on \(s.date)"
                if let key = s.trackedKey { line += ", tracked key \(key)" + (s.isCurrentValue == true ? " (still its current value)" : "") }
                return line
            }
            var fix: [String] = []
            var seen = Set<String>()
            for s in live where seen.insert(s.trackedKey ?? s.provider).inserted {
                fix.append(s.trackedKey.map { "keywarden keys runbook \(s.provider) --key \($0)" } ?? "keywarden keys runbook \(s.provider)")
            }
            fix.append("rotate each key first: deleting the file did not revoke it, every clone still holds it (rewriting history does not either)")
            fix.append("then record the new value (keywarden keys rotated ID --from-env VAR); `keywarden scan --history` lists every occurrence")
            return .warn(.historySecrets,
                         "\(live.count) secret\(live.count == 1 ? " is" : "s are") gone from HEAD but still in the git history" + rotatedNote,
                         details: details, fix: fix)
        }
    }
}
