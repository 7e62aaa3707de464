import FuzzSupport
import Foundation
@testable import GitRepository

/// The pack readers behind history scans, the reading order and the object reader: `.idx` files (fan-out,
/// names, 32- and 64-bit offsets) and the entries of `.pack` files (object type, size, OFS_DELTA distance,
/// REF_DELTA base, compressed data, deltas). Random bytes rarely make an index the reader accepts, so the input fills the fields of one:
///
///   byte 0       number of objects - 1 (mod 32)
///   2 per object the first and last byte of its id (ids are sorted and made distinct)
///   4 per object its offset (high bit: into the 64-bit table, whose 8-byte entries follow)
///   the rest     the pack file after its 12-byte header
///
/// The order must be a permutation of the ids asked for (every id, plus one that is in no pack), built either way
/// (the forest of their chains, or the ranks of every entry of the pack, which must number the entries). The staged
/// path's reader (``ObjectFiles``) reads the same ids one at a time: it must hand over no more than the limit,
/// and where both readers read an object they must agree byte for byte. The input is also taken as an
/// inflated loose object, whose header must never be trusted beyond its bytes.
let folder: String = {
    var template = Array((NSTemporaryDirectory() + "/keywarden-fuzz-pack-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { fatalError("mkdtemp") }
    let path = String(cString: made)
    try? FileManager.default.createDirectory(atPath: path + "/pack", withIntermediateDirectories: true)
    return path
}()

func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) {
    var input = Array(bytes)[...]
    func take(_ n: Int) -> [UInt8] {
        let part = Array(input.prefix(n))
        input = input.dropFirst(part.count)
        return part + [UInt8](repeating: 0, count: n - part.count)
    }
    let count = Int(take(1)[0] % 32) + 1
    var ids = Set<[UInt8]>()
    for _ in 0..<count {
        let ends = take(2)
        var id = [UInt8](repeating: 0, count: 20)
        id[0] = ends[0]; id[19] = ends[1]
        while ids.contains(id) { id[10] &+= 1 }
        ids.insert(id)
    }
    let names = ids.sorted { $0.lexicographicallyPrecedes($1) }
    var offsets = [UInt8](), large = [UInt8]()
    for _ in names {
        let offset = take(4)
        offsets += offset
        if offset[0] & 0x80 != 0 { large += take(8) }
    }
    var index: [UInt8] = [0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]
    for byte in 0..<256 {
        let n = UInt32(names.filter { Int($0[0]) <= byte }.count)
        index += [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
    }
    index += names.flatMap { $0 }
    index += [UInt8](repeating: 0, count: 4 * names.count)   // CRCs
    index += offsets + large
    index += [UInt8](repeating: 0, count: 40)                 // pack and index checksums
    let pack: [UInt8] = Array("PACK".utf8) + [0, 0, 0, 2, 0, 0, 0, UInt8(count)] + Array(input)
    FileManager.default.createFile(atPath: folder + "/pack/pack-fuzz.idx", contents: Data(index))
    FileManager.default.createFile(atPath: folder + "/pack/pack-fuzz.pack", contents: Data(pack))
    var wanted = names.map { id in id.withUnsafeBytes { ObjectID(bytes: $0) } }
    wanted.append([UInt8](repeating: 0xEE, count: 20).withUnsafeBytes { ObjectID(bytes: $0) })
    let order = PackOrder(objectsDirectory: folder).readingOrder(wanted)
    precondition(order.sorted() == Array(wanted.indices), "not a permutation of the ids")
    // The pack reader over the same pack, in that order and with a cache small enough to evict: it must
    // neither crash nor hand over more bytes than the limit, whatever the entries claim.
    let packs = PackedObjects(objectsDirectory: folder)
    // Every entry's rank, whatever the bases claim (cycles, bases that are no entry, itself): each pack's ranks
    // number its entries once each, and the order by them is a permutation too.
    for (p, ranks) in packs.readingRanks().enumerated() {
        precondition(ranks.count == packs.offsets[p].count - 1 && ranks.sorted() == (0..<Int32(ranks.count)).map { $0 },
                     "the ranks are not a numbering of the entries")
    }
    precondition(PackOrder(packs: packs).readingOrder(wanted).sorted() == Array(wanted.indices), "not a permutation of the ids (by ranks)")
    guard let reader = PackedObjectReader(packs, cacheLimit: 4096) else { return }
    for i in order {
        for type in [PackedObjectReader.ObjectType.blob, .tree] {
            var handed = 0
            let outcome = reader.withObject(wanted[i], type: type, sizeLimit: 1 << 16) { handed = $0.count }
            precondition(handed <= 1 << 16, "more than the size limit handed over")
            if case .read = outcome {} else { precondition(handed == 0, "bytes handed over without a read") }
        }
    }
    guard let fresh = PackedObjectReader(packs, cacheLimit: 4096) else { return }
    fuzzObjectFiles(wanted, fresh, input)
}

/// Called after the pack reader: the one-at-a-time reader over the same folder.
func fuzzObjectFiles(_ wanted: [ObjectID], _ packed: PackedObjectReader, _ input: ArraySlice<UInt8>) {
    let files = ObjectFiles(objectsDirectory: folder)
    for id in wanted {
        for type in [PackedObjectReader.ObjectType.blob, .tree] {
            guard case .read(let bytes) = files.readObject(id, type: type, sizeLimit: 1 << 16) else { continue }
            precondition(bytes.count <= 1 << 16, "ObjectFiles handed over more than the size limit")
            var other: [UInt8]?
            _ = packed.withObject(id, type: type, sizeLimit: 1 << 16) { other = Array($0) }
            if let other { precondition(other == bytes, "the two pack readers disagree") }
        }
    }
    let loose = Array(input)
    for type in [PackedObjectReader.ObjectType.blob, .commit] {
        if case .read(let content) = ObjectFiles.looseContent(loose, count: loose.count, type: type, sizeLimit: 1 << 16) {
            precondition(content.count < loose.count && content.count <= 1 << 16, "a loose object's content outgrew its bytes")
        }
    }
}

FuzzSupport.run(fuzzOne)
