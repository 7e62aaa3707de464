#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import SystemSupport

/// A repository's fingerprint salt: 32 random bytes kept in `.keywarden-salt` at the root of the work tree
/// and committed with `.keywardenignore`, so that everyone who scans the repository computes the same
/// fingerprints and nobody can reuse guesses made for another repository. Not a secret.
///
/// The file: `#` comment lines, and one line `v1 <64 lowercase hex digits>`.
public struct FingerprintSalt: Sendable, Equatable {
    /// The file's name, at the work tree root.
    public static let fileName = ".keywarden-salt"

    /// The salt's bytes.
    public let bytes: [UInt8]

    /// A salt of exactly 32 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// A fresh salt from the system's random number generator.
    public static func random() -> FingerprintSalt {
        var generator = SystemRandomNumberGenerator()
        return FingerprintSalt(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })!
    }

    /// The file's text.
    public var text: String {
        "# keywarden fingerprint salt. Commit this file beside .keywardenignore; it is not a secret.\n"
            + "# Changing or deleting it changes every fingerprint (docs/security.md).\n"
            + "v1 \(Hex.encode(bytes))\n"
    }

    /// Parses the file's text; the error names `path` and the line at fault.
    public static func parse(_ text: String, path: String) throws(FingerprintSaltError) -> FingerprintSalt {
        var found: FingerprintSalt?
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0] == "v1", Fingerprinter.isFingerprint(parts[1]),
                  let bytes = Hex.decode(parts[1]), let salt = FingerprintSalt(bytes: bytes) else {
                throw FingerprintSaltError("\(path):\(n + 1): not a salt line (expected 'v1' and 64 lowercase hex digits)", path: path)
            }
            guard found == nil else {
                throw FingerprintSaltError("\(path):\(n + 1): a second salt line (the file holds one)", path: path)
            }
            found = salt
        }
        guard let found else { throw FingerprintSaltError("\(path): no salt line (expected 'v1' and 64 lowercase hex digits)", path: path) }
        return found
    }

    /// The salt in `path`; nil when there is no file there. A file that cannot be read or parsed is an error;
    /// so is anything but a regular file (a symbolic link is not followed).
    public static func load(path: String) throws(FingerprintSaltError) -> FingerprintSalt? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw FingerprintSaltError("\(path): cannot read the fingerprint salt: \(SystemError.reason(errno))"
                                       + (errno == ELOOP ? " (a symbolic link is refused)" : ""), path: path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw FingerprintSaltError("\(path): the fingerprint salt is not a regular file", path: path)
        }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 65536 {
            let n = read(fd, &chunk, chunk.count)
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw FingerprintSaltError("\(path): cannot read the fingerprint salt: \(SystemError.reason(errno))", path: path) }
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        guard bytes.count <= 65536, let text = String(validating: bytes, as: UTF8.self) else {
            throw FingerprintSaltError("\(path): not a keywarden salt file (expected a short text file)", path: path)
        }
        return try parse(text, path: path)
    }

    /// Writes a fresh salt to `path` unless a file is already there, and returns the salt the file holds
    /// (another process may have created it first: `created` is false). The new file appears whole or not at all.
    public static func create(path: String) throws(FingerprintSaltError) -> (salt: FingerprintSalt, created: Bool) {
        let salt = random()
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try AtomicFile.write(Array(salt.text.utf8), to: temporary)
        } catch {
            throw FingerprintSaltError("\(path): cannot create the fingerprint salt: \(error.reason)", path: path)
        }
        defer { unlink(temporary) }
        // link(2) never replaces an existing file: a salt someone else wrote first wins.
        let created = link(temporary, path) == 0
        if !created, errno != EEXIST {
            throw FingerprintSaltError("\(path): cannot create the fingerprint salt: \(SystemError.reason(errno))", path: path)
        }
        guard let onDisk = try load(path: path) else {
            throw FingerprintSaltError("\(path): the fingerprint salt vanished as it was created", path: path)
        }
        return (onDisk, created)
    }
}

/// A salt file that cannot be read, parsed or created.
public struct FingerprintSaltError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let path: String
    init(_ message: String, path: String) {
        self.message = message
        self.path = path
    }
    public var description: String { message }
}

extension Substring {
    fileprivate var trimmingWhitespace: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
        return s
    }
}
