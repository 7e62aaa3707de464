@testable import Credentials
import Testing
import TestSupport

/// The strength-aware password judge of issue 21: dummies, placeholders, references and hashes are not
/// plaintext passwords; real-looking ones are; hashes are named by their scheme.
@Suite struct PasswordTests {
    static let crypt64 = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    @Test func dummiesPlaceholdersAndReferencesAreNotRealPasswords() {
        for dummy in ["password", "changeme", "secret", "xxx", "xxxxxxxx", "<password>", "${DB_PASSWORD}", "", "P@ssw0rd123!",
                      "Password1", "admin@2024", "s3cr3t!!", "changeme123", "{{ db_password }}", "%(password)s", "%DB_PASSWORD%",
                      "`pass show mail`", "DB_PASSWORD", "config.db.password", "getPassword()", "********", "12345678",
                      "keyboard cat", "qwerty123", "letmein!", "postgres", "root1234"] {
            #expect(!Password.isRealLooking(dummy), "\(dummy) judged real")
        }
    }

    @Test func realLookingPasswordsAreFindings() {
        for _ in 0..<20 {
            let pw = FakeKeys.alnum(14) + "#7"
            #expect(Password.isRealLooking(pw), "\(pw)")
        }
        #expect(Password.isRealLooking("%" + FakeKeys.alnum(12)))   // may start with % (not %VAR%)
        #expect(Password.isRealLooking("correct" + "horsebatterystaple"))  // a long passphrase
    }

    @Test func hashesAreNamedAndNeverPlaintext() {
        let bcrypt = FakeKeys.join("$2y$10$", FakeKeys.random(Self.crypt64, 53))
        let sha512 = FakeKeys.join("$6$", FakeKeys.random(Self.crypt64, 16), "$", FakeKeys.random(Self.crypt64, 86))
        let md5 = FakeKeys.join("$1$", FakeKeys.random(Self.crypt64, 8), "$", FakeKeys.random(Self.crypt64, 22))
        let argon = FakeKeys.join("$argon2id$v=19$m=65536,t=3,p=4$", FakeKeys.alnum(22), "$", FakeKeys.alnum(43))
        let cisco8 = FakeKeys.join("$8$", FakeKeys.random(Self.crypt64, 14), "$", FakeKeys.random(Self.crypt64, 43))
        let cisco9 = FakeKeys.join("$9$", FakeKeys.random(Self.crypt64, 14), "$", FakeKeys.random(Self.crypt64, 43))
        let expected = [(bcrypt, "bcrypt"), (sha512, "sha512-crypt"), (md5, "md5-crypt"), (argon, "argon2"),
                        ("*" + FakeKeys.hex(40).uppercased(), "mysql-native"),
                        (cisco8, "cisco-pbkdf2-sha256"), (cisco9, "cisco-scrypt")]
        for (hash, scheme) in expected {
            #expect(Password.hashType(hash) == scheme)
            #expect(!Password.isRealLooking(hash), "\(scheme) judged a plaintext password")
        }
        #expect(Password.hashType(FakeKeys.alnum(16)) == nil)
        // Cisco type 8/9 only with their 14-character salt and 43-character hash.
        #expect(Password.hashType(FakeKeys.join("$8$", FakeKeys.random(Self.crypt64, 14), "$", FakeKeys.random(Self.crypt64, 30))) == nil)
    }

    /// WinSCP's stored form: flag, length, random padding, then user + host + password, each byte ~(b ^ 0xA3).
    @Test func winSCPPasswordsDecode() {
        func encode(_ text: String, padding: [UInt8]) -> String {
            let bytes: [UInt8] = [0xFF, 0, UInt8(text.utf8.count), UInt8(padding.count)] + padding + Array(text.utf8)
            return bytes.map { b in let v = ~b ^ 0xA3; return String(v, radix: 16, uppercase: true).count == 1 ? "0" + String(v, radix: 16, uppercase: true) : String(v, radix: 16, uppercase: true) }.joined()
        }
        let pw = FakeKeys.alnum(12)
        let stored = encode("deploy" + "ftp.corp" + pw, padding: [7, 99, 200])
        #expect(Password.decodeWinSCP(stored, user: "deploy", host: "ftp.corp") == pw)
        #expect(Password.decodeWinSCP(stored, user: "other", host: "ftp.corp") == nil)
        #expect(Password.decodeWinSCP("ZZ", user: "", host: "") == nil)
    }
}

/// Placeholders by segment and by alphabet: a marker word between separators (ASCII or not), values of three
/// byte values or fewer; random values of the same length are not.
@Suite struct PlaceholderShapeTests {
    @Test func markerWordsAndTinyAlphabetsArePlaceholders() {
        for value in ["mx-prod-key-here", "YOUR_API_TOKEN", "insert.token.now", "clé-your-valeur", "ab" + "ababab" + "abab",
                      String(repeating: "0a", count: 60), "é-fake-ü", "duffel_test_abc123", "sk-ABC123-token"] {
            #expect(Placeholder.isPlaceholder(value), "\(value)")
        }
        for _ in 0..<20 {
            let value = FakeKeys.alnum(12) + "-" + FakeKeys.alnum(12)
            #expect(!Placeholder.isPlaceholder(value), "\(value)")
        }
        #expect(!Placeholder.isPlaceholder("héllo-wörld-" + FakeKeys.alnum(16)))
        // "abc123" counts only as a whole segment, not inside a key.
        #expect(!Placeholder.isPlaceholder(FakeKeys.alnum(10) + "abc123" + FakeKeys.alnum(10)))
    }

    /// Two ascending sequences interleaved (`1a2b3c4d…`), as hand-made dummy keys are written, with or without
    /// separators and in any case; nine characters of the pattern are not enough, and random keys never are.
    @Test func interleavedSequencesArePlaceholders() {
        let digits = Array("1234567890"), letters = Array("abcdefghijklmnop")
        let interleaved = String((0..<10).flatMap { [digits[$0], letters[$0]] })        // 1a2b3c...0j
        for value in [interleaved, "a1b2c3d4e5f6", interleaved.uppercased(), "1a2b3C4d-5E6f-7g8H-9i0J-k1l2",
                      "x" + String(interleaved.prefix(10)) + "Q"] {
            #expect(Placeholder.isPlaceholder(value), "\(value)")
            #expect(Placeholder.hasInterleavedSequence(Array(value.lowercased().utf8)), "\(value)")
        }
        #expect(!Placeholder.hasInterleavedSequence(Array("1a2b3c4dZq".utf8)))   // 8 of the pattern, not 10
        // Letters and digits each in order, in groups: also dummies.
        for value in ["abc123def456ghi789jkl012", "ABCD1234EFGH5678IJKL9012", "aB1cD2eF3gH4iJ5kL6mN7oP8", "abcdefabcdefabcdefabcd"] {
            #expect(Placeholder.isPlaceholder(value), "\(value)")
            #expect(Placeholder.isMostlyStepwise(Array(value.lowercased().utf8)), "\(value)")
        }
        #expect(!Placeholder.isMostlyStepwise(Array("abc123def456".utf8)))   // shorter than 16
        for _ in 0..<200 {
            let value = FakeKeys.alnum(40)
            #expect(!Placeholder.hasInterleavedSequence(Array(value.utf8)), "\(value)")
            #expect(!Placeholder.isMostlyStepwise(Array(value.lowercased().utf8)), "\(value)")
            let hex = FakeKeys.hex(32)
            #expect(!Placeholder.isMostlyStepwise(Array(hex.utf8)), "\(hex)")
        }
    }

    @Test func distinctBytesCountsEachByteValueOnce() {
        #expect(Placeholder.distinctBytes(Array("aabbcc".utf8), atMost: 3))
        #expect(!Placeholder.distinctBytes(Array("aabbccd".utf8), atMost: 3))
        #expect(Placeholder.distinctBytes([0, 64, 128, 192, 0, 64], atMost: 4))
        #expect(!Placeholder.distinctBytes([0, 64, 128, 192, 255], atMost: 4))
        #expect(Placeholder.distinctBytes([], atMost: 0))
    }
}

/// Words of a name: runs of letters and digits, lowercased, the same on the ASCII byte path as by Characters.
@Suite struct WordsTests {
    @Test func asciiWordsAreTheCharacterWords() {
        for text in ["Acme-API_v2", "mx-prod-key-here", "YOUR_API_TOKEN", "..a..", "", "Bearer\tTOKEN 42", "AWS/IAM:key"] {
            let byCharacters = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
            #expect(Words.lowercased(text) == byCharacters, "\(text)")
        }
        #expect(Words.lowercased("Acme-API_v2") == ["acme", "api", "v2"])
        #expect(Words.lowercased("Clé-Über_2") == ["clé", "über", "2"])
    }
}
