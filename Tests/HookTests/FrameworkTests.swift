import Foundation
import Testing
import TestSupport

/// keywarden under the real pre-commit framework (4.x, installed by scripts/install-deps.sh), using this
/// repository's `.pre-commit-hooks.yaml` from a local clone. The `language: system` hooks run end to end;
/// the `language: swift` hook's manifest is validated (building it takes minutes: see docs/hooks.md).
@Suite struct FrameworkTests {
    let home: TemporaryDirectory
    init() throws { home = try TemporaryDirectory(prefix: "keywarden-precommit-home") }

    func preCommit(_ arguments: [String], in repo: HookFixture) throws -> ProcessResult {
        let binDir = URL(fileURLWithPath: Run.keywardenPath).deletingLastPathComponent().path
        let path = binDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try Run.program("/usr/bin/env", ["python3", "-m", "pre_commit"] + arguments, in: repo.path,
                               environment: repo.env.merging(["PATH": path, "PRE_COMMIT_HOME": home.path()]) { $1 })
    }

    /// A clone-able repository holding this repository's manifest, and a project configured to use it.
    func project(hooks: [String]) throws -> HookFixture {
        let source = try HookFixture(empty: true, install: false)
        let manifest = try String(contentsOfFile: HookFixture.packageRoot + "/.pre-commit-hooks.yaml", encoding: .utf8)
        try source.write(".pre-commit-hooks.yaml", manifest)
        try source.git("add", "-A")
        try source.git("commit", "-q", "-m", "manifest")
        let rev = try source.head()
        let repo = try HookFixture(install: false)
        var config = "repos:\n  - repo: \(source.path)\n    rev: \(rev)\n    hooks:\n"
        for id in hooks { config += "      - id: \(id)\n" }
        try repo.write(".pre-commit-config.yaml", config)
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "--no-verify", "-m", "pre-commit config")
        repo.keepAlive.append(source.dir)
        return repo
    }

    @Test func frameworkIsVersion4() throws {
        let repo = try HookFixture(install: false)
        let r = try preCommit(["--version"], in: repo)
        #expect(r.status == 0, "pre-commit 4.x must be installed (scripts/install-deps.sh): \(r.stderr)")
        #expect(r.stdout.hasPrefix("pre-commit 4."))
    }

    @Test func manifestIsValid() throws {
        let repo = try HookFixture(install: false)
        let r = try preCommit(["validate-manifest", HookFixture.packageRoot + "/.pre-commit-hooks.yaml"], in: repo)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let manifest = try String(contentsOfFile: HookFixture.packageRoot + "/.pre-commit-hooks.yaml", encoding: .utf8)
        #expect(manifest.contains("language: swift"))
        #expect(manifest.contains("language: system"))
    }

    @Test func allFilesAndFilesScanTheNamedFiles() throws {
        let repo = try project(hooks: ["keywarden-system"])
        try repo.write("app.env", HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        try repo.git("commit", "-q", "--no-verify", "-m", "a secret already committed")

        let all = try preCommit(["run", "--all-files"], in: repo)
        #expect(all.status == 1, "\(all.stdout)\(all.stderr)")
        #expect(all.stdout.contains("app.env:1"))
        let named = try preCommit(["run", "--files", "app.env"], in: repo)
        #expect(named.status == 1)
        #expect(named.stdout.contains("app.env:1"))
        let clean = try preCommit(["run", "--files", "readme.txt"], in: repo)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
    }

    @Test func frameworkHookOnCommitScansTheStagedChanges() throws {
        let repo = try project(hooks: ["keywarden-system"])
        let install = try preCommit(["install"], in: repo)
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
        let path = URL(fileURLWithPath: Run.keywardenPath).deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let env = repo.env.merging(["PATH": path, "PRE_COMMIT_HOME": home.path()]) { $1 }

        try repo.write("app.env", HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        let blocked = try Run.program("/usr/bin/git", ["commit", "-q", "-m", "secret"], in: repo.path, environment: env)
        #expect(blocked.status != 0)
        #expect((blocked.stdout + blocked.stderr).contains("app.env:1"))
        #expect(try repo.commitCount() == 2)

        try repo.write("app.env", "MAINTAINX_API_KEY=${MAINTAINX_API_KEY}\n")
        try repo.git("add", "app.env")
        let passed = try Run.program("/usr/bin/git", ["commit", "-q", "-m", "clean"], in: repo.path, environment: env)
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")

        // Staged mode, not whole files: an old secret already committed in the same file does not block
        // a commit that only adds a clean line to it (scanning the passed file whole would).
        let old = HookFixture.secretLine().line
        try repo.write("old.env", old)
        try repo.git("add", "old.env")
        try repo.git("commit", "-q", "--no-verify", "-m", "an old secret")
        try repo.write("old.env", old + "MODE=dev\n")
        try repo.git("add", "old.env")
        let edit = try Run.program("/usr/bin/git", ["commit", "-q", "-m", "clean edit"], in: repo.path, environment: env)
        #expect(edit.status == 0, "\(edit.stdout)\(edit.stderr)")
    }

    @Test func frameworkPrePushScansTheCommitsTheRemoteLacks() throws {
        let repo = try project(hooks: ["keywarden-pre-push"])
        let remote = try TemporaryDirectory(prefix: "keywarden-hook-remote")
        try repo.git("init", "-q", "--bare", remote.path())
        try repo.git("remote", "add", "origin", remote.path())
        try repo.git("push", "-q", "origin", "main")
        repo.keepAlive.append(remote)
        #expect(try preCommit(["install", "-t", "pre-push"], in: repo).status == 0)
        let path = URL(fileURLWithPath: Run.keywardenPath).deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let env = repo.env.merging(["PATH": path, "PRE_COMMIT_HOME": home.path()]) { $1 }

        try repo.git("checkout", "-q", "-b", "feature")
        try repo.write("app.env", HookFixture.secretLine().line)
        try repo.git("add", "app.env")
        try repo.git("commit", "-q", "--no-verify", "-m", "secret")
        let blocked = try Run.program("/usr/bin/git", ["push", "-q", "origin", "feature"], in: repo.path, environment: env)
        #expect(blocked.status != 0)
        #expect((blocked.stdout + blocked.stderr).contains("app.env:1"))
    }
}
