import Hashing
import KeyAge
import Testing

@Suite struct LedgerChangesTests {
    @Test func addRefusesDuplicateIDsAndReusedValues() throws {
        let fp = fingerprint("a value")
        var ledger = KeyLedger()
        try ledger.add(trackedKey("p", env: "prod", fingerprint: fp))
        #expect(throws: KeyAgeError(.duplicateKey, "a key with id 'p' is already tracked")) {
            try ledger.add(trackedKey("p", env: "dev"))
        }
        #expect {
            try ledger.add(trackedKey("s", env: "staging", fingerprint: fp))
        } throws: { error in
            let e = error as? KeyAgeError
            return e?.code == .reusedKey && e?.message.contains("'staging' must have its own key") == true
        }
        #expect {
            try ledger.add(trackedKey("p2", env: "prod", fingerprint: fp))
        } throws: { error in
            (error as? KeyAgeError)?.code == .reusedKey && (error as? KeyAgeError)?.message.contains("already tracked as 'p'") == true
        }
        #expect(ledger.keys.count == 1)
    }

    @Test func rotationRefusesTheOldKey() throws {
        let old = fingerprint("old"), new = fingerprint("new")
        var ledger = KeyLedger(keys: [trackedKey("k", rotated: "2026-01-01", fingerprint: old)])
        #expect {
            try ledger.recordRotation(id: "k", fingerprint: old, on: day("2026-03-01"))
        } throws: { error in
            (error as? KeyAgeError)?.code == .unchangedKey && (error as? KeyAgeError)?.message.hasPrefix("this is still the old key") == true
        }
        try ledger.recordRotation(id: "k", fingerprint: new, on: day("2026-03-01"), by: "sam", reason: "scheduled")
        let key = try #require(ledger.key(id: "k"))
        #expect(key.fingerprint == new && key.lastRotated == day("2026-03-01") && key.dueDate == day("2026-05-30"))
        #expect(key.history.last == HistoryEntry(date: day("2026-03-01"), event: .rotated, fingerprint: new, previousFingerprint: old,
                                                by: "sam", reason: "scheduled"))
        // Going back to a value from the key's own history is no rotation either.
        try ledger.recordRotation(id: "k", fingerprint: fingerprint("newer"), on: day("2026-04-01"))
        #expect(throws: KeyAgeError.self) { try ledger.recordRotation(id: "k", fingerprint: new, on: day("2026-05-01")) }
        #expect(throws: KeyAgeError.self) { try ledger.recordRotation(id: "k", fingerprint: fingerprint("x"), on: day("2026-03-15")) }
        #expect(throws: KeyAgeError.self) { try ledger.recordRotation(id: "nope", fingerprint: fingerprint("x"), on: day("2026-05-01")) }
    }

    /// A ledger written by keywarden 0.1 holds the plain SHA-256: the same key given again is still refused as
    /// the old key, and the migration rewrites the value everywhere it appears.
    @Test func oldFormatFingerprintsAreStillTheOldKeyAndMigrate() throws {
        let legacy = Fingerprinter(key: nil).legacyFingerprint("old")
        var ledger = KeyLedger(keys: [trackedKey("k", rotated: "2026-01-01", fingerprint: legacy)])
        ledger.keys[0].history = [HistoryEntry(date: day("2026-01-01"), event: .added, fingerprint: legacy)]
        #expect(throws: KeyAgeError.self) {
            try ledger.recordRotation(id: "k", fingerprint: fingerprint("old"), legacy: legacy, on: day("2026-03-01"))
        }
        #expect(throws: KeyAgeError.self) { try ledger.add(trackedKey("k2", fingerprint: fingerprint("old")), legacy: legacy) }
        #expect(ledger.migrateFingerprints([legacy: fingerprint("old")]) == 2)
        #expect(ledger.keys[0].fingerprint == fingerprint("old") && ledger.keys[0].history[0].fingerprint == fingerprint("old"))
        #expect(ledger.lookup(fingerprint: fingerprint("old"))?.id == "k")
    }

    @Test func rotationRefusesAValueOfAnotherEnvironment() throws {
        let prod = fingerprint("prod value")
        var ledger = KeyLedger(keys: [trackedKey("p", env: "prod", fingerprint: prod), trackedKey("d", env: "dev", fingerprint: fingerprint("dev"))])
        #expect {
            try ledger.recordRotation(id: "d", fingerprint: prod, on: day("2026-02-01"))
        } throws: { error in (error as? KeyAgeError)?.code == .reusedKey }
    }

    @Test func markLeakedMakesRotationDueNowAndRotationClearsIt() throws {
        var ledger = KeyLedger(keys: [trackedKey("k", rotated: "2026-11-01", fingerprint: fingerprint("v1"))])
        try ledger.markLeaked(id: "k", on: day("2026-11-10"), by: "sam", reason: "pasted in chat")
        var key = try #require(ledger.key(id: "k"))
        #expect(key.leaked == day("2026-11-10") && key.dueDate == day("2026-11-10"))
        #expect(key.history.last?.event == "leaked" && key.history.last?.reason == "pasted in chat")
        try ledger.recordRotation(id: "k", fingerprint: fingerprint("v2"), on: day("2026-11-11"))
        key = try #require(ledger.key(id: "k"))
        #expect(key.leaked == nil && key.dueDate == day("2027-02-09"))
    }

    @Test func revokeAndRemove() throws {
        var ledger = KeyLedger(keys: [trackedKey("a"), trackedKey("b", env: "dev")])
        try ledger.revoke(id: "a", on: day("2026-05-01"), reason: "service retired")
        #expect(ledger.key(id: "a")?.state == .revoked && ledger.key(id: "a")?.revoked == day("2026-05-01"))
        #expect(throws: KeyAgeError.self) { try ledger.revoke(id: "a", on: day("2026-05-02")) }
        #expect(throws: KeyAgeError.self) { try ledger.markLeaked(id: "a", on: day("2026-05-02")) }
        #expect(throws: KeyAgeError.self) { try ledger.recordRotation(id: "a", fingerprint: fingerprint("z"), on: day("2026-05-02")) }
        let removed = try ledger.remove(id: "b")
        #expect(removed.id == "b" && ledger.keys.map(\.id) == ["a"])
        #expect(throws: KeyAgeError.self) { try ledger.remove(id: "b") }
    }

    @Test func lookupNamesCurrentAndFormerValues() throws {
        var ledger = KeyLedger(keys: [trackedKey("mx-prod", fingerprint: fingerprint("v1"))])
        try ledger.add(trackedKey("mt-dev", env: "dev", provider: "mindtickle"))
        try ledger.recordRotation(id: "mx-prod", fingerprint: fingerprint("v2"), on: day("2026-02-01"))
        let current = try #require(ledger.lookup(fingerprint: fingerprint("v2")))
        #expect(current.id == "mx-prod" && current.environment == "prod" && current.owner == "ops@example.com" && current.isCurrentValue)
        #expect(current.summary == "tracked key mx-prod (environment prod, owner ops@example.com): "
            + "rotate it now (keywarden keys mark-leaked mx-prod; keywarden keys runbook maintainx)")
        let former = try #require(ledger.lookup(fingerprint: fingerprint("v1").uppercased()))
        #expect(!former.isCurrentValue && former.summary.contains("earlier value"))
        #expect(ledger.lookup(fingerprint: fingerprint("never")) == nil)
    }
}
