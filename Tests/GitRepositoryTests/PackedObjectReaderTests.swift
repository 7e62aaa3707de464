import Foundation
@testable import GitRepository
import Testing
import TestSupport

/// keywarden's own pack reader gives every packed blob exactly as git does, through offset and reference
/// deltas, with and without its base cache, and answers `unavailable` (never wrong bytes) for what it
/// cannot read.
@Suite struct PackedObjectReaderTests {
    /// A history of edits to a few files (so that the pack holds delta chains), packed.
    func packedFixture(offsetDeltas: Bool) throws -> Fixture {
        let f = try Fixture()
        var lines = (1...300).map { "line \($0) " + FakeKeys.alnum(30) }
        var data = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for i in 0..<24 {
            lines[(i * 13) % lines.count] = "edit \(i) " + FakeKeys.alnum(40)
            if i % 3 == 0 { lines.insert("inserted \(i)", at: i) }
            data[(i * 97) % data.count] ^= 0xFF
            try f.write("bin.dat", bytes: data)
            try f.git("add", "bin.dat")
            try f.commit("edit \(i)", ["big.txt": lines.joined(separator: "\n") + "\n",
                                       "small-\(i % 4).txt": "small \(i)\n"])
        }
        try f.git("-c", "repack.useDeltaBaseOffset=\(offsetDeltas)", "repack", "-adf", "-q", "--depth=20", "--window=50")
        return f
    }

    func blobs(_ f: Fixture) throws -> [(ObjectID, String)] {
        let listed = try f.git("-c", "core.quotepath=off", "rev-list", "--objects", "--all")
            .split(separator: "\n").map { String($0.prefix(40)) }
        var result: [(ObjectID, String)] = []
        for hex in Set(listed) where try f.git("cat-file", "-t", hex).hasPrefix("blob") {
            result.append((try #require(ObjectID(hex: hex)), hex))
        }
        return result.sorted { $0.1 < $1.1 }
    }

    /// Reads `ids` in `order` and returns each outcome with the bytes handed over.
    func read(_ reader: PackedObjectReader, _ ids: [ObjectID], limit: Int = 1 << 30) -> [(PackedObjectReader.Outcome, [UInt8]?)] {
        ids.map { id in
            var bytes: [UInt8]? = nil
            let outcome = reader.withObject(id, type: .blob, sizeLimit: limit) { bytes = Array($0) }
            return (outcome, bytes)
        }
    }

    @Test(arguments: [true, false], [0, 32 << 20])
    func everyPackedBlobReadsAsGitHasIt(offsetDeltas: Bool, cacheLimit: Int) throws {
        let f = try packedFixture(offsetDeltas: offsetDeltas)
        let verify = try f.git("verify-pack", "-v", try #require(try FileManager.default
            .contentsOfDirectory(atPath: f.root + "/.git/objects/pack").first { $0.hasSuffix(".idx") }
            .map { f.root + "/.git/objects/pack/" + $0 }))
        #expect(verify.contains("chain length = 2"), "the fixture has no delta chains:\n\(verify.suffix(400))")
        let packs = PackedObjects(objectsDirectory: f.root + "/.git/objects")
        #expect(packs.notes.isEmpty)
        let all = try blobs(f)
        #expect(all.count > 40)
        let ids = all.map(\.0)
        // In the reading order (each delta before its base), then backwards (bases first, cache cold).
        let order = PackOrder(packs: packs).readingOrder(ids)
        // With the delta bases read ahead or read from the headers as it goes: the same order.
        #expect(order == PackOrder(objectsDirectory: f.root + "/.git/objects").readingOrder(ids))
        // And by the ranks of the whole pack's entries (what a full history scan uses): the same order too.
        #expect(!packs.hasReadingRanks)
        _ = packs.readingRanks()
        #expect(PackOrder(packs: packs).readingOrder(ids) == order)
        #expect(PackOrder(packs: packs).readingOrder(Array(ids.reversed())) == order.map { ids.count - 1 - $0 })
        // libgit2 (which reads packs its own way) is the reference; git agrees with it on the text files.
        let repo = try f.open()
        let expected = try ids.map { id throws -> [UInt8] in try repo.blobContent(id) }
        let bigID = try #require(ObjectID(hex: try f.blobID("HEAD:big.txt")))
        let big = try #require(ids.firstIndex(of: bigID))
        #expect(Array(try f.git("cat-file", "blob", "HEAD:big.txt").utf8) == expected[big])
        for sequence in [order, Array(ids.indices.reversed())] {
            let reader = try #require(PackedObjectReader(packs, cacheLimit: cacheLimit))
            let outcomes = read(reader, sequence.map { ids[$0] })
            for (k, i) in sequence.enumerated() {
                #expect(outcomes[k].0 == .read, "\(all[i].1)")
                let same = outcomes[k].1 == expected[i]
                #expect(same, "\(all[i].1) differs from libgit2's")
            }
        }
    }

    /// The delta bases read ahead for every entry in windows (``PackFile/deltaBases(ofEntriesAt:windowSize:)``)
    /// are those each entry's own header gives, whatever the window's size (headers cut by a window's end read
    /// again from the next), and an offset past the pack's end has none.
    @Test(arguments: [true, false])
    func theDeltaBasesReadInWindowsAreTheHeadersOwn(offsetDeltas: Bool) throws {
        let f = try packedFixture(offsetDeltas: offsetDeltas)
        let packs = PackedObjects(objectsDirectory: f.root + "/.git/objects")
        let pack = try #require(packs.packs.first)
        let offsets = Array(pack.entryOffsets().dropLast())
        #expect(offsets.count > 40)
        let expected = offsets.map { pack.entryHeader(at: $0)?.base.map { Int64($0) } ?? -1 }
        #expect(expected.contains { $0 >= 0 }, "the fixture has deltas")
        for window in [32, 45, 100, 4096, 256 << 10] {
            #expect(pack.deltaBases(ofEntriesAt: offsets, windowSize: window) == expected, "window \(window)")
        }
        #expect(pack.deltaBases(ofEntriesAt: [UInt64(pack.size) + 10]) == [-1])
    }

    @Test func aBlobOverTheLimitIsTooLargeAndNotHandedOver() throws {
        let f = try packedFixture(offsetDeltas: true)
        let packs = PackedObjects(objectsDirectory: f.root + "/.git/objects")
        let reader = try #require(PackedObjectReader(packs))
        let big = try #require(ObjectID(hex: try f.blobID("HEAD:big.txt")))
        let size = Int(try f.git("cat-file", "-s", "HEAD:big.txt").trimmingCharacters(in: .whitespacesAndNewlines))!
        var called = false
        #expect(reader.withObject(big, type: .blob, sizeLimit: size - 1) { _ in called = true } == .tooLarge(size))
        #expect(!called)
        #expect(reader.withObject(big, type: .blob, sizeLimit: size) { _ in called = true } == .read)
        #expect(called)
        // The wrong type is not read either.
        #expect(reader.withObject(big, type: .tree, sizeLimit: size) { _ in } == .unavailable)
    }

    @Test func aLooseObjectIsLeftToLibgit2() throws {
        let f = try packedFixture(offsetDeltas: true)
        try f.commit("after the repack", ["late.txt": "written after the pack\n"])
        let packs = PackedObjects(objectsDirectory: f.root + "/.git/objects")
        let reader = try #require(PackedObjectReader(packs))
        let late = try #require(ObjectID(hex: try f.blobID("HEAD:late.txt")))
        #expect(reader.withObject(late, type: .blob, sizeLimit: 1 << 20) { _ in } == .unavailable)
    }

    /// A damaged pack (one byte changed, anywhere after its header) never yields bytes that neither the
    /// intact pack nor libgit2 reading the damaged one would give: the reader reads the object exactly or
    /// leaves it to libgit2.
    @Test func aDamagedPackNeverGivesOtherBytes() throws {
        let f = try packedFixture(offsetDeltas: true)
        let all = try blobs(f)
        let ids = all.map(\.0)
        let intactRepo = try f.open()
        let intact = try ids.map { id throws -> [UInt8] in try intactRepo.blobContent(id) }
        let packDir = f.root + "/.git/objects/pack"
        let packName = try #require(try FileManager.default.contentsOfDirectory(atPath: packDir).first { $0.hasSuffix(".pack") })
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: packDir + "/" + packName)))
        var generator = FakeKeys.Stream(seed: 2026)
        var unavailable = 0
        for _ in 0..<40 {
            var damaged = original
            let at = 12 + Int(generator.next() % UInt64(damaged.count - 32))
            damaged[at] ^= UInt8(1 + generator.next() % 255)
            try Data(damaged).write(to: URL(fileURLWithPath: packDir + "/" + packName))
            let packs = PackedObjects(objectsDirectory: f.root + "/.git/objects")
            let reader = try #require(PackedObjectReader(packs))
            let repo = try f.open()
            for (k, (outcome, bytes)) in read(reader, ids).enumerated() {
                switch outcome {
                case .read:
                    let bytes = try #require(bytes)
                    if bytes != intact[k] {
                        let asLibgit2 = (try? repo.blobContent(ids[k])) == bytes
                        #expect(asLibgit2, "byte \(at): \(all[k].1) read as something else")
                    }
                case .unavailable: unavailable += 1
                case .tooLarge: break
                }
            }
        }
        try Data(original).write(to: URL(fileURLWithPath: packDir + "/" + packName))
        #expect(unavailable > 0, "no damage was noticed at all")
    }
}
