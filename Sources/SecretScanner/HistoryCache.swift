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
