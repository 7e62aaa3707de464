import GitRepository
import SystemSupport

/// Object ids in cache files: 20 raw bytes each (`ByteWriter`/`ByteReader` are SystemSupport's).
extension ByteWriter {
    mutating func ids(_ a: [ObjectID]) {
        bytes.reserveCapacity(bytes.count + a.count * 20)
        for id in a { id.appendRaw(to: &bytes) }
    }
}

extension ByteReader {
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
