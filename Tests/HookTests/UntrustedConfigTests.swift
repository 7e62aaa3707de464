import Foundation
import Testing
import TestSupport

/// A repository's `.keywarden.toml` is untrusted input: it cannot choose where keywarden writes, whether
/// it sends keys over the network, or make it read or write outside the repository (issue 14).
@Suite struct UntrustedConfigTests {
    @Test func aRepositoryCannotChooseTheAuditLogOrTurnOnVerification() throws {
        let outside = try TemporaryDirectory(prefix: "keywarden-victim")
        let victim = outside.path("bashrc")
        try "# the user's shell\n".write(toFile: victim, atomically: true, encoding: .utf8)
        let repo = try HookFixture()
        // The review's attack: a relative climb and an absolute path to a file the user owns.
        let climb = String(repeating: "../", count: repo.path.split(separator: "/").count) + String(victim.dropFirst())
        try repo.write(".keywarden.toml", "[hook]\naudit_log = \"\(climb)\"\nverify = true\n")
        try repo.write("app.env", HookFixture.secretLine().line)
        try repo.git("add", "-A")
        let loopback = ["KEYWARDEN_VERIFY_ALLOW_TEST_URLS": "1", "KEYWARDEN_VERIFY_TEST_BASE_URL_MAINTAINX": "http://127.0.0.1:9"]
        let r = try repo.keywarden(["hook", "run", "pre-commit"], environment: loopback)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "# the user's shell\n", "nothing appended outside")
        #expect(r.stderr.contains("[hook] audit_log is ignored"), "\(r.stderr)")
        #expect(r.stderr.contains("[hook] verify is ignored"), "\(r.stderr)")
        #expect(!r.stderr.contains("verification:"), "no request was made: \(r.stderr)")
        #expect(try repo.auditEntries().count == 1, "the default log inside .git is used")
        try repo.write(".keywarden.toml", "[hook]\naudit_log = \"\(victim)\"\n")
        #expect(try repo.keywarden(["hook", "run", "pre-commit"]).status == 1)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "# the user's shell\n")
    }

    @Test func theDefaultAuditLogRefusesALinkInsideTheGitDirectory() throws {
        let outside = try TemporaryDirectory(prefix: "keywarden-victim")
        let repo = try HookFixture()
        try FileManager.default.createSymbolicLink(atPath: repo.dir.path(".git/keywarden"), withDestinationPath: outside.path())
        try repo.write("app.env", HookFixture.secretLine().line)
        try repo.git("add", "-A")
        let r = try repo.keywarden(["hook", "run", "pre-commit"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot append to the audit log"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: outside.path("audit.jsonl")))
    }

    @Test func theHookBaselineStaysInsideTheWorkTree() throws {
        let outside = try TemporaryDirectory(prefix: "keywarden-outside")
        _ = try outside.write("baseline.json", "{\"findings\": []}")
        let repo = try HookFixture()
        try repo.write("notes.txt", "x\n")
        try repo.git("add", "-A")
        for path in ["../outside.json", outside.path("baseline.json")] {
            try repo.write(".keywarden.toml", "[hook]\nbaseline = \"\(path)\"\n")
            let r = try repo.keywarden(["hook", "run", "pre-commit"])
            #expect(r.status == 2, "\(path): \(r.stderr)")
            #expect(r.stderr.contains("[hook] baseline"), "\(r.stderr)")
        }
        try FileManager.default.createSymbolicLink(atPath: repo.dir.path("linked.json"), withDestinationPath: outside.path("baseline.json"))
        try repo.write(".keywarden.toml", "[hook]\nbaseline = \"linked.json\"\n")
        #expect(try repo.keywarden(["hook", "run", "pre-commit"]).status == 2)
    }
}
