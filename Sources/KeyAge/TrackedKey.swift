/// Whether a tracked key is in use.
public enum KeyState: String, Sendable, Codable, CaseIterable {
    case active
    case revoked
}

/// One entry of a key's history: a rotation, a leak, a revocation.
public struct HistoryEntry: Sendable, Equatable {
    /// The kinds of event keywarden writes; other values found in a ledger are kept as they are.
    public enum Event: String, Sendable {
        case added, rotated, leaked, revoked, updated
    }

    public var date: CalendarDate
    /// `added`, `rotated`, `leaked`, `revoked`, or whatever another tool wrote.
    public var event: String
    /// The key's fingerprint after the event (for a rotation, the new key's).
    public var fingerprint: String?
    /// For a rotation, the fingerprint of the key it replaced.
    public var previousFingerprint: String?
    public var by: String?
    public var reason: String?
    /// Fields this version does not know, kept on rewrite.
    public var extra: [(String, LedgerValue)]

    public init(date: CalendarDate, event: Event, fingerprint: String? = nil, previousFingerprint: String? = nil,
                by: String? = nil, reason: String? = nil) {
        self.init(date: date, event: event.rawValue, fingerprint: fingerprint, previousFingerprint: previousFingerprint,
                  by: by, reason: reason, extra: [])
    }

    init(date: CalendarDate, event: String, fingerprint: String?, previousFingerprint: String?, by: String?, reason: String?,
         extra: [(String, LedgerValue)]) {
        self.date = date
        self.event = event
        self.fingerprint = fingerprint
        self.previousFingerprint = previousFingerprint
        self.by = by
        self.reason = reason
        self.extra = extra
    }

    public static func == (a: HistoryEntry, b: HistoryEntry) -> Bool {
        a.date == b.date && a.event == b.event && a.fingerprint == b.fingerprint
            && a.previousFingerprint == b.previousFingerprint && a.by == b.by
            && a.reason == b.reason && LedgerValue.table(a.extra) == LedgerValue.table(b.extra)
    }
}

/// A key the ledger tracks: who owns it, when it was made and last rotated, how often it must be rotated,
/// and its fingerprint. Never the key itself.
public struct TrackedKey: Sendable, Equatable {
    /// Default rotation interval when a key names none.
    public static let defaultInterval = RotationInterval.standard
    /// Default warning window, in days, when a key names none.
    public static let defaultWarnBefore = 14

    public var id: String
    /// `maintainx`, `mindtickle`, `makini`, or any name.
    public var provider: String
    /// `prod`, `staging`, `dev`, ...
    public var environment: String
    public var owner: String?
    public var created: CalendarDate
    public var lastRotated: CalendarDate
    /// The rotation interval written in the ledger; nil means the default (90 days).
    public var interval: RotationInterval?
    /// The warning window written in the ledger; nil means the default (14 days).
    public var warnBefore: Int?
    public var state: KeyState
    /// The fingerprint of the current key value (same function as the scanner's).
    public var fingerprint: String?
    /// MaintainX key id (`jti` claim): not secret.
    public var jti: String?
    /// The last four characters of the key, only when asked for (`--hint-last4`).
    public var last4: String?
    /// Set by `mark-leaked`: the key must be rotated now. Cleared by the next rotation.
    public var leaked: CalendarDate?
    /// When the key was revoked.
    public var revoked: CalendarDate?
    /// A free note (comments are not kept on rewrite; this is).
    public var note: String?
    /// Where the key lives: `env:MAINTAINX_API_KEY`, `vault:secret/app/maintainx`, `aws-sm:prod/maintainx`...
    public var location: String?
    /// The scopes the key was granted (`read`, `write:workorders`, ...); nil: not recorded.
    public var scopes: [String]?
    public var history: [HistoryEntry]
    /// Fields this version does not know, kept on rewrite.
    public var extra: [(String, LedgerValue)]

    public init(id: String, provider: String, environment: String, owner: String? = nil, created: CalendarDate,
                lastRotated: CalendarDate? = nil, interval: RotationInterval? = nil, warnBefore: Int? = nil,
                state: KeyState = .active, fingerprint: String? = nil, jti: String? = nil, last4: String? = nil,
                history: [HistoryEntry] = []) {
        self.id = id
        self.provider = provider
        self.environment = environment
        self.owner = owner
        self.created = created
        self.lastRotated = lastRotated ?? created
        self.interval = interval
        self.warnBefore = warnBefore
        self.state = state
        self.fingerprint = fingerprint
        self.jti = jti
        self.last4 = last4
        self.history = history
        self.extra = []
    }

    /// The interval in force (the ledger's, or 90 days).
    public var effectiveInterval: RotationInterval { interval ?? Self.defaultInterval }
    /// The warning window in force (the ledger's, or 14 days).
    public var effectiveWarnBefore: Int { warnBefore ?? Self.defaultWarnBefore }

    /// The date the next rotation is due: the last rotation plus the interval, or the leak date when the
    /// key was marked leaked since.
    public var dueDate: CalendarDate {
        let scheduled = effectiveInterval.due(after: lastRotated)
        if let leaked { return min(leaked, scheduled) }
        return scheduled
    }

    /// The environment variable the key is loaded from (`location = "env:NAME"`), for runbooks and events.
    public var variable: String? {
        guard let location, location.hasPrefix("env:") else { return nil }
        let name = location.dropFirst(4)
        return name.isEmpty ? nil : String(name)
    }

    /// True when `text` is a location: `SCHEME:PATH`, a scheme of letters, digits and `-`, and a path.
    public static func isLocation(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex else { return false }
        return text[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            && !text.contains(where: \.isNewline)
    }

    /// Every fingerprint this key has had: the current one and those in its history.
    public var allFingerprints: Set<String> {
        var all = Set(history.flatMap { [$0.fingerprint, $0.previousFingerprint].compactMap { $0 } })
        if let fingerprint { all.insert(fingerprint) }
        return all
    }

    public static func == (a: TrackedKey, b: TrackedKey) -> Bool {
        a.id == b.id && a.provider == b.provider && a.environment == b.environment && a.owner == b.owner
            && a.created == b.created && a.lastRotated == b.lastRotated && a.interval == b.interval
            && a.warnBefore == b.warnBefore && a.state == b.state && a.fingerprint == b.fingerprint
            && a.location == b.location && a.scopes == b.scopes
            && a.jti == b.jti && a.last4 == b.last4 && a.leaked == b.leaked && a.revoked == b.revoked
            && a.note == b.note && a.history == b.history && LedgerValue.table(a.extra) == LedgerValue.table(b.extra)
    }
}
