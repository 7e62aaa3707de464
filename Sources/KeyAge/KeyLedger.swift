/// The key ledger: a reviewed file in the repository (default `.keywarden/keys.toml`) that lists the keys a
/// team holds, with dates, owners and fingerprints, and never a key.
///
/// Read it with `KeyLedger.load(path:)` or `LedgerStore`; change it through `LedgerStore.update`, which
/// locks, rewrites atomically and keeps fields it does not know.
public struct KeyLedger: Sendable, Equatable {
    /// The ledger format this version reads and writes.
    public static let currentSchema = 1
    /// Where the ledger lives, relative to the repository root.
    public static let defaultRelativePath = ".keywarden/keys.toml"

    /// The ledger's schema version.
    public var schema: Int
    /// The tracked keys, in file order.
    public var keys: [TrackedKey]
    /// Top-level fields this version does not know, kept on rewrite.
    public var extra: [(String, LedgerValue)]
    /// `[scope_policy]`: per environment, the broadest scopes a key there may hold (the vendors'
    /// least-privilege advice: read-only in development, limited writes in staging, only what is required
    /// in production). `keys check` fails an active key with a scope outside its environment's list.
    public var scopePolicy: [(environment: String, allowed: [String])] = []

    /// An empty ledger.
    public init(keys: [TrackedKey] = []) {
        self.schema = Self.currentSchema
        self.keys = keys
        self.extra = []
    }

    /// The scopes the policy allows in `environment`; nil when the policy says nothing about it.
    public func allowedScopes(in environment: String) -> [String]? {
        scopePolicy.first { $0.environment == environment }?.allowed
    }

    /// The scopes of `key` that its environment's policy does not allow (empty: within the policy, or no
    /// policy or no scopes recorded).
    public func scopesBeyondPolicy(_ key: TrackedKey) -> [String] {
        guard let allowed = allowedScopes(in: key.environment), let scopes = key.scopes else { return [] }
        return scopes.filter { !allowed.contains($0) }
    }

    /// Reads and parses the ledger at `path` (no lock: writers replace the file atomically).
    public static func load(path: String) throws(KeyAgeError) -> KeyLedger {
        try LedgerStore(path: path).load()
    }

    /// The key with `id`, if tracked.
    public func key(id: String) -> TrackedKey? { keys.first { $0.id == id } }

    /// What the ledger knows of the key whose value has `fingerprint`: its current value, or an earlier one
    /// from its history (which should be dead). Nil when the fingerprint is not tracked.
    ///
    /// This is what a scanner calls to name a finding's key.
    public func lookup(fingerprint: String) -> TrackedKeyInfo? {
        let fp = fingerprint.lowercased()
        if let key = keys.first(where: { $0.fingerprint == fp }) {
            return TrackedKeyInfo(key: key, isCurrentValue: true)
        }
        for key in keys where key.allFingerprints.contains(fp) {
            return TrackedKeyInfo(key: key, isCurrentValue: false)
        }
        return nil
    }

    /// Pairs of keys in different environments that hold the same value (an error: each environment must
    /// have its own key). At least one key of each pair is active.
    public func keysSharedAcrossEnvironments() -> [(TrackedKey, TrackedKey)] {
        var pairs: [(TrackedKey, TrackedKey)] = []
        for (i, a) in keys.enumerated() {
            guard let fp = a.fingerprint else { continue }
            for b in keys[(i + 1)...] where b.fingerprint == fp && b.environment != a.environment
                && (a.state == .active || b.state == .active) {
                pairs.append((a, b))
            }
        }
        return pairs
    }

    public static func == (a: KeyLedger, b: KeyLedger) -> Bool {
        a.schema == b.schema && a.keys == b.keys && LedgerValue.table(a.extra) == LedgerValue.table(b.extra)
            && a.scopePolicy.map(\.environment) == b.scopePolicy.map(\.environment)
            && a.scopePolicy.map(\.allowed) == b.scopePolicy.map(\.allowed)
    }
}

/// What the ledger knows of a key a scan found: enough to name it in a report, never the key.
public struct TrackedKeyInfo: Sendable, Equatable {
    public let id: String
    public let provider: String
    public let environment: String
    public let owner: String?
    public let state: KeyState
    /// True when the fingerprint is the key's current value; false when it is an earlier value from the
    /// key's history (one that should have been revoked).
    public let isCurrentValue: Bool

    public init(key: TrackedKey, isCurrentValue: Bool) {
        id = key.id
        provider = key.provider
        environment = key.environment
        owner = key.owner
        state = key.state
        self.isCurrentValue = isCurrentValue
    }

    /// One line for a report, e.g. `tracked key maintainx-prod (environment prod, owner ops@example.com):
    /// rotate it now (keywarden keys mark-leaked maintainx-prod; keywarden keys runbook maintainx)`.
    public var summary: String {
        var s = isCurrentValue ? "tracked key \(id)" : "an earlier value of tracked key \(id)"
        s += " (environment \(environment)" + (owner.map { ", owner \($0)" } ?? "") + ")"
        if !isCurrentValue {
            s += ": make sure it was revoked (keywarden keys runbook \(provider))"
        } else if state == .revoked {
            s += ": recorded as revoked; confirm the provider rejects it"
        } else {
            s += ": rotate it now (keywarden keys mark-leaked \(id); keywarden keys runbook \(provider))"
        }
        return s
    }
}
