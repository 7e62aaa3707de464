#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Reading a whole file that may have been put there by someone else (a cache folder, a scanned repository):
/// only a regular file is read, and only when it is no larger than asked.
public enum RegularFile {
    /// The bytes of the regular file `path`: nil when it is missing, unreadable, not a regular file, larger
    /// than `limit`, or shorter when read than when opened (truncated meanwhile: not the file that was
    /// checked). Opened non-blocking, because the file is checked only once it is open and opening a FIFO for
    /// reading would wait for a writer (reading a regular file does not block anyway); with `followLinks`
    /// false, a symbolic link is not followed (nil). Large files are read into populated memory
    /// (``FreshMemory``). `opened` is given the descriptor and the file's modification time (seconds since
    /// 1970) before anything is read.
    public static func read(_ path: String, atMost limit: Int, followLinks: Bool,
                            opened: ((_ descriptor: Int32, _ modified: Int) -> Void)? = nil) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size >= 0, info.st_size <= limit else { return nil }
        opened?(fd, Int(info.st_mtim.tv_sec))
        let size = Int(info.st_size)
        var complete = true
        // Not zero-filled first: every byte is read into it (or the whole is discarded).
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            if let base = buffer.baseAddress { FreshMemory.populate(base, size) }
            var offset = 0
            while offset < size, let base = buffer.baseAddress {
                let n = systemRead(fd, base + offset, size - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { complete = false; break }
                offset += n
            }
            count = complete ? size : 0
        }
        return complete ? bytes : nil
    }

    /// What is at `path` when it exists and is not a regular file ("a FIFO", "a symbolic link", ...); nil
    /// when it is a regular file or is not there.
    public static func notRegularKind(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return kindName(info)
    }

    /// The name of a file's kind, nil for a regular file.
    private static func kindName(_ info: stat) -> String? {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFIFO: return "a FIFO"
        case S_IFLNK: return "a symbolic link"
        case S_IFDIR: return "a folder"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// ``notRegularKind(_:)`` for the kinds a reader would block on or must not read at all: a FIFO, a
    /// device or a socket (nil for a regular file, a folder, a link, or nothing). With `followLinks`, what a
    /// symbolic link leads to (nil for a link that leads nowhere).
    public static func blockingKind(_ path: String, followLinks: Bool = false) -> String? {
        var info = stat()
        guard (followLinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK: return kindName(info)
        default: return nil
        }
    }
}

/// `read(2)`, named apart from `RegularFile.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, buffer, count)
    #else
    Darwin.read(fd, buffer, count)
    #endif
}
