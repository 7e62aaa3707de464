import ArgumentParser
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys rotated ID`: record a rotation.
    struct Rotated: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotated",
            abstract: "Record that a key was rotated; refuses the old key (the fingerprint must change).",
            discussion: "The rotation date is --date, else a MaintainX key's iat, else today."
        )

        @Argument(help: "The key's id in the ledger.") var id: String
        @Option(name: .customLong("date"), help: "When the new key was made (YYYY-MM-DD).") var date: String?
        @OptionGroup var event: EventOptions
        @Flag(name: .customLong("hint-last4"), help: "Also store the new key's last four characters (they are key material).")
        var hintLast4 = false
        @OptionGroup var source: KeySourceOptions
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            guard let facts = try source.facts() else {
                throw CommandFailure("give the new key with --from-env, --from-dotenv or --stdin (it is only fingerprinted)")
            }
            let date = try Keywarden.Keys.date(self.date, option: "--date") ?? facts.issued.map { min($0, today) } ?? today
            let by = event.actor, reason = event.reason, id = self.id, last4 = hintLast4 ? facts.last4 : nil
            let key = try ledger.update { (l) throws(KeyAgeError) -> TrackedKey? in
                try l.recordRotation(id: id, fingerprint: facts.fingerprint, legacy: facts.legacyFingerprint, on: date, by: by, reason: reason,
                                     jti: facts.keyID, last4: last4)
                return l.key(id: id)
            }
            guard let key else { return }
            Terminal.say("Recorded rotation of \(Terminal.escape(key.id)) on \(date). \(Terminal.escape(KeyStatus(key: key, today: today).message))")
        }
    }
}
