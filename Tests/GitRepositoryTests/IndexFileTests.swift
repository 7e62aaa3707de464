import Foundation
@testable import GitRepository
import SystemSupport
import TestSupport
import Testing

/// Malformed `.git/index` files the fuzz target (Fuzz/FuzzGitIndex) found or aimed at: each is refused
/// (nil: the caller falls back to libgit2), never a crash, a huge allocation or a stack overflow.
@Suite struct IndexFileTests {
    /// A version 2 header with `count` entries and no entries after it, then `extensions`, then the
    /// 20-byte trailer.
    func index(count: UInt32, extensions: [UInt8] = []) -> [UInt8] {
        var bytes = Array("DIRC".utf8) + [0, 0, 0, 2]
        withUnsafeBytes(of: count.bigEndian) { bytes += $0 }
        return bytes + extensions + [UInt8](repeating: 0, count: 20)
    }

    func treeExtension(_ body: [UInt8]) -> [UInt8] {
        var bytes = Array("TREE".utf8)
        withUnsafeBytes(of: UInt32(body.count).bigEndian) { bytes += $0 }
        return bytes + body
    }

    /// Found by fuzzing: a header claiming billions of entries sized the entry arrays from the claim
    /// (200 GB) before reading any entry.
    @Test func aCountTheFileCannotHoldIsMalformed() {
        #expect(IndexFile(bytes: index(count: 0xD500_0004)) == nil)
        #expect(IndexFile(bytes: index(count: 1) + [UInt8](repeating: 0, count: 40)) == nil)
        #expect(IndexFile(bytes: index(count: 0)) != nil, "an empty index is fine")
    }

    @Test func aCachedTreeCountWithTooManyDigitsIsMalformedNotAnOverflow() throws {
        let body = Array("\u{0}99999999999999999999999 0\n".utf8)
        let parsed = try #require(IndexFile(bytes: index(count: 0, extensions: treeExtension(body))))
        #expect(parsed.cachedTree == nil)
    }

    @Test func aCachedTreeNestedTooDeeplyIsMalformedNotAStackOverflow() throws {
        let levels = IndexFile.maxTreeDepth + 10
        let body = [UInt8]((0..<levels).flatMap { _ in Array("d\u{0}-1 1\n".utf8) }) + Array("d\u{0}-1 0\n".utf8)
        let parsed = try #require(IndexFile(bytes: index(count: 0, extensions: treeExtension(body))))
        #expect(parsed.cachedTree == nil)
        let shallow = [UInt8]((0..<10).flatMap { _ in Array("d\u{0}-1 1\n".utf8) }) + Array("d\u{0}-1 0\n".utf8)
        #expect(try #require(IndexFile(bytes: index(count: 0, extensions: treeExtension(shallow)))).cachedTree != nil)
    }
}

extension IndexFileTests {
    /// Found by fuzzing (Fuzz/FuzzGitIndex): a version 4 entry whose prefix-compression varint ran long
    /// overflowed into a negative strip count, and slicing the previous path trapped.
    @Test func aLongPrefixVarintIsMalformedNotATrap() throws {
        let base64 = "RElSQwAAAAQAAAAEaxsMg90AAP4AAFOgnwAAgaQAAC5lbnYAAAAAAAAAaxCHFBsBAAyD3WsQhxQbDIPdAAD+AABToJ8AAIGkAAAAAAAAAAAAAAAC8q1sdvARWmulsARWqEmBDn7AryAADnNyYy9kZWVwL3gudHh0AAAAAFRSZGVlcC94LnR4dAAAAABUUkVFAAAAPwAtMTAg0wDCIQowYnJmVCS/yN1rEIcUGwyD3QAA4puy0dZD////////////////////////////////////////////////////////////////////////////////////////S4sprnda2MLkjFNrpbAEVqhJgQ5+wK8gAA5zcmMvZGVlcC94LnR4dAAARElSQwAAAFRSRUUAAAA/AC0xIA4Kc3JjAAACYXgHmCKNF68tNPzkz71TAAAAAAAAAAMAAAAEaxCHFBsAAAyDZWVwL3gudHh0AHNyYwA="
        let bytes = try #require(Data(base64Encoded: base64))
        #expect(IndexFile(bytes: [UInt8](bytes)) == nil)
    }
}

/// Pack files the fuzz target (Fuzz/FuzzPackOrder) found crashing the reading order: an index whose
/// 64-bit offset table names an offset of 2^48 or more (past the pack's end) made a node key whose pack
/// number was out of range.
@Suite struct PackOrderTests {
    /// One pack holding `ids` (sorted) at 64-bit `offsets`, and `body` after the pack header.
    func objectsFolder(ids: [[UInt8]], offsets: [UInt64], body: [UInt8]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-pack-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/pack", withIntermediateDirectories: true)
        func be32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
        var index: [UInt8] = [0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]
        for byte in 0..<256 { index += be32(UInt32(ids.filter { Int($0[0]) <= byte }.count)) }
        index += ids.flatMap { $0 } + [UInt8](repeating: 0, count: 4 * ids.count)
        for n in offsets.indices { index += be32(0x8000_0000 | UInt32(n)) }
        for offset in offsets { index += withUnsafeBytes(of: offset.bigEndian) { Array($0) } }
        index += [UInt8](repeating: 0, count: 40)
        let pack = Array("PACK".utf8) + [0, 0, 0, 2] + be32(UInt32(ids.count)) + body
        FileManager.default.createFile(atPath: folder + "/pack/pack-t.idx", contents: Data(index))
        FileManager.default.createFile(atPath: folder + "/pack/pack-t.pack", contents: Data(pack))
        return folder
    }

    /// The ranks of a whole pack (``PackedObjects/readingRanks()``) are the post-order of its delta forest, each
    /// entry's deltas by offset, roots by offset, and entries in a cycle (a broken pack's reference deltas) or
    /// based on themselves after the rest: checked against a recursive walk on random forests.
    @Test func readingRanksAreThePostOrderOfTheDeltaForest() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let n = Int.random(in: 1...60, using: &generator)
            var offsets: [UInt64] = []
            var at: UInt64 = 12
            for _ in 0..<n { offsets.append(at); at += UInt64.random(in: 1...50, using: &generator) }
            offsets.append(at)
            // Mostly earlier entries (offset deltas), some later ones or itself (reference deltas, which may
            // close a cycle), some offsets that are no entry's.
            var bases = [Int64](repeating: -1, count: n)
            for e in 0..<n {
                switch Int.random(in: 0..<10, using: &generator) {
                case 0...2: break
                case 3...7: if e > 0 { bases[e] = Int64(offsets[Int.random(in: 0..<e, using: &generator)]) }
                case 8: bases[e] = Int64(offsets[Int.random(in: 0..<n, using: &generator)])
                default: bases[e] = Int64(offsets[e] + 1)
                }
            }
            let ranks = PackedObjects.postOrder(offsets: offsets, bases: bases)
            // The reference: parents by offset, a recursive walk from every root.
            var parent = [Int](repeating: -1, count: n)
            for e in 0..<n where bases[e] >= 0 {
                if let b = offsets.prefix(n).firstIndex(of: UInt64(bases[e])), b != e { parent[e] = b }
            }
            var expected = [Int32](repeating: -1, count: n)
            var next: Int32 = 0
            func visit(_ node: Int) {
                for child in 0..<n where parent[child] == node { visit(child) }
                expected[node] = next; next += 1
            }
            for root in 0..<n where parent[root] < 0 { visit(root) }
            for e in 0..<n where expected[e] < 0 { expected[e] = next; next += 1 }
            #expect(ranks == expected, "round \(round): bases \(bases), offsets \(offsets)")
            #expect(Set(ranks).count == n)
        }
    }

    @Test func anOffsetPastThePackIsNotFollowed() throws {
        let ids = [[UInt8](repeating: 0x10, count: 20), [UInt8](repeating: 0x20, count: 20)]
        let blob: [UInt8] = [0x35] + Array("hello".utf8)
        let folder = try objectsFolder(ids: ids, offsets: [1 << 50 | 12, 12], body: blob)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let wanted = ids.map { id in id.withUnsafeBytes { ObjectID(bytes: $0) } }
        let order = PackOrder(objectsDirectory: folder).readingOrder(wanted)
        #expect(order.sorted() == [0, 1])
    }

    /// The `.idx` is read, not mapped (a file truncated while mapped raises SIGBUS): one shorter than its
    /// own header says, or larger than its pack's object count allows, is not used, with a note; the
    /// objects are still all in the order.
    @Test func aTruncatedOrOversizedIndexIsANoteNotACrash() throws {
        let ids = [[UInt8](repeating: 0x10, count: 20), [UInt8](repeating: 0x20, count: 20)]
        let blob: [UInt8] = [0x35] + Array("hello".utf8)
        let wanted = ids.map { id in id.withUnsafeBytes { ObjectID(bytes: $0) } }
        let idx = "/pack/pack-t.idx"
        for (change, reason) in [(-60, "truncated"), (-1000, "truncated"), (1 << 20, "larger")] {
            let folder = try objectsFolder(ids: ids, offsets: [12, 12], body: blob)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + idx)))
            bytes = change < 0 ? Array(bytes.dropLast(-change)) : bytes + [UInt8](repeating: 0, count: change)
            FileManager.default.createFile(atPath: folder + idx, contents: Data(bytes))
            let packOrder = PackOrder(objectsDirectory: folder)
            #expect(packOrder.notes.count == 1 && packOrder.notes[0].contains(reason), "\(change): \(packOrder.notes)")
            #expect(packOrder.notes.first?.contains("pack-t.idx") == true)
            #expect(packOrder.readingOrder(wanted).sorted() == [0, 1])
        }
        let intact = try objectsFolder(ids: ids, offsets: [12, 12], body: blob)
        defer { try? FileManager.default.removeItem(atPath: intact) }
        #expect(PackOrder(objectsDirectory: intact).notes.isEmpty)
    }
}

/// The paths `IndexFile` reads are git's own, whether they point into the file (versions 2 and 3) or were
/// rebuilt from version 4's prefix compression.
@Suite struct IndexFilePathTests {
    @Test(arguments: ["2", "3", "4"])
    func pathsAreGitsInEveryVersion(_ version: String) throws {
        let f = try Fixture()
        let names = ["a.txt", "dir/b.txt", "dir/bb.txt", "dir/sub/c.txt", "dir2/" + String(repeating: "long", count: 30) + ".txt",
                     "z.txt"]
        for name in names { try f.write(name, "x\n") }
        try f.git("add", ".")
        try f.git("update-index", "--index-version", version)
        let index = try #require(IndexFile(contentsOf: f.directory.path(".git/index")))
        #expect(index.entries.map { String(decoding: index.path($0), as: UTF8.self) } == names)
        let listed = try f.git("ls-files", "-s").split(separator: "\n").map { $0.split(separator: " ")[1] }
        #expect(index.entries.map { $0.id.description } == listed.map(String.init))
    }
}

/// What `IndexFile` keeps of each entry (mode, id, stage, intent to add) is what git itself lists, also for an
/// index large enough that its buffer and entry table are populated before they are filled (`FreshMemory`).
@Suite struct IndexFileEntryTests {
    /// `git ls-files -s`: mode, id, stage and path of every entry.
    func listed(_ f: Fixture) throws -> [String] {
        try f.git("ls-files", "-s").split(separator: "\n").map(String.init)
    }

    func ours(_ index: IndexFile) -> [String] {
        index.entries.map { e in
            "\(String(e.mode, radix: 8)) \(e.id) \(e.stage)\t\(String(decoding: index.path(e), as: UTF8.self))"
        }
    }

    @Test func stagesModesAndIntentToAddAreGits() throws {
        let f = try Fixture()
        try f.write("base.txt", "one\n")
        try f.write("tool.sh", "#!/bin/sh\n")
        try f.git("add", "base.txt", "tool.sh")
        try f.git("update-index", "--chmod=+x", "tool.sh")
        let blob = try f.git("rev-parse", ":base.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        // A conflict: the three stages of one path, as a merge leaves them.
        let info = f.directory.path("info.txt")
        try f.write("info.txt", (1...3).map { "100644 \(blob) \($0)\tmerged.txt\n" }.joined())
        _ = try Run.program("/bin/sh", ["-c", "git update-index --index-info < '\(info)'"], in: f.root)
        try f.write("later.txt", "two\n")
        try f.git("add", "-N", "later.txt")
        let index = try #require(IndexFile(contentsOf: f.directory.path(".git/index")))
        #expect(ours(index) == (try listed(f)))
        #expect(index.hasConflicts)
        #expect(index.entries.map(\.stage).sorted() == [0, 0, 0, 1, 2, 3])
        let named = Dictionary(index.entries.map { (String(decoding: index.path($0), as: UTF8.self), $0) }, uniquingKeysWith: { a, _ in a })
        #expect(named["later.txt"]?.intentToAdd == true)
        #expect(named["base.txt"]?.intentToAdd == false)
        #expect(named["tool.sh"]?.mode == 0o100755)
    }

    @Test(arguments: ["2", "4"])
    func aLargeIndexIsReadWhole(_ version: String) throws {
        let f = try Fixture()
        try f.write("seed.txt", "x\n")
        try f.git("add", "seed.txt")
        let blob = try f.git("rev-parse", ":seed.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        // 9,000 entries: the file and the entry table are both over `FreshMemory.populateFrom`.
        let count = 9_000
        let info = (0..<count).map { "100644 \(blob)\tdir\($0 % 37)/sub\($0 % 11)/file-\($0).txt\n" }.joined()
        try f.write("info.txt", info)
        _ = try Run.program("/bin/sh", ["-c", "git update-index --add --index-info < info.txt"], in: f.root)
        try f.git("update-index", "--index-version", version)
        let path = f.directory.path(".git/index")
        let index = try #require(IndexFile(contentsOf: path))
        #expect(index.entries.count == count + 1)
        #expect(index.entries.count * MemoryLayout<IndexFile.Entry>.stride >= FreshMemory.populateFrom)
        if version == "2" {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(size >= FreshMemory.populateFrom)
        }
        #expect(ours(index) == (try listed(f)))
    }
}

/// The cached trees (`TREE`) as git wrote them: each directory's tree id and entry count, found by name under its
/// parent only (not among the parent's deeper descendants).
@Suite struct CachedTreeTests {
    @Test func everyDirectoryIsFoundUnderItsParentWithGitsIdAndCount() throws {
        let f = try Fixture()
        let files = ["a/b/c/one.txt", "a/b/c/two.txt", "a/b/three.txt", "a/d/four.txt", "a/x/c/five.txt", "e/six.txt", "seven.txt"]
        try f.commit("tree", Dictionary(uniqueKeysWithValues: files.map { ($0, "\($0)\n") }))
        let index = try #require(IndexFile(contentsOf: f.directory.path(".git/index")))
        let root = try #require(index.cachedTree)
        #expect(root.entryCount == files.count)
        for directory in ["a", "a/b", "a/b/c", "a/d", "a/x", "a/x/c", "e"] {
            var node = root
            for part in directory.split(separator: "/") {
                node = try #require(node.child(ArraySlice(part.utf8)), "\(directory): no \(part)")
            }
            #expect(String(decoding: node.name, as: UTF8.self) == String(directory.split(separator: "/").last!))
            #expect(node.id?.description == (try f.git("rev-parse", "HEAD:" + directory)).trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(node.entryCount == files.filter { $0.hasPrefix(directory + "/") }.count)
        }
        // Only direct children: `c` lies under a/b and a/x, not directly under a; nothing is called `f`.
        let a = try #require(root.child(ArraySlice("a".utf8)))
        #expect(a.child(ArraySlice("c".utf8)) == nil)
        #expect(root.child(ArraySlice("b".utf8)) == nil)
        #expect(root.child(ArraySlice("f".utf8)) == nil)
        // The direct children, in git's order.
        #expect(root.children.map { String(decoding: $0.name, as: UTF8.self) } == ["a", "e"])
        #expect(a.children.map { String(decoding: $0.name, as: UTF8.self) } == ["b", "d", "x"])
    }
}
