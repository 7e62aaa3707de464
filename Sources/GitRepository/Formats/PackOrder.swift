internal import Foundation

/// The order in which to read blobs so that the reader's delta-base cache stays warm.
///
/// ``PackedObjectReader`` (and libgit2, for what it leaves to it) caches every intermediate base it rebuilds
/// while resolving a delta chain (keyed by pack offset), and a read first looks for the object itself in
/// that cache. Reading depth first over the
/// delta forest of the pack, each delta before its base, means most reads are cache hits or one delta
/// away from one, instead of inflating a chain of up to 50 deltas. The forest is read from the `.idx` files and the entry headers of the
/// `.pack` files (no inflating). Loose objects, and anything that cannot be located, go last.
struct PackOrder {
    private var packs: [PackFile] = []
    /// Delta bases read ahead for every entry (see ``PackedObjects``); nil: read from the entry headers here.
    private var known: PackedObjects? = nil
    /// The pack indexes that were not used, each with why (the history is still read, in plain order).
    private(set) var notes: [String] = []

    init(objectsDirectory: String) {
        packs = PackFile.openAll(objectsDirectory: objectsDirectory, notes: &notes)
    }

    /// The order over the packs of `objects`, whose entries' delta bases it already knows.
    init(packs objects: PackedObjects) {
        packs = objects.packs
        known = objects
    }

    /// `ids` reordered for reading: depth first over each pack's delta forest, then everything else.
    func readingOrder(_ ids: [ObjectID]) -> [Int] {
        if let known, known.hasReadingRanks || ids.count >= 4096 { return rankedOrder(ids, known) }
        // Node = (pack, offset) packed into one UInt64.
        func node(_ pack: Int, _ offset: UInt64) -> UInt64 { UInt64(pack) << 48 | offset }
        var located: [UInt64: [Int]] = [:]   // node -> indices into ids
        var loose: [Int] = []
        for (i, id) in ids.enumerated() {
            var found = false
            for (p, pack) in packs.enumerated() {
                if let offset = pack.offset(of: id) {
                    located[node(p, offset), default: []].append(i); found = true; break
                }
            }
            if !found { loose.append(i) }
        }
        // Delta parents, followed up the chains of the wanted objects.
        var children: [UInt64: [UInt64]] = [:]
        var roots: [UInt64] = []
        var pending = Array(located.keys)
        var seen = Set(pending)
        while let current = pending.popLast() {
            let p = Int(current >> 48), offset = current & 0xFFFF_FFFF_FFFF
            let base = known.map { $0.deltaBase(of: offset, in: p) } ?? Self.deltaBase(at: offset, in: packs[p])
            if let base = base.map({ node(p, $0) }) {
                children[base, default: []].append(current)
                if seen.insert(base).inserted { pending.append(base) }
            } else {
                roots.append(current)
            }
        }
        // Depth first, children before their base (post-order), lower offsets first. Reading a delta
        // caches every base on its chain, so when the base's own turn comes it is a cache hit.
        var order: [Int] = []
        order.reserveCapacity(ids.count)
        var stack: [(node: UInt64, expanded: Bool)] = roots.sorted(by: >).map { ($0, false) }
        while let (current, expanded) = stack.popLast() {
            if expanded {
                if let wanted = located[current] { order.append(contentsOf: wanted) }
                continue
            }
            stack.append((current, true))
            if let kids = children[current] { stack.append(contentsOf: kids.sorted(by: >).map { ($0, false) }) }
        }
        // Cycles cannot occur in a valid pack; anything not reached is appended in offset order.
        if order.count + loose.count < ids.count {
            var emitted = Set(order)
            for key in located.keys.sorted() { for i in located[key] ?? [] where emitted.insert(i).inserted { order.append(i) } }
        }
        return order + loose
    }

    /// The same order by the ranks of every entry of the packs (``PackedObjects/readingRanks()``): a sort, where
    /// the forest of the wanted objects' chains is worth building only for a few objects. Objects whose offset is
    /// not an entry's (a broken index) come after those of their pack that are, by offset.
    private func rankedOrder(_ ids: [ObjectID], _ known: PackedObjects) -> [Int] {
        let ranks = known.readingRanks()
        var keyed: [(pack: Int, rank: Int64, offset: UInt64, index: Int)] = []
        keyed.reserveCapacity(ids.count)
        var loose: [Int] = []
        for (i, id) in ids.enumerated() {
            guard let (p, offset) = known.locate(id) else { loose.append(i); continue }
            let rank = known.entry(at: offset, in: p).map { Int64(ranks[p][$0]) } ?? Int64(Int32.max) + 1
            keyed.append((p, rank, offset, i))
        }
        keyed.sort { ($0.pack, $0.rank, $0.offset, $0.index) < ($1.pack, $1.rank, $1.offset, $1.index) }
        return keyed.map(\.index) + loose
    }

    /// The offset of the delta base of the entry at `offset`, or nil for a whole object (or a header that
    /// cannot be followed).
    static func deltaBase(at offset: UInt64, in pack: PackFile) -> UInt64? {
        guard offset < UInt64(pack.size) else { return nil }
        return pack.entryHeader(at: offset)?.base
    }
}
