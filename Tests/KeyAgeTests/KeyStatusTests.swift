import KeyAge
import Testing

@Suite struct KeyStatusTests {
    /// A 90-day key rotated on 2026-01-01 is due on 2026-04-01 (day 90).
    @Test(arguments: [
        (89, KeyStatus.Level.dueSoon, 1),
        (90, KeyStatus.Level.due, 0),
        (91, KeyStatus.Level.overdue, -1),
        (75, KeyStatus.Level.ok, 15),
        (76, KeyStatus.Level.dueSoon, 14),
        (0, KeyStatus.Level.ok, 90),
    ])
    func boundaries(age: Int, level: KeyStatus.Level, daysLeft: Int) {
        let key = trackedKey("k", rotated: "2026-01-01")
        let s = KeyStatus(key: key, today: day("2026-01-01").adding(days: age))
        #expect(s.due == day("2026-04-01"))
        #expect(s.ageDays == age)
        #expect(s.daysLeft == daysLeft)
        #expect(s.level == level)
    }

    @Test func dueSoonWindowFollowsWarnBefore() {
        let key = trackedKey("k", rotated: "2026-01-01", warnBefore: 30)
        #expect(KeyStatus(key: key, today: day("2026-03-02")).level == .dueSoon) // 30 days left
        #expect(KeyStatus(key: key, today: day("2026-03-01")).level == .ok) // 31 days left
        let none = trackedKey("k", rotated: "2026-01-01", warnBefore: 0)
        #expect(KeyStatus(key: none, today: day("2026-03-31")).level == .ok)
        #expect(KeyStatus(key: none, today: day("2026-04-01")).level == .due)
    }

    @Test func leapYearDueDates() {
        // 90 days after 2027-12-01 is 2028-02-29; in a common year it would be 2027-03-01 from 2026-12-01.
        #expect(trackedKey("k", rotated: "2027-12-01").dueDate == day("2028-02-29"))
        #expect(trackedKey("k", rotated: "2026-12-01").dueDate == day("2027-03-01"))
        let s = KeyStatus(key: trackedKey("k", rotated: "2027-12-01"), today: day("2028-03-01"))
        #expect(s.level == .overdue && s.daysLeft == -1 && s.ageDays == 91)
    }

    @Test func messagesPeopleRead() {
        let key = trackedKey("k", rotated: "2026-10-16")
        #expect(KeyStatus(key: key, today: day("2026-11-23")).message == "Next rotation due: 2027-01-14 (52 days)")
        let stale = KeyStatus(key: trackedKey("k", rotated: "2026-08-18"), today: day("2026-11-23"))
        #expect(stale.message == "stale: not rotated in 97 days; was due 2026-11-16 (7 days overdue)")
        let dueToday = KeyStatus(key: trackedKey("k", rotated: "2026-01-01"), today: day("2026-04-01"))
        #expect(dueToday.message.hasPrefix("Rotation due today (2026-04-01)"))
    }

    @Test func leakedAndRevoked() throws {
        var ledger = KeyLedger(keys: [trackedKey("a", rotated: "2026-11-01"), trackedKey("b", env: "dev", rotated: "2026-11-01")])
        try ledger.markLeaked(id: "a", on: day("2026-11-20"))
        try ledger.revoke(id: "b", on: day("2026-11-21"))
        let a = KeyStatus(key: try #require(ledger.key(id: "a")), today: day("2026-11-20"))
        #expect(a.level == .leaked && a.failsCheck && a.due == day("2026-11-20"))
        let b = KeyStatus(key: try #require(ledger.key(id: "b")), today: day("2026-11-22"))
        #expect(b.level == .revoked && !b.failsCheck && b.message == "revoked on 2026-11-21")
    }

    @Test func soonestDueFirstRevokedLast() throws {
        var ledger = KeyLedger(keys: [
            trackedKey("late", rotated: "2026-10-01"),
            trackedKey("gone", env: "dev", rotated: "2025-01-01"),
            trackedKey("early", env: "staging", rotated: "2026-06-01"),
            trackedKey("mid", env: "qa", rotated: "2026-09-01"),
        ])
        try ledger.revoke(id: "gone", on: day("2026-02-01"))
        let order = KeyStatus.all(in: ledger, today: day("2026-11-23")).map(\.key.id)
        #expect(order == ["early", "mid", "late", "gone"])
    }

    @Test func checkFailsOnOverdueLeakedAndSharedValues() throws {
        let today = day("2026-11-23")
        let fresh = KeyLedger(keys: [trackedKey("a", rotated: "2026-11-01"), trackedKey("b", env: "dev", rotated: "2026-09-01")])
        let ok = LedgerCheck(ledger: fresh, today: today)
        #expect(!ok.failed && ok.errors.isEmpty && ok.warnings.count == 1 && ok.warnings.first?.keyIDs == ["b"])

        let overdue = LedgerCheck(ledger: KeyLedger(keys: [trackedKey("a", rotated: "2026-08-01")]), today: today)
        #expect(overdue.failed && overdue.errors.first?.keyIDs == ["a"])

        let fp = fingerprint("shared value for the test")
        // Built directly: `add` would refuse the second key.
        let shared = KeyLedger(keys: [trackedKey("p", env: "prod", rotated: "2026-11-01", fingerprint: fp),
                                      trackedKey("s", env: "staging", rotated: "2026-11-01", fingerprint: fp)])
        let reuse = LedgerCheck(ledger: shared, today: today)
        #expect(reuse.failed && reuse.errors.count == 1 && reuse.errors.first?.keyIDs == ["p", "s"])
        #expect(reuse.errors.first?.message.contains("each environment must have its own key") == true)
    }
}
