import ArgumentParser
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys revoke ID`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Record that a key was revoked (it stays in the ledger with its history)."
        )

        @Argument(help: "The key's id in the ledger.") var id: String
        @OptionGroup var event: EventOptions
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            let id = self.id, by = event.actor, reason = event.reason
            try ledger.update { (l) throws(KeyAgeError) in try l.revoke(id: id, on: today, by: by, reason: reason) }
            Terminal.say("Recorded \(Terminal.escape(id)) as revoked on \(today).")
        }
    }
}
