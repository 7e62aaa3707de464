import ArgumentParser
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys add ID`: start tracking a key.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Start tracking a key: its provider, environment, owner, dates and fingerprint.",
            discussion: """
                The key is read only to fingerprint it. Without --provider, the scanner's own rules recognise \
                the provider (with the variable name of --from-env / --from-dotenv as context). A MaintainX key \
                also fills --created (from its iat claim) and its jti hint by itself.
                """
        )

        @Argument(help: "A short, stable id, e.g. maintainx-prod.") var id: String
        @Option(name: .customLong("provider"), help: "maintainx, mindtickle, makini, or any name (default: recognised by the scanner's rules).")
        var provider: String?
        @Option(name: .customLong("env"), help: "The environment: prod, staging, dev, ...") var environment: String
        @Option(name: .customLong("owner"), help: "Who rotates it (a person or team).") var owner: String?
        @Option(name: .customLong("created"), help: "When the key was made (YYYY-MM-DD; default: a MaintainX key's iat, else today).")
        var created: String?
        @Option(name: .customLong("interval"), help: "Rotation interval: days (90) or ISO 8601 (P90D). Default 90 days.")
        var interval: String?
        @Option(name: .customLong("warn-before"), help: "Days before the due date at which the key is 'due soon' (default 14).")
        var warnBefore: Int?
        @Option(name: .customLong("note"), help: "A free note kept in the ledger.") var note: String?
        @Option(name: .customLong("location"), help: ArgumentHelp("Where the key lives: env:VAR, vault:PATH, aws-sm:NAME, ... (default with --from-env VAR: env:VAR).", valueName: "SCHEME:PATH"))
        var location: String?
        @Option(name: .customLong("scopes"), help: ArgumentHelp("The scopes the key was granted, comma-separated (checked against [scope_policy] by keys check).", valueName: "LIST"))
        var scopes: String?
        @Flag(name: .customLong("hint-last4"), help: "Also store the key's last four characters (they are key material).")
        var hintLast4 = false
        @OptionGroup var event: EventOptions
        @OptionGroup var source: KeySourceOptions
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            let given = try source.factsAndValue()
            let facts = given?.facts
            var recognised = facts?.recognisedProvider
            if provider == nil, recognised == nil, let value = given?.value {
                // The scanner's own rules, with the variable name the key came under when there is one.
                recognised = try KeyRecognition.provider(of: value, name: source.variableName, scanner: try KeyRecognition.scanner())
            }
            guard let provider = provider ?? recognised else {
                throw CommandFailure(facts == nil
                    ? "--provider is required when no key is given (--from-env, --from-dotenv, --stdin)"
                    : "--provider is required: the scanner's rules do not recognise this key's provider")
            }
            var interval: RotationInterval?
            if let text = self.interval {
                guard let i = RotationInterval(parsing: text) else {
                    throw CommandFailure("--interval must be a number of days or an ISO 8601 duration like P90D, from 1 day to 100 years, not '\(text.prefix(40))'")
                }
                interval = i
            }
            if let warnBefore, warnBefore < 0 || warnBefore > RotationInterval.maximumDays {
                throw CommandFailure("--warn-before must be a number of days from 0 to \(RotationInterval.maximumDays)")
            }
            let created = try Keywarden.Keys.date(self.created, option: "--created") ?? facts?.issued.map { min($0, today) } ?? today
            var key = TrackedKey(id: id, provider: provider.lowercased(), environment: environment, owner: owner,
                                 created: created, interval: interval, warnBefore: warnBefore,
                                 fingerprint: facts?.fingerprint, jti: facts?.keyID, last4: hintLast4 ? facts?.last4 : nil)
            key.note = note
            key.location = try Keywarden.Keys.location(location ?? source.fromEnv.map { "env:\($0)" })
            key.scopes = scopes.map(Keywarden.Keys.scopeList)
            key.history = [HistoryEntry(date: today, event: .added, fingerprint: facts?.fingerprint, by: event.actor, reason: event.reason)]
            let legacy = facts?.legacyFingerprint
            try ledger.update { (l) throws(KeyAgeError) in try l.add(key, legacy: legacy) }
            let status = KeyStatus(key: key, today: today)
            Terminal.say("Added \(Terminal.escape(key.id)) (\(Terminal.escape(key.provider)), \(Terminal.escape(key.environment))) to \(Terminal.escape(ledger.path)): created \(key.created). \(Terminal.escape(status.message))")
            if let fp = key.fingerprint {
                Terminal.say("Fingerprint \(Terminal.escape(fp.prefix(16)))…" + (key.jti.map { ", MaintainX key id \(Terminal.escape($0))" } ?? ""))
            } else {
                Terminal.warn("warning: no key given (--from-env, --from-dotenv, --stdin): scans cannot name this key "
                    + "and reuse across environments cannot be detected")
            }
        }
    }
}
