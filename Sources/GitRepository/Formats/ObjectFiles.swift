internal import CDeflate
internal import Foundation
internal import SystemSupport

/// Single objects read from a repository's object directory without libgit2: loose objects (one zlib file
/// each) and objects in pack files, found through each pack's index one id at a time. This is the reader of
/// the staged fast path, which reads a commit, the trees on the paths of the staged files and those files'
/// two versions: a few objects, where ``PackedObjects`` (which reads every pack's entry table up front for a
/// history scan) would cost more than the reads.
///
/// Like ``PackedObjectReader`` it answers only what it can answer exactly. An object it cannot find (an
/// alternate object directory, a pack whose index it cannot use, a promisor remote), one that does not
/// inflate to its declared size, a delta whose base is elsewhere, a loose object too large to inflate
/// within the limit: all are `unavailable`, and the caller reads the repository through libgit2 instead,
/// which reports any real problem in its own words. A hostile repository can make the read slower, never
/// wrong. Not shared between threads.
final class ObjectFiles {
    enum Outcome {
        /// The object's content.
        case read([UInt8])
        /// Its declared size, over the limit; its content was not inflated.
        case tooLarge(Int)
        /// Read it through libgit2 (see the type's comment).
        case unavailable
        /// Something a reader would block on (a FIFO, a device, a socket) where the object's file should be: an
        /// error, never handed to libgit2, which would block opening it.
        case damaged(String)
    }

    private let objectsDirectory: String
    private var packs: [PackFile]?
    private let decompressor: OpaquePointer?

    /// The longest delta chain followed (git's own maximum is 4,095).
    static let longestChain = 4_096

    init(objectsDirectory: String) {
        self.objectsDirectory = objectsDirectory
        decompressor = libdeflate_alloc_decompressor()
    }

    deinit { if let decompressor { libdeflate_free_decompressor(decompressor) } }

    /// Object `id`, which must be of `type` and at most `sizeLimit` bytes.
    func readObject(_ id: ObjectID, type: PackedObjectReader.ObjectType, sizeLimit: Int = .max) -> Outcome {
        guard decompressor != nil else { return .unavailable }
        switch readLoose(id, type: type, sizeLimit: sizeLimit) {
        case .some(let outcome): return outcome
        case .none: return readPacked(id, type: type, sizeLimit: sizeLimit)
        }
    }

    // MARK: loose objects

    /// The loose object `id`: nil when there is no such file (look in the packs), else what it holds.
    private func readLoose(_ id: ObjectID, type: PackedObjectReader.ObjectType, sizeLimit: Int) -> Outcome? {
        let hex = id.hex
        let path = objectsDirectory + "/" + hex.prefix(2) + "/" + hex.dropFirst(2)
        // A compressed file longer than deflate's worst case for the limit holds more than the limit (or is not
        // an object): its exact size is libgit2's to report.
        let limit = sizeLimit >= Int.max / 4 ? Int.max / 4 : sizeLimit
        guard let compressed = RegularFile.read(path, atMost: limit + limit / 16 + 1024 + 64, followLinks: false) else {
            if let kind = RegularFile.blockingKind(path) { return .damaged("the loose object \(path) is \(kind), not a file git wrote") }
            var info = stat()
            return lstat(path, &info) != 0 && errno == ENOENT ? nil : .unavailable
        }
        guard !compressed.isEmpty else { return .unavailable }
        let compressedSize = compressed.count
        // The object's header ("blob 123\0") is inside the compressed stream, so its size is known only once
        // inflated: the output grows until it holds the whole stream, up to the limit and its header.
        let most = limit > Int.max / 2 ? Int.max / 2 : limit + 64
        var capacity = min(max(compressedSize * 4, 4096), most)
        while true {
            var output = [UInt8](repeating: 0, count: capacity)
            var produced = 0
            let result = compressed.withUnsafeBytes { input in
                output.withUnsafeMutableBytes { out in
                    libdeflate_zlib_decompress(decompressor, input.baseAddress, input.count, out.baseAddress, out.count, &produced)
                }
            }
            if result == LIBDEFLATE_INSUFFICIENT_SPACE {
                guard capacity < most else { return .unavailable }
                capacity = capacity > most / 2 ? most : capacity * 2
                continue
            }
            guard result == LIBDEFLATE_SUCCESS else { return .unavailable }
            return Self.looseContent(output, count: produced, type: type, sizeLimit: sizeLimit)
        }
    }

    /// The content of an inflated loose object (`<type> <size>\0<content>`) when its header is well formed,
    /// names `type` and the size that follows.
    static func looseContent(_ bytes: [UInt8], count: Int, type: PackedObjectReader.ObjectType, sizeLimit: Int) -> Outcome {
        let word = Array(type.name.utf8)
        guard count > word.count + 2, bytes.starts(with: word), bytes[word.count] == 32 else { return .unavailable }
        var at = word.count + 1
        var size = 0
        var digits = 0
        while at < count, bytes[at] != 0 {
            let d = bytes[at]
            guard d >= 48, d <= 57, digits < 18, !(digits == 1 && size == 0) else { return .unavailable }
            size = size * 10 + Int(d - 48)
            digits += 1
            at += 1
        }
        guard digits > 0, at < count, size == count - at - 1 else { return .unavailable }
        if size > sizeLimit { return .tooLarge(size) }
        return .read(Array(bytes[(at + 1)..<count]))
    }

    // MARK: packed objects

    private func readPacked(_ id: ObjectID, type: PackedObjectReader.ObjectType, sizeLimit: Int) -> Outcome {
        if packs == nil { packs = PackFile.openAllForLookups(objectsDirectory: objectsDirectory) }
        for pack in packs ?? [] {
            if let offset = pack.offset(of: id) { return readEntry(in: pack, at: offset, type: type, sizeLimit: sizeLimit) }
        }
        return .unavailable
    }

    /// The object whose entry is at `offset` of `pack`: its chain of deltas followed down to a whole object,
    /// then applied from there up.
    private func readEntry(in pack: PackFile, at offset: UInt64, type: PackedObjectReader.ObjectType, sizeLimit: Int) -> Outcome {
        var chain: [(offset: UInt64, header: PackFile.EntryHeader)] = []
        var at = offset
        while true {
            guard chain.count < Self.longestChain, let header = pack.entryHeader(at: at) else { return .unavailable }
            chain.append((at, header))
            guard let base = header.base else { break }
            at = base
        }
        let root = chain.removeLast()
        guard root.header.type == type.rawValue else { return .unavailable }
        // Bases rebuilt on the way may be larger than the object wanted; beyond this, libgit2 reads it.
        let baseLimit = sizeLimit >= Int.max / 4 ? Int.max / 4 : max(sizeLimit * 2, 64 << 20)
        if chain.isEmpty, root.header.size > sizeLimit { return .tooLarge(root.header.size) }
        guard root.header.size <= baseLimit, var current = inflate(pack, root.offset, root.header) else { return .unavailable }
        while let next = chain.popLast() {
            guard next.header.size <= baseLimit, let delta = inflate(pack, next.offset, next.header) else { return .unavailable }
            let target = delta.withUnsafeBytes { PackedObjectReader.sizes($0)?.target }
            guard let target else { return .unavailable }
            if chain.isEmpty, target > sizeLimit { return .tooLarge(target) }
            guard target <= baseLimit else { return .unavailable }
            var rebuilt = [UInt8](repeating: 0, count: max(target, 1))
            let applied = delta.withUnsafeBytes { instructions in
                rebuilt.withUnsafeMutableBytes { out in
                    PackedObjectReader.apply(delta: instructions, to: current, into: out.baseAddress!, count: target)
                }
            }
            guard applied else { return .unavailable }
            if target == 0 { rebuilt = [] }
            current = rebuilt
        }
        return .read(current)
    }

    /// The inflated data of the entry at `offset` (whose header is `header`): exactly `header.size` bytes, or nil.
    private func inflate(_ pack: PackFile, _ offset: UInt64, _ header: PackFile.EntryHeader) -> [UInt8]? {
        let dataStart = offset + UInt64(header.length)
        let end = UInt64(max(12, pack.size - 20))
        guard dataStart < end else { return nil }
        // The entry's compressed length is not stored; deflate's worst case bounds it.
        let bound = min(UInt64(header.size) + UInt64(header.size / 16) + 1024, end - dataStart)
        var input = [UInt8](repeating: 0, count: Int(bound))
        let n = input.withUnsafeMutableBytes { pack.readPrefix(into: $0.baseAddress!, upTo: Int(bound), at: dataStart) }
        guard n > 0 else { return nil }
        var output = [UInt8](repeating: 0, count: max(header.size, 1))
        var consumed = 0
        let result = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { out in
                libdeflate_zlib_decompress_ex(decompressor, source.baseAddress, n, out.baseAddress, header.size, &consumed, nil)
            }
        }
        guard result == LIBDEFLATE_SUCCESS else { return nil }
        if header.size == 0 { output = [] }
        return output
    }
}
