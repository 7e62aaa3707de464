import ArgumentParser
import Foundation
import GitRepository
import Hashing
import Hygiene
import KeyAge
import SecretScanner
import SystemSupport

extension Keywarden {
    /// `keywarden doctor [PATH]`: a secrets-hygiene checklist for a git work tree, with the fix for each
    /// failing line; `--fix` makes the safe changes.
    struct Doctor: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Check a repository's secrets hygiene: .gitignore, tracked secret files, the hook, the key ledger, .env files.",
            discussion: """
                Each check prints PASS, FAIL (with the exact fix) or SKIP (with why it does not apply). \
                --fix appends missing .gitignore lines (idempotent) and installs the pre-commit hook when it is \
                missing (keywarden hook install), and prints the commands it will not run (git rm --cached for \
                tracked secret files). The history-secrets check runs a history scan (keywarden scan --history) \
                and warns about secrets gone from HEAD but still in the history; --no-history skips it. \
                Settings: the [doctor] table of .keywarden.toml. \
                Exit codes: 0 every check passed, was skipped or only warned, 1 a check failed, 2 error (not a git \
                work tree, bad .keywarden.toml).
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Argument(help: "A folder in the git work tree to check (default: the current folder).")
        var path: String = "."

        @Flag(name: .long, help: "Make the safe fixes: append missing .gitignore lines and install the missing pre-commit hook (keywarden hook install); print what changed and the commands left to you (git rm --cached).")
        var fix = false

        @Option(name: .long, help: "text or json.")
        var format: Format = .text

        @Flag(name: .long, help: "Skip the history-secrets check (it scans every commit, like keywarden scan --history).")
        var noHistory = false

        @Option(name: .customLong("ledger"), help: ArgumentHelp(
            "The key ledger (default: .keywarden/keys.toml at the work tree root).", valueName: "path"))
        var ledgerPath: String?

        @Option(name: .customLong("config"), help: ArgumentHelp(
            "The configuration file (default: .keywarden.toml at the work tree root).", valueName: "path"))
        var configPath: String?

        @Option(name: .customLong("today"), help: .hidden)
        var today: String?

        func run() throws {
            let environment = Terminal.environment
            var day = CalendarDate.today()
            if let text = today ?? environment["KEYWARDEN_TODAY"] {
                guard let d = CalendarDate(text) else { throw CommandFailure("--today must be a date like 2026-01-15, not '\(text)'") }
                day = d
            }
            let options = DoctorOptions(ledgerPath: ledgerPath, configurationPath: configPath, today: day, environment: environment)
            let (report, outcome, root) = try hygieneCall { () throws(HygieneError) in
                let doctor = try Hygiene.Doctor(path: path, options: options)
                let outcome = fix ? try doctor.fix(installHook: Self.installHook(in:)) : nil
                let history = noHistory ? HistoryEvidence.notScanned("--no-history")
                    : Self.historyEvidence(root: doctor.root, ledger: doctor.ledgerPath, environment: environment)
                return (try doctor.examine(history: history), outcome, doctor.root)
            }
            switch format {
            case .json:
                print(try Self.json(report, outcome))
            case .text:
                // Checks quote names and paths from the repository (environments, files): no control character or
                // `::` line gets through.
                Terminal.say(Self.text(report, outcome, root: root, colour: Terminal.colourEnabled()), terminator: "")
            }
            if !report.allPassed { throw FindingsExit() }
        }

        /// The secrets a history scan of the work tree's repository finds that HEAD no longer holds (by
        /// value: a key moved to another file is still in HEAD), with what the ledger knows of each. The
        /// scan is `scan --history`'s: the project's rules, ignore file and ledger.
        static func historyEvidence(root: String, ledger: String, environment: [String: String]) -> HistoryEvidence {
            do {
                let repository = try GitRepository.open(at: root, environment: environment)
                guard try repository.headCommit() != nil else { return .notScanned("no commit yet") }
                let context = try ProjectContext.discover(from: root, environment: environment)
                let compiled = try RuleOptions.compiledRules(config: nil, context: context, printWarnings: false)
                // Read-only: the project's salt when it has one (so the ledger matches), never a new salt file.
                let session = ScanSession(rules: compiled, fingerprinter: try context.fingerprinter(create: false), options: ScanOptions())
                var request = ScanRequest(.history(branch: nil, repository: root), scope: "history")
                request.ignoreFile = context.ignoreFile
                request.ledger = ledger
                request.ledgerUse = .always
                let outcome = try ScanRunner(session: session).run(request)
                let stillInHead = Set(outcome.findings.filter { $0.git?.inHead == true }.map(\.fingerprint))
                var seen = Set<String>()
                var secrets: [HistorySecret] = []
                for (i, f) in outcome.findings.enumerated() {
                    guard let g = f.git, g.inHead == false, !stillInHead.contains(f.fingerprint),
                          seen.insert(f.fingerprint).inserted else { continue }
                    let tracked = outcome.trackedKeys[i]
                    secrets.append(HistorySecret(ruleID: f.ruleID, provider: f.provider, path: f.path, line: f.line,
                                                 commit: String(g.commit.prefix(12)), date: String(g.date.prefix(10)),
                                                 trackedKey: tracked?["id"], isCurrentValue: tracked.map { $0["current"] == "true" }))
                }
                return .scanned(secrets)
            } catch {
                return .notScanned("the history scan failed: \(error)")
            }
        }

        /// `keywarden hook install` run in the work tree (the same binary), for `--fix`; what it printed is
        /// the change reported. When a hook manager is in charge it installs nothing and says what to add.
        static func installHook(in root: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: HookInstall.currentBinary())
            process.arguments = ["hook", "install"]
            process.currentDirectoryURL = URL(fileURLWithPath: root)
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            let exit = try ProcessExit(launching: process)
            let printed = out.fileHandleForReading.readDataToEndOfFile()
            let complaint = err.fileHandleForReading.readDataToEndOfFile()
            exit.wait()
            guard process.terminationStatus == 0 else {
                // Its lines carry their own "keywarden:" prefix; the message gets one when it is printed.
                let lines = String(decoding: complaint, as: UTF8.self).split(separator: "\n").map { line -> String in
                    var text = Substring(line)
                    while text.hasPrefix("keywarden: ") { text = text.dropFirst("keywarden: ".count) }
                    return String(text)
                }
                throw CommandFailure("'keywarden hook install' failed: " + lines.joined(separator: " "))
            }
            return String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        private struct JSONOutput: Encodable {
            let checks: [CheckResult]
            let passed: Int, failed: Int, skipped: Int, warnings: Int
            let fix: FixOutcome?
        }

        static func json(_ report: DoctorReport, _ outcome: FixOutcome?) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(JSONOutput(checks: report.checks, passed: report.passed, failed: report.failed,
                                                     skipped: report.skipped, warnings: report.warned, fix: outcome))
            return String(decoding: data, as: UTF8.self)
        }

        static func text(_ report: DoctorReport, _ outcome: FixOutcome?, root: String, colour: Bool) -> String {
            var out = ""
            if let outcome {
                if outcome.changes.isEmpty {
                    out += "--fix: nothing to change\n"
                } else {
                    for change in outcome.changes { out += "--fix: " + Terminal.escape(change) + "\n" }
                }
                for command in outcome.leftToYou {
                    out += "--fix: not run, run it yourself: " + Terminal.escape(command) + "\n"
                }
                out += "\n"
            }
            out += "keywarden doctor: " + Terminal.escape(root) + "\n"
            for check in report.checks {
                let title = CheckID(rawValue: check.id)?.title ?? check.id
                let mark: String
                switch check.status {
                case .pass: mark = Style.green.apply("PASS", enabled: colour)
                case .fail: mark = Style.red.apply("FAIL", enabled: colour)
                case .skip: mark = Style.yellow.apply("SKIP", enabled: colour)
                case .warn: mark = Style.yellow.apply("WARN", enabled: colour)
                }
                out += "\(mark)  \(title)\n"
                // Messages, details and fixes quote names and paths from the repository: escaped, so that
                // none can start a line or colour the terminal.
                out += "      \(Terminal.escape(check.message))\n"
                for detail in check.details { out += "      - \(Terminal.escape(detail))\n" }
                if let fix = check.fix {
                    let lines = fix.split(separator: "\n", omittingEmptySubsequences: false)
                    for (i, line) in lines.enumerated() {
                        out += (i == 0 ? "      " + Style.bold.apply("fix:", enabled: colour) + " " : "           ") + Terminal.escape(line) + "\n"
                    }
                }
            }
            out += "\(report.checks.count) checks: \(report.passed) passed, \(report.failed) failed, \(report.skipped) skipped"
            out += report.warned == 0 ? "\n" : ", \(report.warned) warned\n"
            return out
        }
    }
}

/// Runs a Hygiene call, turning its error into a command failure (exit 2).
func hygieneCall<R>(_ body: () throws(HygieneError) -> R) throws -> R {
    do {
        return try body()
    } catch {
        throw CommandFailure(error.message)
    }
}
