/// The CI verdict on a ledger: errors (exit 1) for overdue or leaked active keys and for a key value shared
/// across environments; warnings for keys due soon or due today.
public struct LedgerCheck: Sendable {
    /// One problem, for one key or a pair of keys.
    public struct Problem: Sendable, Equatable {
        public let keyIDs: [String]
        public let message: String
    }

    public let errors: [Problem]
    public let warnings: [Problem]
    /// Active keys checked.
    public let activeCount: Int

    /// True when a CI job should fail.
    public var failed: Bool { !errors.isEmpty }

    public init(ledger: KeyLedger, today: CalendarDate) {
        var errors: [Problem] = [], warnings: [Problem] = []
        let statuses = KeyStatus.all(in: ledger, today: today)
        for s in statuses {
            let name = "\(s.key.id) (\(s.key.environment))"
            if s.failsCheck {
                errors.append(Problem(keyIDs: [s.key.id], message: "\(name): \(s.message)"))
            } else if s.level == .due || s.level == .dueSoon {
                warnings.append(Problem(keyIDs: [s.key.id], message: "\(name): \(s.message)"))
            }
        }
        for (a, b) in ledger.keysSharedAcrossEnvironments() {
            errors.append(Problem(keyIDs: [a.id, b.id],
                                  message: "\(a.id) (\(a.environment)) and \(b.id) (\(b.environment)) hold the same key value; "
                                      + "each environment must have its own key"))
        }
        self.errors = errors
        self.warnings = warnings
        self.activeCount = ledger.keys.filter { $0.state == .active }.count
    }
}
