import ArgumentParser
import Foundation
import Hashing
import SecretRules
import SecretScanner
import SystemSupport

/// The root command. Subcommands live in `Commands/`, one file each.
@main
struct Keywarden: ParsableCommand {
    /// The release version (the `VERSION` file) and the commit, recorded at build time.
    static let version = BuildInfo.version
    static let commit = BuildInfo.commit

    static let configuration = CommandConfiguration(
        commandName: "keywarden",
        abstract: "Keep API keys out of git, and rotate the ones you hold every 90 days.",
        discussion: """
            Exit codes: 0 nothing found (or all checks passed), 1 findings (or a failed check), 2 error \
            (including usage errors).
            """,
        subcommands: [
            Scan.self,
            Rules.self,
            Ignore.self,
            Keys.self,
            Webhook.self,
            Hook.self,
            Verify.self,
            Doctor.self,
        ]
    )

    /// `--version` belongs to the root command only (argument-parser's `version:` would offer it on every
    /// subcommand too, where it means nothing).
    @Flag(name: .customLong("version"), help: "Show the version.") var showVersion = false

    func run() throws {
        guard showVersion else { throw CleanExit.helpRequest(Keywarden.self) }
        print("\(Self.version) (commit \(Self.commit))")
    }

    /// Parses, runs, and maps every outcome onto keywarden's exit codes: `FindingsExit` is 1, an explicit
    /// `ExitCode` is itself, and everything else, argument-parser's usage errors (64) included, is 2.
    static func main() {
        PhaseClock.mark("main")
        MappedFileGuard.install()
        // The cache folder's warnings no scan summary took (commands other than scan) are printed at the end.
        atexit { for w in CacheFolder.takeWarnings() { Terminal.warn("keywarden: warning: \(w)") } }
        do {
            // `scan` is what hooks and CI run, often on tiny inputs: parse it without building the whole
            // command tree first (that costs several milliseconds of start-up).
            let arguments = Array(CommandLine.arguments.dropFirst())
            if arguments.first != "--version", (arguments.firstIndex(of: "--") ?? arguments.endIndex) > (arguments.firstIndex(of: "--version") ?? arguments.endIndex) {
                throw CommandFailure("--version is an option of keywarden itself, not of a subcommand: run 'keywarden --version'")
            }
            var command: ParsableCommand
            if arguments.first == "scan", let quick = Scan.quickParse(Array(arguments.dropFirst())),
               (try? quick.validate()) != nil {
                command = quick
            } else if arguments.first == "scan", !arguments.contains(where: { $0 == "-h" || $0 == "--help" || $0 == "help" }) {
                // On a usage error, parse again from the root so that messages name `keywarden scan`.
                command = try (try? Scan.parseAsRoot(Array(arguments.dropFirst()))) ?? parseAsRoot()
            } else if arguments.count > 2, arguments[0] == "hook", arguments[1] == "run",
                      let quick = HookRun.quick(Array(arguments.dropFirst(2))) {
                // What installed hooks run on every commit.
                try HookRunner(kind: quick.kind, arguments: quick.arguments).run()
                return
            } else if arguments.count > 2, arguments[0] == "hook", arguments[1] == "run",
                      !arguments.contains(where: { $0 == "-h" || $0 == "--help" }) {
                // What installed hooks run on every commit: the same shortcut.
                command = try (try? HookRun.parseAsRoot(Array(arguments.dropFirst(2)))) ?? parseAsRoot()
            } else {
                command = try parseAsRoot()
            }
            PhaseClock.mark("arguments parsed")
            try command.run()
            try flushStandardOutput()
        } catch is FindingsExit {
            Foundation.exit((try? flushStandardOutput()) == nil ? 2 : 1)
        } catch let failure as CommandFailure {
            Terminal.warn("keywarden: " + failure.message)
            Foundation.exit(2)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if code == 0 {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty {
                Terminal.warn("keywarden: " + message)
            }
            Foundation.exit(2)
        }
    }
}

extension Keywarden {
    /// What `print` wrote is flushed now; output that could not be written (a full disk, a closed standard
    /// output) is an error, exit 2, not a silent success.
    static func flushStandardOutput() throws(CommandFailure) {
        // fflush(NULL) flushes every stream, standard output included (the global `stdout` is not reachable
        // from Swift 6's strict concurrency); it fails when what print buffered cannot be written.
        if fflush(nil) != 0 {
            throw CommandFailure("cannot write to standard output: " + SystemError.reason(errno))
        }
    }
}
