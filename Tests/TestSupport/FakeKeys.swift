import Credentials
import Foundation
import Hashing
#if canImport(Testing)
import Testing
#endif

/// Fake credentials assembled at run time, so that no secret-shaped literal ever sits in the repository.
///
/// Reproducible: every value comes from a seeded generator. The seed is `KEYWARDEN_TEST_SEED` when that is
/// set, else chosen at random; either way it is printed once to standard error at first use
/// ("FakeKeys seed N: set KEYWARDEN_TEST_SEED=N to repeat"), so a failure seen once can be run again with
/// the same values.
///
/// Independent of what else runs: each call draws from its own stream, derived from the seed, the running
/// test (its name and source location, when a swift-testing test is running), the call site (`#fileID` and
/// `#line`, defaulted parameters of every function here) and how many times that test has called that site
/// before. A test's values therefore do not depend on which other tests run, or in which order, in
/// parallel. (A test that calls one site from several threads of its own, or the cases of one
/// parameterized test running side by side, get that site's values in the order the calls arrive.)
///
/// Valid by construction: a value drawn from an alphabet that has digits and letters holds at least one
/// digit and one letter (and, from three characters on, one upper- and one lower-case letter when the
/// alphabet has both), because validators reject keys without them; and a value never contains what the
/// scanner's placeholder filter takes for a placeholder (`example`, `dummy`, `xxxxx`, runs like `abcdefgh`,
/// ...) and its characters are spread enough to clear the rules' entropy floors, so a fake key is found every
/// time, not 99.9% of the time.
public enum FakeKeys {
    public static let alnum = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    public static let lowerHex = Array("0123456789abcdef")

    /// The run's seed (see the type's comment).
    public static let seed: UInt64 = {
        let chosen: UInt64
        if let text = ProcessInfo.processInfo.environment["KEYWARDEN_TEST_SEED"], !text.isEmpty {
            guard let value = UInt64(text) else {
                fatalError("KEYWARDEN_TEST_SEED must be a decimal number from 0 to \(UInt64.max), not \(text)")
            }
            chosen = value
        } else {
            var system = SystemRandomNumberGenerator()
            chosen = system.next()
        }
        FileHandle.standardError.write(Data("FakeKeys seed \(chosen): set KEYWARDEN_TEST_SEED=\(chosen) to repeat\n".utf8))
        return chosen
    }()

    /// `count` random characters from `alphabet`.
    public static func random(_ alphabet: [Character], _ count: Int, fileID: String = #fileID, line: Int = #line) -> String {
        var rng = stream(fileID, line)
        return draw(alphabet, count, &rng)
    }

    /// Random high-entropy alphanumerics (from 2 characters on: at least one digit and one letter).
    public static func alnum(_ count: Int, fileID: String = #fileID, line: Int = #line) -> String {
        random(alnum, count, fileID: fileID, line: line)
    }

    /// Random lowercase hex (from 2 characters on: at least one digit and one letter).
    public static func hex(_ count: Int, fileID: String = #fileID, line: Int = #line) -> String {
        random(lowerHex, count, fileID: fileID, line: line)
    }

    /// A random version-4 UUID in lowercase.
    public static func uuid(fileID: String = #fileID, line: Int = #line) -> String {
        var rng = stream(fileID, line)
        return uuid(&rng)
    }

    /// A MaintainX-shaped API key: HS256 JWT with the vendor's claims, signed with a random key. Without
    /// `keyID`, a random UUID.
    public static func maintainX(userID: Int = 41_234, organizationID: Int? = 98_765,
                                 issuedAt: Int = 1_735_689_600, keyID: String? = nil,
                                 fileID: String = #fileID, line: Int = #line) -> String {
        var rng = stream(fileID, line)
        let header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
        var claims = "{\"userId\":\(userID),"
        if let organizationID { claims += "\"organizationId\":\(organizationID)," }
        claims += "\"iat\":\(issuedAt),\"sub\":\"\(MaintainXKey.subject)\",\"jti\":\"\(keyID ?? uuid(&rng))\"}"
        return jwt(header: header, payload: claims, &rng)
    }

    /// Any JWT with the given header and payload JSON, signed with a random key.
    public static func jwt(header: String, payload: String, fileID: String = #fileID, line: Int = #line) -> String {
        var rng = stream(fileID, line)
        return jwt(header: header, payload: payload, &rng)
    }

    /// A Mindtickle-shaped pair: 40 and 96 lowercase hex characters.
    public static func mindtickle(fileID: String = #fileID, line: Int = #line) -> (apiKey: String, secretKey: String) {
        var rng = stream(fileID, line)
        return (draw(lowerHex, 40, &rng), draw(lowerHex, 96, &rng))
    }

    /// A GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 30 base62 characters + the 6-character base62
    /// CRC32 of those 30). With `validChecksum: false` the last six characters are a checksum that does not
    /// verify.
    public static func githubToken(_ prefix: String = "ghp", validChecksum: Bool = true,
                                   fileID: String = #fileID, line: Int = #line) -> String {
        var rng = stream(fileID, line)
        return prefix + "_" + checksummed(validChecksum, &rng)
    }

    /// An npm access token (`npm_` + 30 base62 characters + their base62 CRC32); see ``githubToken(_:validChecksum:fileID:line:)``.
    public static func npmToken(validChecksum: Bool = true, fileID: String = #fileID, line: Int = #line) -> String {
        var rng = stream(fileID, line)
        return join("np", "m_") + checksummed(validChecksum, &rng)
    }

    static func checksummed(_ valid: Bool, _ rng: inout Stream) -> String {
        let body = draw(alnum, 30, &rng)
        let crc = Checksum.crc32(Array(body.utf8))
        // Any other value is a wrong checksum (base62 of a different CRC is a different six characters).
        return body + Checksum.base62(valid ? crc : crc ^ 0x5A5A_5A5A)
    }

    /// Joins parts at run time (for prefixes that would otherwise form a secret-shaped literal).
    public static func join(_ parts: String...) -> String { parts.joined() }

    // MARK: - The generator

    /// SplitMix64: small, fast, and good enough for test values; one per call.
    public struct Stream: RandomNumberGenerator {
        var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Calls so far per (test, call site), for the per-call counter.
    private final class Counters: @unchecked Sendable {  // `counts` is only touched under `lock`
        private let lock = NSLock()
        private var counts: [UInt64: UInt64] = [:]
        func next(_ key: UInt64) -> UInt64 {
            lock.lock()
            defer { lock.unlock() }
            let n = counts[key, default: 0]
            counts[key] = n + 1
            return n
        }
    }
    private static let counters = Counters()

    /// The stream of one call: seed, running test, call site and the call's number at that site.
    public static func stream(_ fileID: String = #fileID, _ line: Int = #line) -> Stream {
        let site = fnv1a("\(currentTest)|\(fileID):\(line)")
        let n = counters.next(site)
        var mixer = Stream(seed: seed ^ site)
        let base = mixer.next()
        return Stream(seed: base ^ (n &* 0xD6E8_FEB8_6659_FD93))
    }

    /// The running swift-testing test (name and where it is declared), or "" outside one.
    static var currentTest: String {
        #if canImport(Testing)
        if let test = Test.current {
            return "\(test.sourceLocation.fileID):\(test.sourceLocation.line):\(test.name)"
        }
        #endif
        return ""
    }

    /// FNV-1a, 64 bits: a hash that is the same in every process (Swift's `Hasher` is seeded per process).
    public static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    static func uuid(_ rng: inout Stream) -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40   // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80   // RFC 4122 variant
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        let h = Array(hex)
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-" + String(h[20..<32])
    }

    static func jwt(header: String, payload: String, _ rng: inout Stream) -> String {
        let signingInput = Base64.encode(Array(header.utf8), urlSafe: true) + "." + Base64.encode(Array(payload.utf8), urlSafe: true)
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let sig = Digest.hmacSHA256(key: key, message: Array(signingInput.utf8))
        return signingInput + "." + Base64.encode(sig, urlSafe: true)
    }

    /// `count` characters from `alphabet` with the classes it has guaranteed, never placeholder-like.
    static func draw(_ alphabet: [Character], _ count: Int, _ rng: inout Stream) -> String {
        precondition(!alphabet.isEmpty, "an empty alphabet")
        let digits = alphabet.filter { $0.isASCII && $0.isNumber }
        let upper = alphabet.filter { $0.isASCII && $0.isUppercase }
        let lower = alphabet.filter { $0.isASCII && $0.isLowercase }
        var required: [[Character]]
        if count >= 3, !digits.isEmpty, !upper.isEmpty, !lower.isEmpty {
            required = [digits, upper, lower]
        } else {
            required = [digits, upper + lower].filter { !$0.isEmpty }
        }
        if required.count < 2 || count < required.count { required = [] }   // nothing to mix, or too short
        while true {
            var chars = (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            var positions = Array(0..<count)
            positions.shuffle(using: &rng)
            for (position, options) in zip(positions, required) {
                chars[position] = options[Int.random(in: 0..<options.count, using: &rng)]
            }
            let value = String(chars)
            if !looksLikePlaceholder(value, fewDistinctPossible: Set(alphabet).count <= 3),
               shannonEntropy(chars) >= entropyFloor(alphabet: Set(alphabet).count, count: count) { return value }
        }
    }

    /// Bits per character of `chars` (Shannon, over the characters' frequencies).
    public static func shannonEntropy(_ chars: [Character]) -> Double {
        guard !chars.isEmpty else { return 0 }
        var counts = [Character: Int]()
        for c in chars { counts[c, default: 0] += 1 }
        let n = Double(chars.count)
        return counts.values.reduce(0) { $0 - Double($1) / n * log2(Double($1) / n) }
    }

    /// The entropy a drawn value must reach: rules' floors are 3.0 to 3.5 bits, and a uniform draw falls below
    /// them now and then (16 characters of base32: about once in 2,000, which made a count in a test one short).
    /// Capped below what the alphabet and length allow, so that a floor is always reachable.
    static func entropyFloor(alphabet: Int, count: Int) -> Double {
        min(3.3, 0.85 * log2(Double(max(1, min(alphabet, count)))))
    }

    /// What the scanner's placeholder filter would take for a placeholder in a random value.
    /// (`fewDistinctPossible`: the alphabet itself has three characters or fewer, so "few distinct
    /// characters" cannot be avoided and is not held against the value.)
    static func looksLikePlaceholder(_ value: String, fewDistinctPossible: Bool = false) -> Bool {
        let lower = value.lowercased()
        for word in ["example", "placeholder", "changeme", "redacted", "dummy", "sample", "notreal", "lorem"]
        where lower.contains(word) { return true }
        if value.contains("xxxxx") || value.contains("XXXXX") { return true }
        let bytes = Array(lower.utf8)
        if !fewDistinctPossible, bytes.count >= 8, Set(bytes).count <= 3 { return true }
        // Eight or more consecutive ascending, descending or equal characters.
        var run = 1, step = 0
        for i in bytes.indices.dropFirst() {
            let d = Int(bytes[i]) - Int(bytes[i - 1])
            if abs(d) <= 1, d == step || run == 1 { run += 1; step = d } else if abs(d) <= 1 { run = 2; step = d } else { run = 1 }
            if run >= 8 { return true }
        }
        return false
    }
}
