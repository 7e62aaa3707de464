#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Replaces a file so that a reader sees the old contents or the new, never a mix: the bytes go to a
/// temporary file beside it (a fresh random name, created exclusively, so a file left by a crashed run is
/// never reused), which is then renamed over it. The one place keywarden writes files this way: reports,
/// calendars, the key ledger, the ignore file, the hook scripts and the caches.
///
/// A writer holds an exclusive `flock` on its temporary file from just after creating it until after the
/// rename. A temporary left behind by a killed run holds no lock: the next write of the same file removes
/// it (``removeStaleTemporaries(of:)``), and a temporary another live writer holds is never touched.
public enum AtomicFile {
    /// The permission bits the written file ends up with.
    public enum Mode: Sendable, Equatable {
        /// An existing file keeps its bits; a new one gets `0o666` less the umask.
        case keep
        /// `bits` less the umask, whether the file existed or not.
        case create(UInt32)
        /// Exactly `bits` (the umask does not apply).
        case exactly(UInt32)
    }

    /// How to write.
    public struct Options: Sendable {
        public var mode: Mode
        /// Flush the file before the rename and the folder after it, so the change survives a power cut
        /// (the ledger). Off where the next run re-makes the file (reports, caches): syncing cost a small
        /// scan more than the scan itself.
        public var durable: Bool
        /// Write into an existing character device or FIFO (/dev/null, /dev/stdout, a pipe) instead of
        /// replacing it, since replacing it with a regular file would break it. A symbolic link is followed
        /// only to such a device; a link to anything else is refused (reports: a committed
        /// `keywarden.sarif -> ../../victim` must not overwrite the victim).
        public var writesThroughSpecialFiles: Bool
        /// The bits a new file gets under `.keep` (less the umask): `0o666` for files people share (the
        /// ledger, the ignore file), `0o600` for reports and calendars.
        public var newFileMode: UInt32

        public init(mode: Mode = .keep, durable: Bool = false, writesThroughSpecialFiles: Bool = false,
                    newFileMode: UInt32 = 0o666) {
            self.mode = mode
            self.durable = durable
            self.writesThroughSpecialFiles = writesThroughSpecialFiles
            self.newFileMode = newFileMode
        }
    }

    /// Replaces `path` with `bytes` (see the type's summary).
    /// - Throws: the failed step (`cannot create`, `cannot write`, ...) with `strerror`; no temporary
    ///   file is left behind.
    public static func write(_ bytes: some Collection<UInt8>, to path: String,
                             options: Options = Options()) throws(SystemError) {
        var info = stat()
        let exists = lstat(path, &info) == 0
        if exists, options.writesThroughSpecialFiles, info.st_mode & S_IFMT != S_IFREG {
            var target = stat()
            let kind = stat(path, &target) == 0 ? target.st_mode & S_IFMT : 0
            guard kind == S_IFCHR || kind == S_IFIFO else {
                throw SystemError(info.st_mode & S_IFMT == S_IFLNK ? "refusing to write through a symbolic link" : "refusing to replace a file that is not regular",
                                  path, number: info.st_mode & S_IFMT == S_IFLNK ? ELOOP : EINVAL)
            }
            return try writeInPlace(bytes, to: path)
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let createMode: mode_t
        switch options.mode {
        case .keep: createMode = mode_t(options.newFileMode)
        case .exactly(let bits): createMode = mode_t(bits) & 0o600
        case .create(let bits): createMode = mode_t(bits)
        }
        removeStaleTemporaries(of: path)
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<8 {
            temporary = "\(directory).\(name)\(temporaryMark)\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
            // A fresh random name, created exclusively and never through a link: what mkstemp does.
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, createMode)
            if fd < 0 {
                if errno != EEXIST { break }
                continue
            }
            var locked = flock(fd, LOCK_EX)
            while locked != 0, errno == EINTR { locked = flock(fd, LOCK_EX) }
            // A file system without locks: its temporaries are never cleaned either (cleaning needs the lock).
            if locked != 0 { break }
            // Locked, and still there: another run's cleanup may have taken it between the open and the lock.
            var held = stat()
            if fstat(fd, &held) == 0, held.st_nlink > 0 { break }
            close(fd)
            fd = -1
        }
        guard fd >= 0 else { throw SystemError("cannot create", temporary) }
        // The lock lives as long as any descriptor of the open file: this copy keeps it through the rename.
        let lockHolder = dup(fd)
        defer { if lockHolder >= 0 { close(lockHolder) } }
        var failure: SystemError?
        if let e = writeAll(bytes, to: fd, path: temporary) {
            failure = e
        } else if case .exactly(let bits) = options.mode, fchmod(fd, mode_t(bits)) != 0 {
            failure = SystemError("cannot set the mode of", temporary)
        } else if options.mode == .keep, exists, info.st_mode & S_IFMT == S_IFREG, fchmod(fd, info.st_mode & 0o7777) != 0 {
            failure = SystemError("cannot set the mode of", temporary)
        } else if options.durable, fsync(fd) != 0 {
            failure = SystemError("cannot sync", temporary)
        }
        if close(fd) != 0, failure == nil { failure = SystemError("cannot close", temporary) }
        if failure == nil, rename(temporary, path) != 0 { failure = SystemError("cannot replace", path) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        if options.durable {
            let folder = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if folder >= 0 {
                _ = fsync(folder)
                close(folder)
            }
        }
    }

    /// What sits between the file's name and the random part of a temporary's name.
    static let temporaryMark = ".keywarden-"

    /// Removes the temporaries of `path` (`.NAME.keywarden-RANDOM.tmp` beside it) that no live writer
    /// holds: a run killed while writing leaves one behind. Each is removed only while this process holds
    /// its lock and only if the name still leads to the locked file; one another writer has locked is
    /// left alone. Errors are ignored (a stale file costs disk space, nothing else).
    public static func removeStaleTemporaries(of path: String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let prefix = "." + name + temporaryMark
        guard let folder = opendir(directory.isEmpty ? "." : directory) else { return }
        var stale: [String] = []
        while let entry = readdir(folder) {
            let entryName = DirectoryEntry.name(entry)
            if entryName.hasPrefix(prefix), entryName.hasSuffix(".tmp"), entryName.count > prefix.count + 4 {
                stale.append(directory + entryName)
            }
        }
        closedir(folder)
        for candidate in stale {
            let fd = open(candidate, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var opened = stat(), named = stat()
            guard fstat(fd, &opened) == 0, opened.st_mode & S_IFMT == S_IFREG,
                  flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }   // a live writer holds it
            guard lstat(candidate, &named) == 0, named.st_dev == opened.st_dev, named.st_ino == opened.st_ino else { continue }
            unlink(candidate)
        }
    }

    /// Writes `bytes` into the character device or FIFO at `path` (never creating anything); the opened
    /// file is checked again, so a swap between the check and the open is refused too.
    private static func writeInPlace(_ bytes: some Collection<UInt8>, to path: String) throws(SystemError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("cannot open", path) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFCHR || info.st_mode & S_IFMT == S_IFIFO else {
            close(fd)
            throw SystemError("refusing to replace a file that is not regular", path, number: EINVAL)
        }
        let failure = writeAll(bytes, to: fd, path: path)
        if close(fd) != 0, failure == nil { throw SystemError("cannot close", path) }
        if let failure { throw failure }
    }

    /// Writes all of `bytes` to `fd`, retrying on `EINTR`; the error names `path`.
    private static func writeAll(_ bytes: some Collection<UInt8>, to fd: Int32, path: String) -> SystemError? {
        let run = bytes.withContiguousStorageIfAvailable { writeAll(UnsafeRawBufferPointer($0), to: fd, path: path) }
        if let run { return run }
        return Array(bytes).withUnsafeBytes { writeAll($0, to: fd, path: path) }
    }

    private static func writeAll(_ buffer: UnsafeRawBufferPointer, to fd: Int32, path: String) -> SystemError? {
        guard let base = buffer.baseAddress else { return nil }
        var offset = 0
        while offset < buffer.count {
            let n = systemWrite(fd, base + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return SystemError("cannot write", path)
            }
            offset += n
        }
        return nil
    }
}

/// `write(2)`, named apart from `AtomicFile.write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
