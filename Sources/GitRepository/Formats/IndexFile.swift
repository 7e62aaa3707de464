internal import Foundation
internal import SystemSupport

/// A read-only parse of a git index file (versions 2, 3 and 4) and its cached trees (`TREE`).
///
/// Used by the staged fast path, and to read a sparse index (which libgit2 1.5 refuses); anything it
/// does not fully understand (split indexes, unknown versions, truncation) makes `init` return nil and
/// the caller falls back to libgit2. The trailing checksum is not verified (git does not verify it on
/// every read either).
///
/// A sparse index (`index.sparse=true` with a cone-mode sparse checkout; the `sdir` extension) holds
/// one entry for each directory outside the sparse cone: mode `040000`, its path ending in `/`, and
/// the id of the tree it stands for. ``isSparse`` is set and those entries are kept as they are.
struct IndexFile {
    /// 40 bytes (it was 64 with `Int` offsets and stage): a 27,000-entry index's table is a megabyte of fresh
    /// memory, and each of its pages costs a fault.
    struct Entry {
        let id: ObjectID
        private let start: UInt32
        private let length: UInt32
        let mode: UInt32
        private let stageBits: UInt8
        let intentToAdd: Bool

        init(pathStart: Int, pathLength: Int, mode: UInt32, id: ObjectID, stage: Int, intentToAdd: Bool) {
            // (The file is under 2 GB, and the rebuilt paths of version 4 are checked against the same bound.)
            start = UInt32(pathStart)
            length = UInt32(pathLength)
            self.mode = mode
            self.id = id
            stageBits = UInt8(stage)
            self.intentToAdd = intentToAdd
        }

        var pathStart: Int { Int(start) }
        var pathLength: Int { Int(length) }
        var stage: Int { Int(stageBits) }

        /// A sparse directory entry: a whole tree outside the sparse checkout cone.
        var isSparseDirectory: Bool { mode == 0o040000 }
    }

    /// A node of the cached-tree extension: a directory whose tree id is known unless invalidated. A view
    /// into one table of every node (`CachedTrees`): the monorepo's thousands of directories were each an
    /// object with its own name array and child array, a few hundred page faults and as many allocations.
    struct CachedTree {
        let trees: CachedTrees
        let node: Int

        var name: ArraySlice<UInt8> { trees.name(node) }
        /// Index entries covered; -1 when invalidated (something under it changed since the last write-tree).
        var entryCount: Int { trees.nodes[node].entryCount }
        var id: ObjectID? { trees.nodes[node].id }

        /// The direct subdirectories, in the extension's order.
        var children: [CachedTree] { childNodes.map { CachedTree(trees: trees, node: $0) } }

        /// The child directory called `name`.
        func child(_ name: ArraySlice<UInt8>) -> CachedTree? {
            childNodes.first { trees.name($0) == name }.map { CachedTree(trees: trees, node: $0) }
        }

        /// The table positions of the direct subdirectories: each sibling lies past the whole subtree before it.
        private var childNodes: some Sequence<Int> {
            let trees = self.trees, end = node + Int(trees.nodes[node].subtree)
            return sequence(first: node + 1) { $0 + Int(trees.nodes[$0].subtree) }.prefix { $0 < end }
        }
    }

    /// Every cached tree in the order the extension lists them (each directory before its subdirectories), with
    /// their names in one buffer.
    final class CachedTrees {
        struct Node {
            let id: ObjectID?
            let nameStart: UInt32
            let nameLength: UInt32
            let entryCount: Int
            /// This node and all below it: the next sibling is this many nodes on.
            var subtree: UInt32
        }
        var nodes: [Node] = []
        var names: [UInt8] = []

        func name(_ node: Int) -> ArraySlice<UInt8> {
            let n = nodes[node]
            return names[Int(n.nameStart)..<Int(n.nameStart + n.nameLength)]
        }
    }

    /// The bytes entries' paths point into: the file itself for versions 2 and 3 (paths are not copied: the
    /// monorepo benchmark's index holds 27,000 of them), a buffer of the decompressed paths for version 4.
    private var storage: [UInt8] = []
    private(set) var entries: [Entry] = []
    private(set) var cachedTree: CachedTree?
    private(set) var hasConflicts = false
    /// The index has the `sdir` extension: some entries are sparse directories.
    private(set) var isSparse = false

    func path(_ entry: Entry) -> ArraySlice<UInt8> { storage[entry.pathStart..<(entry.pathStart + entry.pathLength)] }

    init?(contentsOf file: String) {
        // Read, not mapped: git replaces the index by renaming, but anything else (a hostile tool, a
        // full disk) could truncate the file while it is mapped, and touching a mapped page past the new
        // end kills the process with SIGBUS. A short read is just a malformed index.
        guard let bytes = RegularFile.read(file, atMost: (1 << 31) - 1, followLinks: true), !bytes.isEmpty else { return nil }
        self.init(bytes: bytes)
    }

    /// The index in `bytes` (the whole file), or nil when it is malformed or not understood.
    init?(bytes: [UInt8]) {
        guard bytes.withUnsafeBytes({ parse($0) }) else { return nil }
        if storage.isEmpty { storage = bytes }
    }

    /// The offset of the first NUL in `b[from..<end]`.
    private static func nul(_ b: UnsafeRawBufferPointer, from: Int, end: Int) -> Int? {
        guard from < end, let base = b.baseAddress, let found = memchr(base + from, 0, end - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    private static func u32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        let a = UInt32(b[at]) << 24, c = UInt32(b[at + 1]) << 16
        return a | c | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    private mutating func parse(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= 12 + 20, b[0] == 0x44, b[1] == 0x49, b[2] == 0x52, b[3] == 0x43 else { return false }
        let version = Self.u32(b, 4)
        guard version >= 2, version <= 4 else { return false }
        let count = Int(Self.u32(b, 8))
        let end = b.count - 20
        var at = 12
        // Every entry takes at least 62 bytes: a count the file cannot hold is malformed, and must not size
        // the arrays below (a header claiming 4 billion entries asked for 200 GB; found by fuzzing).
        guard count <= (end - at) / 62 else { return false }
        // Version 4 compresses paths, which are rebuilt into `storage`; versions 2 and 3 point into the file.
        if version == 4 { storage.reserveCapacity(count * 48) }
        var previous: (start: Int, length: Int) = (0, 0)
        // Written in place into a table whose pages are populated first (`FreshMemory`). (The loop is this
        // closure's own code: in a nested function, every access to the position and the paths it moves was
        // checked for exclusivity at run time.)
        var complete = true
        entries = [Entry](unsafeUninitializedCapacity: count) { table, initialized in
            if let base = table.baseAddress { FreshMemory.populate(base, count * MemoryLayout<Entry>.stride) }
            while initialized < count {
                let start = at
                guard at + 62 <= end else { complete = false; return }
                let mode = Self.u32(b, at + 24)
                let id = ObjectID(bytes: UnsafeRawBufferPointer(rebasing: b[(at + 40)..<(at + 60)]))
                let flags = UInt16(b[at + 60]) << 8 | UInt16(b[at + 61])
                at += 62
                var extended: UInt16 = 0
                if flags & 0x4000 != 0 {
                    guard version >= 3, at + 2 <= end else { complete = false; return }
                    extended = UInt16(b[at]) << 8 | UInt16(b[at + 1])
                    at += 2
                }
                var pathStart = storage.count, length = 0
                if version == 4 {
                    // Prefix compression: drop `strip` bytes from the previous path, then append the suffix.
                    guard at < end else { complete = false; return }
                    var c = b[at]; at += 1
                    var strip = Int(c & 0x7F)
                    while c & 0x80 != 0 {
                        // Checked on every byte: a long varint would overflow into a negative count (found by fuzzing).
                        guard at < end, strip <= previous.length else { complete = false; return }
                        c = b[at]; at += 1
                        strip = ((strip + 1) << 7) | Int(c & 0x7F)
                    }
                    guard strip >= 0, strip <= previous.length else { complete = false; return }
                    storage.append(contentsOf: storage[previous.start..<(previous.start + previous.length - strip)])
                    guard let nul = Self.nul(b, from: at, end: end) else { complete = false; return }
                    storage.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[at..<nul]))
                    // (Entries keep offsets in 32 bits: paths rebuilt past 4 GB are not a real index.)
                    guard storage.count <= Int(UInt32.max) else { complete = false; return }
                    at = nul + 1
                    length = storage.count - pathStart
                } else {
                    // The flags hold the name's length when it is under 0xFFF; else search for its NUL.
                    let stated = Int(flags & 0x0FFF)
                    let nul: Int
                    if stated < 0x0FFF, at + stated < end, b[at + stated] == 0 {
                        nul = at + stated
                    } else {
                        guard let found = Self.nul(b, from: at, end: end) else { complete = false; return }
                        nul = found
                    }
                    pathStart = at
                    length = nul - at
                    // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
                    at = start + ((nul - start) + 8) & ~7
                    guard at <= end else { complete = false; return }
                }
                previous = (pathStart, length)
                let stage = Int((flags >> 12) & 3)
                if stage != 0 { hasConflicts = true }
                table.initializeElement(at: initialized, to: Entry(pathStart: pathStart, pathLength: length, mode: mode, id: id,
                                                                   stage: stage, intentToAdd: extended & 0x2000 != 0))
                initialized += 1
            }
        }
        guard complete else { return false }
        // Extensions.
        while at + 8 <= end {
            let signature = (b[at], b[at + 1], b[at + 2], b[at + 3])
            let size = Int(Self.u32(b, at + 4))
            let body = at + 8
            guard body + size <= end else { return false }
            switch signature {
            case (0x54, 0x52, 0x45, 0x45): // TREE
                var cursor = body
                let trees = CachedTrees()
                cachedTree = Self.parseTree(b, &cursor, body + size, into: trees) ? CachedTree(trees: trees, node: 0) : nil
            case (0x73, 0x64, 0x69, 0x72): // sdir: a sparse index (the directory entries say the rest)
                isSparse = true
            case (0x6C, 0x69, 0x6E, 0x6B): // link: a split index, whose entries are in another file
                return false
            default:
                break
            }
            at = body + size
        }
        return true
    }

    /// Deeper cached trees than this are malformed (each level is a path component; the recursion must not
    /// exhaust the stack on a crafted extension).
    static let maxTreeDepth = 1024

    /// Appends the cached tree at `at` and all below it to `trees`; false when it is malformed.
    private static func parseTree(_ b: UnsafeRawBufferPointer, _ at: inout Int, _ end: Int, into trees: CachedTrees,
                                  depth: Int = 0) -> Bool {
        guard depth <= maxTreeDepth, let nul = nul(b, from: at, end: end) else { return false }
        // (Name offsets and subtree sizes are kept in 32 bits: the extension lies in a file under 2 GB.)
        let nameStart = trees.names.count, nameLength = nul - at
        trees.names.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[at..<nul]))
        at = nul + 1
        func number(until terminator: UInt8) -> Int? {
            var negative = false, value = 0, digits = 0
            while at < end, b[at] != terminator {
                if b[at] == 45, digits == 0, !negative { negative = true } else {
                    // Ten digits at most: more would overflow (a count is below 2^32 anyway).
                    guard b[at] >= 48, b[at] <= 57, digits < 10 else { return nil }
                    value = value * 10 + Int(b[at] - 48); digits += 1
                }
                at += 1
            }
            guard at < end else { return nil }
            at += 1
            return negative ? -value : value
        }
        guard let entryCount = number(until: 32), let subtrees = number(until: 10), subtrees >= 0 else { return false }
        var id: ObjectID?
        if entryCount >= 0 {
            guard at + 20 <= end else { return false }
            id = ObjectID(bytes: UnsafeRawBufferPointer(rebasing: b[at..<(at + 20)]))
            at += 20
        }
        let index = trees.nodes.count
        trees.nodes.append(CachedTrees.Node(id: id, nameStart: UInt32(nameStart), nameLength: UInt32(nameLength),
                                            entryCount: entryCount, subtree: 1))
        for _ in 0..<subtrees {
            guard parseTree(b, &at, end, into: trees, depth: depth + 1) else { return false }
        }
        trees.nodes[index].subtree = UInt32(trees.nodes.count - index)
        return true
    }
}
