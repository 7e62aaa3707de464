import Foundation
import Hygiene
import Testing
import TestSupport

@Suite struct DoctorTests {
    @Test func aHealthyRepositoryPassesEveryCheck() throws {
        let f = try Fixture()
        try f.write(".gitignore", Fixture.goodGitignore)
        try f.installHook()
        try f.write(".keywarden.toml", """
            [doctor]
            required_env = ["MAINTAINX_API_KEY"]
            environments = { prod = ".env.production", staging = ".env.staging" }
            """)
        try f.write(".env.production", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n", mode: 0o600)
        try f.write(".env.staging", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n", mode: 0o600)
        try f.write(".keywarden/keys.toml", "schema = 1\n"
            + Fixture.ledgerKey("k-prod", env: "prod", created: "2026-11-01", fingerprint: Fixture.fingerprint()))
        try f.git("add", ".gitignore", ".keywarden.toml", ".keywarden/keys.toml")
        let report = try f.doctor().examine(history: .scanned([]))
        #expect(report.checks.map(\.id) == CheckID.allCases.map(\.rawValue))
        #expect(report.failed == 0 && report.skipped == 0 && report.passed == CheckID.allCases.count, "\(report.checks)")
        #expect(report.allPassed)
        let fix = try f.doctor().fix()
        #expect(fix.changes.isEmpty && fix.leftToYou.isEmpty)
    }

    @Test func historyEvidenceDecidesTheHistoryCheck() throws {
        let f = try Fixture()
        let doctor = try f.doctor()
        let leaked = HistorySecret(ruleID: "github-pat-classic", provider: "github", path: "a.txt", line: 3,
                                   commit: "0123456789ab", date: "2026-10-01")
        let rotated = HistorySecret(ruleID: "github-pat-classic", provider: "github", path: "b.txt", line: 1,
                                    commit: "0123456789ac", date: "2026-10-02", trackedKey: "ci", isCurrentValue: false)
        let warn = try #require(try doctor.examine(history: .scanned([leaked, rotated])).result(.historySecrets))
        #expect(warn.status == .warn)
        #expect(warn.details == ["a.txt:3 github-pat-classic (github), committed in 0123456789ab on 2026-10-01"])
        #expect(warn.message.contains("1 older value the ledger shows rotated"))
        let report = try doctor.examine(history: .scanned([leaked]))
        #expect(report.warned == 1)
        #expect(report.result(.historySecrets)?.status == .warn)
        #expect(try doctor.examine(history: .scanned([rotated])).result(.historySecrets)?.status == .pass)
        #expect(try doctor.examine(history: .notScanned("--no-history")).result(.historySecrets)?.status == .skip)
    }

    @Test func fixRunTwiceChangesNothingTheSecondTime() throws {
        let f = try Fixture()
        try f.write(".gitignore", "*.log\n")
        try f.write(".env", "A=1\n", mode: 0o644)
        try f.git("add", "-A")
        let first = try f.doctor().fix()
        #expect(!first.changes.isEmpty)
        let gitignore = try Data(contentsOf: URL(fileURLWithPath: f.dir.path(".gitignore")))
        let mode = try FileManager.default.attributesOfItem(atPath: f.dir.path(".env"))[.posixPermissions] as? Int
        let second = try f.doctor().fix()
        #expect(second.changes.isEmpty)
        #expect(second.leftToYou == first.leftToYou)
        #expect(try Data(contentsOf: URL(fileURLWithPath: f.dir.path(".gitignore"))) == gitignore)
        // --fix leaves file modes alone: the permission check still fails with its chmod fix.
        #expect(try FileManager.default.attributesOfItem(atPath: f.dir.path(".env"))[.posixPermissions] as? Int == mode)
        #expect(try f.result(.environmentFilePermissions).status == .fail)
    }

    @Test func outsideARepositoryIsAnError() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-doctor-norepo")
        let options = DoctorOptions(environment: ["GIT_CEILING_DIRECTORIES": FileManager.default.temporaryDirectory.path])
        #expect {
            _ = try Doctor(path: dir.path(), options: options)
        } throws: { ($0 as? HygieneError)?.code == .notAWorkTree }
    }

    @Test func aSubfolderChecksTheWholeWorkTree() throws {
        let f = try Fixture()
        try f.write("src/app/main.swift", "x\n")
        let doctor = try Doctor(path: f.dir.path("src/app"), options: DoctorOptions())
        #expect(doctor.root == f.root)
    }

    @Test func malformedConfigurationNamesTheFileAndLine() throws {
        let f = try Fixture()
        try f.write(".keywarden.toml", "[doctor]\nrequired_env = [\"A\",\n= oops\n")
        #expect {
            _ = try f.doctor()
        } throws: { error in
            guard let e = error as? HygieneError else { return false }
            return e.code == .badConfiguration && e.message.contains(".keywarden.toml:")
        }
        try f.write(".keywarden.toml", "[doctor]\nrequired_env = \"MAINTAINX_API_KEY\"\n")
        #expect {
            _ = try f.doctor()
        } throws: { ($0 as? HygieneError)?.message.contains("required_env must be an array") == true }
    }

    @Test func configurationKeepsOnlyTheDoctorTable() throws {
        let c = try DoctorConfiguration.parse("""
            [hook]
            anything = 1
            [doctor]
            required_env = ["B_KEY", "A_KEY", "B_KEY"]
            environments = { staging = "s.env", prod = "p.env" }
            future_setting = true
            """, file: "x.toml")
        #expect(c.requiredEnvironment == ["B_KEY", "A_KEY"])
        #expect(c.environments == [.init(name: "prod", file: "p.env"), .init(name: "staging", file: "s.env")])
    }

    @Test(arguments: ["", "  ", "your-api-key-here", "TODO", "xxx", "${MAINTAINX_API_KEY}", "changeme", "<key>"])
    func placeholders(value: String) {
        #expect(Doctor.isPlaceholder(value))
    }

    @Test func realLookingValuesAreNotPlaceholders() {
        #expect(!Doctor.isPlaceholder(FakeKeys.alnum(40)))
        #expect(!Doctor.isPlaceholder(FakeKeys.hex(64)))
    }
}
