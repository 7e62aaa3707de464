import Foundation
import Hygiene
import Testing
import TestSupport

@Suite struct TrackedSecretsCheckTests {
    /// A PEM block assembled at run time (no key-shaped literal in the source).
    static func pem(_ label: String) -> String {
        FakeKeys.join("-----BEGIN ", label, "-----\n", FakeKeys.alnum(64), "\n-----END ", label, "-----\n")
    }

    @Test func passesWithTemplatesPublicCertificatesAndOrdinaryFiles() throws {
        let f = try Fixture()
        try f.write(".env.example", "API_KEY=\n")
        try f.write(".env.sample", "API_KEY=\n")
        try f.write("certs/ca.pem", Self.pem("CERTIFICATE"))
        try f.write("keys/signing.key", Self.pem("PUBLIC KEY"))
        try f.write("src/main.swift", "print(1)\n")
        try f.git("add", "-A")
        let r = try f.result(.trackedSecrets)
        #expect(r.status == .pass, "\(r.details)")
    }

    @Test func failsForEachSecretFileInTheIndexAndPrintsTheUntrackCommand() throws {
        let f = try Fixture()
        try f.write(".env", "A=1\n")
        try f.write("config/.env.production", "A=1\n")
        try f.write("deploy/id_ed25519", "x\n")
        try f.write("certs/server.pem", Self.pem(FakeKeys.join("PRIV", "ATE KEY")))
        try f.write("certs/raw.key", "binary-ish\n")
        try f.write("android/release.keystore", "x\n")
        try f.write("ios/dist.p12", "x\n")
        try f.write("my file.pfx", "x\n")
        try f.write("README.md", "hi\n")
        try f.git("add", "-A")
        try f.git("commit", "-q", "-m", "oops")
        let r = try f.result(.trackedSecrets)
        #expect(r.status == .fail)
        #expect(r.message == "8 secret files are tracked")
        let fix = try #require(r.fix)
        for path in [".env", "config/.env.production", "deploy/id_ed25519", "certs/server.pem", "certs/raw.key",
                     "android/release.keystore", "ios/dist.p12"] {
            #expect(fix.contains("git rm --cached -- \(path)\n"), "\(path)")
        }
        #expect(fix.contains("git rm --cached -- 'my file.pfx'"))
        #expect(fix.contains("rotate"))
        #expect(!r.details.contains { $0.hasPrefix("README.md") })
    }

    @Test func aFileOnlyInTheWorkTreeIsNotReported() throws {
        let f = try Fixture()
        try f.write(".env", "A=1\n")
        #expect(try f.result(.trackedSecrets).status == .pass)
        try f.git("add", ".env")   // staged, not committed: the index is what counts
        #expect(try f.result(.trackedSecrets).status == .fail)
    }

    @Test func fixNeverUntracksAFile() throws {
        let f = try Fixture()
        try f.write(".env", "A=1\n")
        try f.git("add", ".env")
        let outcome = try f.doctor().fix()
        #expect(outcome.leftToYou.contains("git rm --cached -- .env"))
        let listed = try Run.git(["ls-files"], in: f.dir.path()).stdout
        #expect(listed == ".env\n")
        #expect(FileManager.default.fileExists(atPath: f.dir.path(".env")))
    }
}
