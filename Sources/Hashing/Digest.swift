internal import CDigestLanes
internal import COpenSSL

/// SHA-256, HMAC-SHA256 and PBKDF2-HMAC-SHA256 through OpenSSL, returned as Swift byte arrays.
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

    /// The HMAC-SHA256 of `message` keyed with `key` (RFC 2104), built on the same low-level SHA-256 calls
    /// as `sha256`: OpenSSL's `HMAC(EVP_sha256(), …)` initialises EVP on first use, about 1 ms of CPU here
    /// (measured with a C program calling each once), which every scan paid to authenticate its rule cache.
    public static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        withContiguous(message) { m in hmacSHA256(key: key, parts: [m]) }
    }

    /// The HMAC-SHA256 of the concatenation of `parts`, without concatenating them (cache files of several
    /// megabytes are authenticated in place).
    public static func hmacSHA256(key: some Collection<UInt8>, parts: [UnsafeRawBufferPointer]) -> [UInt8] {
        let blockSize = 64
        var block = key.count > blockSize ? sha256(key) : Array(key)
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        let inner = block.map { $0 ^ 0x36 }, outer = block.map { $0 ^ 0x5C }
        var innerDigest = [UInt8](repeating: 0, count: sha256Length)
        var out = [UInt8](repeating: 0, count: sha256Length)
        var context = SHA256_CTX()
        var ok = SHA256_Init(&context) == 1 && SHA256_Update(&context, inner, blockSize) == 1
        for part in parts where ok { ok = SHA256_Update(&context, part.baseAddress, part.count) == 1 }
        ok = ok && SHA256_Final(&innerDigest, &context) == 1
        ok = ok && SHA256_Init(&context) == 1 && SHA256_Update(&context, outer, blockSize) == 1
            && SHA256_Update(&context, innerDigest, sha256Length) == 1 && SHA256_Final(&out, &context) == 1
        precondition(ok, "HMAC-SHA256 failed")
        return out
    }

    /// The HMAC-SHA384 or HMAC-SHA512 (`bits`: 384 or 512) of `message` keyed with `key` (RFC 2104, RFC 4231),
    /// on OpenSSL's low-level SHA-512 calls like `hmacSHA256` (a JWT signed with HS384 or HS512 is checked
    /// against a published example key with it).
    public static func hmacSHA512(bits: Int, key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        precondition(bits == 384 || bits == 512, "HMAC-SHA-2 of 384 or 512 bits")
        let length = bits / 8, blockSize = 128
        func hash(_ parts: [[UInt8]]) -> [UInt8] {
            var context = SHA512_CTX()
            var out = [UInt8](repeating: 0, count: length)
            var ok = (bits == 384 ? SHA384_Init(&context) : SHA512_Init(&context)) == 1
            for part in parts where ok { ok = (bits == 384 ? SHA384_Update(&context, part, part.count) : SHA512_Update(&context, part, part.count)) == 1 }
            ok = ok && (bits == 384 ? SHA384_Final(&out, &context) : SHA512_Final(&out, &context)) == 1
            precondition(ok, "SHA-\(bits) failed")
            return out
        }
        var block = key.count > blockSize ? hash([Array(key)]) : Array(key)
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        let inner = hash([block.map { $0 ^ 0x36 }, Array(message)])
        return hash([block.map { $0 ^ 0x5C }, inner])
    }

    /// PBKDF2-HMAC-SHA256 (RFC 8018) of `password` under `salt`: `iterations` rounds, 32 bytes out.
    ///
    /// Computed here on SHA-256 block functions rather than with `PKCS5_PBKDF2_HMAC`: OpenSSL 3 runs every
    /// round through its EVP layer (a context copied, cleansed and freed twice per round), which made a
    /// 10,000-round derivation take about 2.6 ms against about 1 ms for the same rounds here (measured with a C
    /// program calling both), and a small scan derives one per distinct secret found. The function and its
    /// output are the same (RFC 7914's vectors, and `DigestTests` compares it with OpenSSL's on many shapes);
    /// only the overhead around each round is gone. The HMAC key's inner and outer states are hashed once, and
    /// each round is two block compressions of a pre-padded block.
    public static func pbkdf2SHA256(password: some Collection<UInt8>, salt: some Collection<UInt8>, iterations: Int) -> [UInt8] {
        pbkdf2SHA256(passwords: [Array(password)], salt: Array(salt), iterations: iterations)[0]
    }

    /// True when the CPU has the SHA extensions `pbkdf2SHA256(passwords:…)` runs its rounds on.
    static let hasSHAExtensions = keywarden_sha_extensions() == 1

    /// PBKDF2-HMAC-SHA256 of each of `passwords` under one `salt`, in order: the same bytes as
    /// `pbkdf2SHA256(password:…)` for each.
    ///
    /// On a CPU with the SHA extensions the rounds run in C (CDigestLanes) two passwords at a time: each round
    /// of one derivation waits on the one before, so a second, independent derivation fills the SHA unit's
    /// idle cycles and two cost about what one does (1.2 ms against 1.14 ms for 10,000 rounds here). Elsewhere
    /// (or with `sideBySide` false, for tests) each runs on OpenSSL's `SHA256_Transform`.
    public static func pbkdf2SHA256(passwords: [[UInt8]], salt: [UInt8], iterations: Int, sideBySide: Bool = true) -> [[UInt8]] {
        precondition(iterations > 0 && iterations <= Int(Int32.max), "PBKDF2 iterations out of range")
        var starts = passwords.map { pbkdf2Start(password: $0, salt: salt) }
        guard iterations > 1 else { return starts.map(\.u) }
        guard sideBySide, hasSHAExtensions else {
            return starts.indices.map { pbkdf2PortableRounds(&starts[$0], rounds: iterations - 1) }
        }
        // Eight words per lane: the two key states as SHA-256 keeps them, U and the running XOR as big-endian words.
        var inner = [UInt32](), outer = [UInt32](), u = [UInt32]()
        for var start in starts {
            inner += stateWords(&start.inner)
            outer += stateWords(&start.outer)
            u += start.u.withUnsafeBytes { raw in (0..<8).map { UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) } }
        }
        var sum = u
        keywarden_pbkdf2_rounds(starts.count, inner, outer, &u, &sum, UInt32(iterations - 1))
        return starts.indices.map { lane in sum[lane * 8 ..< lane * 8 + 8].flatMap { word in withUnsafeBytes(of: word.bigEndian, Array.init) } }
    }

    /// The HMAC key's inner and outer SHA-256 states and U1 = HMAC(password, salt || INT(1)).
    private struct PBKDF2Start {
        var inner: SHA256_CTX
        var outer: SHA256_CTX
        var u: [UInt8]
    }

    private static func pbkdf2Start(password: [UInt8], salt: [UInt8]) -> PBKDF2Start {
        let blockSize = 64
        var key = password.count > blockSize ? sha256(password) : password
        key += [UInt8](repeating: 0, count: blockSize - key.count)
        var inner = SHA256_CTX(), outer = SHA256_CTX()
        var ok = SHA256_Init(&inner) == 1 && SHA256_Update(&inner, key.map { $0 ^ 0x36 }, blockSize) == 1
            && SHA256_Init(&outer) == 1 && SHA256_Update(&outer, key.map { $0 ^ 0x5C }, blockSize) == 1
        // U1 through the ordinary update and final calls.
        var u = [UInt8](repeating: 0, count: sha256Length)
        var context = inner
        ok = ok && SHA256_Update(&context, salt, salt.count) == 1
            && SHA256_Update(&context, [0, 0, 0, 1] as [UInt8], 4) == 1 && SHA256_Final(&u, &context) == 1
        context = outer
        ok = ok && SHA256_Update(&context, u, sha256Length) == 1 && SHA256_Final(&u, &context) == 1
        precondition(ok, "PBKDF2-HMAC-SHA256 failed")
        return PBKDF2Start(inner: inner, outer: outer, u: u)
    }

    /// The eight state words of `context`, h0 first.
    private static func stateWords(_ context: inout SHA256_CTX) -> [UInt32] {
        withUnsafeBytes(of: &context.h) { h in (0..<8).map { h.load(fromByteOffset: $0 * 4, as: UInt32.self) } }
    }

    /// The remaining `rounds` of one derivation on OpenSSL's SHA-256 block function; returns the XOR of all Us.
    private static func pbkdf2PortableRounds(_ start: inout PBKDF2Start, rounds: Int) -> [UInt8] {
        let blockSize = 64
        // Each later U is HMAC(password, previous U): a 32-byte message after the 64-byte key block, so each
        // hash is one compression of U padded to a block (0x80, zeros, the length 96 bytes = 768 bits).
        var block = [UInt8](repeating: 0, count: blockSize)
        block.replaceSubrange(0..<sha256Length, with: start.u)
        block[sha256Length] = 0x80
        block[blockSize - 2] = 0x03
        // The running XOR of the Us, kept as four 64-bit lanes of raw memory (XOR is bytewise: order does not matter).
        var sum = start.u.withUnsafeBytes { raw in (0..<4).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) } }
        var context = start.inner
        block.withUnsafeMutableBytes { b in
            let bytes = b.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let raw = b.baseAddress!
            sum.withUnsafeMutableBufferPointer { t in
                for _ in 0..<rounds {
                    context = start.inner
                    SHA256_Transform(&context, bytes)
                    storeState(&context, into: raw)
                    context = start.outer
                    SHA256_Transform(&context, bytes)
                    storeState(&context, into: raw)
                    for i in 0..<4 { t[i] ^= raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self) }
                }
            }
        }
        return sum.withUnsafeBytes { Array($0) }
    }

    /// Writes the eight state words of `context` big-endian into the first 32 bytes of `block` (what
    /// `SHA256_Final` would output once the padding block is compressed).
    @inline(__always)
    private static func storeState(_ context: inout SHA256_CTX, into block: UnsafeMutableRawPointer) {
        withUnsafeBytes(of: &context.h) { h in
            for i in 0..<8 {
                block.storeBytes(of: h.load(fromByteOffset: i * 4, as: UInt32.self).bigEndian, toByteOffset: i * 4, as: UInt32.self)
            }
        }
    }

    /// OpenSSL's own `PKCS5_PBKDF2_HMAC`, kept only so that tests can compare `pbkdf2SHA256` with it.
    static func opensslPBKDF2SHA256(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: sha256Length)
        let ok = password.withUnsafeBytes { p in
            salt.withUnsafeBytes { s in
                PKCS5_PBKDF2_HMAC(p.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(p.count),
                                  s.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(s.count),
                                  Int32(iterations), EVP_sha256(), Int32(sha256Length), &out) == 1
            }
        }
        precondition(ok, "PKCS5_PBKDF2_HMAC failed")
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
