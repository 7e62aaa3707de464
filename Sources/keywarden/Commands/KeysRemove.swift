import ArgumentParser
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys remove ID`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Delete a key and its history from the ledger (use revoke to keep the record)."
        )

        @Argument(help: "The key's id in the ledger.") var id: String
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let id = self.id
            try ledger.update { (l) throws(KeyAgeError) in try l.remove(id: id) }
            Terminal.say("Removed \(Terminal.escape(id)) from \(Terminal.escape(ledger.path)).")
        }
    }
}
