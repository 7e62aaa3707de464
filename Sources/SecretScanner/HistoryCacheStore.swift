import GitRepository
import Hashing
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// The history cache files of one repository (`<git common dir>/keywarden/`): one file per identity (rule
/// set, keywarden's version, the options that change results, `--branch`), so that runs with different
/// rule sets each keep their own, and at most ``kept`` of them, the most recently used.
///
/// Concurrent runs: a file is only ever replaced whole (``AtomicFile``), under an exclusive `flock` on
/// `history.lock` that also covers the pruning, so no run removes a file another is putting in place.
/// When two runs of the same identity overlap, the file of the run that finishes last wins, unless the
/// file already there was written after this run read its own and covers every commit this run walked:
/// then it knows at least as much, and it stays.
struct HistoryCacheStore {
    /// How many cache files a repository keeps (the most recently used; using one without rewriting it
    /// counts as a use).
    static let kept = 4
    static let lockName = "history.lock"

    let folder: String
    let path: String
    let identity: [UInt8]
    let seal: CacheSeal
    /// The file as this run read it (nil: there was none): tells whether another run replaced it since.
    let readStamp: FileStamp?

    /// What tells one file at a path from another (each write is a new file, renamed into place).
    struct FileStamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64

        init?(_ path: String) {
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
        }
    }

    /// The file for `identity`: `history-<16 hex digits of the identity>.cache`.
    static func fileName(identity: [UInt8]) -> String {
        "history-" + Hex.encode(identity.prefix(8)) + ".cache"
    }

    /// The store for `identity` in the repository whose common git directory is given, and the cache it
    /// holds when it can be used; nil (with a note) when the folder cannot be used.
    static func open(commonDirectory: String, identity: [UInt8], seal: CacheSeal,
                     notes: inout [ScanNote]) -> (store: HistoryCacheStore, previous: HistoryCache?)? {
        let folder: String
        switch HistoryCache.folder(in: commonDirectory) {
        case .failure(let problem):
            notes.append(ScanNote(.other, "history cache not used: \(problem.message)"))
            return nil
        case .success(let path): folder = path
        }
        let path = folder + "/" + fileName(identity: identity)
        let stamp = FileStamp(path)
        var previous: HistoryCache?
        switch seal.read(path) {
        case .absent:
            break
        case .notRegular(let kind):
            notes.append(ScanNote(.other, path: path, "the history cache is \(kind), not a regular file: not used, replaced by this full scan"))
        case .unauthenticated:
            notes.append(ScanNote(.other, path: path, "the history cache is damaged or was written with another key: not used, rebuilt by this full scan"))
        case .payload(let bytes):
            previous = HistoryCache.decode(bytes, identity: identity)
            if previous == nil {
                notes.append(ScanNote(.other, path: path, "the history cache cannot be read: not used, rebuilt by this full scan"))
            }
        }
        return (HistoryCacheStore(folder: folder, path: path, identity: identity, seal: seal, readStamp: stamp), previous)
    }

    /// Marks the file as used now, so that pruning keeps it (a run that learnt nothing does not rewrite it).
    func markUsed() {
        _ = utimensat(AT_FDCWD, path, nil, AT_SYMLINK_NOFOLLOW)
    }

    /// Replaces the file with `cache` (see the type's summary for concurrent runs), then prunes the folder.
    /// - Returns: false when the file another run wrote meanwhile was kept instead.
    func replace(with cache: HistoryCache) throws(SystemError) -> Bool {
        try withLock { () throws(SystemError) -> Bool in
            defer { Self.prune(folder, keeping: Self.kept, except: path) }
            if FileStamp(path) != readStamp, case .payload(let bytes) = seal.read(path),
               let theirs = HistoryCache.decode(bytes, identity: identity), theirs.covers(cache) {
                markUsed()
                return false
            }
            try seal.write(cache.encode(identity: identity), to: path)
            return true
        }
    }

    /// Runs `body` holding an exclusive `flock` on the folder's lock file; without the lock when the file
    /// system has none (then the last writer wins).
    private func withLock<R>(_ body: () throws(SystemError) -> R) throws(SystemError) -> R {
        let lockPath = folder + "/" + Self.lockName
        let fd = Glibc.open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return try body() }
        var locked = flock(fd, LOCK_EX)
        while locked != 0, errno == EINTR { locked = flock(fd, LOCK_EX) }
        defer { if locked == 0 { flock(fd, LOCK_UN) } }
        return try body()
    }

    /// Removes the oldest cache files of `folder` (by modification time, which ``markUsed()`` and every
    /// write refresh) beyond the `keeping` newest; `except` (this run's file) is never removed. Only
    /// regular files named `history-*.cache`; temporaries (dot files) and anything else are left alone.
    static func prune(_ folder: String, keeping: Int, except: String) {
        guard let dir = opendir(folder) else { return }
        var files: [(path: String, seconds: Int, nanoseconds: Int)] = []
        while let entry = readdir(dir) {
            let name = DirectoryEntry.name(entry)
            guard name.hasPrefix("history-"), name.hasSuffix(".cache") else { continue }
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            files.append((path, info.st_mtim.tv_sec, info.st_mtim.tv_nsec))
        }
        closedir(dir)
        guard files.count > keeping else { return }
        files.sort { ($0.path == except ? 1 : 0, $0.seconds, $0.nanoseconds, $0.path) > ($1.path == except ? 1 : 0, $1.seconds, $1.nanoseconds, $1.path) }
        for file in files.dropFirst(keeping) { unlink(file.path) }
    }
}

extension HistoryCache {
    /// Whether this cache walked every commit `other` walked (and so knows every blob it knows).
    func covers(_ other: HistoryCache) -> Bool {
        guard snapshot.commits.count >= other.snapshot.commits.count else { return false }
        let mine = Set(snapshot.commits)
        return other.snapshot.commits.allSatisfy(mine.contains)
    }
}
