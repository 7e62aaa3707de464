import SystemSupport

/// Content tests shared by every scan mode.
public enum BlobContent {
    /// Git's binary test: a NUL byte in the first 8,000 bytes.
    public static func isBinary(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.prefix(8000).contains(0)
    }

    /// UTF-16 text (a byte-order mark, or NUL in every other byte) or an archive (zip, tar, gzip, ...).
    public static func isUTF16OrArchive(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { UTF16Text.order(of: $0) != nil || ArchiveSignature.isArchive($0) }
    }

    /// A Git LFS pointer file: small, and starting with the LFS spec line.
    public static func isLFSPointer(_ bytes: some Collection<UInt8>) -> Bool {
        // Most blobs fail on the first byte; checking it first keeps this off a history scan's profile.
        guard bytes.first == UInt8(ascii: "v"), bytes.count < 1024 else { return false }
        for prefix in lfsPrefixes where bytes.starts(with: prefix) { return true }
        return false
    }

    private static let lfsPrefixes: [[UInt8]] = [
        Array("version https://git-lfs.github.com/spec/v1\n".utf8),
        Array("version https://hawser.github.com/spec/v1\n".utf8),
    ]

    /// Why `bytes` should not be scanned, or nil when it should. UTF-16 text and archives look binary to
    /// git's test, but the scanner reads them (decoded, or member by member).
    public static func skipReason(_ bytes: [UInt8]) -> SkippedFile.Reason? {
        if isBinary(bytes), !isUTF16OrArchive(bytes) { return .binary }
        if isLFSPointer(bytes) { return .lfsPointer }
        return nil
    }

    /// The number of lines: newlines, plus one for a last line without one.
    public static func lineCount(_ bytes: [UInt8]) -> Int {
        var count = 0
        for b in bytes where b == 10 { count += 1 }
        if let last = bytes.last, last != 10 { count += 1 }
        return count
    }
}
