import ArgumentParser
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys status`: every key, soonest due first.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show every key, soonest due first: ok, due soon, due, overdue, leaked, revoked."
        )

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, github, junit }

        @Option(name: .customLong("format"), help: "table, json, github (workflow annotations: errors, warnings, a notice per key in order) or junit (XML, a failed case per overdue, leaked or shared key). Always exit 0.")
        var format: Format = .table
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            let keys = try ledger.load()
            let statuses = KeyStatus.all(in: keys, today: today)
            let shared = keys.keysSharedAcrossEnvironments()
            switch format {
            case .json:
                print(try ledgerCall { () throws(KeyAgeError) in
                    try StatusReport(statuses: statuses, ledgerPath: ledger.path, today: today, shared: shared).json()
                })
            case .github:
                print(KeysCIFormats.github(statuses, check: LedgerCheck(ledger: keys, today: today), all: true), terminator: "")
            case .junit:
                print(KeysCIFormats.junit(statuses, check: LedgerCheck(ledger: keys, today: today)), terminator: "")
            case .table:
                let colour = Terminal.colourEnabled()
                Terminal.say(Self.table(statuses, colour: colour), terminator: "")
                for (a, b) in shared {
                    Terminal.say(Style.red.apply("! \(Terminal.escape(a.id)) (\(Terminal.escape(a.environment))) and \(Terminal.escape(b.id)) (\(Terminal.escape(b.environment))) hold the same key value: "
                        + "each environment must have its own key (keywarden keys check fails on this)", enabled: colour))
                }
            }
        }

        /// Aligned columns: id, provider, environment, owner, status, due, and the sentence. Every cell comes
        /// from the ledger, a file the repository controls, so each is escaped (`Terminal.say` then keeps any
        /// line from starting with `::`).
        static func table(_ statuses: [KeyStatus], colour: Bool) -> String {
            if statuses.isEmpty { return "No keys in the ledger.\n" }
            // SCOPES only when some key records them (then `-` for the others).
            let showScopes = statuses.contains { $0.key.scopes != nil }
            let header = ["ID", "PROVIDER", "ENV", "OWNER", "STATUS", "DUE"] + (showScopes ? ["SCOPES"] : []) + [""]
            let rows = statuses.map { s in
                [s.key.id, s.key.provider, s.key.environment, s.key.owner ?? "-", s.level.rawValue, s.due.description]
                    + (showScopes ? [s.key.scopes.map { $0.isEmpty ? "(none)" : $0.joined(separator: ",") } ?? "-"] : []) + [s.message]
            }.map { $0.map { Terminal.escape($0) } }
            let widths = (0..<header.count).map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
            func line(_ cells: [String], style: Style?) -> String {
                var out = ""
                for (c, cell) in cells.enumerated() {
                    let padded = c == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count + 2)
                    if c == 4, let style { out += style.apply(padded, enabled: colour) } else { out += padded }
                }
                while out.hasSuffix(" ") { out.removeLast() }
                return out + "\n"
            }
            var out = line(header, style: nil)
            for (s, row) in zip(statuses, rows) { out += line(row, style: style(for: s.level)) }
            return out
        }

        static func style(for level: KeyStatus.Level) -> Style {
            switch level {
            case .ok: .green
            case .dueSoon, .due: .yellow
            case .overdue, .leaked: .red
            case .revoked: .dim
            }
        }
    }
}
