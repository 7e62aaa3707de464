import Foundation
import Hygiene
import Testing
import TestSupport

@Suite struct HookCheckTests {
    @Test func failsWithoutAHookAndSaysHowToInstallOne() throws {
        let f = try Fixture()
        let r = try f.result(.hook)
        #expect(r.status == .fail)
        #expect(r.fix == "keywarden hook install")
    }

    @Test func passesWithAnExecutableHookThatRunsKeywarden() throws {
        let f = try Fixture()
        try f.installHook()
        #expect(try f.result(.hook).status == .pass)
    }

    @Test func aHookThatIsNotExecutableFails() throws {
        let f = try Fixture()
        try f.write(".git/hooks/pre-commit", "#!/bin/sh\nkeywarden scan --staged\n", mode: 0o644)
        let r = try f.result(.hook)
        #expect(r.status == .fail)
        #expect(r.fix == "chmod +x .git/hooks/pre-commit")
    }

    @Test func anotherHookFails() throws {
        let f = try Fixture()
        try f.write(".git/hooks/pre-commit", "#!/bin/sh\nmake lint\n", mode: 0o755)
        let r = try f.result(.hook)
        #expect(r.status == .fail)
        #expect(r.message.contains("does not run keywarden"))
    }

    @Test func coreHooksPathIsWhereGitLooks() throws {
        let f = try Fixture()
        try f.installHook()                          // in .git/hooks, which git no longer reads
        try f.git("config", "core.hooksPath", "githooks")
        #expect(try f.result(.hook).status == .fail)
        try f.installHook(in: "githooks")
        let r = try f.result(.hook)
        #expect(r.status == .pass)
        #expect(r.message.contains("githooks/pre-commit"))
    }

    @Test func aFrameworkConfigurationCountsOnceTheFrameworkIsInstalled() throws {
        let f = try Fixture()
        try f.write(".pre-commit-config.yaml", "repos:\n- repo: local\n  hooks:\n  - id: keywarden\n    entry: keywarden scan --staged\n")
        let before = try f.result(.hook)
        #expect(before.status == .fail)
        #expect(before.fix == "pre-commit install")
        // What `pre-commit install` writes: a generic script that does not name keywarden itself.
        try f.write(".git/hooks/pre-commit", "#!/usr/bin/env bash\nexec pre-commit hook-impl --hook-type=pre-commit\n", mode: 0o755)
        #expect(try f.result(.hook).status == .pass)
    }

    @Test func fixUsesTheInstallerWhenGivenAndOnlyWhenTheHookIsMissing() throws {
        let f = try Fixture()
        var calls = 0
        let outcome = try f.doctor().fix { root in
            calls += 1
            let hooks = root + "/.git/hooks"
            try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: hooks + "/pre-commit", contents: Data("#!/bin/sh\nkeywarden scan --staged\n".utf8),
                                           attributes: [.posixPermissions: 0o755])
            return "installed the keywarden pre-commit hook"
        }
        #expect(calls == 1)
        #expect(outcome.changes.contains("installed the keywarden pre-commit hook"))
        #expect(try f.result(.hook).status == .pass)
        let second = try f.doctor().fix { _ in
            calls += 1
            return "again"
        }
        #expect(calls == 1)
        #expect(second.changes.isEmpty && second.leftToYou.isEmpty)
    }

    @Test func fixWithoutAnInstallerPrintsTheCommand() throws {
        let f = try Fixture()
        let outcome = try f.doctor().fix()
        #expect(outcome.leftToYou == ["keywarden hook install"])
        #expect(!FileManager.default.fileExists(atPath: f.dir.path(".git/hooks/pre-commit")))
    }
}
