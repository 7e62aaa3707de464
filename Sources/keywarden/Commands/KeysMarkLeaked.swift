import ArgumentParser
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys mark-leaked ID`.
    struct MarkLeaked: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mark-leaked",
            abstract: "Record that a key leaked: its rotation is due now, and `keys check` fails until it is rotated."
        )

        @Argument(help: "The key's id in the ledger.") var id: String
        @OptionGroup var event: EventOptions
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            let id = self.id, by = event.actor, reason = event.reason
            let provider = try ledger.update { (l) throws(KeyAgeError) -> String in
                try l.markLeaked(id: id, on: today, by: by, reason: reason)
                return l.key(id: id)?.provider ?? "<provider>"
            }
            Terminal.say("Marked \(Terminal.escape(id)) leaked on \(today): rotate it now (keywarden keys runbook \(Terminal.escape(provider))), "
                + "then record it with keywarden keys rotated \(Terminal.escape(id)).")
        }
    }
}
