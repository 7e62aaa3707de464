/// Where a key stands on its rotation schedule on a given day.
public struct KeyStatus: Sendable, Equatable {
    /// The categories `keywarden keys status` shows.
    public enum Level: String, Sendable, Codable, Comparable {
        /// Marked leaked and not rotated since: rotate now.
        case leaked
        /// Past its due date.
        case overdue
        /// Due today.
        case due
        /// Due within the warning window.
        case dueSoon = "due soon"
        case ok
        case revoked

        /// Most urgent first.
        private var rank: Int {
            switch self {
            case .leaked: 0
            case .overdue: 1
            case .due: 2
            case .dueSoon: 3
            case .ok: 4
            case .revoked: 5
            }
        }

        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }

    public let key: TrackedKey
    public let level: Level
    /// The next rotation's due date (for a revoked key, the date it would have been due).
    public let due: CalendarDate
    /// Days until `due`: negative when overdue.
    public let daysLeft: Int
    /// Days since the last rotation (or creation).
    public let ageDays: Int

    /// The status of `key` on `today`. A key is due on `last_rotated + interval`: at 89 days of a 90-day
    /// interval it is due soon (1 day left), at 90 due (today), at 91 overdue.
    public init(key: TrackedKey, today: CalendarDate) {
        self.key = key
        due = key.dueDate
        daysLeft = today.days(until: due)
        ageDays = key.lastRotated.days(until: today)
        if key.state == .revoked {
            level = .revoked
        } else if key.leaked != nil {
            level = .leaked
        } else if daysLeft < 0 {
            level = .overdue
        } else if daysLeft == 0 {
            level = .due
        } else if daysLeft <= key.effectiveWarnBefore {
            level = .dueSoon
        } else {
            level = .ok
        }
    }

    /// A sentence for people: "Next rotation due: 2027-01-14 (52 days)", "stale: not rotated in 97 days ...".
    public var message: String {
        switch level {
        case .ok, .dueSoon:
            return "Next rotation due: \(due) (\(Self.days(daysLeft)))"
        case .due:
            return "Rotation due today (\(due)); last rotated \(Self.days(ageDays)) ago"
        case .overdue:
            return "stale: not rotated in \(Self.days(ageDays)); was due \(due) (\(Self.days(-daysLeft)) overdue)"
        case .leaked:
            return "leaked on \(key.leaked.map { "\($0)" } ?? "?"): rotate now (keywarden keys runbook \(key.provider))"
        case .revoked:
            return key.revoked.map { "revoked on \($0)" } ?? "revoked"
        }
    }

    /// True for the states a CI check fails on: overdue, or leaked and not yet rotated.
    public var failsCheck: Bool { level == .overdue || level == .leaked }

    /// "1 day", "5 days".
    public static func days(_ n: Int) -> String { n == 1 ? "1 day" : "\(n) days" }

    /// The statuses of every key in `ledger` on `today`, most urgent and soonest due first, revoked last.
    public static func all(in ledger: KeyLedger, today: CalendarDate) -> [KeyStatus] {
        ledger.keys.map { KeyStatus(key: $0, today: today) }.sorted {
            if ($0.level == .revoked) != ($1.level == .revoked) { return $1.level == .revoked }
            if $0.due != $1.due { return $0.due < $1.due }
            if $0.level != $1.level { return $0.level < $1.level }
            return $0.key.id < $1.key.id
        }
    }
}
