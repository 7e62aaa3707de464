#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import SystemSupport
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
    private static let pending = Mutex<(notes: [String], distrusted: Bool, unwritable: Bool)>(([], false, false))

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

    /// The contents of `name` when it is a regular file whose HMAC checks out; nil otherwise.
    public func read(_ name: String) -> [UInt8]? {
        guard !name.contains("/"), let bytes = Self.readRegular(path + "/" + name), bytes.count >= Digest.sha256Length else {
            return nil
        }
        let payload = bytes.dropLast(Digest.sha256Length)
        let tag = bytes.suffix(Digest.sha256Length)
        guard Digest.constantTimeEqual(Digest.hmacSHA256(key: key, message: covered(name, payload)), tag) else { return nil }
        return Array(payload)
    }

    /// Stores `bytes` as `name` with its HMAC (`0600`, atomically, through a fresh exclusive temporary file).
    /// A cache that cannot be written costs every run a rebuild: that is a warning (once per process).
    public func write(_ name: String, _ bytes: [UInt8]) {
        guard !name.contains("/") else { return }
        let mac = Digest.hmacSHA256(key: key, message: covered(name, bytes[...]))
        do {
            try AtomicFile.write(bytes + mac, to: path + "/" + name, options: AtomicFile.Options(mode: .exactly(0o600)))
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

    /// What the HMAC covers: the file's name (a valid file cannot be renamed to another key) and contents.
    private func covered(_ name: String, _ payload: ArraySlice<UInt8>) -> [UInt8] {
        Array(name.utf8) + [0] + payload
    }

    /// A regular file's bytes, opened with `O_NOFOLLOW`; nil for a link, a non-regular file or an error.
    static func readRegular(_ file: String) -> [UInt8]? {
        let fd = posixOpen(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size >= 0, info.st_size < 1 << 30 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return posixRead(fd, base + offset, buffer.count - offset)
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }   // truncated meanwhile: not the file that was checked
            offset += n
        }
        return bytes
    }
}

private func posixOpen(_ path: String, _ flags: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.open(path, flags)
    #else
    Darwin.open(path, flags)
    #endif
}

private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, buffer, count)
    #else
    Darwin.read(fd, buffer, count)
    #endif
}
