import KeyAge
import Testing

@Suite struct RotationCalendarTests {
    /// A minimal RFC 5545 reader for the tests: unfolded lines, split into components.
    struct Component {
        var name: String
        var properties: [(name: String, params: String, value: String)] = []
        var children: [Component] = []
        func value(_ n: String) -> String? { properties.first { $0.name == n }?.value }
        func params(_ n: String) -> String? { properties.first { $0.name == n }?.params }
    }

    static func parse(_ text: String) throws -> Component {
        var stack: [Component] = []
        var root: Component?
        for line in RotationCalendar.unfold(text) {
            let colon = try #require(line.firstIndex(of: ":"))
            let head = line[..<colon], value = String(line[line.index(after: colon)...])
            let name = String(head.prefix { $0 != ";" }), params = String(head.drop { $0 != ";" })
            if name == "BEGIN" { stack.append(Component(name: value)); continue }
            if name == "END" {
                let last = stack.popLast()
                let done = try #require(last)
                #expect(done.name == value)
                if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
                continue
            }
            try #require(!stack.isEmpty)
            stack[stack.count - 1].properties.append((name, params, value))
        }
        return try #require(root)
    }

    static func unescape(_ s: String) -> String {
        var out = "", escaped = false
        for c in s {
            if escaped { out.append(c == "n" || c == "N" ? "\n" : c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    static func ledger() throws -> KeyLedger {
        var l = KeyLedger(keys: [
            trackedKey("mx-prod", rotated: "2026-10-16"),
            trackedKey("mt,dev;x", env: "dev", provider: "mindtickle", rotated: "2026-11-01"),
            trackedKey("old", env: "qa", rotated: "2026-01-01"),
        ])
        try l.revoke(id: "old", on: day("2026-02-01"))
        return l
    }

    @Test func oneAllDayEventPerActiveKeyFieldByField() throws {
        let cal = RotationCalendar(ledger: try Self.ledger(), today: day("2026-11-23"))
        let root = try Self.parse(cal.text)
        #expect(root.name == "VCALENDAR")
        #expect(root.value("VERSION") == "2.0")
        #expect(root.value("PRODID")?.isEmpty == false)
        #expect(root.value("CALSCALE") == "GREGORIAN")
        let events = root.children.filter { $0.name == "VEVENT" }
        #expect(events.count == 2)
        let mx = try #require(events.first { $0.value("UID") == RotationCalendar.uid(for: "mx-prod") })
        #expect(mx.value("DTSTART") == "20270114" && mx.params("DTSTART") == ";VALUE=DATE")
        #expect(mx.value("DTEND") == "20270115" && mx.params("DTEND") == ";VALUE=DATE")
        #expect(mx.value("DTSTAMP") == "20261123T000000Z")
        #expect(mx.value("SEQUENCE") == "0")
        #expect(mx.value("SUMMARY") == "Rotate maintainx key mx-prod (prod)")
        let description = Self.unescape(try #require(mx.value("DESCRIPTION")))
        #expect(description.contains("owner ops@example.com"))
        #expect(description.contains("Settings > Integrations > API Keys"))
        #expect(description.contains("keywarden keys rotated mx-prod"))
        let alarms = mx.children.filter { $0.name == "VALARM" }
        #expect(alarms.map { $0.value("TRIGGER") } == ["-P14D", "-P7D", "-P1D"])
        #expect(alarms.allSatisfy { $0.value("ACTION") == "DISPLAY" && $0.value("DESCRIPTION") != nil })
        let mt = try #require(events.first { $0.value("UID") == RotationCalendar.uid(for: "mt,dev;x") })
        #expect(mt.value("SUMMARY") == "Rotate mindtickle key mt\\,dev\\;x (dev)")
        #expect(Self.unescape(mt.value("SUMMARY") ?? "") == "Rotate mindtickle key mt,dev;x (dev)")
        #expect(mt.value("DTSTART") == "20270130")
    }

    @Test func linesAreCRLFAndFoldedAt75Octets() throws {
        var key = trackedKey("k-ünïcödé-" + String(repeating: "é", count: 60), rotated: "2026-10-16")
        key.owner = String(repeating: "ø", count: 80)
        let cal = RotationCalendar(ledger: KeyLedger(keys: [key]), today: day("2026-11-23"))
        #expect(cal.text.hasSuffix("\r\n"))
        let physical = cal.text.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast()
        #expect(physical.allSatisfy { $0.utf8.count <= 75 })
        #expect(physical.contains { $0.hasPrefix(" ") })
        #expect(!cal.text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        // Folding never splits a character, and unfolding gives the original lines back.
        let root = try Self.parse(cal.text)
        let event = try #require(root.children.first)
        #expect(Self.unescape(event.value("SUMMARY") ?? "") == "Rotate maintainx key \(key.id) (prod)")
        #expect(Self.unescape(event.value("DESCRIPTION") ?? "").contains(key.owner ?? "?"))
    }

    @Test func escapingAndFolding() {
        #expect(RotationCalendar.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
        let long = "DESCRIPTION:" + String(repeating: "x", count: 200)
        let folded = RotationCalendar.fold(long)
        #expect(folded.split(separator: "\r\n").map(\.utf8.count) == [75, 75, 64]) // 212 octets: 75 + 74 + 63, plus a space on each continuation
        #expect(RotationCalendar.unfold(folded + "\r\n") == [long])
    }

    @Test func uidIsStableAndSequenceFollowsTheDate() throws {
        var ledger = try Self.ledger()
        let first = RotationCalendar(ledger: ledger, today: day("2026-11-23"))
        let again = RotationCalendar(ledger: ledger, today: day("2026-12-01"), previous: first.text)
        #expect(again.events.map(\.uid) == first.events.map(\.uid))
        #expect(again.events.map(\.sequence) == [0, 0])
        try ledger.recordRotation(id: "mx-prod", fingerprint: fingerprint("new"), on: day("2026-12-02"))
        let moved = RotationCalendar(ledger: ledger, today: day("2026-12-02"), previous: again.text)
        let mx = try #require(moved.events.first { $0.keyID == "mx-prod" })
        let mt = try #require(moved.events.first { $0.keyID == "mt,dev;x" })
        #expect(mx.due == day("2027-03-02") && mx.sequence == 1 && mt.sequence == 0)
        #expect(try Self.parse(moved.text).children.first { $0.value("UID") == mx.uid }?.value("SEQUENCE") == "1")
        // Without an earlier export, SEQUENCE counts the moves in the key's history.
        #expect(RotationCalendar(ledger: ledger, today: day("2026-12-02")).events.first { $0.keyID == "mx-prod" }?.sequence == 1)
        // The same UID on another machine, another day.
        #expect(RotationCalendar.uid(for: "mx-prod") == mx.uid && RotationCalendar.uid(for: "mx-prod") != RotationCalendar.uid(for: "mx-dev"))
    }
}
