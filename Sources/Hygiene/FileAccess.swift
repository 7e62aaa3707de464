internal import Foundation

/// The few file-system calls the checks make, with POSIX results turned into Swift values.
enum FileAccess {
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The contents of a regular file (symbolic links followed); nil when it is missing or unreadable.
    static func contents(_ path: String) -> [UInt8]? {
        guard isRegularFile(path) else { return nil }
        return FileManager.default.contents(atPath: path).map { Array($0) }
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The permission bits of a file (symbolic links followed); nil when it cannot be stat'ed.
    static func permissions(_ path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode) & 0o7777
    }

    static func isExecutable(_ path: String) -> Bool {
        isRegularFile(path) && access(path, X_OK) == 0
    }

    /// The names in a directory (not `.` and `..`); empty when it cannot be listed.
    static func names(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// Appends `text` to `path`, creating the file (mode 0644) when it does not exist.
    static func append(_ text: String, to path: String) throws(HygieneError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw HygieneError(.io, "\(path): cannot open for writing: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw HygieneError(.io, "\(path): cannot write: \(String(cString: strerror(errno)))")
            }
            written += n
        }
    }
}
