import ArgumentParser
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys age`: a MaintainX key's age, read from the key itself.
    struct Age: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "age",
            abstract: "Tell a key's age without a ledger entry (MaintainX keys carry their creation time in iat)."
        )

        @OptionGroup var source: KeySourceOptions
        @Option(name: .customLong("interval"), help: "The rotation interval to measure against (default 90 days).")
        var interval: String?
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            guard let facts = try source.facts() else { throw CommandFailure("give the key with --from-env, --from-dotenv or --stdin") }
            let known = try? ledger.store.loadIfPresent()
            let tracked = known?.lookup(fingerprint: facts.fingerprint) ?? known?.lookup(fingerprint: facts.legacyFingerprint)
            guard let issued = facts.issued else {
                var message = "cannot tell the age of this key: only MaintainX keys carry their creation time"
                if let tracked { message += "; it is tracked as \(tracked.id): see keywarden keys status" }
                throw CommandFailure(message)
            }
            guard let policy = interval.map({ RotationInterval(parsing: $0) }) ?? RotationInterval.standard else {
                throw CommandFailure("--interval must be a number of days or an ISO 8601 duration like P90D")
            }
            let age = issued.days(until: today)
            let due = policy.due(after: issued)
            let left = today.days(until: due)
            Terminal.say("MaintainX key \(Terminal.escape(facts.keyID ?? "?")) from \(Terminal.escape(source.sourceName)): issued \(issued) (\(KeyStatus.days(age)) old).")
            if left < 0 {
                Terminal.say("stale: not rotated in \(KeyStatus.days(age)); rotation was due \(due) (\(policy)), \(KeyStatus.days(-left)) ago")
            } else {
                Terminal.say("Next rotation due: \(due) (\(KeyStatus.days(left)))")
            }
            if let tracked { Terminal.say("Tracked as \(Terminal.escape(tracked.id)) (\(Terminal.escape(tracked.environment))).") }
        }
    }
}
