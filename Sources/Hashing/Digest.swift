internal import COpenSSL

/// SHA-256 and HMAC-SHA256 through OpenSSL, returned as Swift byte arrays.
///
/// Every OpenSSL call in keywarden goes through this file.
public enum Digest {
    /// Length in bytes of a SHA-256 digest.
    public static let sha256Length = 32

    /// The SHA-256 digest of `bytes`.
    ///
    /// OpenSSL's SHA-256 functions are called directly, not through EVP: EVP's first use initialises
    /// OpenSSL (configuration, every cipher and digest name), which cost a one-file scan about 3 ms, more
    /// than the scan. The digest code is the same.
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: sha256Length)
        withContiguous(bytes) { buf in
            out.withUnsafeMutableBufferPointer { o in
                var context = SHA256_CTX()
                // These cannot fail with valid pointers; a failure would leave zeros, which the
                // precondition turns into a crash rather than a wrong fingerprint.
                let ok = SHA256_Init(&context) == 1 && SHA256_Update(&context, buf.baseAddress, buf.count) == 1
                    && SHA256_Final(o.baseAddress, &context) == 1
                precondition(ok, "SHA-256 failed")
            }
        }
        return out
    }

    /// The HMAC-SHA256 of `message` keyed with `key`.
    public static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: sha256Length)
        withContiguous(key) { k in
            withContiguous(message) { m in
                out.withUnsafeMutableBufferPointer { o in
                    var len: UInt32 = 0
                    // OpenSSL rejects a NULL key pointer even with length 0.
                    let dummy: UInt8 = 0
                    let result = withUnsafePointer(to: dummy) { d in
                        HMAC(EVP_sha256(), k.baseAddress ?? UnsafeRawPointer(d), Int32(k.count),
                             m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count, o.baseAddress, &len)
                    }
                    precondition(result != nil && len == 32, "HMAC-SHA256 failed")
                }
            }
        }
        return out
    }

    /// Compares two byte sequences in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return withContiguous(a) { x in
            withContiguous(b) { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, x.count) == 0 }
        }
    }

    private static func withContiguous<R>(_ bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let r = bytes.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
        return Array(bytes).withUnsafeBytes(body)
    }
}
