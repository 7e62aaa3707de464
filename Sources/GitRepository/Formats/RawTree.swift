internal import Foundation

/// One entry of a raw tree object: `<octal mode> <name>\0<20-byte id>`, by offsets into its bytes.
struct TreeEntry {
    let start: Int
    let mode: UInt32
    let nameStart: Int
    let nameEnd: Int
    var end: Int { nameEnd + 21 }

    var isTree: Bool { mode == 0o040000 }
    var isFile: Bool { mode == 0o100644 || mode == 0o100755 || mode == 0o100664 }

    func name(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd]), as: UTF8.self)
    }

    func id(_ bytes: UnsafeRawBufferPointer) -> ObjectID {
        ObjectID(bytes: UnsafeRawBufferPointer(rebasing: bytes[(nameEnd + 1)..<(nameEnd + 21)]))
    }

    /// Same mode, name and id: the whole record is byte-identical.
    func sameRecord(as other: TreeEntry, _ mine: UnsafeRawBufferPointer, _ theirs: UnsafeRawBufferPointer) -> Bool {
        let length = end - start
        guard other.end - other.start == length, let p = mine.baseAddress, let q = theirs.baseAddress else { return false }
        return memcmp(p + start, q + other.start, length) == 0
    }

    /// git's tree order: names compared bytewise, a tree's name as if followed by `/`.
    static func compare(_ a: TreeEntry, _ ab: UnsafeRawBufferPointer, _ b: TreeEntry, _ bb: UnsafeRawBufferPointer) -> Int {
        let la = a.nameEnd - a.nameStart, lb = b.nameEnd - b.nameStart
        let common = min(la, lb)
        if common > 0, let p = ab.baseAddress, let q = bb.baseAddress {
            let c = memcmp(p + a.nameStart, q + b.nameStart, common)
            if c != 0 { return Int(c) }
        }
        let ca: UInt8 = la > common ? ab[a.nameStart + common] : (a.isTree ? 47 : 0)
        let cb: UInt8 = lb > common ? bb[b.nameStart + common] : (b.isTree ? 47 : 0)
        return Int(ca) - Int(cb)
    }
}

/// Walks the entries of a raw tree.
struct TreeCursor {
    let bytes: UnsafeRawBufferPointer
    private var position = 0
    private(set) var malformed = false

    init(_ bytes: UnsafeRawBufferPointer?) { self.bytes = bytes ?? UnsafeRawBufferPointer(start: nil, count: 0) }

    mutating func next() -> TreeEntry? {
        let start = position
        guard start < bytes.count else { return nil }
        var i = start
        var mode: UInt32 = 0
        while i < bytes.count, bytes[i] != 32 {
            let d = bytes[i]
            guard d >= 48, d <= 55 else { malformed = true; position = bytes.count; return nil }
            mode = mode << 3 | UInt32(d - 48); i += 1
        }
        let nameStart = i + 1
        guard nameStart < bytes.count, let base = bytes.baseAddress,
              let nul = memchr(base + nameStart, 0, bytes.count - nameStart) else {
            malformed = true; position = bytes.count; return nil
        }
        let j = base.distance(to: UnsafeRawPointer(nul))
        guard j + 21 <= bytes.count else { malformed = true; position = bytes.count; return nil }
        position = j + 21
        return TreeEntry(start: start, mode: mode, nameStart: nameStart, nameEnd: j)
    }

    /// Moves this cursor and `other` (at the start of both trees) past the entries the two trees share at their
    /// start, byte for byte, which hold no change: each such entry is parsed once, in this tree only, instead of in
    /// both and then compared. A tree whose shared part cannot be parsed is left where it was, to be read (and
    /// reported malformed) entry by entry.
    mutating func skipSharedStart(with other: inout TreeCursor) {
        guard position == 0, other.position == 0, let p = bytes.baseAddress, let q = other.bytes.baseAddress else { return }
        let n = min(bytes.count, other.bytes.count)
        var shared = 0
        while shared + 8 <= n, p.loadUnaligned(fromByteOffset: shared, as: UInt64.self) == q.loadUnaligned(fromByteOffset: shared, as: UInt64.self) {
            shared += 8
        }
        while shared < n, p.load(fromByteOffset: shared, as: UInt8.self) == q.load(fromByteOffset: shared, as: UInt8.self) { shared += 1 }
        var probe = self
        var last = 0
        while let entry = probe.next(), entry.end <= shared { last = entry.end }
        guard last > 0 else { return }
        position = last
        other.position = last
    }
}
