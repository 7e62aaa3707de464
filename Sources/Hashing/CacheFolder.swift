#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
public import SystemSupport
import Synchronization

/// The cache folder (compiled rules, the prefilter database), trusted only as far as it can be checked:
/// the folder is created `0700` and used only when it is owned by the user and not writable by group or
/// others; every file is read with `O_NOFOLLOW` and only when regular, and ends in an HMAC-SHA256 of its
/// contents under a per-user key kept in the folder (`.key`, `0600`). A file that fails any check is
/// treated as absent (and rebuilt); a folder that fails is not used at all, with one warning. Files are
/// read into memory, never mapped, so a file truncated meanwhile cannot raise SIGBUS.
public struct CacheFolder: Sendable {
    public let path: String
    let key: [UInt8]

    /// Why a folder is not used.
    public struct Distrust: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Warnings not yet reported, and whether each kind was already raised (once per process each).
    private static let pending = Mutex<(notes: [String], distrusted: Bool, unwritable: Bool, notRegular: Set<String>)>(([], false, false, []))

    /// The cache folder's warnings not yet reported (a folder that is not trusted, one that cannot be
    /// written), each raised once per process; whoever takes them reports them: a scan puts them in its
    /// summary (and the JSON `summary.warnings`), other commands print them when they end.
    public static func takeWarnings() -> [String] {
        pending.withLock { state in
            defer { state.notes = [] }
            return state.notes
        }
    }

    /// The cache folder at `path` (created when missing), or nil with a warning (``takeWarnings()``, once
    /// per process) when it cannot be trusted.
    public static func trusted(_ path: String) -> CacheFolder? {
        switch open(path) {
        case .success(let folder): return folder
        case .failure(let distrust):
            pending.withLock { state in
                guard !state.distrusted else { return }
                state.distrusted = true
                state.notes.append("\(distrust.description) (working without a cache)")
            }
            return nil
        }
    }

    /// Opens (creating it when missing) the cache folder at `path`.
    public static func open(_ path: String) -> Result<CacheFolder, Distrust> {
        func distrust(_ why: String) -> Result<CacheFolder, Distrust> {
            .failure(Distrust(description: "the cache folder \(path) is not used: \(why)"))
        }
        var info = stat()
        if lstat(path, &info) != 0 {
            // Parents as usual; the folder itself private.
            var parent = ""
            for part in path.split(separator: "/").dropLast() {
                parent += "/" + part
                if mkdir(parent, 0o755) != 0, errno != EEXIST { break }
            }
            if mkdir(path, 0o700) != 0, errno != EEXIST { return distrust("cannot create it: \(SystemError.reason(errno))") }
            guard lstat(path, &info) == 0 else { return distrust(SystemError.reason(errno)) }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { return distrust("it is not a folder (a symbolic link is refused)") }
        guard info.st_uid == geteuid() else { return distrust("it is owned by another user (uid \(info.st_uid))") }
        guard info.st_mode & 0o022 == 0 else { return distrust("group or others can write to it (chmod 700 it)") }
        let keyFile = path + "/.key"
        if let key = readRegular(keyFile), key.count == 32 {
            return .success(CacheFolder(path: path, key: key))
        }
        // Anything but a regular file there (a FIFO would have hung the open): replaced by a fresh key.
        warnIfNotRegular(keyFile)
        var fresh = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in fresh.indices { fresh[i] = UInt8.random(in: 0...255, using: &generator) }
        do {
            try AtomicFile.write(fresh, to: keyFile, options: AtomicFile.Options(mode: .exactly(0o600)))
        } catch {
            return distrust("cannot write its key: \(error.message)")
        }
        // Another process may have won the race: use what is on disk.
        guard let key = readRegular(keyFile), key.count == 32 else { return distrust("cannot read its key") }
        return .success(CacheFolder(path: path, key: key))
    }

    /// This folder's key as a seal, for authenticated files kept elsewhere (a repository's history cache).
    public var seal: CacheSeal { CacheSeal(key: key) }

    /// The contents of `name` when it is a regular file whose HMAC checks out; nil otherwise.
    /// Anything else at that path (a FIFO, a link, a folder) is not used, with a warning (``takeWarnings()``):
    /// the next ``write(_:_:)`` replaces it.
    ///
    /// The HMAC of a file this user's keywarden has checked before is not worked out again (the database and the
    /// rules are 3 MB, about 2 ms of every start): a file whose device, inode, size, modification and change times
    /// are still those recorded in the folder's sealed `.verified` list after a full check is the file that was
    /// checked. Writing a file's bytes or replacing it changes its change time or inode, and the change time
    /// cannot be set back by anyone but the system's administrator; a file is recorded only once its change time
    /// is over a second old, so that a change within the same clock tick cannot go unseen, and only on a file
    /// system that keeps change times (``keepsChangeTimes``).
    public func read(_ name: String) -> [UInt8]? { readTelling(name).bytes }

    /// ``read(_:)``, and whether the file's HMAC was worked out (false: its stamp was in the list) (for tests).
    func readTelling(_ name: String) -> (bytes: [UInt8]?, fullCheck: Bool) {
        guard !name.contains("/") else { return (nil, false) }
        let file = path + "/" + name
        var before: FileStamp?
        guard var bytes = Self.readRegular(file, markUsedAfter: Self.usedMarkInterval, stamp: &before) else {
            Self.warnIfNotRegular(file)
            return (nil, false)
        }
        // Stamped when it was open (after its use was marked) and again now: the same file, not changed meanwhile.
        let stamp = before.flatMap { $0 == FileStamp(path: file) ? $0 : nil }
        if let stamp, bytes.count >= Digest.sha256Length, keepsChangeTimes, verifiedList().stamp(of: name) == stamp {
            bytes.removeLast(Digest.sha256Length)
            return (bytes, false)
        }
        guard Self.checked(&bytes, name: name, key: key) else { return (nil, true) }
        if let stamp, stamp.isSettled, keepsChangeTimes { recordVerified(name, stamp) }
        return (bytes, true)
    }

    /// Whether the folder is on a file system known to set a file's change time on every change to it, which
    /// is what makes a stamp trustworthy: ext2/3/4, XFS, Btrfs, tmpfs, overlayfs, ZFS, F2FS. Elsewhere (FAT keeps
    /// a creation time, network file systems cache attributes) every file is checked in full, as before.
    var keepsChangeTimes: Bool {
        if let known = Self.changeTimeFolders.withLock({ $0[path] }) { return known }
        let kinds: Set<Int64> = [0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994, 0x794C_7630, 0x2FC1_2FC1, 0xF2F5_2010]
        let keeps = FileSystem.type(of: path).map { kinds.contains($0) } ?? false
        Self.changeTimeFolders.withLock { $0[path] = keeps }
        return keeps
    }

    private static let changeTimeFolders = Mutex<[String: Bool]>([:])

    /// Where a file is and when it last changed: equal stamps of a file still open or just read mean the same
    /// bytes as when it was stamped.
    struct FileStamp: Equatable {
        let device: UInt64, inode: UInt64, size: Int64
        let modified: Int64, changed: Int64   // nanoseconds since 1970

        init(_ info: stat) {
            device = UInt64(info.st_dev); inode = UInt64(info.st_ino); size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        }

        init?(path: String) {
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
            self.init(info)
        }

        /// The stamp written as ``line``: five decimal numbers (a sign allowed) separated by spaces, as
        /// `UInt64(_:)` and `Int64(_:)` read them.
        init?(line: UnsafeRawBufferPointer) {
            var fields = [Int64](), end = 0
            fields.reserveCapacity(5)
            while true {
                while end < line.count, line[end] == 0x20 { end += 1 }
                guard end < line.count else { break }
                guard fields.count < 5, let (value, next) = Self.number(line, from: end, unsigned: fields.count < 2) else { return nil }
                fields.append(value)
                end = next
            }
            guard fields.count == 5 else { return nil }
            device = UInt64(bitPattern: fields[0]); inode = UInt64(bitPattern: fields[1]); size = fields[2]
            modified = fields[3]; changed = fields[4]
        }

        /// The number at `start` of `line` up to the next space or the end (a `UInt64`'s bits when `unsigned`),
        /// and where it ends; nil when that is not a number of that type.
        private static func number(_ line: UnsafeRawBufferPointer, from start: Int, unsigned: Bool) -> (Int64, Int)? {
            var i = start
            let negative = line[i] == 0x2D
            if negative || line[i] == 0x2B { i += 1 }
            let digits = i
            var magnitude: UInt64 = 0
            while i < line.count, line[i] != 0x20 {
                let digit = line[i] &- 0x30
                guard digit < 10 else { return nil }
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
                guard !o1, !o2 else { return nil }
                magnitude = sum
                i += 1
            }
            guard i > digits else { return nil }
            switch (unsigned, negative) {
            case (true, false): return (Int64(bitPattern: magnitude), i)
            case (true, true): return magnitude == 0 ? (0, i) : nil
            case (false, false): return magnitude <= UInt64(Int64.max) ? (Int64(magnitude), i) : nil
            case (false, true): return magnitude <= UInt64(Int64.max) + 1 ? (Int64(truncatingIfNeeded: 0 &- magnitude), i) : nil
            }
        }

        var line: String { "\(device) \(inode) \(size) \(modified) \(changed)" }

        /// Changed over a second ago (coarse clocks give writes within one tick the same change time).
        var isSettled: Bool {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - changed > 1_000_000_000
        }
    }

    /// The name of the sealed list of checked files' stamps (not a cache file: never pruned).
    static let verifiedName = ".verified"

    /// The folder's sealed list of checked files as read: lines `name<TAB>stamp` (``FileStamp/line``). Kept as
    /// bytes and searched for the names asked about: a folder of a few hundred files made parsing the whole
    /// list into a dictionary about 2 ms of every start-up, for the few names a run reads.
    struct VerifiedList: Sendable {
        let text: [UInt8]

        /// The stamp recorded for `name` (the last one, should a name have more than one line); names are
        /// compared byte for byte.
        func stamp(of name: String) -> FileStamp? {
            let key = Array(name.utf8)
            // Such a name cannot begin a line: its line would hold a tab before the stamp, or be two lines.
            guard !key.contains(0x09), !key.contains(0x0A) else { return nil }
            var found: FileStamp?
            forEachLine { line in
                guard line.count > key.count, line[key.count] == 0x09,
                      key.withUnsafeBytes({ $0.elementsEqual(UnsafeRawBufferPointer(rebasing: line[..<key.count])) }) else { return }
                if let stamp = FileStamp(line: UnsafeRawBufferPointer(rebasing: line[(key.count + 1)...])) { found = stamp }
            }
            return found
        }

        /// Every name and its stamp (lines without a tab or a readable stamp are skipped).
        var entries: [String: FileStamp] {
            var table: [String: FileStamp] = [:]
            forEachLine { line in
                guard let tab = line.firstIndex(of: 0x09),
                      let stamp = FileStamp(line: UnsafeRawBufferPointer(rebasing: line[(tab + 1)...])) else { return }
                table[String(decoding: UnsafeRawBufferPointer(rebasing: line[..<tab]), as: UTF8.self)] = stamp
            }
            return table
        }

        /// Calls `body` with each line, without its newline (empty lines skipped).
        private func forEachLine(_ body: (UnsafeRawBufferPointer) -> Void) {
            text.withUnsafeBytes { all in
                guard let base = all.baseAddress else { return }
                var start = 0
                while start < all.count {
                    let end = memchr(base + start, 0x0A, all.count - start).map { UnsafeRawPointer($0) - base } ?? all.count
                    if end > start { body(UnsafeRawBufferPointer(rebasing: all[start..<end])) }
                    start = end + 1
                }
            }
        }
    }

    /// This folder's list of checked files (read once per process; empty when absent or when its HMAC fails).
    func verifiedList() -> VerifiedList {
        if let known = Self.verified.withLock({ $0[path] }) { return known }
        var list = VerifiedList(text: [])
        if var bytes = Self.readRegular(path + "/" + Self.verifiedName), Self.checked(&bytes, name: Self.verifiedName, key: key) {
            list = VerifiedList(text: bytes)
        }
        Self.verified.withLock { $0[path] = list }
        return list
    }

    /// Adds `name`'s stamp to the list (entries of files no longer there are dropped). Best effort: a list that
    /// cannot be written only costs later runs the full check.
    private func recordVerified(_ name: String, _ stamp: FileStamp) {
        var table = verifiedList().entries
        table[name] = stamp
        table = table.filter { FileStamp(path: path + "/" + $0.key) != nil }
        let text = Array(table.keys.sorted().map { "\($0)\t\(table[$0]!.line)\n" }.joined().utf8)
        Self.verified.withLock { $0[path] = VerifiedList(text: text) }
        try? AtomicFile.write(Self.tagged(text, name: Self.verifiedName, key: key), to: path + "/" + Self.verifiedName,
                              options: AtomicFile.Options(mode: .exactly(0o600)))
    }

    /// The lists read so far, by folder.
    private static let verified = Mutex<[String: VerifiedList]>([:])

    /// Drops this process's copy of the folder's list, so that the next read reads it from the folder again.
    func forgetVerified() {
        _ = Self.verified.withLock { $0.removeValue(forKey: path) }
    }

    /// A file read from the folder whose modification time is older than this is given the current time: its
    /// time says when it was last used (a day's precision is enough), which is what ``prune`` goes by.
    static let usedMarkInterval: Int = 24 * 3600
    /// Files not used for this long are removed when a new file is written (a rule set of an older release, a
    /// rule file edited since).
    public static let unusedLifetime: Int = 30 * 24 * 3600
    /// When the folder's files together are larger than this, the least recently used are removed (a rule
    /// file edited many times in a day leaves a prefilter database of about 2 MB each time).
    public static let sizeLimit: Int = 256 << 20

    /// Removes the cache files not used for `unusedLifetime` seconds, then, while the rest take more than
    /// `sizeLimit` bytes, the least recently used, never `keeping` (the file just written). Returns the names
    /// removed. Only keywarden's own files are touched: regular files of mode `0600` named as keywarden names
    /// them (``isCacheFileName(_:)``), so a folder given in `KEYWARDEN_CACHE_DIR` that holds other files loses
    /// none of them (nor the key, nor a writer's temporary). Called after each write: a write follows a rule
    /// change, so the folder is read about that often. A file another run is reading stays readable by it (it
    /// is open); the next run that wants it compiles again.
    @discardableResult
    public func prune(keeping: String, now: Int? = nil, unusedLifetime: Int = CacheFolder.unusedLifetime,
                      sizeLimit: Int = CacheFolder.sizeLimit) -> [String] {
        let now = now ?? Int(time(nil))
        guard let dir = opendir(path) else { return [] }
        var files: [(name: String, used: Int, size: Int)] = []
        while let entry = readdir(dir) {
            let name = DirectoryEntry.name(entry)
            guard Self.isCacheFileName(name), name != keeping else { continue }
            var info = stat()
            guard lstat(path + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o777 == 0o600 else { continue }
            files.append((name, Int(info.st_mtim.tv_sec), Int(info.st_size)))
        }
        closedir(dir)
        var removed = [String]()
        var kept = [(name: String, used: Int, size: Int)]()
        for file in files {
            if now - file.used > unusedLifetime, unlink(path + "/" + file.name) == 0 { removed.append(file.name) } else { kept.append(file) }
        }
        var total = kept.reduce(Self.size(path + "/" + keeping) ?? 0) { $0 + $1.size }
        for file in kept.sorted(by: { $0.used < $1.used }) where total > sizeLimit {
            if unlink(path + "/" + file.name) == 0 { removed.append(file.name); total -= file.size }
        }
        return removed
    }

    /// The names keywarden gives the files it writes here: `prefilter-<hex>.db` (a matching database),
    /// `prefilter-for-<hex>` (which database a rule source used last), `rules-<hex>-v<digits>.bin` (decoded rules)
    /// and `plan-<hex>-v<digits>.bin` (the built-in rules' prefilter plan, per build).
    public static func isCacheFileName(_ name: String) -> Bool {
        func hex(_ s: Substring) -> Bool { !s.isEmpty && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) } }
        if name.hasPrefix("prefilter-for-") { return hex(name.dropFirst(14)) }
        if name.hasPrefix("prefilter-"), name.hasSuffix(".db") { return hex(name.dropFirst(10).dropLast(3)) }
        if let prefix = ["rules-", "plan-"].first(where: { name.hasPrefix($0) }), name.hasSuffix(".bin") {
            let body = name.dropFirst(prefix.count).dropLast(4)   // <hex>-v<digits>
            guard let dash = body.lastIndex(of: "-") else { return false }
            let version = body[body.index(after: dash)...]
            return hex(body[..<dash]) && version.first == "v" && version.count > 1
                && version.dropFirst().utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        }
        return false
    }

    private static func size(_ file: String) -> Int? {
        var info = stat()
        return lstat(file, &info) == 0 ? Int(info.st_size) : nil
    }

    /// A warning (once per file and process) when `file` exists but is not a regular file.
    static func warnIfNotRegular(_ file: String) {
        guard let kind = RegularFile.notRegularKind(file) else { return }
        let note = "the cache file \(file) is \(kind), not a regular file: not used (it is replaced by a rebuilt one)"
        pending.withLock { state in
            guard !state.notRegular.contains(file) else { return }
            state.notRegular.insert(file)
            state.notes.append(note)
        }
    }

    /// Whether the last 32 bytes of `bytes` are the HMAC of `name` and the rest; when they are, they are
    /// removed. In place: the prefilter database is over a megabyte, and each copy of it cost page faults.
    static func checked(_ bytes: inout [UInt8], name: String, key: [UInt8]) -> Bool {
        guard bytes.count >= Digest.sha256Length else { return false }
        let payloadCount = bytes.count - Digest.sha256Length
        let nameBytes = Array(name.utf8) + [0]
        let good = bytes.withUnsafeBytes { raw in
            nameBytes.withUnsafeBytes { n in
                let mac = Digest.hmacSHA256(key: key, parts: [n, UnsafeRawBufferPointer(rebasing: raw[..<payloadCount])])
                return Digest.constantTimeEqual(mac, UnsafeRawBufferPointer(rebasing: raw[payloadCount...]))
            }
        }
        guard good else { return false }
        bytes.removeLast(Digest.sha256Length)
        return true
    }

    /// Stores `bytes` as `name` with its HMAC (`0600`, atomically, through a fresh exclusive temporary file).
    /// A cache that cannot be written costs every run a rebuild: that is a warning (once per process).
    public func write(_ name: String, _ bytes: [UInt8]) {
        guard !name.contains("/") else { return }
        do {
            try AtomicFile.write(Self.tagged(bytes, name: name, key: key), to: path + "/" + name,
                                 options: AtomicFile.Options(mode: .exactly(0o600)))
            prune(keeping: name)
        } catch {
            let reason = error.reason
            let folder = path
            Self.pending.withLock { state in
                guard !state.unwritable else { return }
                state.unwritable = true
                state.notes.append("the cache folder \(folder) cannot be written (\(reason)): the rules are compiled again on every run "
                                   + "until it can (make it writable, or point KEYWARDEN_CACHE_DIR at a folder that is)")
            }
        }
    }

    /// `bytes` followed by the HMAC of `name` and `bytes`: the name is covered too, so a valid file cannot be
    /// renamed to another key.
    static func tagged(_ bytes: [UInt8], name: String, key: [UInt8]) -> [UInt8] {
        let nameBytes = Array(name.utf8) + [0]
        let mac = bytes.withUnsafeBytes { raw in
            nameBytes.withUnsafeBytes { n in Digest.hmacSHA256(key: key, parts: [n, raw]) }
        }
        return bytes + mac
    }

    /// Buffers from this size on are populated before the file is read into them (`FreshMemory`): the
    /// prefilter database is megabytes, and its 500 or so page faults were about a quarter of a millisecond of
    /// a one-file scan's start-up.
    static let prefaultFrom = FreshMemory.populateFrom

    /// A regular file's bytes (``RegularFile``: never through a link, never blocking on a FIFO), under 1 GiB.
    /// With `markUsedAfter`, a file whose modification time is older than that many seconds is given the current
    /// time when it is opened (``prune`` keeps what is used).
    static func readRegular(_ file: String, markUsedAfter: Int? = nil) -> [UInt8]? {
        var unused: FileStamp?
        return readRegular(file, markUsedAfter: markUsedAfter, stamp: &unused)
    }

    /// `readRegular(_:markUsedAfter:)`, giving the open file's stamp (taken after its use was marked).
    static func readRegular(_ file: String, markUsedAfter: Int?, stamp: inout FileStamp?) -> [UInt8]? {
        var taken: FileStamp?
        let bytes = RegularFile.read(file, atMost: (1 << 30) - 1, followLinks: false) { fd, modified in
            if let markUsedAfter, Int(time(nil)) - modified > markUsedAfter {
                // Best effort: a folder on a read-only mount keeps its times, and nothing is pruned there either.
                _ = futimens(fd, nil)
            }
            var info = stat()
            if fstat(fd, &info) == 0 { taken = FileStamp(info) }
        }
        stamp = taken
        return bytes
    }
}

private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}

/// Authenticates cache files kept outside the cache folder: a file is its payload followed by the
/// HMAC-SHA256 of its name and payload under a key the reader holds (the cache folder's per-user key, or
/// one derived from a secret given in the environment, for CI). A file whose tag does not check out was
/// written by someone without the key, or damaged, and is not used.
public struct CacheSeal: Sendable {
    let key: [UInt8]

    init(key: [UInt8]) { self.key = key }

    /// A seal keyed by `secret` (for example a CI secret variable), never the secret itself.
    public init(secret: some Collection<UInt8>) {
        key = Digest.hmacSHA256(key: Array("keywarden cache seal".utf8), message: secret)
    }

    /// What reading a sealed file found.
    public enum Contents: Sendable, Equatable {
        /// No file.
        case absent
        /// Something other than a regular file at the path (a FIFO, a symbolic link, a folder): not read.
        case notRegular(String)
        /// A file whose tag does not check out: damaged, or written with another key.
        case unauthenticated
        case payload([UInt8])
    }

    /// Reads `path` (a regular file, never through a symbolic link) and checks its tag.
    public func read(_ path: String) -> Contents {
        guard var bytes = CacheFolder.readRegular(path) else { return RegularFile.notRegularKind(path).map { .notRegular($0) } ?? .absent }
        return CacheFolder.checked(&bytes, name: Self.name(path), key: key) ? .payload(bytes) : .unauthenticated
    }

    /// Replaces `path` with `payload` and its tag (`0600`, atomically: a concurrent reader sees the old file
    /// or the new one).
    public func write(_ payload: [UInt8], to path: String) throws(SystemError) {
        try AtomicFile.write(CacheFolder.tagged(payload, name: Self.name(path), key: key), to: path,
                             options: AtomicFile.Options(mode: .exactly(0o600)))
    }

    /// What the tag covers besides the payload: the file's name (not its folder: a restored cache may sit
    /// in another checkout).
    private static func name(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
