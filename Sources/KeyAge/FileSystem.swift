#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import SystemSupport

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

    /// Replaces `path` with `bytes` atomically and durably (``AtomicFile``, flushed before and after the
    /// rename): a reader sees the old file or the new one, never a mix. A new ledger is made 0644.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(KeyAgeError) {
        do {
            try AtomicFile.write(bytes, to: path, options: AtomicFile.Options(mode: .create(0o644), durable: true))
        } catch {
            throw KeyAgeError(.io, error.message, file: error.path)
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
