import GitRepository
public import Hashing
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// How a history scan may keep what it learnt between runs (`scan --history` without `--no-cache`).
public struct HistoryCacheSettings: Sendable {
    /// Authenticates the cache file: the per-user key of the cache folder, or a key from
    /// `KEYWARDEN_CACHE_KEY` (CI). A file that does not check out is rebuilt, never trusted.
    public var seal: CacheSeal
    /// What the results depend on besides the rules and options: keywarden's version.
    public var toolVersion: String

    public init(seal: CacheSeal, toolVersion: String) {
        self.seal = seal
        self.toolVersion = toolVersion
    }
}

/// What a history scan remembers, per repository, per `--branch` and per rule set, in
/// `<git common dir>/keywarden/history-<identity>.cache` (``HistoryCacheStore``): the commits it walked (ids, trees, parents and their changes
/// against their first parent, as ids and paths) and, per unique blob, whether it was scanned, at which
/// paths, and where its findings were (rule, line, column). No secret value and no fingerprint: the few
/// blobs with findings are read and scanned again when the report is made.
///
/// The file starts with an identity (format, keywarden's version, the rules' digest, the options that
/// decide what is scanned), which also names the file: another rule set uses another file. It ends with an HMAC (``CacheSeal``), and it is
/// replaced atomically, so concurrent runs each see a whole file, and a damaged or forged one is rebuilt.
struct HistoryCache {
    static let formatVersion: UInt32 = 1
    static let magic = Array("KWHC".utf8)

    /// What is known about one blob.
    enum Status: UInt8 {
        /// Not known (never scanned, or it could not be read): scanned the next time.
        case unknown = 0
        case scanned = 1
        case binary = 2
        case tooLarge = 3
        case lfsPointer = 4
    }

    /// One finding's place (no value).
    struct Location: Equatable {
        var blob: Int32
        var path: Int32
        var rule: Int32
        var line: UInt32
        var column: UInt32
    }

    var snapshot: HistoryPlan.Snapshot
    /// Per blob of `snapshot.blobs`.
    var status: [Status]
    /// The paths (indices into `snapshot.paths`) each blob was scanned at: `scannedPaths[scannedStart[b]..<scannedStart[b + 1]]`.
    var scannedStart: [Int32]
    var scannedPaths: [Int32]
    var rules: [String]
    var findings: [Location]

    // MARK: identity and place

    /// The SHA-256 of everything besides the history that decides what a scan finds.
    static func identity(settings: HistoryCacheSettings, rulesDigest: String, options: ScanOptions, branch: String?) -> [UInt8] {
        let a = options.archives
        let text = "keywarden history cache \(formatVersion)\n\(settings.toolVersion)\n\(rulesDigest)\n"
            + "max-file-size \(options.maxFileSize)\ninclude-binary \(options.includeBinary)\nbranch \(branch ?? "")\n"
            + "archives \(a.depth) \(a.totalBytes) \(a.ratio) \(a.ratioFloor) \(a.memberBytes)\n"
        return Digest.sha256(Array(text.utf8))
    }

    /// `<common dir>/keywarden`, created `0700` when missing; an error message when it is not a folder of
    /// this user's (a symbolic link is refused) or cannot be made.
    static func folder(in commonDirectory: String) -> Result<String, CacheProblem> {
        let folder = (commonDirectory.hasSuffix("/") ? commonDirectory : commonDirectory + "/") + "keywarden"
        var info = stat()
        if lstat(folder, &info) != 0 {
            if mkdir(folder, 0o700) != 0, errno != EEXIST {
                return .failure(CacheProblem(message: "cannot create \(folder): \(SystemError.reason(errno))"))
            }
            guard lstat(folder, &info) == 0 else { return .failure(CacheProblem(message: "cannot read \(folder): \(SystemError.reason(errno))")) }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            return .failure(CacheProblem(message: "\(folder) is not a folder (a symbolic link is refused)"))
        }
        guard info.st_uid == geteuid() else { return .failure(CacheProblem(message: "\(folder) is owned by another user")) }
        return .success(folder)
    }

    struct CacheProblem: Error { let message: String }

    // MARK: encoding

    func encode(identity: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.bytes += Self.magic
        w.u32(Self.formatVersion)
        w.bytes += identity
        let s = snapshot
        w.u32(UInt32(s.commits.count))
        w.ids(s.commits); w.ids(s.trees); w.i32s(s.parentStart)
        w.u32(UInt32(s.parents.count)); w.ids(s.parents)
        w.i32s(s.firstParent); w.i32s(s.changeStart)
        w.u32(UInt32(s.changePath.count)); w.i32s(s.changePath); w.i32s(s.changeBlob)
        w.strings(s.paths)
        w.u32(UInt32(s.blobs.count)); w.ids(s.blobs)
        w.bytes += status.map(\.rawValue)
        w.i32s(scannedStart)
        w.u32(UInt32(scannedPaths.count)); w.i32s(scannedPaths)
        w.strings(rules)
        w.u32(UInt32(findings.count))
        for f in findings {
            w.i32(f.blob); w.i32(f.path); w.i32(f.rule); w.u32(f.line); w.u32(f.column)
        }
        return w.bytes
    }

    /// The cache in `bytes` when it is well-formed and made for `identity`; nil otherwise.
    static func decode(_ bytes: [UInt8], identity: [UInt8]) -> HistoryCache? {
        var r = ByteReader(bytes)
        guard r.take(4) == magic[...], r.u32() == formatVersion, let id = r.take(32), Array(id) == identity else { return nil }
        let n = Int(r.u32())
        let commits = r.ids(n), trees = r.ids(n), parentStart = r.i32s(n + 1)
        let parents = r.ids(Int(r.u32()))
        let firstParent = r.i32s(n), changeStart = r.i32s(n + 1)
        let m = Int(r.u32())
        let changePath = r.i32s(m), changeBlob = r.i32s(m)
        let paths = r.strings()
        let blobCount = Int(r.u32())
        let blobs = r.ids(blobCount)
        let status = (r.take(blobCount) ?? []).map { Status(rawValue: $0) ?? .unknown }
        let scannedStart = r.i32s(blobCount + 1)
        let scannedPaths = r.i32s(Int(r.u32()))
        let rules = r.strings()
        let f = Int(r.u32())
        var findings: [Location] = []
        if !r.failed, f <= bytes.count / 20 {
            findings.reserveCapacity(f)
            for _ in 0..<f { findings.append(Location(blob: r.i32(), path: r.i32(), rule: r.i32(), line: r.u32(), column: r.u32())) }
        }
        guard !r.failed, r.atEnd else { return nil }
        let snapshot = HistoryPlan.Snapshot(commits: commits, trees: trees, parentStart: parentStart, parents: parents,
                                            firstParent: firstParent, changeStart: changeStart, changePath: changePath,
                                            changeBlob: changeBlob, paths: paths, blobs: blobs)
        let cache = HistoryCache(snapshot: snapshot, status: status, scannedStart: scannedStart, scannedPaths: scannedPaths,
                                 rules: rules, findings: findings)
        return cache.isConsistent ? cache : nil
    }

    /// Every index in range (a file that passed its HMAC was still written by some keywarden: checked anyway).
    private var isConsistent: Bool {
        let blobCount = snapshot.blobs.count, pathCount = Int32(snapshot.paths.count)
        guard snapshot.isConsistent, status.count == blobCount, scannedStart.count == blobCount + 1, scannedStart.first == 0,
              Int(scannedStart[blobCount]) == scannedPaths.count else { return false }
        for b in 0..<blobCount where scannedStart[b] > scannedStart[b + 1] { return false }
        guard scannedPaths.allSatisfy({ $0 >= 0 && $0 < pathCount }) else { return false }
        return findings.allSatisfy {
            $0.blob >= 0 && Int($0.blob) < blobCount && $0.path >= 0 && $0.path < pathCount && $0.rule >= 0 && Int($0.rule) < rules.count
        }
    }
}

/// Little-endian writing of the cache's fields.
private struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    mutating func i32s(_ a: [Int32]) {
        bytes.reserveCapacity(bytes.count + a.count * 4)
        for v in a { i32(v) }
    }
    mutating func ids(_ a: [ObjectID]) {
        bytes.reserveCapacity(bytes.count + a.count * 20)
        for id in a { id.appendRaw(to: &bytes) }
    }
    mutating func strings(_ a: [String]) {
        u32(UInt32(a.count))
        for s in a { u32(UInt32(s.utf8.count)); bytes += s.utf8 }
    }
}

/// Reads what `ByteWriter` wrote; any shortfall sets `failed` and yields empty values.
private struct ByteReader {
    let bytes: [UInt8]
    var at = 0
    var failed = false

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { !failed && at == bytes.count }

    mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
        guard !failed, n >= 0, n <= bytes.count - at else { failed = true; return nil }
        defer { at += n }
        return bytes[at..<(at + n)]
    }

    mutating func u32() -> UInt32 {
        guard !failed, at + 4 <= bytes.count else { failed = true; return 0 }
        defer { at += 4 }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    mutating func i32() -> Int32 { Int32(bitPattern: u32()) }

    mutating func i32s(_ n: Int) -> [Int32] {
        guard !failed, n >= 0, n <= (bytes.count - at) / 4 else { failed = true; return [] }
        var out = [Int32](repeating: 0, count: n)
        bytes.withUnsafeBytes { raw in
            for i in 0..<n {
                let o = at + 4 * i
                out[i] = Int32(bitPattern: UInt32(raw[o]) | UInt32(raw[o + 1]) << 8 | UInt32(raw[o + 2]) << 16 | UInt32(raw[o + 3]) << 24)
            }
        }
        at += 4 * n
        return out
    }

    mutating func ids(_ n: Int) -> [ObjectID] {
        guard !failed, n >= 0, n <= (bytes.count - at) / 20 else { failed = true; return [] }
        var out: [ObjectID] = []
        out.reserveCapacity(n)
        bytes.withUnsafeBytes { raw in
            for i in 0..<n { out.append(ObjectID(rawBytes: UnsafeRawBufferPointer(rebasing: raw[(at + 20 * i)..<(at + 20 * i + 20)]))) }
        }
        at += 20 * n
        return out
    }

    mutating func strings() -> [String] {
        let n = Int(u32())
        guard !failed, n <= (bytes.count - at) / 4 else { failed = true; return [] }
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            let length = Int(u32())
            guard let slice = take(length) else { return [] }
            out.append(String(decoding: slice, as: UTF8.self))
        }
        return out
    }
}

extension HistoryCache {
    /// What a scan of `plan` learnt: each blob's status, the paths a scanned blob was scanned at (all of
    /// its paths), and where its findings are.
    init(plan: HistoryPlan, status: [Status], found: [(Int, String, [Finding])]) {
        snapshot = plan.snapshot
        self.status = status
        var pathIndex: [String: Int32] = [:]
        pathIndex.reserveCapacity(snapshot.paths.count)
        for (i, p) in snapshot.paths.enumerated() { pathIndex[p] = Int32(i) }
        scannedStart = [0]
        scannedStart.reserveCapacity(plan.blobs.count + 1)
        scannedPaths = []
        for (i, blob) in plan.blobs.enumerated() {
            if status[i] == .scanned { scannedPaths += blob.paths.compactMap { pathIndex[$0] } }
            scannedStart.append(Int32(scannedPaths.count))
        }
        var ruleIndex: [String: Int32] = [:]
        rules = []
        findings = []
        for (blob, path, list) in found {
            guard status[blob] == .scanned, let p = pathIndex[path] else { continue }
            for f in list {
                let r = ruleIndex[f.ruleID] ?? {
                    rules.append(f.ruleID)
                    ruleIndex[f.ruleID] = Int32(rules.count - 1)
                    return Int32(rules.count - 1)
                }()
                findings.append(Location(blob: Int32(blob), path: p, rule: r, line: UInt32(clamping: f.line), column: UInt32(clamping: f.column)))
            }
        }
    }
}

/// Which blobs of a plan a scan reads, and at which paths, given what the cache knows.
struct HistoryWork {
    /// Per blob of the plan: what is known (from the cache, then from this scan).
    var status: [HistoryCache.Status]
    /// The blobs to read (indices into the plan's blobs).
    var toRead: [Int] = []
    /// Blobs to scan at some of their paths only (the rest are known to hold nothing).
    var partial: [Int: [String]] = [:]
    /// Skip notes of blobs the cache knows are binary, too large or LFS pointers.
    var skippedBefore: [ScanNote] = []
    /// Blobs read only because they had findings (their report needs the values again).
    var rescans = 0
    /// Whether this scan reads anything the cache did not know.
    var learnt = false

    init(count: Int) { status = [HistoryCache.Status](repeating: .unknown, count: count) }

    /// Chooses the work for `blobs` given `previous`: a blob it knows is read only at the paths it was not
    /// scanned at and the paths where it had findings; one it knows as skipped is not read.
    mutating func plan(_ blobs: [HistoryBlob], from previous: HistoryCache) {
        var known: [ObjectID: Int32] = [:]
        known.reserveCapacity(previous.snapshot.blobs.count)
        for (i, id) in previous.snapshot.blobs.enumerated() { known[id] = Int32(i) }
        var pathIndex: [String: Int32] = [:]
        pathIndex.reserveCapacity(previous.snapshot.paths.count)
        for (i, p) in previous.snapshot.paths.enumerated() { pathIndex[p] = Int32(i) }
        var withFindings = Set<UInt64>()
        for f in previous.findings { withFindings.insert(UInt64(UInt32(f.blob)) << 32 | UInt64(UInt32(f.path))) }
        for (i, blob) in blobs.enumerated() {
            guard let b = known[blob.id] else { toRead.append(i); learnt = true; continue }
            let state = previous.status[Int(b)]
            switch state {
            case .unknown:
                toRead.append(i); learnt = true
            case .binary, .tooLarge, .lfsPointer:
                status[i] = state
                skippedBefore.append(ScanSession.historySkipNote(state, blob))
            case .scanned:
                status[i] = .scanned
                let scanned = previous.scannedPaths[Int(previous.scannedStart[Int(b)])..<Int(previous.scannedStart[Int(b) + 1])]
                var wanted: [String] = []
                var onlyFindings = true
                for path in blob.paths {
                    guard let p = pathIndex[path], scanned.contains(p) else { wanted.append(path); onlyFindings = false; continue }
                    if withFindings.contains(UInt64(UInt32(b)) << 32 | UInt64(UInt32(p))) { wanted.append(path) }
                }
                guard !wanted.isEmpty else { continue }
                toRead.append(i)
                if wanted.count < blob.paths.count { partial[i] = wanted }
                if onlyFindings { rescans += 1 } else { learnt = true }
            }
        }
    }
}
