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

    private static let warned = Atomic<Bool>(false)

    /// The cache folder at `path` (created when missing), or nil with a warning on standard error (once per
    /// process) when it cannot be trusted.
    public static func trusted(_ path: String) -> CacheFolder? {
        switch open(path) {
        case .success(let folder): return folder
        case .failure(let distrust):
            if !warned.exchange(true, ordering: .relaxed) {
                let line = Array("keywarden: warning: \(PrintableText.escape(distrust.description)) (working without a cache)\n".utf8)
                _ = line.withUnsafeBytes { posixWrite(2, $0.baseAddress, $0.count) }
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

    /// This folder's key as a seal, for authenticated files kept elsewhere (a repository's history cache).
    public var seal: CacheSeal { CacheSeal(key: key) }

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
    /// A cache that cannot be written only costs the next run a rebuild.
    public func write(_ name: String, _ bytes: [UInt8]) {
        guard !name.contains("/") else { return }
        let mac = Digest.hmacSHA256(key: key, message: covered(name, bytes[...]))
        try? AtomicFile.write(bytes + mac, to: path + "/" + name, options: AtomicFile.Options(mode: .exactly(0o600)))
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
        /// No file (or no regular file).
        case absent
        /// A file whose tag does not check out: damaged, or written with another key.
        case unauthenticated
        case payload([UInt8])
    }

    /// Reads `path` (a regular file, never through a symbolic link) and checks its tag.
    public func read(_ path: String) -> Contents {
        guard let bytes = CacheFolder.readRegular(path) else { return .absent }
        guard bytes.count >= Digest.sha256Length else { return .unauthenticated }
        let payload = bytes.dropLast(Digest.sha256Length)
        let tag = bytes.suffix(Digest.sha256Length)
        guard Digest.constantTimeEqual(Digest.hmacSHA256(key: key, message: covered(path, payload)), tag) else {
            return .unauthenticated
        }
        return .payload(Array(payload))
    }

    /// Replaces `path` with `payload` and its tag (`0600`, atomically: a concurrent reader sees the old file
    /// or the new one).
    public func write(_ payload: [UInt8], to path: String) throws(SystemError) {
        let tag = Digest.hmacSHA256(key: key, message: covered(path, payload[...]))
        try AtomicFile.write(payload + tag, to: path, options: AtomicFile.Options(mode: .exactly(0o600)))
    }

    /// The file's name (not its folder: a restored cache may sit in another checkout) and its payload.
    private func covered(_ path: String, _ payload: ArraySlice<UInt8>) -> [UInt8] {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        var message = Array(name.utf8)
        message.append(0)
        message += payload
        return message
    }
}
