internal import Foundation

/// A pack's index (read into memory once: it is small and searched often) and its data file, read only
/// with `pread` (entry headers for ``PackOrder``, whole entries for ``PackedObjectReader``), so that the pack's pages are not mapped into the process (a history
/// scan would otherwise count the whole pack in its memory).
///
/// A pack opened for lookups only (``openForLookups(_:)``, the staged path's few objects) keeps just the index's
/// fan-out table and searches the rest with a `pread` of 20 bytes per step: a large repository's index is tens
/// of megabytes, and reading one whole cost the monorepo benchmark's staged scan about a millisecond.
final class PackFile: Sendable {
    /// The whole index, or empty for a pack opened for lookups.
    let index: Data
    let descriptor: Int32
    let size: Int
    let count: Int
    /// For a pack opened for lookups: the index file, and its fan-out table (objects whose first byte is at most i).
    private let indexDescriptor: Int32
    private let fanout: [UInt32]

    init(index: Data, descriptor: Int32, size: Int, count: Int) {
        self.index = index
        self.descriptor = descriptor
        self.size = size
        self.count = count
        indexDescriptor = -1
        fanout = []
    }

    private init(lookupsIn indexDescriptor: Int32, fanout: [UInt32], descriptor: Int32, size: Int) {
        index = Data()
        self.descriptor = descriptor
        self.size = size
        count = Int(fanout[255])
        self.indexDescriptor = indexDescriptor
        self.fanout = fanout
    }

    deinit {
        close(descriptor)
        if indexDescriptor >= 0 { close(indexDescriptor) }
    }

    /// Up to 32 bytes at `offset`: enough for any entry header and a REF_DELTA base id.
    func header(at offset: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 32, off_t(offset)) }
        return n > 0 ? Array(bytes[0..<n]) : []
    }

    /// A pack entry's header: its type (1-4 whole objects, 6 OFS_DELTA, 7 REF_DELTA), the inflated size of its
    /// data (for a delta, of the delta itself), the header's length, and for a delta its base's offset in
    /// this pack.
    struct EntryHeader {
        let type: UInt8
        let size: Int
        let length: Int
        let base: UInt64?
    }

    /// The header of the entry at `offset`; nil when it is not one keywarden can follow: cut short, a size
    /// that overflows, an unknown type, a base distance of zero or past the start of the pack, a reference
    /// base this pack does not hold.
    func entryHeader(at offset: UInt64) -> EntryHeader? {
        let raw = header(at: offset)
        return raw.withUnsafeBytes { entryHeader(parsing: $0, at: offset) }
    }

    /// The header of the entry at `offset` whose first bytes (up to 32) are `raw`.
    func entryHeader(parsing raw: UnsafeRawBufferPointer, at offset: UInt64) -> EntryHeader? {
        guard !raw.isEmpty else { return nil }
        var byte = raw[0]
        var at = 1
        let type = (byte >> 4) & 7
        var size = Int(byte & 0x0F)
        var shift = 4
        while byte & 0x80 != 0 {
            guard at < raw.count, shift <= 56 else { return nil }
            byte = raw[at]; at += 1
            size |= Int(byte & 0x7F) << shift
            shift += 7
        }
        guard size >= 0 else { return nil }
        switch type {
        case 1, 2, 3, 4:
            return EntryHeader(type: type, size: size, length: at, base: nil)
        case 6:
            // The base is `distance` bytes before; a distance past the start of the pack is corrupt, and
            // stopping there also keeps it from overflowing.
            guard at < raw.count else { return nil }
            byte = raw[at]; at += 1
            var distance = UInt64(byte & 0x7F)
            while byte & 0x80 != 0 {
                guard at < raw.count, distance <= offset else { return nil }
                byte = raw[at]; at += 1
                distance = ((distance + 1) << 7) | UInt64(byte & 0x7F)
            }
            guard distance > 0, distance <= offset else { return nil }
            return EntryHeader(type: type, size: size, length: at, base: offset - distance)
        case 7:
            // The base is named by id, looked up in this pack.
            guard at + 20 <= raw.count, let base = self.offset(of: Array(raw[at..<(at + 20)])) else { return nil }
            return EntryHeader(type: type, size: size, length: at + 20, base: base)
        default:
            return nil
        }
    }

    /// The delta base of the entry at each of `offsets` (ascending, as ``entryOffsets()`` lists them), or -1 for
    /// a whole object or a header that cannot be read: the same as ``entryHeader(at:)`` gives for each, read in
    /// windows of 256 KB instead of with a `pread` per entry (the benchmark history's pack has 161,567 entries,
    /// and as many system calls cost about a tenth of a second of a history scan's CPU).
    /// (`windowSize` is for tests, which make windows smaller than a header.)
    func deltaBases(ofEntriesAt offsets: some Collection<UInt64>, windowSize: Int = 256 << 10) -> [Int64] {
        let windowSize = max(windowSize, 32)
        let window = UnsafeMutableRawBufferPointer.allocate(byteCount: windowSize, alignment: 8)
        defer { window.deallocate() }
        var start: UInt64 = 0, filled = 0
        var bases: [Int64] = []
        bases.reserveCapacity(offsets.count)
        for offset in offsets {
            guard offset < UInt64(size) else { bases.append(-1); continue }
            let want = min(32, size - Int(offset))
            if offset < start || offset + UInt64(want) > start + UInt64(filled) {
                start = offset
                filled = readPrefix(into: window.baseAddress!, upTo: min(windowSize, size - Int(offset)), at: offset)
            }
            let at = Int(offset - start)
            let available = max(0, min(want, filled - at))
            let header = entryHeader(parsing: UnsafeRawBufferPointer(rebasing: window[at..<(at + available)]), at: offset)
            bases.append(header?.base.map { Int64($0) } ?? -1)
        }
        return bases
    }

    struct Problem: Error { let reason: String }

    /// The packs of `objectsDirectory` that can be used, in name order; each that cannot, with why, in `notes`.
    static func openAll(objectsDirectory: String, notes: inout [String]) -> [PackFile] {
        let packDir = objectsDirectory + "/pack"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: packDir) else { return [] }
        var packs: [PackFile] = []
        for name in names.filter({ $0.hasSuffix(".idx") }).sorted() {
            let base = packDir + "/" + String(name.dropLast(4))
            switch open(base) {
            case .success(let pack): packs.append(pack)
            case .failure(let problem):
                notes.append("pack index \(base).idx not used (its objects are read through libgit2, in plain order): \(problem.reason)")
            }
        }
        return packs
    }

    /// The packs of `objectsDirectory` opened for lookups (``openForLookups(_:)``), in name order; those that
    /// cannot be used are left out (an object only they hold is then not found, and read another way).
    static func openAllForLookups(objectsDirectory: String) -> [PackFile] {
        let packDir = objectsDirectory + "/pack"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: packDir) else { return [] }
        return names.filter { $0.hasSuffix(".idx") }.sorted().compactMap { openForLookups(packDir + "/" + $0.dropLast(4)) }
    }

    /// `<base>.pack` with its version 2 index opened for lookups: only the header and fan-out table are read,
    /// and checked (the count agrees with the pack's, the table never decreases, the file is as long as the
    /// count needs and no longer than it allows); nil when anything is off.
    static func openForLookups(_ base: String) -> PackFile? {
        let descriptor = Foundation.open(base + ".pack", O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        let indexDescriptor = Foundation.open(base + ".idx", O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard indexDescriptor >= 0 else { close(descriptor); return nil }
        var packInfo = stat(), indexInfo = stat()
        var packHeader = [UInt8](repeating: 0, count: 12)
        var header = [UInt8](repeating: 0, count: 8 + 1024)
        let fanout: [UInt32]? = {
            guard fstat(descriptor, &packInfo) == 0, packInfo.st_size >= 12, fstat(indexDescriptor, &indexInfo) == 0,
                  indexInfo.st_mode & S_IFMT == S_IFREG,
                  packHeader.withUnsafeMutableBytes({ pread(descriptor, $0.baseAddress, 12, 0) }) == 12,
                  packHeader.prefix(4).elementsEqual("PACK".utf8),
                  header.withUnsafeMutableBytes({ pread(indexDescriptor, $0.baseAddress, $0.count, 0) }) == header.count,
                  header.prefix(8).elementsEqual([0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]) else { return nil }
            let table = header.withUnsafeBytes { raw in (0..<256).map { bigEndian32(raw, 8 + $0 * 4) } }
            let count = Int(table[255])
            let packObjects = packHeader.withUnsafeBytes { Int(bigEndian32($0, 8)) }
            guard count == packObjects, zip(table, table.dropFirst()).allSatisfy({ $0 <= $1 }),
                  Int(indexInfo.st_size) >= 8 + 1024 + count * 28 + 40,
                  Int(indexInfo.st_size) <= 8 + 1024 + count * 36 + 40 else { return nil }
            return table
        }()
        guard let fanout else {
            close(descriptor); close(indexDescriptor)
            return nil
        }
        return PackFile(lookupsIn: indexDescriptor, fanout: fanout, descriptor: descriptor, size: Int(packInfo.st_size))
    }

    /// The version 2 index of `<base>.pack`, read (never mapped: a file truncated while mapped raises
    /// SIGBUS on the next touch of a page past its new end, and the repository is untrusted input). The
    /// index is read only when its size is what its pack's object count allows, so a huge file is never
    /// loaded; a file that is shorter than its own header says (truncated, even while being read) is
    /// refused.
    static func open(_ base: String) -> Result<PackFile, Problem> {
        let descriptor = Foundation.open(base + ".pack", O_RDONLY | O_CLOEXEC | O_NONBLOCK)
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
        return .success(PackFile(index: Data(index), descriptor: descriptor, size: Int(packInfo.st_size), count: count))
    }

    /// The bytes of the regular file `path` (opened without following a link), when it holds at most
    /// `limit` bytes; read to its end, so a file truncated meanwhile gives fewer bytes, never a signal.
    private static func readIndex(_ path: String, atMost limit: Int) -> Result<[UInt8], Problem> {
        let fd = Foundation.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
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

    func offset(of target: [UInt8]) -> UInt64? {
        target.withUnsafeBytes { offset(of: ObjectID(bytes: $0)) }
    }

    /// The offset of object `id` in the pack, found in the index; nil when the index does not list it or lists an
    /// offset outside the pack. The index is in memory, or read a few bytes at a time for a pack opened for lookups.
    func offset(of id: ObjectID) -> UInt64? {
        if indexDescriptor >= 0 {
            return Self.search(id, count: count, packSize: size, fanout: { fanout[$0] }) { at, out in
                pread(indexDescriptor, out.baseAddress, out.count, off_t(at)) == out.count
            }
        }
        return index.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> UInt64? in
            Self.search(id, count: count, packSize: size, fanout: { Self.bigEndian32(raw, 8 + $0 * 4) }) { at, out in
                guard at >= 0, at + out.count <= raw.count, let base = raw.baseAddress else { return false }
                out.copyMemory(from: UnsafeRawBufferPointer(start: base + at, count: out.count))
                return true
            }
        }
    }

    /// The search of a version 2 pack index with `count` objects: the fan-out table (`fanout(i)`: how many names
    /// start with a byte of at most i) narrows the names to those starting with the id's first byte, a binary
    /// search over them (names compared as three big-endian words, which order as their bytes do) finds it, then
    /// its 32-bit offset and, when that points there, its 64-bit one. `read(at, out)` fills `out` with the index's
    /// bytes at `at`, false when it cannot.
    private static func search(_ id: ObjectID, count: Int, packSize: Int, fanout: (Int) -> UInt32,
                               read: (_ at: Int, _ out: UnsafeMutableRawBufferPointer) -> Bool) -> UInt64? {
        let first = Int(id.high >> 56)
        var low = first == 0 ? 0 : Int(fanout(first - 1))
        var high = Int(fanout(first))
        guard high <= count, low <= high else { return nil }
        let names = 8 + 1024, offsets = names + count * 24
        var scratch: (UInt64, UInt64, UInt32) = (0, 0, 0)   // 20 bytes: one name
        return withUnsafeMutableBytes(of: &scratch) { (buffer: UnsafeMutableRawBufferPointer) -> UInt64? in
            let bytes = UnsafeRawBufferPointer(buffer)
            func fill(_ n: Int, at: Int) -> Bool { read(at, UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n])) }
            let wanted = (id.high, id.middle, id.low)
            while low < high {
                let mid = (low + high) / 2
                guard fill(20, at: names + mid * 20) else { return nil }
                let name = (UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                            UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
                if name < wanted { low = mid + 1; continue }
                if name > wanted { high = mid; continue }
                guard fill(4, at: offsets + mid * 4) else { return nil }
                var offset = UInt64(bigEndian32(bytes, 0))
                if offset & 0x8000_0000 != 0 {
                    guard fill(8, at: offsets + count * 4 + Int(offset & 0x7FFF_FFFF) * 8) else { return nil }
                    offset = UInt64(bigEndian32(bytes, 0)) << 32 | UInt64(bigEndian32(bytes, 4))
                }
                // An entry lies inside its pack after the 12-byte header. A larger offset is corrupt, and one of
                // 2^48 or more would also spill into the pack number of `readingOrder`'s node keys (found by
                // fuzzing: an index out of range).
                return offset >= 12 && offset < UInt64(packSize) ? offset : nil
            }
            return nil
        }
    }

    /// The offset of every entry, in increasing order, then where the entries end (the pack's trailing
    /// 20-byte checksum): an entry's data runs to the next offset. Offsets outside the pack are left out.
    func entryOffsets() -> [UInt64] {
        index.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [UInt64] in
            let table = 8 + 1024 + count * 24
            let large = table + count * 4
            var offsets: [UInt64] = []
            offsets.reserveCapacity(count + 1)
            for i in 0..<count {
                var offset = UInt64(Self.bigEndian32(raw, table + i * 4))
                if offset & 0x8000_0000 != 0 {
                    let at = large + Int(offset & 0x7FFF_FFFF) * 8
                    guard at + 8 <= raw.count else { continue }
                    offset = UInt64(Self.bigEndian32(raw, at)) << 32 | UInt64(Self.bigEndian32(raw, at + 4))
                }
                if offset >= 12, offset < UInt64(size) { offsets.append(offset) }
            }
            offsets.sort()
            offsets.append(UInt64(max(12, size - 20)))
            return offsets
        }
    }

    /// Reads `count` bytes at `offset` into `buffer` (which must hold them); false when the file is shorter.
    func readBytes(into buffer: UnsafeMutableRawPointer, count: Int, at offset: UInt64) -> Bool {
        readPrefix(into: buffer, upTo: count, at: offset) == count
    }

    /// Reads up to `count` bytes at `offset` into `buffer`; returns how many were read (fewer at the file's end or
    /// on an error).
    func readPrefix(into buffer: UnsafeMutableRawPointer, upTo count: Int, at offset: UInt64) -> Int {
        var done = 0
        while done < count {
            let n = pread(descriptor, buffer + done, count - done, off_t(offset) + off_t(done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        return done
    }
}
