@testable import Hashing
import Testing

@Suite struct DigestTests {
    @Test func sha256OfEmptyAndABC() {
        #expect(Hex.encode(Digest.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.encode(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// RFC 4231 test cases 1, 2 and 6 (the last with a key longer than the block size).
    @Test(arguments: [
        (String(repeating: "0b", count: 20), "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 131), "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ])
    func hmacRFC4231(key: String, data: String, expected: String) throws {
        let k = try #require(Hex.decode(key)), d = try #require(Hex.decode(data))
        #expect(Hex.encode(Digest.hmacSHA256(key: k, message: d)) == expected)
    }

    /// RFC 4231 test cases 1 and 6 for HMAC-SHA384 and HMAC-SHA512 (the second with a key longer than the block).
    @Test(arguments: [
        (String(repeating: "0b", count: 20), "4869205468657265", 384, "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"),
        (String(repeating: "0b", count: 20), "4869205468657265", 512, "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
        (String(repeating: "aa", count: 131), "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374", 384, "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952"),
        (String(repeating: "aa", count: 131), "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374", 512, "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
    ])
    func hmacSHA512RFC4231(key: String, data: String, bits: Int, expected: String) throws {
        let k = try #require(Hex.decode(key)), d = try #require(Hex.decode(data))
        #expect(Hex.encode(Digest.hmacSHA512(bits: bits, key: k, message: d)) == expected)
    }

    @Test func constantTimeEqual() {
        #expect(Digest.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!Digest.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!Digest.constantTimeEqual([1, 2], [1, 2, 3]))
        #expect(Digest.constantTimeEqual([UInt8](), []))
    }

    @Test func legacyFingerprintIsKeyedOnlyWithTheVariable() {
        let plain = Fingerprinter(environment: [:])
        let keyed = Fingerprinter(environment: [Fingerprinter.keyVariable: "team-key"])
        #expect(!plain.isKeyed && keyed.isKeyed)
        #expect(plain.legacyFingerprint("abc") == Hex.encode(Digest.sha256(Array("abc".utf8))))
        #expect(keyed.legacyFingerprint("abc") == Hex.encode(Digest.hmacSHA256(key: Array("team-key".utf8), message: Array("abc".utf8))))
        #expect(Fingerprinter.isFingerprint(plain.fingerprint("abc")))
        #expect(!Fingerprinter.isFingerprint("abc"))
    }

    /// RFC 7914 section 11's PBKDF2-HMAC-SHA256 vectors (the first 32 bytes: the first block does not depend
    /// on the length asked for).
    @Test func pbkdf2RFC7914() {
        #expect(Hex.encode(Digest.pbkdf2SHA256(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1))
                == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
        #expect(Hex.encode(Digest.pbkdf2SHA256(password: Array("Password".utf8), salt: Array("NaCl".utf8), iterations: 80000))
                == "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56")
    }

    /// keywarden's own rounds (on the SHA-256 block function) give OpenSSL's `PKCS5_PBKDF2_HMAC` output for
    /// passwords shorter than, as long as, and longer than the 64-byte HMAC block (hashed first), salts that
    /// end in either half of a block, and one, two and many rounds.
    @Test func pbkdf2MatchesOpenSSLsOwn() {
        for passwordLength in [0, 1, 31, 32, 55, 56, 63, 64, 65, 200] {
            for saltLength in [0, 1, 51, 52, 55, 56, 57, 64, 121] {
                for iterations in [1, 2, 3, 257] {
                    let password = (0..<passwordLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
                    let salt = (0..<saltLength).map { UInt8(truncatingIfNeeded: $0 &* 91 &+ 5) }
                    #expect(Digest.pbkdf2SHA256(password: password, salt: salt, iterations: iterations)
                            == Digest.opensslPBKDF2SHA256(password: password, salt: salt, iterations: iterations),
                            "password \(passwordLength) bytes, salt \(saltLength) bytes, \(iterations) rounds")
                }
            }
        }
        let secret = Array("not-a-real-secret-0123456789".utf8), salt = [UInt8](repeating: 0x5A, count: 57)
        #expect(Digest.pbkdf2SHA256(password: secret, salt: salt, iterations: 10_000)
                == Digest.opensslPBKDF2SHA256(password: secret, salt: salt, iterations: 10_000))
    }

    /// Several passwords derived together (two at a time side by side on the SHA extensions, where the CPU
    /// has them) give, in order, what OpenSSL's `PKCS5_PBKDF2_HMAC` and the one-at-a-time rounds give: odd and
    /// even batch sizes (a pair and a lone last lane), passwords on both sides of the 64-byte HMAC block, and
    /// one, two and many rounds.
    @Test func pbkdf2OfSeveralPasswordsMatchesOneByOne() {
        let lengths = [0, 1, 7, 31, 32, 63, 64, 65, 100, 200]
        let passwords = lengths.enumerated().map { i, length in (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ i &* 53 &+ 3) } }
        for saltLength in [0, 25, 57] {
            let salt = (0..<saltLength).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 7) }
            for iterations in [1, 2, 3, 1000] {
                for count in [1, 2, 3, 5, passwords.count] {
                    let batch = Array(passwords.prefix(count))
                    let together = Digest.pbkdf2SHA256(passwords: batch, salt: salt, iterations: iterations)
                    let apart = Digest.pbkdf2SHA256(passwords: batch, salt: salt, iterations: iterations, sideBySide: false)
                    let openssl = batch.map { Digest.opensslPBKDF2SHA256(password: $0, salt: salt, iterations: iterations) }
                    #expect(together == openssl, "\(count) passwords, salt \(saltLength) bytes, \(iterations) rounds")
                    #expect(apart == openssl, "\(count) passwords one by one, salt \(saltLength) bytes, \(iterations) rounds")
                }
            }
        }
        let secrets = ["not-a-real-secret-0123456789", "another-fake-value", "x"].map { Array($0.utf8) }
        let salt = Array("keywarden fingerprint v2".utf8) + [0] + [UInt8](repeating: 0xA5, count: 32)
        #expect(Digest.pbkdf2SHA256(passwords: secrets, salt: salt, iterations: 10_000)
                == secrets.map { Digest.opensslPBKDF2SHA256(password: $0, salt: salt, iterations: 10_000) })
    }

    #if arch(x86_64)
    /// The machines keywarden is benchmarked and tested on have SHA-NI: the side-by-side path above is the
    /// one exercised there, not only the portable one.
    @Test(.enabled(if: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.contains(" sha_ni") ?? false))
    func shaExtensionsAreFoundWhereTheCPUHasThem() {
        #expect(Digest.hasSHAExtensions)
    }
    #endif

    @Test func hexRoundTripAndRejects() {
        #expect(Hex.decode("00ffA0") == [0, 255, 160])
        #expect(Hex.decode("0") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}
