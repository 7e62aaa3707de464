import Foundation

/// Writes a report or calendar file so that a reader (a CI upload step, a calendar program polling the
/// file) never sees half of it.
enum OutputFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A regular file, or a new one, is replaced atomically: the text goes to a temporary file beside it,
    /// which is then renamed over it (keeping an existing file's permission bits). There is no fsync: a
    /// report or calendar is re-made by the next run, and syncing cost a small scan more than the scan itself.
    /// Anything else (a device such as /dev/null, a FIFO, a symbolic link) is written in place, since
    /// replacing it with a regular file would break it.
    static func write(_ text: String, to path: String) throws {
        var info = stat()
        let exists = lstat(path, &info) == 0
        guard !exists || info.st_mode & S_IFMT == S_IFREG else {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw Failure(description: error.localizedDescription)
            }
            return
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // A fresh name each try: a temporary file left by a crashed run is never reused or overwritten.
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<8 {
            temporary = "\(directory).\(name).keywarden-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw Failure(description: String(cString: strerror(errno))) }
        var failure: Int32 = 0
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure == 0, exists, fchmod(fd, info.st_mode & 0o7777) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw Failure(description: String(cString: strerror(failure)))
        }
    }
}
