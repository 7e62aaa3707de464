/// The CI verdict on a ledger: errors (exit 1) for overdue or leaked active keys, for a key value shared
/// across environments and for scopes beyond the environment's `[scope_policy]`; warnings for keys due soon
/// or due today and for keys whose scopes are not recorded where a policy applies.
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
        for key in ledger.keys where key.state == .active {
            let beyond = ledger.scopesBeyondPolicy(key)
            if !beyond.isEmpty {
                let allowed = ledger.allowedScopes(in: key.environment) ?? []
                errors.append(Problem(keyIDs: [key.id],
                                      message: "\(key.id) (\(key.environment)) has scopes broader than [scope_policy] allows in "
                                          + "\(key.environment): \(beyond.joined(separator: ", ")) (allowed: "
                                          + "\(allowed.isEmpty ? "none" : allowed.joined(separator: ", "))); reissue it with fewer scopes"))
            } else if ledger.allowedScopes(in: key.environment) != nil, key.scopes == nil {
                warnings.append(Problem(keyIDs: [key.id],
                                        message: "\(key.id) (\(key.environment)): scopes not recorded, so [scope_policy] cannot be checked "
                                            + "(keywarden keys update \(key.id) --scopes ...)"))
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
