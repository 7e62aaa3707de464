import Foundation
import Hygiene
import Testing
import TestSupport

@Suite struct EnvironmentCheckTests {
    static let twoEnvironments = """
        [hook]
        mode = "strict"

        [doctor]
        required_env = ["MAINTAINX_API_KEY", "MINDTICKLE_API_KEY"]
        environments = { prod = ".env.production", staging = ".env.staging" }
        """

    @Test func skippedWithoutRequiredVariables() throws {
        let f = try Fixture()
        let report = try f.examine()
        #expect(report.result(.requiredEnvironment)?.status == .skip)
        #expect(report.result(.environmentsDistinct)?.status == .skip)
    }

    @Test func passWhenEveryEnvironmentHasItsOwnRealValues() throws {
        let f = try Fixture()
        try f.write(".keywarden.toml", Self.twoEnvironments)
        try f.write(".env.production", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\nexport MINDTICKLE_API_KEY=\"\(FakeKeys.hex(40))\"\n", mode: 0o600)
        try f.write(".env.staging", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\nMINDTICKLE_API_KEY=\(FakeKeys.hex(40))\n", mode: 0o600)
        let report = try f.examine()
        #expect(report.result(.requiredEnvironment)?.status == .pass)
        #expect(report.result(.environmentsDistinct)?.status == .pass)
        #expect(report.result(.environmentFilePermissions)?.status == .pass)
    }

    @Test func missingEmptyAndPlaceholderValuesFail() throws {
        let f = try Fixture()
        try f.write(".keywarden.toml", Self.twoEnvironments)
        try f.write(".env.production", "MAINTAINX_API_KEY=your-api-key-here\nMINDTICKLE_API_KEY=\n")
        try f.write(".env.staging", "MAINTAINX_API_KEY=TODO\n")
        let r = try f.result(.requiredEnvironment)
        #expect(r.status == .fail)
        #expect(Set(r.details) == [
            "MAINTAINX_API_KEY in prod (.env.production) is a placeholder",
            "MINDTICKLE_API_KEY in prod (.env.production) is empty",
            "MAINTAINX_API_KEY in staging (.env.staging) is a placeholder",
            "MINDTICKLE_API_KEY is not set in staging (.env.staging)",
        ])
        #expect(r.fix?.contains("set MINDTICKLE_API_KEY in .env.staging") == true)
    }

    @Test func aMissingEnvironmentFileFails() throws {
        let f = try Fixture()
        try f.write(".keywarden.toml", Self.twoEnvironments)
        try f.write(".env.production", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\nMINDTICKLE_API_KEY=\(FakeKeys.hex(40))\n")
        let r = try f.result(.requiredEnvironment)
        #expect(r.status == .fail)
        #expect(r.details == [".env.staging (staging) cannot be read"])
    }

    @Test func theSameValueInTwoEnvironmentsFailsWithoutShowingIt() throws {
        let f = try Fixture()
        try f.write(".keywarden.toml", Self.twoEnvironments)
        let shared = FakeKeys.alnum(40)
        try f.write(".env.production", "MAINTAINX_API_KEY=\(shared)\nMINDTICKLE_API_KEY=\(FakeKeys.hex(40))\n")
        try f.write(".env.staging", "MAINTAINX_API_KEY=' \(shared)'\nMINDTICKLE_API_KEY=\(FakeKeys.hex(40))\n")
        let report = try f.examine()
        #expect(report.result(.requiredEnvironment)?.status == .pass)
        let r = try #require(report.result(.environmentsDistinct))
        #expect(r.status == .fail)
        #expect(r.details == ["MAINTAINX_API_KEY has the same value in prod (.env.production) and staging (.env.staging)"])
        let everything = "\(report.checks)"
        #expect(!everything.contains(shared))
    }

    @Test func withoutEnvironmentsTheProcessEnvironmentAndDotEnvCount() throws {
        let f = try Fixture()
        try f.write(".keywarden.toml", "[doctor]\nrequired_env = [\"MAINTAINX_API_KEY\", \"MINDTICKLE_API_KEY\"]\n")
        f.environment = ["MAINTAINX_API_KEY": FakeKeys.alnum(40)]
        let missing = try f.result(.requiredEnvironment)
        #expect(missing.status == .fail)
        #expect(missing.details == ["MINDTICKLE_API_KEY is not set in the environment"])
        try f.write(".env", "MINDTICKLE_API_KEY=\(FakeKeys.hex(40))\nMAINTAINX_API_KEY=changeme\n", mode: 0o600)
        // The process environment wins over .env for MAINTAINX_API_KEY; .env supplies the other.
        #expect(try f.result(.requiredEnvironment).status == .pass)
        #expect(try f.result(.environmentsDistinct).status == .skip)
    }

    @Test(arguments: [0o644, 0o640, 0o604])
    func dotEnvFilesReadableByOthersFail(mode: Int) throws {
        let f = try Fixture()
        try f.write(".env", "A=1\n", mode: 0o600)
        try f.write(".env.example", "A=\n", mode: 0o644)   // a template: not checked
        #expect(try f.result(.environmentFilePermissions).status == .pass)
        try f.write(".env.local", "A=1\n", mode: mode)
        let r = try f.result(.environmentFilePermissions)
        #expect(r.status == .fail)
        #expect(r.fix == "chmod 600 .env.local")
    }

    @Test func permissionsAreSkippedWithoutDotEnvFiles() throws {
        let f = try Fixture()
        #expect(try f.result(.environmentFilePermissions).status == .skip)
    }
}
