import ArgumentParser
import SecretScanner

extension Keywarden {
    struct Ignore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage .keywardenignore, the list of fingerprints that are not secrets.",
            subcommands: [Add.self]
        )
    }
}

extension Keywarden.Ignore {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ignore a finding by its fingerprint (as printed by scan).")

        @Argument(help: "The finding's fingerprint (64 hex digits).")
        var fingerprint: String

        @Option(name: .long, help: "Why this is not a secret (kept as a comment).")
        var reason: String

        @Option(name: .long, help: "The ignore file (default: .keywardenignore at the work tree root, which scan and the hook read).")
        var file: String?

        func run() throws {
            let file = try self.file ?? ProjectContext.current().ignoreFile
            do {
                try Suppression.append(fingerprint: fingerprint.lowercased(), reason: reason, to: file)
            } catch {
                throw CommandFailure("\(error)")
            }
            print("added \(fingerprint.lowercased()) to \(file)")
        }
    }
}
