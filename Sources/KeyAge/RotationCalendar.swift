internal import Hashing

/// An iCalendar (RFC 5545) file with one all-day event per active key on its due date (an overdue or leaked
/// key's on the export day, so that its alarm fires), so that rotations show up in the calendars people
/// already read.
///
/// Each event has a stable UID derived from the key id, a SEQUENCE that goes up when the due date moves,
/// display alarms 14, 7 and 1 days before, and the provider's runbook as its description.
public struct RotationCalendar: Sendable {
    /// One event, as written.
    public struct Event: Sendable, Equatable {
        public let uid: String
        public let keyID: String
        public let due: CalendarDate
        public let sequence: Int
    }

    /// Days before the due date at which alarms fire.
    public static let alarmDays = [14, 7, 1]

    public let events: [Event]
    /// The calendar text, CRLF line ends, folded at 75 octets.
    public let text: String

    /// The calendar for `ledger` on `today`. `previous` is the last export (if any): an event whose date
    /// moved since gets SEQUENCE one higher; without it, SEQUENCE counts the key's rotations and leaks.
    public init(ledger: KeyLedger, today: CalendarDate, previous: String? = nil) {
        let before = previous.map(Self.previousEvents) ?? [:]
        var events: [Event] = []
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//keywarden//key rotation calendar//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:Key rotations",
        ]
        let stamp = today.basicFormat + "T000000Z"
        for status in KeyStatus.all(in: ledger, today: today) where status.key.state == .active {
            let key = status.key
            let uid = Self.uid(for: key.id)
            let moves = key.history.filter { $0.event == HistoryEntry.Event.rotated.rawValue || $0.event == HistoryEntry.Event.leaked.rawValue }.count
            var sequence = moves
            // An overdue (or leaked) key's event is dated today, with an alarm at its start: an event on a past
            // due date, with alarms before it, would never fire.
            let late = status.daysLeft < 0 || status.level == .leaked
            let date = late ? today : status.due
            if let old = before[uid] {
                sequence = old.due == date ? old.sequence : max(old.sequence + 1, moves)
            }
            events.append(Event(uid: uid, keyID: key.id, due: date, sequence: sequence))
            var summary = "Rotate \(key.provider) key \(key.id) (\(key.environment))"
            if status.level == .leaked {
                summary = "LEAKED: rotate \(key.provider) key \(key.id) (\(key.environment)) now"
            } else if late {
                summary = "OVERDUE since \(status.due): rotate \(key.provider) key \(key.id) (\(key.environment))"
            }
            var description = "Key \(key.id): provider \(key.provider), environment \(key.environment)"
            if let owner = key.owner { description += ", owner \(owner)" }
            description += ". Last rotated \(key.lastRotated); interval \(key.effectiveInterval).\n\n"
            if let location = key.location { description += "Location: \(location).\n\n" }
            description += Runbook(provider: key.provider, keyID: key.id, variable: key.variable).text
            lines += [
                "BEGIN:VEVENT",
                "UID:\(uid)",
                "DTSTAMP:\(stamp)",
                "DTSTART;VALUE=DATE:\(date.basicFormat)",
                "DTEND;VALUE=DATE:\(date.adding(days: 1).basicFormat)",
                "SEQUENCE:\(sequence)",
                "SUMMARY:" + Self.escape(summary),
                "DESCRIPTION:" + Self.escape(description),
                "CATEGORIES:" + Self.escape("keywarden"),
                "TRANSP:TRANSPARENT",
            ]
            if late {
                lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:PT0S", "DESCRIPTION:" + Self.escape(summary), "END:VALARM"]
            }
            for days in late ? [] : Self.alarmDays {
                lines += [
                    "BEGIN:VALARM",
                    "ACTION:DISPLAY",
                    "TRIGGER:-P\(days)D",
                    "DESCRIPTION:" + Self.escape("\(summary): due in \(days == 1 ? "1 day" : "\(days) days")"),
                    "END:VALARM",
                ]
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        self.events = events
        self.text = lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// The stable UID of the event for key `id`: the same in every export, on every machine.
    public static func uid(for id: String) -> String {
        "keywarden-" + Hex.encode(Digest.sha256(Array(id.utf8)).prefix(12)) + "@keywarden"
    }

    /// RFC 5545 TEXT escaping: backslash, semicolon, comma and newline.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default: out.append(c)
            }
        }
        return out
    }

    /// Folds a content line so that no line exceeds 75 octets, never splitting a UTF-8 sequence;
    /// continuation lines start with one space.
    public static func fold(_ line: String) -> String {
        var out = "", current = 0
        for scalar in line.unicodeScalars {
            let width = String(scalar).utf8.count
            if current + width > 75 {
                out += "\r\n "
                current = 1
            }
            out.unicodeScalars.append(scalar)
            current += width
        }
        return out
    }

    /// Unfolds iCalendar text into content lines.
    public static func unfold(_ text: String) -> [String] {
        var lines: [String] = []
        for raw in text.split(separator: "\r\n", omittingEmptySubsequences: false) {
            if raw.first == " " || raw.first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += raw.dropFirst()
            } else if !raw.isEmpty {
                lines.append(String(raw))
            }
        }
        return lines
    }

    /// UID → (due date, sequence) of the events in an earlier export.
    static func previousEvents(_ text: String) -> [String: (due: CalendarDate, sequence: Int)] {
        var result: [String: (due: CalendarDate, sequence: Int)] = [:]
        var uid: String?, due: CalendarDate?, sequence = 0, depth = 0
        for line in unfold(text.replacingLineEnds()) {
            if line == "BEGIN:VEVENT" { uid = nil; due = nil; sequence = 0; depth = 1; continue }
            if line.hasPrefix("BEGIN:") { depth += 1; continue }
            if line == "END:VEVENT" {
                if let uid, let due { result[uid] = (due, sequence) }
                depth = 0
                continue
            }
            if line.hasPrefix("END:") { depth -= 1; continue }
            guard depth == 1 else { continue }
            if line.hasPrefix("UID:") { uid = String(line.dropFirst(4)) }
            if line.hasPrefix("SEQUENCE:") { sequence = Int(line.dropFirst(9)) ?? 0 }
            if line.hasPrefix("DTSTART"), let colon = line.firstIndex(of: ":") {
                let v = line[line.index(after: colon)...]
                if v.count >= 8 {
                    due = CalendarDate(v.prefix(4) + "-" + v.dropFirst(4).prefix(2) + "-" + v.dropFirst(6).prefix(2))
                }
            }
        }
        return result
    }
}

private extension String {
    /// Accepts a file whose CRLFs were turned into LFs by some tool.
    func replacingLineEnds() -> String {
        contains("\r\n") ? self : split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    }
}
