import Foundation
import Testing
import TestSupport

/// The command line's surface: `--version` on the root only, shell completions, and the help dump the
/// man pages are generated from (`make man`).
@Suite struct CommandLineSurfaceTests {
    @Test func versionIsAnOptionOfTheRootCommandOnly() throws {
        let root = try Run.keywarden(["--version"])
        #expect(root.status == 0)
        #expect(root.stdout.range(of: #"^\d+\.\d+\.\d+ \(commit [0-9a-f]{12}\)\n$"#, options: .regularExpression) != nil, "\(root.stdout)")
        for sub in [["scan", "--version"], ["keys", "status", "--version"], ["hook", "install", "--version"]] {
            let r = try Run.keywarden(sub)
            #expect(r.status == 2, "\(sub)")
            #expect(r.stderr.contains("--version is an option of keywarden itself"))
            #expect(r.stdout.isEmpty, "\(sub): nothing ran")
        }
        let help = try Run.keywarden(["scan", "--help"])
        #expect(help.status == 0 && !help.stdout.contains("--version"))
        #expect(try Run.keywarden(["--help"]).stdout.contains("--version"))
        // A path named --version after -- is a path, not the option.
        #expect(try Run.keywarden(["scan", "--no-git", "--", "--version"]).stderr.contains("--version: No such file"))
    }

    /// The version comes from one place, the VERSION file; the commit is the one the binary was built from.
    @Test func versionIsTheVersionFileAndTheCommitBuilt() throws {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let version = try String(contentsOf: package.appending(path: "VERSION"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let head = try Run.git(["rev-parse", "--short=12", "HEAD"], in: package.path).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Run.keywarden(["--version"]).stdout == "\(version) (commit \(head))\n")
        // Reports name the same version.
        let dir = try TemporaryDirectory(prefix: "keywarden-version")
        try dir.write("a.txt", "nothing here\n")
        let json = try Run.keywarden(["scan", "--no-git", "--format", "sarif", "a.txt"], in: dir.path())
        #expect(json.stdout.contains("\"version\": \"\(version)\""), "\(json.stdout.prefix(600))")
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsCoverEverySubcommand(_ shell: String) throws {
        let r = try Run.keywarden(["--generate-completion-script", shell])
        #expect(r.status == 0)
        // Option names without their dashes: fish spells them `-l ignore-file`.
        for word in ["scan", "keys", "import", "report", "ignore", "remove", "ignore-file", "expires", "portable"] {
            #expect(r.stdout.contains(word), "\(shell) completion lacks \(word)")
        }
    }

    @Test func theHelpDumpTheManPagesAreMadeFromIsComplete() throws {
        let r = try Run.keywarden(["--experimental-dump-help"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        var names = [String]()
        func walk(_ command: [String: Any], _ prefix: String) {
            let name = prefix.isEmpty ? (command["commandName"] as? String ?? "") : prefix + " " + (command["commandName"] as? String ?? "")
            names.append(name)
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { walk(sub, name) }
        }
        walk(try #require(object["command"] as? [String: Any]), "")
        for expected in ["keywarden keys import", "keywarden keys update", "keywarden keys report", "keywarden ignore list",
                         "keywarden ignore remove", "keywarden hook install", "keywarden doctor"] {
            #expect(names.contains(expected), "\(expected)")
        }
    }
}
