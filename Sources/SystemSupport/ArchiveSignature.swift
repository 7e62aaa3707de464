/// Recognises archives and compressed streams by their first bytes (never by their name): a zip (also
/// `.jar`, `.war`, `.apk`), a tar (ustar or GNU magic at offset 257), and gzip, bzip2 and xz streams. A
/// container image saved with `docker save` is a tar of layer tars; its layers and OCI blobs have no
/// extension, so content decides.
public enum ArchiveSignature {
    /// True when `buffer` starts like an archive or compressed stream keywarden opens.
    public static func isArchive(_ buffer: UnsafeRawBufferPointer) -> Bool {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            guard buffer.count >= offset + magic.count else { return false }
            for (i, b) in magic.enumerated() where buffer[offset + i] != b { return false }
            return true
        }
        return starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06])   // zip, empty zip
            || starts([0x1F, 0x8B])                                                    // gzip
            || starts([0x42, 0x5A, 0x68])                                              // bzip2
            || starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])                            // xz
            || starts(Array("ustar".utf8), at: 257)                                    // POSIX and GNU tar
    }

    /// The same test for bytes in an array.
    public static func isArchive(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { isArchive($0) } }
}
