import ArgumentParser
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys runbook PROVIDER`: how to rotate.
    struct Runbook: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the rotation steps for a provider (maintainx, mindtickle; a generic runbook otherwise)."
        )

        @Argument(help: "The provider, e.g. maintainx.") var provider: String
        @Option(name: .customLong("key"), help: "Fill in this ledger id in the commands.") var key: String?
        @Option(name: .customLong("env-var"), help: "Fill in this variable name in the commands.") var variable: String?

        func run() throws {
            print(KeyAge.Runbook(provider: provider, keyID: key, variable: variable).text, terminator: "")
        }
    }
}
