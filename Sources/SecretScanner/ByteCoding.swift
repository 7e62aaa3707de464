import GitRepository

/// Little-endian writing of a cache file's fields (the history cache, the prefilter plan).
struct ByteWriter {
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
struct ByteReader {
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
