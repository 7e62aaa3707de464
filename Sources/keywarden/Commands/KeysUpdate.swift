import ArgumentParser
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys update ID`: change what the ledger says about a key, other than its value.
    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Change a key's owner, rotation interval, warning window, location or scopes (recorded in its history).",
            discussion: "A new key value is recorded with 'keys rotated', not here. Exit codes: 0 changed (or nothing to change), 2 error."
        )

        @Argument(help: "The key's id in the ledger.") var id: String
        @Option(name: .customLong("owner"), help: "Who rotates it ('' clears it).") var owner: String?
        @Option(name: .customLong("interval"), help: "Rotation interval: days (90) or ISO 8601 (P90D).") var interval: String?
        @Option(name: .customLong("warn-before"), help: "Days before the due date at which the key is 'due soon'.") var warnBefore: Int?
        @Option(name: .customLong("location"), help: ArgumentHelp("Where the key lives: env:VAR, vault:PATH, aws-sm:NAME, ... ('' clears it).", valueName: "SCHEME:PATH"))
        var location: String?
        @Option(name: .customLong("scopes"), help: ArgumentHelp("The scopes the key was granted, comma-separated ('' means none).", valueName: "LIST"))
        var scopes: String?
        @Option(name: .customLong("note"), help: "A free note kept in the ledger ('' clears it).") var note: String?
        @OptionGroup var event: EventOptions
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            var newInterval: RotationInterval??
            if let text = interval {
                guard let i = RotationInterval(parsing: text) else {
                    throw CommandFailure("--interval must be a number of days or an ISO 8601 duration like P90D, not '\(text)'")
                }
                newInterval = .some(i)
            }
            if let warnBefore, warnBefore < 0 { throw CommandFailure("--warn-before must be 0 or more") }
            let newLocation: String?? = try location.map { $0.isEmpty ? .none : try Keywarden.Keys.location($0) }
            guard owner != nil || interval != nil || warnBefore != nil || location != nil || scopes != nil || note != nil else {
                throw CommandFailure("nothing to change: give --owner, --interval, --warn-before, --location, --scopes or --note")
            }
            let id = self.id, by = event.actor, reason = event.reason
            let owner: String?? = self.owner.map { $0.isEmpty ? .none : .some($0) }
            let note: String?? = self.note.map { $0.isEmpty ? .none : .some($0) }
            let scopes: [String]?? = self.scopes.map { .some(Keywarden.Keys.scopeList($0)) }
            let warn: Int?? = warnBefore.map { .some($0) }
            let changes = try ledger.update { (l) throws(KeyAgeError) in
                try l.update(id: id, owner: owner, interval: newInterval, warnBefore: warn, location: newLocation,
                             scopes: scopes, note: note, on: today, by: by, reason: reason)
            }
            if changes.isEmpty {
                Terminal.say("\(Terminal.escape(id)): nothing changed.")
            } else {
                Terminal.say("Updated \(Terminal.escape(id)): " + Terminal.escape(changes.joined(separator: "; ")))
            }
        }
    }
}
