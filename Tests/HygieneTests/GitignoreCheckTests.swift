import Foundation
import Hygiene
import Testing

@Suite struct GitignoreCheckTests {
    @Test func failsWithoutAGitignoreAndNamesEveryUncoveredProbe() throws {
        let f = try Fixture()
        let r = try f.result(.gitignore)
        #expect(r.status == .fail)
        for probe in [".env", ".env.local", ".env.production", "x.key", "x.pem", "x.p12"] {
            #expect(r.details.contains("\(probe) is not ignored"), "\(probe)")
        }
        let fix = try #require(r.fix)
        for line in [".env", ".env.*", "*.key", "*.pem", "*.p12", "!.env.example"] {
            #expect(fix.contains("    " + line + "\n") || fix.hasSuffix("    " + line), "\(line)")
        }
    }

    @Test func passesWithACompleteGitignore() throws {
        let f = try Fixture()
        try f.write(".gitignore", Fixture.goodGitignore)
        #expect(try f.result(.gitignore).status == .pass)
    }

    @Test func usesGitsRulesNotTheFilesText() throws {
        let f = try Fixture()
        // The patterns appear in .gitignore only inside comments: a text search would pass, git does not.
        try f.write(".gitignore", "# .env\n# .env.*\n# *.key *.pem *.p12\n")
        #expect(try f.result(.gitignore).status == .fail)
        // The same rules in .git/info/exclude, which a text reading of .gitignore would miss, do count.
        try f.write(".git/info/exclude", Fixture.goodGitignore)
        #expect(try f.result(.gitignore).status == .pass)
    }

    @Test func failsWhenTheTemplateIsIgnoredToo() throws {
        let f = try Fixture()
        try f.write(".gitignore", ".env*\n*.key\n*.pem\n*.p12\n")
        let r = try f.result(.gitignore)
        #expect(r.status == .fail)
        #expect(r.details == [".env.example is ignored (it should be committed as the template)"])
        #expect(r.fix?.contains("!.env.example") == true)
    }

    @Test func fixAppendsOnlyWhatIsMissingAndASecondRunChangesNothing() throws {
        let f = try Fixture()
        try f.write(".gitignore", "node_modules/\n*.pem")   // no final newline
        let first = try f.doctor().fix()
        #expect(first.changes == ["appended to .gitignore: .env .env.* *.key *.p12 !.env.example"])
        let text = try String(contentsOfFile: f.dir.path(".gitignore"), encoding: .utf8)
        #expect(text == "node_modules/\n*.pem\n# added by keywarden doctor\n.env\n.env.*\n*.key\n*.p12\n!.env.example\n")
        #expect(try f.result(.gitignore).status == .pass)

        let second = try f.doctor().fix()
        #expect(second.changes.isEmpty)
        #expect(try String(contentsOfFile: f.dir.path(".gitignore"), encoding: .utf8) == text)
    }

    @Test func fixCreatesTheGitignoreAndTheSameDoctorSeesTheChange() throws {
        let f = try Fixture()
        let doctor = try f.doctor()
        let outcome = try doctor.fix()
        #expect(outcome.changes.count == 1)
        #expect(FileManager.default.fileExists(atPath: f.dir.path(".gitignore")))
        #expect(try doctor.examine().result(.gitignore)?.status == .pass)
        #expect(try doctor.fix().changes.isEmpty)
    }
}
