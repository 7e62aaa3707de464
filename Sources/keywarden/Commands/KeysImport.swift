import ArgumentParser
import Foundation
import Hashing
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys import FILE --env ENV`: start tracking every credential of a dotenv, `.properties`
    /// or Kubernetes Secret file.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Track every credential in a dotenv, .properties or Kubernetes Secret file (fingerprints only).",
            discussion: """
                Each value is recognised with the scanner's own rules (any provider they know; values only the \
                generic rule finds are listed as not recognised). Ids are VARIABLE-ENV in lower case (MAINTAINX_API_KEY \
                in prod: maintainx-api-key-prod); a Mindtickle API key and its secret key are one key. Values already \
                tracked, and ids already taken, are skipped. Nothing is added without --yes unless you confirm on \
                a terminal. Exit codes: 0 added (or nothing to add), 2 error or not confirmed.
                """
        )

        @Argument(help: ArgumentHelp("The file: dotenv, .properties, or a Kubernetes Secret manifest (kind: Secret).", valueName: "FILE"))
        var file: String
        @Option(name: .customLong("env"), help: "The environment these keys belong to: prod, staging, dev, ...") var environment: String
        @Option(name: .customLong("owner"), help: "Who rotates them (a person or team).") var owner: String?
        @Option(name: .customLong("interval"), help: "Rotation interval: days (90) or ISO 8601 (P90D). Default 90 days.")
        var interval: String?
        @Flag(name: .customLong("yes"), help: "Add them without asking.") var yes = false
        @OptionGroup var event: EventOptions
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            var rotation: RotationInterval?
            if let text = interval {
                guard let i = RotationInterval(parsing: text) else {
                    throw CommandFailure("--interval must be a number of days or an ISO 8601 duration like P90D, not '\(text)'")
                }
                rotation = i
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure("\(file): cannot read the file")
            }
            guard let text = String(data: data, encoding: .utf8) else { throw CommandFailure("\(file): not UTF-8 text") }
            let format = KeyRecognition.format(of: text, path: file)
            let entries: [KeyRecognition.Entry]
            do { entries = try KeyRecognition.entries(text, format: format) } catch let f as CommandFailure {
                throw CommandFailure("\(file): \(f.message)")
            }
            let scanner = try KeyRecognition.scanner()
            let credentials = try KeyRecognition.recognise(entries, scanner: scanner)
            scanner.fingerprinter.printNotes()
            let existing: KeyLedger? = FileManager.default.fileExists(atPath: ledger.path) ? try ledger.load() : nil

            // The plan: what would be added, what is skipped and why.
            var planned = [TrackedKey]()
            var skipped = [String]()
            let fingerprinter = scanner.fingerprinter
            for c in credentials {
                let id = Self.id(for: c.name, environment: environment)
                let names = c.partnerName.map { "\(c.name) + \($0)" } ?? c.name
                if let known = existing?.lookup(fingerprint: c.fingerprint) ?? existing?.lookup(fingerprint: fingerprinter.legacyFingerprint(c.value)) {
                    skipped.append("\(names) (line \(c.line)): already tracked as \(known.id)")
                    continue
                }
                if existing?.key(id: id) != nil || planned.contains(where: { $0.id == id }) {
                    skipped.append("\(names) (line \(c.line)): the id \(id) is already taken")
                    continue
                }
                let facts = try? KeyFacts(secret: c.value, fingerprinter: fingerprinter)
                var key = TrackedKey(id: id, provider: c.provider, environment: environment, owner: owner,
                                     created: facts?.issued.map { min($0, today) } ?? today, interval: rotation,
                                     fingerprint: c.fingerprint, jti: facts?.keyID)
                key.note = "imported from \((file as NSString).lastPathComponent) (\(names))"
                key.location = format == .kubernetes ? "k8s:\(c.name)" : "env:\(c.name)"
                key.history = [HistoryEntry(date: today, event: .added, fingerprint: c.fingerprint, by: event.actor, reason: event.reason)]
                planned.append(key)
            }
            let recognisedNames = Set(credentials.flatMap { [$0.name] + ($0.partnerName.map { [$0] } ?? []) })
            let unrecognised = entries.filter { !recognisedNames.contains($0.name) }.map(\.name)

            Terminal.say("\(Terminal.escape(file)) (\(format.rawValue)): \(entries.count) entr\(entries.count == 1 ? "y" : "ies"), "
                + "\(credentials.count) credential\(credentials.count == 1 ? "" : "s") recognised")
            for k in planned {
                Terminal.say("  + \(Terminal.escape(k.id))  \(Terminal.escape(k.provider))  \(Terminal.escape(k.environment))  created \(k.created)  (\(Terminal.escape(k.note ?? "")))")
            }
            for s in skipped { Terminal.say("  = skipped \(Terminal.escape(s))") }
            if !unrecognised.isEmpty {
                Terminal.say("  not recognised as a provider's credential: \(unrecognised.prefix(20).map { Terminal.escape($0) }.joined(separator: ", "))"
                    + (unrecognised.count > 20 ? ", ..." : "") + " (track one with keywarden keys add ID --provider P)")
            }
            guard !planned.isEmpty else {
                print("Nothing to add.")
                return
            }
            if !yes {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw CommandFailure("not added: run again with --yes to add \(planned.count) key\(planned.count == 1 ? "" : "s") to \(ledger.path)")
                }
                // What print buffered goes first; a prompt that cannot be written is an error (exit 2), not a trap.
                try Keywarden.flushStandardOutput()
                do {
                    try Terminal.write("Add \(planned.count) key\(planned.count == 1 ? "" : "s") to \(ledger.path)? [y/N] ", to: STDOUT_FILENO)
                } catch {
                    throw CommandFailure("cannot write to standard output: " + error.message)
                }
                let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                guard answer == "y" || answer == "yes" else { throw CommandFailure("not added") }
            }
            try ledger.update { (l) throws(KeyAgeError) in
                for k in planned { try l.add(k) }
            }
            Terminal.say("Added \(planned.count) key\(planned.count == 1 ? "" : "s") to \(Terminal.escape(ledger.path)).")
        }

        /// `MAINTAINX_API_KEY` in `prod` → `maintainx-api-key-prod`.
        static func id(for name: String, environment: String) -> String {
            let base = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
            let collapsed = String(base).split(separator: "-").joined(separator: "-")
            return (collapsed.isEmpty ? "key" : collapsed) + "-" + environment.lowercased()
        }
    }
}
