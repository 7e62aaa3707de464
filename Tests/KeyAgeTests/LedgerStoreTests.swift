import Foundation
import KeyAge
import Testing
import TestSupport

@Suite struct LedgerStoreTests {
    @Test func updateCreatesTheLedgerAndItsFolder() throws {
        let dir = try TemporaryDirectory()
        let store = LedgerStore(path: dir.path(".keywarden/keys.toml"))
        #expect(!store.exists)
        #expect(try store.loadIfPresent() == nil)
        #expect(throws: KeyAgeError.self) { try store.load() }
        try store.update { (l) throws(KeyAgeError) in try l.add(trackedKey("a")) }
        #expect(store.exists)
        #expect(try store.load().keys.map(\.id) == ["a"])
        #expect(FileManager.default.fileExists(atPath: store.lockPath))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path(".keywarden")).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func aFailedChangeWritesNothing() throws {
        let dir = try TemporaryDirectory()
        let store = LedgerStore(path: dir.path("keys.toml"))
        try store.update { (l) throws(KeyAgeError) in try l.add(trackedKey("a")) }
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path))
        #expect(throws: KeyAgeError.self) {
            try store.update { (l) throws(KeyAgeError) in try l.add(trackedKey("a")) }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == before)
    }

    @Test func malformedAndNewerLedgersAreLeftUntouched() throws {
        let dir = try TemporaryDirectory()
        for (name, text, code) in [("bad.toml", "schema = 1\n[[keys]\nid = \"a\"\n", KeyAgeError.Code.malformedLedger),
                                   ("new.toml", "schema = 7\nshiny = true\n", .unsupportedSchema)] {
            let file = try dir.write(name, text)
            let store = LedgerStore(path: file.path)
            #expect {
                try store.update { (l) throws(KeyAgeError) in try l.add(trackedKey("b")) }
            } throws: { error in
                (error as? KeyAgeError)?.code == code && (error as? KeyAgeError)?.file == file.path
            }
            #expect(try String(contentsOf: file, encoding: .utf8) == text)
        }
    }

    @Test func anUnchangedLedgerIsNotRewritten() throws {
        let dir = try TemporaryDirectory()
        let text = "# hand-written, with a comment\nschema = 1\n"
        let file = try dir.write("keys.toml", text)
        let store = LedgerStore(path: file.path)
        let count = try store.update { (l) throws(KeyAgeError) -> Int in l.keys.count }
        #expect(count == 0)
        #expect(try String(contentsOf: file, encoding: .utf8) == text)
    }

    /// Many writers at once, each with its own file handles, each adding keys and recording rotations:
    /// the lock serialises them and nothing is lost.
    @Test func concurrentWritersLoseNothing() async throws {
        let dir = try TemporaryDirectory()
        let store = LedgerStore(path: dir.path(".keywarden/keys.toml"))
        let writers = 8, rounds = 6
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for r in 0..<rounds {
                        let id = "w\(w)-k\(r)"
                        try LedgerStore(path: store.path).update { (l) throws(KeyAgeError) in
                            try l.add(trackedKey(id, env: id, fingerprint: fingerprint("first \(id)")))
                        }
                        try LedgerStore(path: store.path).update { (l) throws(KeyAgeError) in
                            try l.recordRotation(id: id, fingerprint: fingerprint("second \(id)"), on: day("2026-02-01"))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let ledger = try store.load()
        #expect(ledger.keys.count == writers * rounds)
        for key in ledger.keys {
            #expect(key.fingerprint == fingerprint("second \(key.id)"))
            #expect(key.history.count == 1 && key.lastRotated == day("2026-02-01"))
        }
    }
}
