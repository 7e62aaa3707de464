internal import Foundation

/// The JSON form of `keywarden keys status --format json`: stable field names, snake_case.
public struct StatusReport: Sendable, Encodable {
    public struct Entry: Sendable, Encodable {
        public let id: String
        public let provider: String
        public let environment: String
        public let owner: String?
        public let state: String
        public let status: String
        public let due: String
        public let daysLeft: Int
        public let ageDays: Int
        public let created: String
        public let lastRotated: String
        public let interval: String
        public let warnBefore: Int
        public let fingerprint: String?
        public let jti: String?
        public let leaked: String?
        public let message: String
        /// Ids of keys in other environments that hold the same value (each environment needs its own key).
        public let sharedWith: [String]
        public let location: String?
        public let scopes: [String]?

        enum CodingKeys: String, CodingKey {
            case id, provider, environment, owner, state, status, due, message, created, interval, fingerprint, jti, leaked
            case sharedWith = "shared_with", location, scopes
            case daysLeft = "days_left", ageDays = "age_days", lastRotated = "last_rotated", warnBefore = "warn_before"
        }
    }

    public let schema: Int
    public let ledger: String
    public let today: String
    public let keys: [Entry]

    public init(statuses: [KeyStatus], ledgerPath: String, today: CalendarDate, shared: [(TrackedKey, TrackedKey)] = []) {
        schema = 1
        ledger = ledgerPath
        self.today = today.description
        keys = statuses.map { s in
            let sharedWith = shared.compactMap { a, b in a.id == s.key.id ? b.id : b.id == s.key.id ? a.id : nil }.sorted()
            return
            Entry(id: s.key.id, provider: s.key.provider, environment: s.key.environment, owner: s.key.owner,
                  state: s.key.state.rawValue, status: s.level.rawValue, due: s.due.description, daysLeft: s.daysLeft,
                  ageDays: s.ageDays, created: s.key.created.description, lastRotated: s.key.lastRotated.description,
                  interval: s.key.effectiveInterval.description, warnBefore: s.key.effectiveWarnBefore,
                  fingerprint: s.key.fingerprint, jti: s.key.jti, leaked: s.key.leaked?.description, message: s.message,
                  sharedWith: sharedWith, location: s.key.location, scopes: s.key.scopes)
        }
    }

    /// Pretty, key-sorted JSON.
    public func json() throws(KeyAgeError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            throw KeyAgeError(.invalidInput, "cannot encode the status as JSON")
        }
    }
}
