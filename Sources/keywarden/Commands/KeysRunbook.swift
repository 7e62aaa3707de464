import ArgumentParser
import Foundation
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys runbook PROVIDER`: how to rotate.
    struct Runbook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "runbook",
            abstract: "Print the rotation steps for a provider (maintainx, mindtickle; a generic runbook otherwise)."
        )

        @Argument(help: "The provider, e.g. maintainx.") var provider: String
        @Option(name: .customLong("key"), help: "Fill in this ledger id in the commands (it must be in the ledger, with this provider).")
        var key: String?
        @Option(name: .customLong("env-var"), help: "Fill in this variable name in the commands.") var variable: String?
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            var variable = self.variable
            if let key {
                // A runbook that names a key the ledger does not know would end in `keys rotated` failing.
                guard FileManager.default.fileExists(atPath: ledger.path) else {
                    throw CommandFailure("--key \(key): there is no key ledger at \(ledger.path) (add the key first: keywarden keys add \(key) ...)")
                }
                let keys = try ledger.load()
                guard let tracked = keys.key(id: key) else {
                    let known = keys.keys.map(\.id).sorted()
                    throw CommandFailure("--key \(key): no such key in \(ledger.path)"
                        + (known.isEmpty ? " (it tracks no keys yet)" : " (known: \(known.prefix(10).joined(separator: ", "))\(known.count > 10 ? ", ..." : ""))"))
                }
                guard tracked.provider == provider.lowercased() else {
                    throw CommandFailure("--key \(key) is a \(tracked.provider) key, not \(provider): run keywarden keys runbook \(tracked.provider) --key \(key)")
                }
                // The ledger's location names the real variable (location = "env:NAME").
                if variable == nil { variable = tracked.variable }
            }
            Terminal.say(KeyAge.Runbook(provider: provider, keyID: key, variable: variable).text, terminator: "")
        }
    }
}
