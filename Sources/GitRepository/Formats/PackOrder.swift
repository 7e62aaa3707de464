internal import Foundation

/// The order in which to read blobs so that libgit2's delta-base cache stays warm.
///
/// libgit2 caches every intermediate base it rebuilds while resolving a delta chain (keyed by pack
/// offset), and a read first looks for the object itself in that cache. Reading depth first over the
/// delta forest of the pack, each delta before its base, means most reads are cache hits or one delta
/// away from one, instead of inflating a chain of up to 50 deltas. The forest is read from the `.idx` files and the entry headers of the
/// `.pack` files (no inflating). Loose objects, and anything that cannot be located, go last.
struct PackOrder {
    /// A pack's index (read into memory once: it is small and searched often) and its data file, read only
    /// at entry headers with `pread`, so that the pack's pages are not mapped into the process (a history
    /// scan would otherwise count the whole pack in its memory).
    private final class Pack {
        let index: Data
        let descriptor: Int32
        let size: Int
        let count: Int

        init(index: Data, descriptor: Int32, size: Int, count: Int) {
            self.index = index
            self.descriptor = descriptor
            self.size = size
            self.count = count
        }

        deinit { close(descriptor) }

        /// Up to 32 bytes at `offset`: enough for any entry header and a REF_DELTA base id.
        func header(at offset: UInt64) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: 32)
            let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 32, off_t(offset)) }
            return n > 0 ? Array(bytes[0..<n]) : []
        }
    }

    private var packs: [Pack] = []
    /// The pack indexes that were not used, each with why (the history is still read, in plain order).
    private(set) var notes: [String] = []

    init(objectsDirectory: String) {
        let packDir = objectsDirectory + "/pack"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: packDir) else { return }
        for name in names.filter({ $0.hasSuffix(".idx") }).sorted() {
            let base = packDir + "/" + String(name.dropLast(4))
            switch Self.open(base) {
            case .success(let pack): packs.append(pack)
            case .failure(let problem):
                notes.append("pack index \(base).idx not used for the reading order: \(problem.reason)")
            }
        }
    }

    private struct Problem: Error { let reason: String }

    /// The version 2 index of `<base>.pack`, read (never mapped: a file truncated while mapped raises
    /// SIGBUS on the next touch of a page past its new end, and the repository is untrusted input). The
    /// index is read only when its size is what its pack's object count allows, so a huge file is never
    /// loaded; a file that is shorter than its own header says (truncated, even while being read) is
    /// refused.
    private static func open(_ base: String) -> Result<Pack, Problem> {
        let descriptor = Foundation.open(base + ".pack", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Problem(reason: "its pack cannot be opened")) }
        var packInfo = stat()
        var packHeader = [UInt8](repeating: 0, count: 12)
        guard fstat(descriptor, &packInfo) == 0, packInfo.st_size >= 12,
              packHeader.withUnsafeMutableBytes({ pread(descriptor, $0.baseAddress, 12, 0) }) == 12,
              packHeader.prefix(4).elementsEqual("PACK".utf8) else {
            close(descriptor)
            return .failure(Problem(reason: "its pack is not a pack file"))
        }
        // Every entry takes at least a byte of the pack, whatever its header claims.
        let packObjects = min(packHeader.withUnsafeBytes { Int(bigEndian32($0, 8)) }, Int(packInfo.st_size))
        // 8 header bytes, the 1,024-byte fan-out table, per object a 20-byte id, a CRC and a 4-byte offset
        // (and at most one 8-byte large offset), then the two 20-byte checksums.
        let largest = 8 + 1024 + packObjects * (20 + 4 + 4 + 8) + 40
        let index: [UInt8]
        switch readIndex(base + ".idx", atMost: largest) {
        case .success(let bytes): index = bytes
        case .failure(let problem):
            close(descriptor)
            return .failure(problem)
        }
        guard index.count >= 8 + 1024, index.prefix(8).elementsEqual([0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]) else {
            close(descriptor)
            return .failure(Problem(reason: index.count < 8 + 1024 ? "it is truncated (\(index.count) bytes)" : "it is not a version 2 pack index"))
        }
        let count = index.withUnsafeBytes { Int(bigEndian32($0, 8 + 255 * 4)) }
        guard index.count >= 8 + 1024 + count * 28 else {
            close(descriptor)
            return .failure(Problem(reason: "it is truncated (\(index.count) bytes for \(count) objects)"))
        }
        return .success(Pack(index: Data(index), descriptor: descriptor, size: Int(packInfo.st_size), count: count))
    }

    /// The bytes of the regular file `path` (opened without following a link), when it holds at most
    /// `limit` bytes; read to its end, so a file truncated meanwhile gives fewer bytes, never a signal.
    private static func readIndex(_ path: String, atMost limit: Int) -> Result<[UInt8], Problem> {
        let fd = Foundation.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Problem(reason: "it cannot be opened (\(String(cString: strerror(errno))))")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .failure(Problem(reason: "it is not a regular file")) }
        guard Int(info.st_size) <= limit else {
            return .failure(Problem(reason: "it is larger (\(info.st_size) bytes) than its pack's object count allows (\(limit) bytes)"))
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        return .success(Array(bytes.prefix(done)))
    }

    private static func bigEndian32(_ raw: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        let a = UInt32(raw[at]) << 24, b = UInt32(raw[at + 1]) << 16
        let c = UInt32(raw[at + 2]) << 8, d = UInt32(raw[at + 3])
        return a | b | c | d
    }

    /// `ids` reordered for reading: depth first over each pack's delta forest, then everything else.
    func readingOrder(_ ids: [ObjectID]) -> [Int] {
        // Node = (pack, offset) packed into one UInt64.
        func node(_ pack: Int, _ offset: UInt64) -> UInt64 { UInt64(pack) << 48 | offset }
        var located: [UInt64: [Int]] = [:]   // node -> indices into ids
        var loose: [Int] = []
        for (i, id) in ids.enumerated() {
            let target = id.bytes
            var found = false
            for (p, pack) in packs.enumerated() {
                if let offset = Self.offset(of: target, in: pack) {
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
            if let base = Self.deltaBase(at: offset, in: packs[p], packs: packs).map({ node(p, $0) }) {
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

    /// The offset of the delta base of the entry at `offset`, or nil for a whole object.
    private static func deltaBase(at offset: UInt64, in pack: Pack, packs: [Pack]) -> UInt64? {
        guard offset < UInt64(pack.size) else { return nil }
        let raw = pack.header(at: offset)
        var at = 0
        guard at < raw.count else { return nil }
        var byte = raw[at]; at += 1
        let type = (byte >> 4) & 7
        while byte & 0x80 != 0, at < raw.count { byte = raw[at]; at += 1 }   // size varint
        switch type {
        case 6: // OFS_DELTA: base is `distance` bytes before.
            guard at < raw.count else { return nil }
            byte = raw[at]; at += 1
            var distance = UInt64(byte & 0x7F)
            while byte & 0x80 != 0, at < raw.count {
                // A distance past the start of the pack is corrupt; stopping there also keeps it from overflowing.
                guard distance <= offset else { return nil }
                byte = raw[at]; at += 1
                distance = ((distance + 1) << 7) | UInt64(byte & 0x7F)
            }
            return distance <= offset ? offset - distance : nil
        case 7: // REF_DELTA: base named by id, looked up in the same pack.
            guard at + 20 <= raw.count else { return nil }
            return Self.offset(of: Array(raw[at..<(at + 20)]), in: pack)
        default:
            return nil
        }
    }

    private static func offset(of target: [UInt8], in pack: Pack) -> UInt64? {
        pack.index.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> UInt64? in
            func u32(_ at: Int) -> UInt32 { bigEndian32(raw, at) }
            let first = Int(target[0])
            var low = first == 0 ? 0 : Int(u32(8 + (first - 1) * 4))
            var high = Int(u32(8 + first * 4))
            let names = 8 + 1024
            guard high <= pack.count, low <= high else { return nil }
            while low < high {
                let mid = (low + high) / 2
                let base = names + mid * 20
                var order = 0
                for k in 0..<20 where order == 0 {
                    let a = raw[base + k], b = target[k]
                    if a != b { order = a < b ? -1 : 1 }
                }
                if order == 0 {
                    let offsets = names + pack.count * 24
                    var offset = UInt64(u32(offsets + mid * 4))
                    if offset & 0x8000_0000 != 0 {
                        let at = offsets + pack.count * 4 + Int(offset & 0x7FFF_FFFF) * 8
                        guard at + 8 <= raw.count else { return nil }
                        offset = UInt64(u32(at)) << 32 | UInt64(u32(at + 4))
                    }
                    // An entry lies inside its pack after the 12-byte header. A larger offset is corrupt, and
                    // one of 2^48 or more would also spill into the pack number of `readingOrder`'s node keys
                    // (found by fuzzing: an index out of range).
                    return offset >= 12 && offset < UInt64(pack.size) ? offset : nil
                }
                if order < 0 { low = mid + 1 } else { high = mid }
            }
            return nil
        }
    }
}
