import KeyAge

extension Doctor {
    /// `ledger-overdue` and `ledger-reuse`: both skipped when there is no ledger; both failing when the
    /// ledger cannot be read.
    func checkLedger() -> [CheckResult] {
        let path = ledgerPath
        let shown = displayPath(path)
        let ledger: KeyLedger
        do {
            guard let loaded = try LedgerStore(path: path).loadIfPresent() else {
                return [.skip(.ledgerOverdue, "no ledger (\(shown)); start one with `keywarden keys add`"),
                        .skip(.ledgerReuse, "no ledger (\(shown))")]
            }
            ledger = loaded
        } catch {
            let fix = ["repair the ledger: \(error.description)"]
            return [.fail(.ledgerOverdue, "the ledger cannot be read", details: [error.description], fix: fix),
                    .fail(.ledgerReuse, "the ledger cannot be read", details: [error.description], fix: fix)]
        }
        return [overdue(ledger, shown), reuse(ledger)]
    }

    private func overdue(_ ledger: KeyLedger, _ shown: String) -> CheckResult {
        let statuses = KeyStatus.all(in: ledger, today: options.today)
        let active = ledger.keys.filter { $0.state == .active }.count
        if active == 0 { return .skip(.ledgerOverdue, "the ledger (\(shown)) tracks no active key") }
        let failing = statuses.filter(\.failsCheck)
        let soon = statuses.filter { $0.level == .due || $0.level == .dueSoon }
            .map { "\($0.key.id) (\($0.key.environment)): \($0.message)" }
        if failing.isEmpty {
            return .pass(.ledgerOverdue, "\(active) active key\(active == 1 ? "" : "s"), none overdue or leaked", details: soon)
        }
        var fix: [String] = []
        for s in failing {
            fix.append("rotate \(s.key.id): `keywarden keys runbook \(s.key.provider) --key \(s.key.id)`, then `keywarden keys rotated \(s.key.id) --from-env VAR`")
        }
        return .fail(.ledgerOverdue, "\(failing.count) key\(failing.count == 1 ? " is" : "s are") overdue or leaked",
                     details: failing.map { "\($0.key.id) (\($0.key.environment)): \($0.message)" } + soon, fix: fix)
    }

    private func reuse(_ ledger: KeyLedger) -> CheckResult {
        let pairs = ledger.keysSharedAcrossEnvironments()
        if pairs.isEmpty {
            let fingerprinted = ledger.keys.filter { $0.state == .active && $0.fingerprint != nil }.count
            if fingerprinted == 0 { return .skip(.ledgerReuse, "no active key in the ledger has a fingerprint to compare") }
            return .pass(.ledgerReuse, "\(fingerprinted) fingerprinted key\(fingerprinted == 1 ? "" : "s"), each environment has its own")
        }
        return .fail(.ledgerReuse, "\(pairs.count) key value\(pairs.count == 1 ? " is" : "s are") shared between environments",
                     details: pairs.map { "\($0.0.id) (\($0.0.environment)) and \($0.1.id) (\($0.1.environment)) hold the same key" },
                     fix: pairs.map { "make a new key for \($0.1.environment) and record it: `keywarden keys rotated \($0.1.id) --from-env VAR`" })
    }
}
