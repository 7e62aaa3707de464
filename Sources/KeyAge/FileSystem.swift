#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The few POSIX calls the ledger needs (advisory lock, durable atomic replace), kept in one place.
/// `errno` is read right after each call.
enum FileSystem {
    /// An exclusive `flock(2)` on `path` (created if missing), held until `body` returns.
    static func withExclusiveLock<R>(path: String, _ body: () throws(KeyAgeError) -> R) throws(KeyAgeError) -> R {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot open lock file", path) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw failure("cannot lock", path) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// The contents of `path`, or nil when it does not exist.
    static func contents(path: String) throws(KeyAgeError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("cannot read", path)
        }
        defer { close(fd) }
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read", path)
            }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    /// Replaces `path` with `bytes` atomically: a temporary file beside it, written and fsynced, renamed
    /// over it, then the folder fsynced. A reader sees the old file or the new one, never a mix.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(KeyAgeError) {
        let dir = directory(of: path)
        let temp = dir + "/." + base(of: path) + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot create", temp) }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buf in buf.baseAddress.map { write(fd, $0 + written, buf.count - written) } ?? 0 }
            if n < 0 {
                if errno == EINTR { continue }
                let e = failure("cannot write", temp)
                close(fd)
                throw e
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let e = failure("cannot sync", temp)
            close(fd)
            throw e
        }
        guard close(fd) == 0 else { throw failure("cannot close", temp) }
        guard rename(temp, path) == 0 else { throw failure("cannot replace", path) }
        ok = true
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    /// Creates `path` and its parents when missing.
    static func makeDirectories(_ path: String) throws(KeyAgeError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST { throw failure("cannot create folder", current) }
        }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func base(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    private static func failure(_ what: String, _ path: String) -> KeyAgeError {
        let code = errno
        let reason = String(cString: strerror(code))
        return KeyAgeError(.io, "\(what): \(reason)", file: path)
    }
}
