import Foundation
import Testing
import TestSupport

/// `keywarden hook install` / `uninstall`: where the file goes, chaining, managers, the shims in hooks/.
@Suite struct InstallTests {
    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func installedHookIsTheShimFromHooksFolderWithTheMarker() throws {
        let repo = try HookFixture(installArguments: ["--pre-push"])
        for name in ["pre-commit", "pre-push"] {
            let installed = try repo.read(".git/hooks/\(name)")
            let shipped = try String(contentsOfFile: HookFixture.packageRoot + "/hooks/\(name)", encoding: .utf8)
            let lines = installed.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines[1] == "# keywarden-hook v1")
            let normalised = lines.map { $0.hasPrefix("keywarden_installed=") ? "keywarden_installed=''" : String($0) }
            #expect(normalised.joined(separator: "\n") == shipped, "hooks/\(name) must be what install writes")
            #expect(installed.contains("keywarden_installed='/"))
            #expect(try mode(repo.dir.path(".git/hooks/\(name)")) & 0o111 != 0)
            #expect(try mode(HookFixture.packageRoot + "/hooks/\(name)") & 0o111 != 0)
        }
    }

    @Test func existingHookIsChainedAndRestoredExactly() throws {
        let repo = try HookFixture(install: false)
        let original = "#!/bin/sh\n# a team's own hook\necho ran >> \"$(git rev-parse --git-dir)/chained-ran\"\n"
        let hookPath = repo.dir.path(".git/hooks/pre-commit")
        try repo.write(".git/hooks/pre-commit", original)
        try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: hookPath)

        let install = try repo.keywarden(["hook", "install"])
        #expect(install.status == 0)
        #expect(install.stdout.contains("pre-commit.keywarden-chained"))
        #expect(try repo.read(".git/hooks/pre-commit.keywarden-chained") == original)

        // A clean commit: keywarden passes, then the chained hook runs.
        try repo.write("notes.txt", "x\n")
        try repo.git("add", "notes.txt")
        #expect(try repo.commit().status == 0)
        #expect(try repo.read(".git/chained-ran") == "ran\n")
        // A blocked commit: the chained hook does not run.
        try repo.write("app.env", HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        #expect(try repo.commit().status == 1)
        #expect(try repo.read(".git/chained-ran") == "ran\n")

        // Installing again updates keywarden's hook and keeps the chained one.
        #expect(try repo.keywarden(["hook", "install"]).status == 0)
        #expect(try repo.read(".git/hooks/pre-commit.keywarden-chained") == original)

        let uninstall = try repo.keywarden(["hook", "uninstall"])
        #expect(uninstall.status == 0)
        #expect(try repo.read(".git/hooks/pre-commit") == original)
        #expect(try mode(hookPath) == 0o750)
        #expect(!FileManager.default.fileExists(atPath: hookPath + ".keywarden-chained"))
    }

    @Test func aForeignHookBesideAChainedOneIsRefusedAndNothingChanges() throws {
        let repo = try HookFixture(install: false)
        let foreign = "#!/bin/sh\n# a team's own hook\nexit 0\n"
        let chained = "#!/bin/sh\n# an older chained hook\nexit 0\n"
        try repo.write(".git/hooks/pre-commit", foreign)
        try repo.write(".git/hooks/pre-commit.keywarden-chained", chained)
        let install = try repo.keywarden(["hook", "install"])
        #expect(install.status == 2, "\(install.stdout)\(install.stderr)")
        #expect(install.stderr.contains("keywarden-chained already exists: nothing was changed"), "\(install.stderr)")
        #expect(try repo.read(".git/hooks/pre-commit") == foreign)
        #expect(try repo.read(".git/hooks/pre-commit.keywarden-chained") == chained)
    }

    @Test func uninstallLeavesAForeignHookAlone() throws {
        let repo = try HookFixture(install: false)
        try repo.write(".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n")
        let r = try repo.keywarden(["hook", "uninstall"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("not keywarden's hook"))
        #expect(try repo.read(".git/hooks/pre-commit") == "#!/bin/sh\nexit 0\n")
    }

    @Test func coreHooksPathIsWhereTheHookGoes() throws {
        let repo = try HookFixture(install: false)
        try repo.git("config", "core.hooksPath", "tools/githooks")
        #expect(try repo.keywarden(["hook", "install"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: repo.dir.path("tools/githooks/pre-commit")))
        #expect(!FileManager.default.fileExists(atPath: repo.dir.path(".git/hooks/pre-commit")))
        try repo.write("app.env", HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        #expect(try repo.commit().status == 1)
    }

    @Test(arguments: [(".husky/.keep", ".husky/pre-commit"), ("lefthook.yml", "lefthook.yml"), (".pre-commit-config.yaml", "repo: local")])
    func hookManagersGetASnippetInsteadOfAFile(_ marker: String, _ name: String) throws {
        let repo = try HookFixture(install: false)
        try repo.write(marker, "\n")
        let r = try repo.keywarden(["hook", "install"])
        #expect(r.status == 0)
        #expect(r.stdout.contains(name))
        #expect(r.stdout.contains("keywarden hook run pre-commit"))
        #expect(!FileManager.default.fileExists(atPath: repo.dir.path(".git/hooks/pre-commit")))
        let forced = try repo.keywarden(["hook", "install", "--force"])
        #expect(forced.status == 0)
        #expect(FileManager.default.fileExists(atPath: repo.dir.path(".git/hooks/pre-commit")))
    }

    @Test func missingBinaryBlocksWithInstructions() throws {
        let repo = try HookFixture(install: false)
        let shim = try String(contentsOfFile: HookFixture.packageRoot + "/hooks/pre-commit", encoding: .utf8)
        try repo.write(".git/hooks/pre-commit", shim)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.dir.path(".git/hooks/pre-commit"))
        try repo.write("notes.txt", "x\n")
        try repo.git("add", "notes.txt")
        // PATH without keywarden (the base PATH of the tests has none).
        let r = try Run.program("/usr/bin/git", ["commit", "-q", "-m", "x"], in: repo.path,
                                environment: repo.env.merging(["PATH": "/usr/bin:/bin"]) { $1 })
        #expect(r.status != 0)
        #expect(r.stderr.contains("keywarden binary was not found"))
        #expect(r.stderr.contains("KEYWARDEN_BIN"))
        // KEYWARDEN_BIN points the shim at a binary.
        let ok = try Run.program("/usr/bin/git", ["commit", "-q", "-m", "x"], in: repo.path,
                                 environment: repo.env.merging(["PATH": "/usr/bin:/bin", "KEYWARDEN_BIN": Run.keywardenPath]) { $1 })
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test func outsideARepositoryInstallSaysSoInOneLine() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-no-repo")
        let env = ["GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CEILING_DIRECTORIES": dir.path()]
        let r = try Run.keywarden(["hook", "install"], in: dir.path(), environment: env)
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("not inside a git repository"))
        #expect(!r.stderr.contains("rev-parse"))
        #expect(!r.stderr.contains("fatal:"))
    }

    @Test func aTrackedHooksPathGetsAWarningAndAPortableHook() throws {
        let repo = try HookFixture(install: false)
        try repo.write("tools/githooks/README", "the team's hooks\n")
        try repo.git("add", "tools/githooks/README")
        try repo.git("commit", "-q", "-m", "team hooks")
        try repo.git("config", "core.hooksPath", "tools/githooks")
        let warned = try repo.keywarden(["hook", "install"])
        #expect(warned.status == 1)
        #expect(warned.stderr.contains("a folder tracked in git"))
        #expect(warned.stderr.contains("Nothing was written"))
        #expect(warned.stderr.contains("--portable"))
        #expect(!FileManager.default.fileExists(atPath: repo.dir.path("tools/githooks/pre-commit")))

        let portable = try repo.keywarden(["hook", "install", "--portable"])
        #expect(portable.status == 0, "\(portable.stderr)")
        let hook = try repo.read("tools/githooks/pre-commit")
        #expect(hook == (try String(contentsOfFile: HookFixture.packageRoot + "/hooks/pre-commit", encoding: .utf8)),
                "a portable hook records no binary path: it is the shipped hooks/pre-commit")
        // It works where keywarden is found through KEYWARDEN_BIN.
        try repo.write("app.env", HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        let blocked = try repo.gitResult(["commit", "-q", "-m", "x"], stdin: nil)
        #expect(blocked.status != 0)
        let withBin = try Run.program("/usr/bin/git", ["commit", "-q", "-m", "x"], in: repo.path,
                                      environment: repo.env.merging(["KEYWARDEN_BIN": Run.keywardenPath]) { $1 })
        #expect(withBin.status == 1)
        #expect(withBin.stderr.contains("commit blocked"))

        // An untracked hooks folder (git's own, or a new one) is written as before.
        try repo.git("config", "core.hooksPath", "local-hooks")
        #expect(try repo.keywarden(["hook", "install"]).status == 0)
        #expect(try repo.read("local-hooks/pre-commit").contains("keywarden_installed='/"))
    }

    @Test func aPreCommitConfigThatRunsKeywardenIsRecognised() throws {
        let repo = try HookFixture(install: false)
        try repo.write(".pre-commit-config.yaml", """
            repos:
              - repo: https://github.com/example/keywarden
                rev: v0.2.0
                hooks:
                  - id: keywarden

            """)
        let r = try repo.keywarden(["hook", "install"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("the pre-commit framework already runs keywarden here (pre-commit); nothing to add"))
        #expect(r.stdout.contains("pre-commit install"))
        #expect(!r.stdout.contains("repo: local"))
        // Asking for pre-push too: only the missing hook's snippet.
        let both = try repo.keywarden(["hook", "install", "--pre-push"])
        #expect(both.status == 0)
        #expect(both.stdout.contains("It already runs keywarden for pre-commit"))
        #expect(both.stdout.contains("keywarden hook run pre-push"))
        #expect(!both.stdout.contains("entry: keywarden hook run pre-commit"))
        #expect(!FileManager.default.fileExists(atPath: repo.dir.path(".git/hooks/pre-commit")))
    }
}
