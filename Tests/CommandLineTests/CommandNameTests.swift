import ArgumentParser
import Testing
@testable import keywarden

/// Every command names itself. Without a `commandName`, argument-parser derives the name from the type with
/// `String(describing:)`, on each run and for every command in the tree; each such dynamic cast of a new type
/// scans all of the binary's protocol conformances, about 1.5 ms of every start (a `--version` run took about
/// 8.6 ms). The names stay the ones argument-parser derived, except where a name was chosen on purpose.
@Suite struct CommandNameTests {
    static func everyCommand(_ root: ParsableCommand.Type = Keywarden.self) -> [ParsableCommand.Type] {
        [root] + root.configuration.subcommands.flatMap { everyCommand($0) }
    }

    /// argument-parser's derivation for these type names: a hyphen before each inner capital, lowercased.
    static func derivedName(_ command: ParsableCommand.Type) -> String {
        var out = ""
        for (i, c) in String(describing: command).enumerated() {
            if c.isUppercase, i > 0 { out += "-" }
            out += c.lowercased()
        }
        return out
    }

    static let chosen: [String: String] = ["TimelineReport": "report", "HookRun": "run", "HookInstall": "install", "HookUninstall": "uninstall"]

    @Test func everyCommandDeclaresTheNameItAlwaysHad() {
        let commands = Self.everyCommand()
        #expect(commands.count == 31)
        for command in commands {
            let expected = Self.chosen[String(describing: command)] ?? Self.derivedName(command)
            #expect(command.configuration.commandName == expected, "\(command)")
        }
    }
}
