import ArgumentParser
import Foundation
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys report --output rotations.html`: the rotation schedule as one HTML page.
    struct TimelineReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write one self-contained HTML page with a timeline of every key: created, last rotated, due, overdue.",
            discussion: """
                Grouped by environment and owner; inline CSS and SVG only (no script, no request), colour-blind-safe \
                colours with words and shapes, readable when printed. Standard output without --output.
                """
        )

        @Option(name: .customLong("output"), help: ArgumentHelp("Write to this file instead of standard output (`-`: standard output).", valueName: "file"))
        var output: String?
        @Option(name: .customLong("title"), help: "The page title (default 'Key rotations').") var title: String = "Key rotations"
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            let keys = try ledger.load()
            let report = RotationReport(ledger: keys, today: today, title: title)
            guard let output, output != "-" else {
                print(report.html, terminator: "")
                return
            }
            do {
                try OutputFile.write(report.html, to: output)
            } catch {
                throw CommandFailure("\(output): cannot write: \(error)")
            }
            Terminal.warn("Wrote the rotation timeline of \(keys.keys.count) key\(keys.keys.count == 1 ? "" : "s") to \(output)")
        }
    }
}
