import ArgumentParser
import Foundation
import KeyAge

extension Keywarden.Keys {
    /// `keywarden keys calendar`: the due dates as an iCalendar file.
    struct Calendar: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "calendar",
            abstract: "Write an iCalendar (.ics) file with one all-day event per active key on its due date.",
            discussion: """
                Events keep their UID from one export to the next; when --output names an earlier export, an \
                event whose date moved gets a higher SEQUENCE, so calendar programs update it in place.
                """
        )

        @Option(name: .customLong("output"), help: ArgumentHelp("Write to this file instead of standard output (`-`: standard output).", valueName: "file"))
        var output: String?
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let today = try ledger.currentDate()
            let keys = try ledger.load()
            guard let output, output != "-" else {
                print(RotationCalendar(ledger: keys, today: today).text, terminator: "")
                return
            }
            let previous = FileManager.default.contents(atPath: output).map { String(decoding: $0, as: UTF8.self) }
            let calendar = RotationCalendar(ledger: keys, today: today, previous: previous)
            do {
                try OutputFile.write(calendar.text, to: output)
            } catch {
                throw CommandFailure("\(output): cannot write: \(error)")
            }
            Terminal.warn("Wrote \(calendar.events.count) rotation event\(calendar.events.count == 1 ? "" : "s") to \(output)")
        }
    }
}
