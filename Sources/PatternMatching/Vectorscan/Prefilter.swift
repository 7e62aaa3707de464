internal import CVectorscan
public import Foundation
import Hashing
import SystemSupport

/// Every pattern of a rule set compiled into one Vectorscan database in prefilter mode: one pass over the
/// input reports, for each pattern, the end offsets where it may match. Confirmation is the caller's job
/// (with `CompiledRegex` on a window around each offset).
///
/// Compiling a large set takes seconds, so the serialized database is cached on disk, keyed by the
/// patterns, the Vectorscan version and the CPU it was tuned for.
public final class Prefilter: @unchecked Sendable {
    // @unchecked: the database is immutable after init; Vectorscan allows concurrent scans of one
    // database as long as each thread has its own scratch.
    private let database: OpaquePointer?
    private let prototypeScratch: OpaquePointer?

    /// Patterns Vectorscan could not compile even in prefilter mode, by index, with its reason. The
    /// caller must treat these as "may match anywhere".
    public let unfiltered: [Int: String]
    /// How the database was obtained.
    public let origin: Origin
    /// Seconds spent compiling or loading the database.
    public let setupSeconds: Double

    public enum Origin: String, Sendable { case compiled, cache, empty }

    /// One pattern for the prefilter.
    public struct Pattern: Sendable, Hashable {
        public let expression: String
        public let caseless: Bool
        public init(_ expression: String, caseless: Bool = false) {
            self.expression = expression
            self.caseless = caseless
        }
    }

    /// Builds (or loads from `cacheDirectory`) the database for `patterns`.
    public convenience init(patterns: [Pattern], cacheDirectory: URL?) throws(PatternError) {
        try self.init(patterns: patterns, key: Self.cacheKey(patterns), cacheDirectory: cacheDirectory)
    }

    /// Builds (or loads from `cacheDirectory`) the database for `patterns`, whose `cacheKey` the caller has
    /// computed already (it must be `cacheKey(patterns)`).
    public init(patterns: [Pattern], key: String, cacheDirectory: URL?) throws(PatternError) {
        let start = DispatchTime.now().uptimeNanoseconds
        VectorscanMemory.install()
        let cacheFile = cacheDirectory?.appendingPathComponent(Self.cacheName(key))
        if let cacheFile, let cached = Self.load(cacheFile) {
            database = cached.db
            unfiltered = cached.unfiltered
            origin = .cache
        } else {
            var failed = [Int: String]()
            var db: OpaquePointer?
            var remaining = Array(patterns.indices)
            while !remaining.isEmpty {
                switch Self.compile(patterns, indices: remaining) {
                case .success(let compiled):
                    db = compiled
                    remaining = []
                case .failure(let index, let message):
                    guard let index else { throw PatternError(.engine, "Vectorscan: \(message)") }
                    failed[index] = message
                    remaining.removeAll { $0 == index }
                }
            }
            database = db
            unfiltered = failed
            origin = db == nil ? .empty : .compiled
            if let cacheFile, let db { Self.store(db, unfiltered: failed, to: cacheFile) }
        }
        var scratch: OpaquePointer?
        if let database {
            guard hs_alloc_scratch(database, &scratch) == HS_SUCCESS else {
                hs_free_database(database)
                throw PatternError(.engine, "Vectorscan: cannot allocate scratch space")
            }
        }
        prototypeScratch = scratch
        setupSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The database cached under `key` in `cacheDirectory` (a key `cacheKey` gave for some patterns), nil
    /// when there is none that checks out: loaded before the patterns are known, by a caller that checks
    /// the key of its patterns before it uses the database.
    public init?(cachedKey key: String, cacheDirectory: URL) {
        let start = DispatchTime.now().uptimeNanoseconds
        VectorscanMemory.install()
        guard Hex.decode(key) != nil, let cached = Self.load(cacheDirectory.appendingPathComponent(Self.cacheName(key))) else { return nil }
        var scratch: OpaquePointer?
        guard hs_alloc_scratch(cached.db, &scratch) == HS_SUCCESS else {
            hs_free_database(cached.db)
            return nil
        }
        database = cached.db
        unfiltered = cached.unfiltered
        origin = .cache
        prototypeScratch = scratch
        setupSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    deinit {
        if let prototypeScratch { hs_free_scratch(prototypeScratch) }
        if let database { hs_free_database(database) }
    }

    /// A scratch area for one worker thread.
    public func makeScratch() -> PrefilterScratch {
        var clone: OpaquePointer?
        if let prototypeScratch { _ = hs_clone_scratch(prototypeScratch, &clone) }
        return PrefilterScratch(raw: clone)
    }

    /// Scans `bytes` once; `onCandidate(patternIndex, endOffset)` is called for every prefilter hit,
    /// in ascending order of end offset.
    public func scan(_ bytes: UnsafeRawBufferPointer, scratch: PrefilterScratch,
                     onCandidate: (Int, Int) -> Void) throws(PatternError) {
        guard let database, let raw = scratch.raw, let start = bytes.baseAddress, !bytes.isEmpty else { return }
        // Vectorscan takes a 32-bit length; callers keep inputs under 4 GiB (ScanOptions.largestInput).
        guard let length = UInt32(exactly: bytes.count) else {
            throw PatternError(.engine, "an input of \(bytes.count) bytes is larger than the 4 GiB Vectorscan can scan at once")
        }
        try withoutActuallyEscaping(onCandidate) { (callback) throws(PatternError) in
            var box = CallbackBox(call: callback)
            let rc = withUnsafeMutablePointer(to: &box) { ctx in
                hs_scan(database, start.assumingMemoryBound(to: CChar.self), length, 0, raw,
                        { id, _, to, _, context in
                            // Without its context the callback cannot report: stop the scan (an error below).
                            guard let context else { return 1 }
                            context.assumingMemoryBound(to: CallbackBox.self).pointee.call(Int(id), Int(to))
                            return 0
                        }, ctx)
            }
            guard rc == HS_SUCCESS else { throw PatternError(.engine, "Vectorscan scan failed (\(rc))") }
        }
    }

    /// The Vectorscan library version.
    public static var engineVersion: String { hs_version().map { String(cString: $0) } ?? "unknown" }

    private struct CallbackBox {
        let call: (Int, Int) -> Void
    }

    private enum CompileResult {
        case success(OpaquePointer?)
        case failure(index: Int?, message: String)
    }

    private static func compile(_ patterns: [Pattern], indices: [Int]) -> CompileResult {
        let expressions = indices.map { strdup(patterns[$0].expression) }
        defer { expressions.forEach { free($0) } }
        let flags = indices.map { UInt32(HS_FLAG_PREFILTER) | (patterns[$0].caseless ? UInt32(HS_FLAG_CASELESS) : 0) }
        let ids = indices.map { UInt32($0) }
        var db: OpaquePointer?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let rc = expressions.map { UnsafePointer($0) }.withUnsafeBufferPointer { exprs in
            hs_compile_multi(exprs.baseAddress, flags, ids, UInt32(indices.count), UInt32(HS_MODE_BLOCK), nil, &db, &error)
        }
        if rc == HS_SUCCESS { return .success(db) }
        let message = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "compile error \(rc)"
        let position = error.map { Int($0.pointee.expression) } ?? -1
        if let error { hs_free_compile_error(error) }
        return .failure(index: position >= 0 && position < indices.count ? indices[position] : nil, message: message)
    }

    private static func cacheName(_ key: String) -> String { "prefilter-\(key).db" }

    /// The name of the database of `patterns` in the cache: a digest of the patterns, the Vectorscan version
    /// and the CPU it is tuned for.
    public static func cacheKey(_ patterns: [Pattern]) -> String {
        var platform = hs_platform_info_t()
        _ = hs_populate_platform(&platform)
        // The same text as ever (so existing caches stay valid), assembled as bytes: string interpolation of
        // every pattern cost a one-file scan about 0.7 ms of start-up.
        var text = Array("keywarden-prefilter-2\n\(engineVersion)\n\(platform.tune)/\(platform.cpu_features)\n".utf8)
        text.reserveCapacity(text.count + patterns.reduce(0) { $0 + $1.expression.utf8.count + 16 })
        for p in patterns {
            text.append(p.caseless ? 0x69 : 0x2D)
            text += String(p.expression.utf8.count).utf8
            text.append(0x3A)
            text += p.expression.utf8
            text.append(0x0A)
        }
        return String(Hex.encode(Digest.sha256(text)).prefix(32))
    }

    // Cache file layout: "KWPF2\n", one line "index<TAB>reason" per unfiltered pattern, an empty line,
    // then the serialized database. Plain text so that loading needs no decoder.
    private static let magic = Array("KWPF2\n".utf8)

    private static func store(_ db: OpaquePointer, unfiltered: [Int: String], to file: URL) {
        var bytes: UnsafeMutablePointer<CChar>?
        var length = 0
        guard hs_serialize_database(db, &bytes, &length) == HS_SUCCESS, let bytes else { return }
        defer { free(bytes) }
        var data = Data(magic)
        for (index, reason) in unfiltered.sorted(by: { $0.key < $1.key }) {
            let clean = reason.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
            data.append(Data("\(index)\t\(clean)\n".utf8))
        }
        data.append(0x0A)
        data.append(Data(bytes: bytes, count: length))
        // A cache that cannot be written only costs the next run a compile. The file carries an HMAC
        // (CacheFolder): a database is bytecode Vectorscan runs, so only one this user's keywarden wrote
        // is ever loaded.
        CacheFolder.trusted(file.deletingLastPathComponent().path)?.write(file.lastPathComponent, [UInt8](data))
    }

    private static func load(_ file: URL) -> (db: OpaquePointer, unfiltered: [Int: String])? {
        // Read, never mapped: a file truncated meanwhile cannot raise SIGBUS, and the HMAC covers it all.
        guard let bytes = CacheFolder.trusted(file.deletingLastPathComponent().path)?.read(file.lastPathComponent),
              bytes.count > magic.count else { return nil }
        return bytes.withUnsafeBytes { data -> (db: OpaquePointer, unfiltered: [Int: String])? in
            guard data.starts(with: magic) else { return nil }
            var unfiltered = [Int: String]()
            var cursor = magic.count
            while true {
                guard cursor < data.count, let nl = data[cursor...].firstIndex(of: 0x0A) else { return nil }
                if nl == cursor {
                    cursor = nl + 1
                    break
                }
                let line = String(decoding: UnsafeRawBufferPointer(rebasing: data[cursor..<nl]), as: UTF8.self)
                let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
                guard parts.count == 2, let index = Int(parts[0]) else { return nil }
                unfiltered[index] = parts[1]
                cursor = nl + 1
            }
            guard cursor < data.count, let base = data.baseAddress else { return nil }
            var db: OpaquePointer?
            let rc = hs_deserialize_database((base + cursor).assumingMemoryBound(to: CChar.self), data.count - cursor, &db)
            guard rc == HS_SUCCESS, let db else { return nil }
            return (db, unfiltered)
        }
    }
}

/// Per-worker Vectorscan scratch space. Not shareable between threads.
public final class PrefilterScratch {
    fileprivate let raw: OpaquePointer?
    fileprivate init(raw: OpaquePointer?) { self.raw = raw }
    deinit { if let raw { hs_free_scratch(raw) } }
}

/// Where Vectorscan keeps its databases: a large block (a database is megabytes, and Vectorscan writes all of
/// it when it loads one) is mapped with its pages populated at once, instead of taking a page fault for each
/// of its pages as it is first written (the database's 500 or so faults were about 0.4 ms of a one-file
/// scan's start-up); small blocks come from malloc. Each block is preceded by a header saying how to free
/// it. (Scratch space keeps Vectorscan's own allocator: a scan need not touch all of it.)
enum VectorscanMemory {
    /// Installed once, before Vectorscan allocates any database (every one goes through here).
    static func install() { _ = installed }

    private static let installed: Void = { _ = hs_set_database_allocator(allocate, release) }()

    /// Blocks from this size on are mapped.
    static let mappedFrom = 256 << 10
    /// The header before each block: its kind (0 malloc, 1 mapped), then for a mapped one its length.
    static let header = 64

    static let allocate: @convention(c) (Int) -> UnsafeMutableRawPointer? = { size in
        let (total, overflow) = size.addingReportingOverflow(VectorscanMemory.header)
        guard !overflow else { return nil }
        if size < VectorscanMemory.mappedFrom {
            guard let raw = malloc(total) else { return nil }
            raw.storeBytes(of: 0, as: Int.self)
            return raw + VectorscanMemory.header
        }
        let mapped = mmap(nil, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0)
        guard let raw = mapped, raw != MAP_FAILED else { return nil }
        raw.storeBytes(of: 1, as: Int.self)
        raw.storeBytes(of: total, toByteOffset: MemoryLayout<Int>.size, as: Int.self)
        return raw + VectorscanMemory.header
    }

    static let release: @convention(c) (UnsafeMutableRawPointer?) -> Void = { pointer in
        guard let pointer else { return }
        let raw = pointer - VectorscanMemory.header
        if raw.load(as: Int.self) == 1 {
            munmap(raw, raw.load(fromByteOffset: MemoryLayout<Int>.size, as: Int.self))
        } else {
            free(raw)
        }
    }
}
