import Foundation
import Hashing
import Testing
import TestSupport

/// Salted slow fingerprints (issue 14): what a committed fingerprint gives away, and the salt file.
@Suite struct FingerprinterTests {
    let salt = FingerprintSalt(bytes: Array(repeating: 7, count: 32))!

    /// A weak password's fingerprint is not the SHA-256 (or HMAC) of any guess: checking a guess costs the
    /// 10,000 PBKDF2 rounds under this repository's salt, and needs the salt.
    @Test func aWeakPasswordIsNotOneSHA256Away() {
        let fingerprinter = Fingerprinter(key: nil, salt: salt)
        let password = "hunter" + "2"
        let fp = fingerprinter.fingerprint(password)
        let guesses = ["password", "123456", "hunter", password, "letmein"]
        #expect(!guesses.map { Hex.encode(Digest.sha256(Array($0.utf8))) }.contains(fp))
        #expect(fp != fingerprinter.legacyFingerprint(password))
        let label = Array("keywarden fingerprint v2".utf8) + [0]
        #expect(fp == Hex.encode(Digest.pbkdf2SHA256(password: Array(password.utf8), salt: label + salt.bytes, iterations: 10_000)))
        #expect(fp != Hex.encode(Digest.pbkdf2SHA256(password: Array(password.utf8), salt: label + salt.bytes, iterations: 1)))
    }

    @Test func twoRepositoriesGiveDifferentFingerprints() {
        let other = FingerprintSalt(bytes: Array(repeating: 8, count: 32))!
        let secret = FakeKeys.alnum(40)
        let a = Fingerprinter(key: nil, salt: salt), b = Fingerprinter(key: nil, salt: other)
        #expect(a.fingerprint(secret) != b.fingerprint(secret))
        #expect(a.fingerprint(secret) == Fingerprinter(key: nil, salt: salt).fingerprint(secret))
        #expect(a.legacyFingerprint(secret) == b.legacyFingerprint(secret))
        // The team key is mixed in on top of the salt.
        let keyed = Fingerprinter(environment: [Fingerprinter.keyVariable: "team"], salt: salt)
        #expect(keyed.fingerprint(secret) != a.fingerprint(secret))
        #expect(keyed.fingerprint(secret) == Hex.encode(Digest.hmacSHA256(key: Array("team".utf8), message: Hex.decode(a.fingerprint(secret))!)))
        // Repeated values come from the run's cache and are the same.
        #expect(a.fingerprint(secret) == a.fingerprint(secret))
    }

    /// `prepare` derives several secrets side by side: each comes out as it does one by one, a repeated
    /// secret once, and a pending salt file is created once and used by all of them.
    @Test(arguments: [true, false]) func preparedFingerprintsAreTheOnesDerivedOneByOne(onEveryCore: Bool) throws {
        let dir = try TemporaryDirectory()
        let path = dir.path(FingerprintSalt.fileName)
        let secrets = (0..<9).map { _ in FakeKeys.alnum(32) }
        let fingerprinter = Fingerprinter(environment: [:], creatingSaltAt: path)
        fingerprinter.prepare(secrets + secrets.prefix(3), onEveryCore: onEveryCore)
        let written = try #require(try FingerprintSalt.load(path: path))
        let oneByOne = Fingerprinter(key: nil, salt: written)
        #expect(secrets.map(fingerprinter.fingerprint) == secrets.map(oneByOne.fingerprint))
        #expect(fingerprinter.takeNotes().filter { $0.contains("created") }.count == 1)
        #expect(Set(secrets.map(fingerprinter.fingerprint)).count == secrets.count)
    }

    @Test func theSaltFileRoundTripsAndIsCreatedOnFirstUse() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path(FingerprintSalt.fileName)
        #expect(try FingerprintSalt.load(path: path) == nil)
        let fingerprinter = Fingerprinter(environment: [:], creatingSaltAt: path)
        #expect(!FileManager.default.fileExists(atPath: path), "nothing is written before a fingerprint is needed")
        let fp = fingerprinter.fingerprint("value")
        let written = try #require(try FingerprintSalt.load(path: path))
        #expect(fp == Fingerprinter(key: nil, salt: written).fingerprint("value"))
        #expect(fingerprinter.takeNotes().contains { $0.contains("created \(path)") })
        // A second creator keeps the first salt.
        let (again, created) = try FingerprintSalt.create(path: path)
        #expect(again == written && !created)
        #expect(try FingerprintSalt.parse(written.text, path: "x") == written)
    }

    @Test(arguments: [
        ("", "no salt line"),
        ("# only a comment\n", "no salt line"),
        ("v1 abc\n", "x:1: not a salt line"),
        ("v2 " + String(repeating: "ab", count: 32) + "\n", "x:1: not a salt line"),
        ("v1 " + String(repeating: "AB", count: 32) + "\n", "x:1: not a salt line"),
        ("# c\nv1 " + String(repeating: "ab", count: 32) + "\nv1 " + String(repeating: "cd", count: 32) + "\n", "x:3: a second salt line"),
    ])
    func aMalformedSaltFileIsAClearError(text: String, message: String) {
        #expect {
            try FingerprintSalt.parse(text, path: "x")
        } throws: { error in
            (error as? FingerprintSaltError)?.message.contains(message) == true
        }
    }

    @Test func aSymbolicLinkOrFolderIsNotASaltFile() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("folder"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: dir.path("link"), withDestinationPath: dir.path("folder"))
        #expect(throws: FingerprintSaltError.self) { try FingerprintSalt.load(path: dir.path("folder")) }
        #expect(throws: FingerprintSaltError.self) { try FingerprintSalt.load(path: dir.path("link")) }
    }
}
