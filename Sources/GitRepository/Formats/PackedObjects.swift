internal import CDeflate
internal import Foundation
import Synchronization

/// The pack files of a repository's object directory, opened once and shared by every worker that reads
/// from them (each through its own ``PackedObjectReader``). Nothing here is mapped: entries are read with
/// `pread`, so reading a pack never counts the pack in the process's memory.
public final class PackedObjects: Sendable {
    let packs: [PackFile]
    /// Per pack, its entries' offsets in increasing order and then where the entries end.
    let offsets: [[UInt64]]
    /// Per pack and entry (as in `offsets`), the offset of its delta base; -1 for a whole object (or one whose
    /// header cannot be read). Read once, here, so that ``PackOrder`` reads no header of its own: a history
    /// scan opens the packs on another thread while its single-threaded commit walk runs.
    let bases: [[Int64]]
    /// The pack indexes that were not used, each with why (their objects are read through libgit2).
    public let notes: [String]
    /// ``readingRanks()``, once made.
    private let ranks = Mutex<[[Int32]]?>(nil)

    public convenience init(objectsDirectory: String) {
        var notes: [String] = []
        let packs = PackFile.openAll(objectsDirectory: objectsDirectory, notes: &notes)
        self.init(packs: packs, notes: notes)
    }

    init(packs: [PackFile], notes: [String]) {
        self.packs = packs
        let offsets = packs.map { $0.entryOffsets() }
        self.offsets = offsets
        self.bases = zip(packs, offsets).map { pack, list in pack.deltaBases(ofEntriesAt: list.dropLast()) }
        self.notes = notes
    }

    /// The delta base of the entry at `offset` of pack `p` (nil: a whole object, or not an entry).
    func deltaBase(of offset: UInt64, in p: Int) -> UInt64? {
        guard let facts = entryFacts(at: offset, in: p), facts.base >= 0 else { return nil }
        return UInt64(facts.base)
    }

    /// For the entry at `offset` of pack `p`: where it ends, and its delta base as read when the packs were
    /// opened (-1: a whole object, or a header that could not be read); nil when `offset` is not an entry's.
    func entryFacts(at offset: UInt64, in p: Int) -> (end: UInt64, base: Int64)? {
        guard let i = index(of: offset, in: p) else { return nil }
        return (offsets[p][i + 1], bases[p][i])
    }

    /// For each pack and entry (as in `offsets`), its place in ``PackOrder``'s reading order of the whole pack:
    /// depth first over the delta forest, each delta before its base, siblings and roots by increasing offset;
    /// entries no root leads to (a cycle of reference deltas in a broken pack) after the rest, by offset. Made on
    /// first use (a full history scan asks on a thread of its own as soon as the packs are open, while its commit
    /// walk runs) and kept: ordering a whole history's blobs is then a sort by these numbers instead of building
    /// the forest of their chains (on git/git, 0.2 s on the main thread before any blob was read).
    public func readingRanks() -> [[Int32]] {
        ranks.withLock { (stored: inout [[Int32]]?) -> [[Int32]] in
            if let stored { return stored }
            let made = offsets.indices.map { Self.postOrder(offsets: offsets[$0], bases: bases[$0]) }
            stored = made
            return made
        }
    }

    /// Whether ``readingRanks()`` is made already.
    var hasReadingRanks: Bool { ranks.withLock { $0 != nil } }

    /// The ranks of one pack's entries (see ``readingRanks()``): `offsets` increasing with the end of the last
    /// entry after them, `bases` each entry's delta base's offset or -1.
    static func postOrder(offsets: [UInt64], bases: [Int64]) -> [Int32] {
        let n = bases.count
        // Each entry's base as an entry number (-1: a whole object, a base that is no entry, or itself), and
        // each base's deltas as one list (`children` from `first[b]` to `first[b + 1]`), by increasing offset.
        var parent = [Int32](repeating: -1, count: n)
        var first = [Int32](repeating: 0, count: n + 1)
        for e in 0..<n where bases[e] >= 0 {
            if let b = index(of: UInt64(bases[e]), in: offsets), b < n, b != e {
                parent[e] = Int32(b)
                first[b + 1] += 1
            }
        }
        for e in 0..<n { first[e + 1] += first[e] }
        var fill = first
        var children = [Int32](repeating: 0, count: Int(first[n]))
        for e in 0..<n where parent[e] >= 0 {
            let b = Int(parent[e])
            children[Int(fill[b])] = Int32(e)
            fill[b] += 1
        }
        var rank = [Int32](repeating: -1, count: n)
        var next: Int32 = 0
        var stack: [(node: Int32, child: Int32)] = []
        for root in 0..<n where parent[root] < 0 {
            stack.append((Int32(root), first[root]))
            while let top = stack.last {
                if top.child < first[Int(top.node) + 1] {
                    stack[stack.count - 1].child += 1
                    let c = children[Int(top.child)]
                    stack.append((c, first[Int(c)]))
                } else {
                    rank[Int(top.node)] = next
                    next += 1
                    stack.removeLast()
                }
            }
        }
        for e in 0..<n where rank[e] < 0 { rank[e] = next; next += 1 }
        return rank
    }

    /// The number of the entry at `offset` of pack `p` (its position in `offsets[p]`).
    func entry(at offset: UInt64, in p: Int) -> Int? { index(of: offset, in: p) }

    /// The position of the entry at `offset` in `offsets[p]`.
    private func index(of offset: UInt64, in p: Int) -> Int? { Self.index(of: offset, in: offsets[p]) }

    /// The position of `offset` in `list` (increasing, its last element the end of the entries).
    private static func index(of offset: UInt64, in list: [UInt64]) -> Int? {
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        guard low > 0, low < list.count, list[low - 1] == offset else { return nil }
        return low - 1
    }

    /// Where the entry of `id` is: (pack, offset), the first pack that lists it.
    func locate(_ id: ObjectID) -> (pack: Int, offset: UInt64)? {
        for (p, pack) in packs.enumerated() {
            if let offset = pack.offset(of: id) { return (p, offset) }
        }
        return nil
    }
}

/// Reads objects from pack files without libgit2: entry headers and data with `pread`, inflated with
/// libdeflate, deltas applied here, and the bases a chain rebuilds kept in a cache bounded by bytes, so that
/// reading in ``PackOrder``'s order (each delta before its base) rebuilds each base once.
///
/// It answers only what it can answer exactly: an object that is not in a pack (a loose object), a delta
/// whose base is in another pack, an entry that does not inflate to its declared size, a delta that does not
/// apply cleanly, or a chain longer than any real one, is `unavailable`, and the caller reads it through
/// libgit2, which reports the problem in its own words. A hostile pack can therefore make a scan slower, not
/// wrong. Not shared between threads: one per worker.
public final class PackedObjectReader {
    public enum Outcome: Equatable {
        /// The object was read and handed to the body.
        case read
        /// Its size (as the pack declares it) is over the limit; nothing was inflated beyond its delta.
        case tooLarge(Int)
        /// Read it another way (see the type's comment).
        case unavailable
    }

    /// The git object types of pack entries (`OBJ_BLOB` = 3 and so on).
    public enum ObjectType: UInt8 {
        case commit = 1, tree = 2, blob = 3, tag = 4

        /// The type's name in a loose object's header and in git's messages.
        var name: String {
            switch self {
            case .commit: "commit"
            case .tree: "tree"
            case .blob: "blob"
            case .tag: "tag"
            }
        }
    }

    private let objects: PackedObjects
    private let decompressor: OpaquePointer
    /// Compressed bytes of the entry being inflated, and the inflated delta being applied.
    private let input = Buffer()
    private let delta = Buffer()
    /// The object handed to the body.
    private let output = Buffer()
    /// Rebuilt bases, keyed by pack << 48 | offset, with their object type and when each was last used.
    private var cache: [UInt64: (bytes: [UInt8], type: UInt8, used: Int)] = [:]
    private var cacheBytes = 0
    private var clock = 0
    private let cacheLimit: Int

    /// The longest delta chain followed (git's own default is 50, its maximum 4,095).
    static let longestChain = 10_000

    public init?(_ objects: PackedObjects, cacheLimit: Int = 32 << 20) {
        guard !objects.packs.isEmpty, let decompressor = libdeflate_alloc_decompressor() else { return nil }
        self.objects = objects
        self.decompressor = decompressor
        self.cacheLimit = cacheLimit
    }

    deinit { libdeflate_free_decompressor(decompressor) }

    /// Reads object `id`, which must be of `type` and at most `sizeLimit` bytes, and hands its content to
    /// `body` (valid only during the call).
    public func withObject(_ id: ObjectID, type: ObjectType, sizeLimit: Int, _ body: (UnsafeRawBufferPointer) -> Void) -> Outcome {
        guard let (p, offset) = objects.locate(id) else { return .unavailable }
        // The chain from the object down to a whole object or a cached base, by the delta bases read when the
        // packs were opened: no entry is read until it is inflated, and then header and data in one `pread`
        // (reading each header on the way down first doubled the system calls, and trees, read by the
        // thousand in a history's tree diffs, are small enough for one).
        var chain: [UInt64] = []
        var at = offset
        var cached: (bytes: [UInt8], type: UInt8)? = nil
        while true {
            if let hit = cache[key(p, at)] {
                clock += 1
                cache[key(p, at)]?.used = clock
                cached = (hit.bytes, hit.type)
                break
            }
            guard chain.count < Self.longestChain, let facts = objects.entryFacts(at: at, in: p) else { return .unavailable }
            chain.append(at)
            guard facts.base >= 0 else { break }
            at = UInt64(facts.base)
        }
        // A bound for the bases rebuilt on the way, which may be larger than the object wanted (beyond it,
        // libgit2 reads the object).
        let baseLimit = sizeLimit >= Int.max / 4 ? Int.max / 2 : max(sizeLimit * 2, 64 << 20)
        var current: [UInt8]
        if let cached {
            // A delta's object has its chain's root's type.
            guard cached.type == type.rawValue else { return .unavailable }
            if chain.isEmpty {
                // The object itself was rebuilt as a base of one read before it (the reading order puts deltas first).
                if cached.bytes.count > sizeLimit { return .tooLarge(cached.bytes.count) }
                cached.bytes.withUnsafeBytes { body($0) }
                return .read
            }
            current = cached.bytes
        } else {
            // The root: a whole object, whose header the table of bases agrees with.
            guard let root = load(at: chain.removeLast(), in: p), root.entry.base == nil,
                  root.entry.type == type.rawValue else { return .unavailable }
            if chain.isEmpty {
                // A whole object: its size is known before anything is inflated.
                if root.entry.size > sizeLimit { return .tooLarge(root.entry.size) }
                guard inflate(root, in: p, into: output) else { return .unavailable }
                body(UnsafeRawBufferPointer(start: output.pointer, count: root.entry.size))
                return .read
            }
            guard root.entry.size <= baseLimit, root.entry.isPlausible else { return .unavailable }
            current = [UInt8](repeating: 0, count: root.entry.size)
            guard current.withUnsafeMutableBytes({ inflate(root, in: p, to: $0) }) else { return .unavailable }
            remember(current, type: root.entry.type, at: key(p, root.entry.offset))
        }
        // Apply the deltas from the base up; every object rebuilt on the way is itself a base: kept.
        var base = at
        while let next = chain.popLast() {
            guard let loaded = load(at: next, in: p), loaded.entry.base == base else { return .unavailable }
            let entry = loaded.entry
            base = next
            guard entry.size <= baseLimit, inflate(loaded, in: p, into: delta) else { return .unavailable }
            let instructions = UnsafeRawBufferPointer(start: delta.pointer, count: entry.size)
            guard let target = Self.sizes(instructions)?.target else { return .unavailable }
            if chain.isEmpty {
                if target > sizeLimit { return .tooLarge(target) }
                output.reserve(target)
                guard Self.apply(delta: instructions, to: current, into: output.pointer, count: target) else { return .unavailable }
                body(UnsafeRawBufferPointer(start: output.pointer, count: target))
                return .read
            }
            guard target <= baseLimit else { return .unavailable }
            var rebuilt = [UInt8](repeating: 0, count: target)
            guard rebuilt.withUnsafeMutableBytes({ Self.apply(delta: instructions, to: current, into: $0.baseAddress!, count: target) })
            else { return .unavailable }
            remember(rebuilt, type: type.rawValue, at: key(p, entry.offset))
            current = rebuilt
        }
        return .unavailable
    }

    /// An entry read for inflating: its header, and whether its compressed data is already in `input` (after the
    /// header), as it is when the whole entry fits in `loadWindow`.
    private struct Loaded {
        let entry: Entry
        let inInput: Bool
    }

    /// Entries up to this long (header and compressed data) are read in one `pread`; a longer one has its first
    /// window read for the header, and its data only once it is to be inflated (a blob over the size limit never).
    static let loadWindow = 64 << 10

    /// Reads the entry at `offset` of pack `p`: nil when it is not one keywarden can follow
    /// (``PackFile/entryHeader(parsing:at:)``), cannot be read, or has no data.
    private func load(at offset: UInt64, in p: Int) -> Loaded? {
        guard let facts = objects.entryFacts(at: offset, in: p), facts.end > offset else { return nil }
        let total = Int(facts.end - offset)
        let first = min(total, Self.loadWindow)
        input.reserve(first)
        let n = objects.packs[p].readPrefix(into: input.pointer, upTo: first, at: offset)
        guard n == first,
              let header = objects.packs[p].entryHeader(parsing: UnsafeRawBufferPointer(start: input.pointer, count: min(n, 32)), at: offset)
        else { return nil }
        let dataStart = offset + UInt64(header.length)
        guard dataStart < facts.end else { return nil }
        let entry = Entry(offset: offset, type: header.type, size: header.size, dataStart: dataStart, dataEnd: facts.end, base: header.base)
        return Loaded(entry: entry, inInput: first == total)
    }

    /// A pack entry's header.
    struct Entry {
        let offset: UInt64
        /// 1-4 for whole objects, 6 OFS_DELTA, 7 REF_DELTA.
        let type: UInt8
        /// The inflated size of the entry's data (for a delta, of the delta itself).
        let size: Int
        /// Where its compressed data starts and ends.
        let dataStart: UInt64
        let dataEnd: UInt64
        /// The offset of its delta base in the same pack (nil for a whole object).
        let base: UInt64?

        /// Whether its compressed length fits its declared size: deflate expands incompressible data by a few
        /// bytes per 64 KiB block and compresses at most about 1,032 to 1. Checked before any memory is
        /// taken for the entry, so a header claiming gigabytes costs nothing.
        var isPlausible: Bool {
            let length = dataEnd - dataStart
            let size = UInt64(self.size)
            return length <= size + size / 16 + 1024 && size <= length * 1100 + 1024
        }
    }

    private func key(_ p: Int, _ offset: UInt64) -> UInt64 { UInt64(p) << 48 | offset }

    /// Inflates `loaded`'s data into `buffer` (grown to its size); false unless it inflates to exactly that.
    private func inflate(_ loaded: Loaded, in p: Int, into buffer: Buffer) -> Bool {
        buffer.reserve(loaded.entry.size)
        return inflate(loaded, in: p, to: UnsafeMutableRawBufferPointer(start: buffer.pointer, count: loaded.entry.size))
    }

    private func inflate(_ loaded: Loaded, in p: Int, to out: UnsafeMutableRawBufferPointer) -> Bool {
        let entry = loaded.entry
        guard entry.isPlausible else { return false }
        let length = Int(entry.dataEnd - entry.dataStart)
        let source: UnsafeRawPointer
        if loaded.inInput {
            source = UnsafeRawPointer(input.pointer + Int(entry.dataStart - entry.offset))
        } else {
            input.reserve(length)
            guard objects.packs[p].readBytes(into: input.pointer, count: length, at: entry.dataStart) else { return false }
            source = UnsafeRawPointer(input.pointer)
        }
        var consumed = 0
        let result = libdeflate_zlib_decompress_ex(decompressor, source, length, out.baseAddress, entry.size, &consumed, nil)
        return result == LIBDEFLATE_SUCCESS
    }

    private func remember(_ bytes: [UInt8], type: UInt8, at key: UInt64) {
        guard bytes.count <= cacheLimit / 4 else { return }
        clock += 1
        cache[key] = (bytes, type, clock)
        cacheBytes += bytes.count
        guard cacheBytes > cacheLimit else { return }
        // Forget the least recently used until a quarter of the room is free.
        for (k, value) in cache.sorted(by: { $0.value.used < $1.value.used }) {
            guard cacheBytes > cacheLimit * 3 / 4 else { break }
            cache[k] = nil
            cacheBytes -= value.bytes.count
        }
    }

    /// A delta starts with two sizes (little-endian base-128): its base's, then its result's.
    static func sizes(_ delta: UnsafeRawBufferPointer) -> (base: Int, target: Int, at: Int)? {
        var at = 0
        func varint() -> Int? {
            var value = 0, shift = 0
            while at < delta.count, shift <= 56 {
                let byte = delta[at]; at += 1
                value |= Int(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        guard let base = varint(), let target = varint() else { return nil }
        return (base, target, at)
    }

    /// Applies `delta` to `base`, writing exactly `count` bytes to `out`; false when the delta does not fit its
    /// base or its declared result.
    static func apply(delta: UnsafeRawBufferPointer, to base: [UInt8], into out: UnsafeMutableRawPointer, count: Int) -> Bool {
        guard let (baseSize, target, start) = sizes(delta), baseSize == base.count, target == count else { return false }
        var at = start, written = 0
        return base.withUnsafeBytes { source in
            while at < delta.count {
                let op = delta[at]; at += 1
                if op & 0x80 != 0 {
                    // Copy from the base: up to four offset bytes and three size bytes, each present when its bit is set.
                    var offset = 0, length = 0
                    for i in 0..<4 where op & (1 << i) != 0 {
                        guard at < delta.count else { return false }
                        offset |= Int(delta[at]) << (8 * i); at += 1
                    }
                    for i in 0..<3 where op & (0x10 << i) != 0 {
                        guard at < delta.count else { return false }
                        length |= Int(delta[at]) << (8 * i); at += 1
                    }
                    if length == 0 { length = 0x10000 }
                    guard offset + length <= source.count, written + length <= count else { return false }
                    (out + written).copyMemory(from: source.baseAddress! + offset, byteCount: length)
                    written += length
                } else if op != 0 {
                    // Insert the next `op` bytes of the delta.
                    let length = Int(op)
                    guard at + length <= delta.count, written + length <= count else { return false }
                    (out + written).copyMemory(from: delta.baseAddress! + at, byteCount: length)
                    written += length
                    at += length
                } else {
                    return false   // reserved
                }
            }
            return written == count
        }
    }

    /// A growable raw buffer, reused from object to object so that reading allocates only when an object is
    /// larger than any before it.
    final class Buffer {
        private(set) var pointer: UnsafeMutableRawPointer
        private var capacity: Int

        init() {
            capacity = 64 << 10
            pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        }

        deinit { pointer.deallocate() }

        func reserve(_ count: Int) {
            guard count > capacity else { return }
            pointer.deallocate()
            capacity = max(count, capacity * 2)
            pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        }
    }
}
