import ArgumentParser
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys revoke ID`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that a key was revoked (it stays in the ledger with its history)."
        )

        @Argument(help: "The key's id in the ledger.") var id: String
        @Option(name: .customLong("by"), help: "Who revoked it (default: the login name).") var by: String?
        @Option(name: .customLong("reason"), help: "Why.") var reason: String?
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            let store = ledger.store
            let id = self.id, by = Keywarden.Keys.actor(self.by), reason = self.reason
            try ledgerCall { () throws(KeyAgeError) in
                try store.update { (l) throws(KeyAgeError) in try l.revoke(id: id, on: today, by: by, reason: reason) }
            }
            print("Recorded \(id) as revoked on \(today).")
        }
    }
}
