/// The changes `keywarden keys` makes. Each checks its preconditions and throws before changing anything.
extension KeyLedger {
    /// Adds `key`. Refuses a duplicate id, and a key value already tracked (under another id or in another
    /// environment: each environment must have its own key); `legacy` is the value's keywarden 0.1 fingerprint,
    /// which old entries may still hold.
    public mutating func add(_ key: TrackedKey, legacy: String? = nil) throws(KeyAgeError) {
        guard !key.id.isEmpty else { throw KeyAgeError(.invalidInput, "a key needs a non-empty id") }
        guard self.key(id: key.id) == nil else {
            throw KeyAgeError(.duplicateKey, "a key with id '\(key.id)' is already tracked")
        }
        for fp in [key.fingerprint, legacy].compactMap({ $0 }) { try refuseReuse(of: fp, by: key, exceptID: nil) }
        keys.append(key)
    }

    /// Records that key `id` was rotated on `date` to a key with `fingerprint`. Refuses the fingerprint the
    /// key already has ("this is still the old key"), any earlier one of its history, and one tracked
    /// elsewhere, in the current form or as `legacy` (the value's keywarden 0.1 fingerprint). Clears a leak mark.
    public mutating func recordRotation(id: String, fingerprint: String, legacy: String? = nil, on date: CalendarDate, by: String? = nil,
                                        reason: String? = nil, jti: String? = nil, last4: String? = nil) throws(KeyAgeError) {
        let i = try index(of: id)
        let key = keys[i]
        guard key.state == .active else {
            throw KeyAgeError(.invalidInput, "key '\(id)' is revoked; add the new key with keywarden keys add")
        }
        if let current = key.fingerprint, current == fingerprint || current == legacy {
            throw KeyAgeError(.unchangedKey, "this is still the old key: '\(id)' already has fingerprint \(Self.short(fingerprint)); generate a new key first")
        }
        if let earlier = [fingerprint, legacy].compactMap({ $0 }).first(where: key.allFingerprints.contains) {
            throw KeyAgeError(.unchangedKey, "this is an earlier key of '\(id)' (fingerprint \(Self.short(earlier))); generate a new key")
        }
        for fp in [fingerprint, legacy].compactMap({ $0 }) { try refuseReuse(of: fp, by: key, exceptID: id) }
        guard date >= key.lastRotated else {
            throw KeyAgeError(.invalidInput, "rotation date \(date) is before the last rotation of '\(id)' (\(key.lastRotated))")
        }
        let previous = key.fingerprint
        keys[i].fingerprint = fingerprint
        keys[i].lastRotated = date
        keys[i].leaked = nil
        keys[i].jti = jti
        keys[i].last4 = last4
        keys[i].history.append(HistoryEntry(date: date, event: .rotated, fingerprint: fingerprint,
                                             previousFingerprint: previous, by: by, reason: reason))
    }

    /// Marks key `id` revoked on `date`.
    public mutating func revoke(id: String, on date: CalendarDate, by: String? = nil, reason: String? = nil) throws(KeyAgeError) {
        let i = try index(of: id)
        guard keys[i].state == .active else { throw KeyAgeError(.invalidInput, "key '\(id)' is already revoked") }
        keys[i].state = .revoked
        keys[i].revoked = date
        keys[i].history.append(HistoryEntry(date: date, event: .revoked, fingerprint: keys[i].fingerprint, by: by, reason: reason))
    }

    /// Marks key `id` leaked on `date`: its rotation is due at once, and the event is in its history.
    public mutating func markLeaked(id: String, on date: CalendarDate, by: String? = nil, reason: String? = nil) throws(KeyAgeError) {
        let i = try index(of: id)
        guard keys[i].state == .active else {
            throw KeyAgeError(.invalidInput, "key '\(id)' is revoked; a revoked key needs no rotation")
        }
        keys[i].leaked = min(keys[i].leaked ?? date, date)
        keys[i].history.append(HistoryEntry(date: date, event: .leaked, fingerprint: keys[i].fingerprint, by: by, reason: reason))
    }

    /// Changes key `id`'s owner, interval, warning window, location or scopes (a nil argument leaves that
    /// field alone), and records what changed in its history. Returns the changes, as `field: old → new`.
    @discardableResult
    public mutating func update(id: String, owner: String?? = nil, interval: RotationInterval?? = nil, warnBefore: Int?? = nil,
                                location: String?? = nil, scopes: [String]?? = nil, note: String?? = nil,
                                on date: CalendarDate, by: String? = nil, reason: String? = nil) throws(KeyAgeError) -> [String] {
        let i = try index(of: id)
        var key = keys[i]
        var changes = [String]()
        func describe<T>(_ value: T?, _ text: (T) -> String) -> String { value.map(text) ?? "(none)" }
        if let owner, owner != key.owner {
            changes.append("owner: \(describe(key.owner) { $0 }) → \(describe(owner) { $0 })")
            key.owner = owner
        }
        if let interval, interval != key.interval {
            changes.append("interval: \(key.effectiveInterval) → \((interval ?? TrackedKey.defaultInterval))")
            key.interval = interval
        }
        if let warnBefore, warnBefore != key.warnBefore {
            changes.append("warn_before: \(key.effectiveWarnBefore) → \(warnBefore ?? TrackedKey.defaultWarnBefore)")
            key.warnBefore = warnBefore
        }
        if let location, location != key.location {
            changes.append("location: \(describe(key.location) { $0 }) → \(describe(location) { $0 })")
            key.location = location
        }
        if let scopes, scopes != key.scopes {
            changes.append("scopes: \(describe(key.scopes) { $0.joined(separator: ",") }) → \(describe(scopes) { $0.joined(separator: ",") })")
            key.scopes = scopes
        }
        if let note, note != key.note {
            changes.append("note")
            key.note = note
        }
        guard !changes.isEmpty else { return [] }
        key.history.append(HistoryEntry(date: date, event: .updated, fingerprint: key.fingerprint, by: by,
                                        reason: reason ?? changes.joined(separator: "; ")))
        keys[i] = key
        return changes
    }

    /// Replaces each old-format fingerprint that `replacements` maps (keywarden 0.1's plain SHA-256) by its
    /// salted form, in the keys and their histories. Returns how many values changed.
    @discardableResult
    public mutating func migrateFingerprints(_ replacements: [String: String]) -> Int {
        var changed = 0
        func swap(_ fp: inout String?) {
            guard let old = fp, let new = replacements[old] else { return }
            fp = new
            changed += 1
        }
        for i in keys.indices {
            swap(&keys[i].fingerprint)
            for h in keys[i].history.indices {
                swap(&keys[i].history[h].fingerprint)
                swap(&keys[i].history[h].previousFingerprint)
            }
        }
        return changed
    }

    /// Removes key `id` from the ledger (its history goes with it; `revoke` keeps it).
    @discardableResult
    public mutating func remove(id: String) throws(KeyAgeError) -> TrackedKey {
        keys.remove(at: try index(of: id))
    }

    private func index(of id: String) throws(KeyAgeError) -> Int {
        guard let i = keys.firstIndex(where: { $0.id == id }) else {
            throw KeyAgeError(.unknownKey, "no key with id '\(id)' in the ledger")
        }
        return i
    }

    private func refuseReuse(of fingerprint: String, by key: TrackedKey, exceptID: String?) throws(KeyAgeError) {
        for other in keys where other.id != exceptID {
            let current = other.fingerprint == fingerprint
            guard current || other.allFingerprints.contains(fingerprint) else { continue }
            if other.environment != key.environment {
                throw KeyAgeError(.reusedKey, "the same key value is tracked as '\(other.id)' in environment '\(other.environment)'; "
                    + "'\(key.environment)' must have its own key")
            }
            throw KeyAgeError(.reusedKey, "this key value is already tracked as '\(other.id)'" + (current ? "" : " (an earlier value)"))
        }
    }

    /// The first 12 hex digits of a fingerprint, for messages.
    static func short(_ fingerprint: String) -> String { String(fingerprint.prefix(12)) }
}
