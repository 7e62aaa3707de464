import ArgumentParser
import KeyAge
import SecretScanner

extension Keywarden {
    struct Ignore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ignore",
            abstract: "Manage .keywardenignore, the list of fingerprints that are not secrets.",
            subcommands: [Add.self, List.self, Remove.self]
        )
    }
}

/// `--ignore-file PATH`, named as `scan` names it (`--file` is still accepted).
struct IgnoreFileOption: ParsableArguments {
    @Option(name: [.customLong("ignore-file"), .customLong("file")],
            help: ArgumentHelp("The ignore file (default: .keywardenignore at the work tree root, which scan and the hook read).",
                               valueName: "PATH"))
    var ignoreFile: String?

    func path() throws -> String {
        try ignoreFile ?? ProjectContext.current().ignoreFile
    }

    /// Today, or `KEYWARDEN_TODAY` (tests).
    static func today() -> CalendarDate {
        Terminal.environment["KEYWARDEN_TODAY"].flatMap { CalendarDate($0) } ?? CalendarDate.today()
    }
}

extension Keywarden.Ignore {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Ignore a finding by its fingerprint (as printed by scan).",
            discussion: "A fingerprint already listed with the same expiry is left as it is; with another --expires date (a renewal) its entry is replaced."
        )

        @Argument(help: "The finding's fingerprint (64 hex digits).")
        var fingerprint: String

        @Option(name: .long, help: "Why this is not a secret (kept as a comment).")
        var reason: String

        @Option(name: .long, help: ArgumentHelp("The last day the entry suppresses the finding (YYYY-MM-DD); after it the finding is reported again and the scan warns.", valueName: "DATE"))
        var expires: String?

        @OptionGroup var file: IgnoreFileOption

        func run() throws {
            var date: CalendarDate?
            if let expires {
                guard let d = CalendarDate(expires) else {
                    throw CommandFailure("--expires must be a date YYYY-MM-DD, not '\(expires.prefix(40))'")
                }
                guard d >= IgnoreFileOption.today() else {
                    throw CommandFailure("--expires \(d) is already past: the entry would never suppress anything")
                }
                date = d
            }
            let path = try file.path()
            do {
                try Suppression.append(fingerprint: fingerprint.lowercased(), reason: reason, expires: date, to: path)
            } catch {
                throw CommandFailure("\(error)")
            }
            Terminal.say("added \(Terminal.escape(fingerprint.lowercased())) to \(Terminal.escape(path))" + (date.map { " (until \($0))" } ?? ""))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the ignore file's entries: fingerprint, expiry, reason; expired entries are marked.",
            discussion: "Exit codes: 0 listed (also when empty), 1 some entries have expired, 2 error (unreadable or malformed file)."
        )

        @OptionGroup var file: IgnoreFileOption

        func run() throws {
            let path = try file.path()
            let entries: [Suppression.IgnoreEntry]
            do { entries = try Suppression.entries(in: path) } catch { throw CommandFailure("\(error)") }
            guard !entries.isEmpty else {
                Terminal.say("no entries in \(Terminal.escape(path))")
                return
            }
            let today = IgnoreFileOption.today()
            var expired = 0
            for e in entries {
                var status = "no expiry"
                if let d = e.expires {
                    if d < today {
                        status = "EXPIRED \(d)"
                        expired += 1
                    } else {
                        status = "until \(d)"
                    }
                }
                // The file is the repository's: its reasons (and anything else in it) are escaped.
                Terminal.say("\(Terminal.escape(e.fingerprint))  \(status)  \(e.reason.isEmpty ? "(no reason)" : Terminal.escape(e.reason))")
            }
            Terminal.say("\(entries.count) entr\(entries.count == 1 ? "y" : "ies") in \(Terminal.escape(path))"
                + (expired > 0 ? ", \(expired) expired (no longer suppressing: renew with ignore add --expires, or ignore remove)" : ""))
            if expired > 0 { throw FindingsExit() }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a fingerprint from the ignore file (its findings are reported again).",
            discussion: "FINGERPRINT may be a unique prefix of at least 8 hex digits. Exit codes: 0 removed, 2 not listed or error."
        )

        @Argument(help: "The fingerprint to remove, or a unique prefix of it (8 or more hex digits).")
        var fingerprint: String

        @OptionGroup var file: IgnoreFileOption

        func run() throws {
            let path = try file.path()
            let wanted = fingerprint.lowercased()
            guard wanted.count >= 8, wanted.allSatisfy(\.isHexDigit) else {
                throw CommandFailure("'\(fingerprint.prefix(80))' is not a fingerprint or a prefix of 8 or more hex digits")
            }
            let entries: [Suppression.IgnoreEntry]
            do { entries = try Suppression.entries(in: path) } catch { throw CommandFailure("\(error)") }
            let matching = Set(entries.map(\.fingerprint).filter { $0.hasPrefix(wanted) })
            guard let full = matching.first else { throw CommandFailure("\(wanted) is not in \(path)") }
            guard matching.count == 1 else {
                throw CommandFailure("\(wanted) matches \(matching.count) entries in \(path); give more digits")
            }
            do {
                let removed = try Suppression.remove(fingerprint: full, from: path)
                Terminal.say("removed \(Terminal.escape(full)) from \(Terminal.escape(path))" + (removed.count > 1 ? " (\(removed.count) lines)" : ""))
            } catch {
                throw CommandFailure("\(error)")
            }
        }
    }
}
