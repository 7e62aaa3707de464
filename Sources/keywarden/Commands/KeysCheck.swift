import ArgumentParser
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys check`: the CI gate.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "For CI: exit 1 when an active key is overdue or leaked, or one key value is used in two environments.",
            discussion: "Keys due soon or due today are warnings (exit 0). Exit 2 when the ledger cannot be read."
        )

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, github, junit }

        @Option(name: .customLong("format"), help: "text, json, github (workflow annotations) or junit (XML). The exit code is the same in every format.")
        var format: Format = .text
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            let keys = try ledger.load()
            let check = LedgerCheck(ledger: keys, today: today)
            switch format {
            case .text: break
            case .json:
                print(KeysCIFormats.checkJSON(check, ledgerPath: ledger.path, today: today))
                if check.failed { throw FindingsExit() }
                return
            case .github:
                print(KeysCIFormats.github(KeyStatus.all(in: keys, today: today), check: check, all: false), terminator: "")
                if check.failed { throw FindingsExit() }
                return
            case .junit:
                print(KeysCIFormats.junit(KeyStatus.all(in: keys, today: today), check: check), terminator: "")
                if check.failed { throw FindingsExit() }
                return
            }
            let colour = Terminal.colourEnabled()
            // Messages quote the ledger's ids and names (the repository's file): escaped.
            for e in check.errors { Terminal.say(Style.red.apply("error:", enabled: colour) + " " + Terminal.escape(e.message)) }
            for w in check.warnings { Terminal.say(Style.yellow.apply("warning:", enabled: colour) + " " + Terminal.escape(w.message)) }
            func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
            Terminal.say("keys check: \(count(check.activeCount, "active key")), \(count(check.errors.count, "error")), "
                + "\(count(check.warnings.count, "warning")) (\(Terminal.escape(ledger.path)), \(today))")
            if check.failed { throw FindingsExit() }
        }
    }
}
