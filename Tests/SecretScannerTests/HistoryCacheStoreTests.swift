import Foundation
import GitRepository
import Hashing
import Testing
import TestSupport
@testable import SecretScanner

/// Which file wins when runs overlap, and which files the folder keeps.
@Suite struct HistoryCacheStoreTests {
    let identity = [UInt8](repeating: 7, count: 32)
    let seal = CacheSeal(secret: Array("store tests".utf8))

    /// A cache that walked the commits numbered `numbers` (and nothing else).
    func cache(_ numbers: some Sequence<Int>) -> HistoryCache {
        let commits = numbers.map { ObjectID(hex: String(repeating: "0", count: 32) + String(format: "%08x", $0))! }
        let n = commits.count
        let snapshot = HistoryPlan.Snapshot(commits: commits, trees: commits, parentStart: Array(repeating: 0, count: n + 1), parents: [],
                                            firstParent: Array(repeating: -1, count: n), changeStart: Array(repeating: 0, count: n + 1),
                                            changePath: [], changeBlob: [], paths: [], blobs: [])
        return HistoryCache(snapshot: snapshot, status: [], scannedStart: [0], scannedPaths: [], rules: [], findings: [])
    }

    func open(_ dir: TemporaryDirectory) throws -> (store: HistoryCacheStore, previous: HistoryCache?) {
        var notes: [ScanNote] = []
        let opened = try #require(HistoryCacheStore.open(commonDirectory: dir.path(), identity: identity, seal: seal, notes: &notes))
        #expect(notes.isEmpty, "\(notes)")
        return opened
    }

    func commitsOnDisk(_ store: HistoryCacheStore) throws -> Int {
        guard case .payload(let bytes) = seal.read(store.path) else { Issue.record("no readable file"); return -1 }
        return try #require(HistoryCache.decode(bytes, identity: identity)).snapshot.commits.count
    }

    @Test func aFileWrittenMeanwhileThatCoversThisRunIsKept() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-store")
        // Two runs start before either has written.
        let slow = try open(dir), quick = try open(dir)
        #expect(slow.previous == nil && quick.previous == nil)
        // The one that started second saw 10 commits and finishes first; the slow one walked 5 of them.
        #expect(try quick.store.replace(with: cache(0..<10)))
        #expect(try !slow.store.replace(with: cache(0..<5)))
        #expect(try commitsOnDisk(quick.store) == 10)
        // A run whose commits the file does not cover (a rewrite) replaces it: the last writer wins.
        #expect(try slow.store.replace(with: cache(20..<23)))
        #expect(try commitsOnDisk(quick.store) == 3)
        // A file unchanged since this run read it is replaced even by a smaller cache (branches deleted).
        let later = try open(dir)
        #expect(later.previous?.snapshot.commits.count == 3)
        #expect(try later.store.replace(with: cache(20..<21)))
        #expect(try commitsOnDisk(later.store) == 1)
    }

    @Test func pruningKeepsTheNewestFilesAndThisRunsAndNothingElse() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-store-prune")
        let folder = dir.path()
        var names: [String] = []
        for i in 0..<7 {
            let name = "history-\(i).cache"
            try dir.write(name, "x")
            var times = [timespec(tv_sec: 1_700_000_000 + i * 10, tv_nsec: 0), timespec(tv_sec: 1_700_000_000 + i * 10, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, folder + "/" + name, &times, 0) == 0)
            names.append(name)
        }
        let others = [".history-6.cache.keywarden-abc.tmp", "history.lock", "notes.txt"]
        for name in others { try dir.write(name, "y") }
        HistoryCacheStore.prune(folder, keeping: 4, except: folder + "/history-1.cache")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(left == (others + ["history-1.cache", "history-4.cache", "history-5.cache", "history-6.cache"]).sorted())
    }
}
