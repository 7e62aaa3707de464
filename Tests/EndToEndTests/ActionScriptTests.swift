import Foundation
import Testing
import TestSupport

/// The composite action's shell steps, run locally with GitHub's environment variables set.
@Suite struct ActionScriptTests {
    static let actionFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("action.yml").path

    /// The `run:` script of the step named `name`, read with PyYAML.
    func stepScript(_ name: String) throws -> String {
        let code = "import sys, yaml\nsteps = yaml.safe_load(open(sys.argv[1]))['runs']['steps']\n"
            + "print(next(s['run'] for s in steps if s.get('name') == sys.argv[2]), end='')"
        let run = try Run.program("/usr/bin/env", ["python3", "-c", code, Self.actionFile, name])
        try #require(run.status == 0, "\(run.stderr)")
        return run.stdout
    }

    @Test func scanAndAnnotateStepsOnAPush() throws {
        let dir = try TemporaryDirectory()
        let repo = dir.path("repo")
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        try Run.git(["init", "-q", "-b", "main"], in: repo)
        try dir.write("repo/README.md", "service\n")
        try Run.git(["add", "-A"], in: repo)
        try Run.git(["commit", "-q", "-m", "base"], in: repo)
        let base = try Run.git(["rev-parse", "HEAD"], in: repo).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try dir.write("repo/new.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try Run.git(["add", "-A"], in: repo)
        try Run.git(["commit", "-q", "-m", "add key"], in: repo)
        let head = try Run.git(["rev-parse", "HEAD"], in: repo).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try dir.write("event.json", #"{"before":"\#(base)","after":"\#(head)"}"#)
        try dir.write("output", "")
        try dir.write("summary.md", "")
        let binDir = URL(fileURLWithPath: Run.keywardenPath).deletingLastPathComponent().path
        let env = [
            "PATH": binDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": dir.path("event.json"),
            "GITHUB_OUTPUT": dir.path("output"), "GITHUB_STEP_SUMMARY": dir.path("summary.md"),
            "KEYWARDEN_SCOPE": "--ci", "KEYWARDEN_ARGS": "", "KEYWARDEN_SARIF": "keywarden.sarif", "KEYWARDEN_EXIT_CODE": "1",
            "KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path,
        ]
        let scan = try Run.program("/bin/bash", ["-c", try stepScript("Scan (SARIF)")], in: repo, environment: env)
        #expect(scan.status == 0, "findings fail later, after the upload: \(scan.stderr)")
        #expect(try String(contentsOfFile: dir.path("output"), encoding: .utf8).contains("status=1"))
        let sarif = try String(contentsOfFile: dir.path("repo/keywarden.sarif"), encoding: .utf8)
        #expect(sarif.contains("maintainx-api-key-assignment"))
        #expect(scan.stderr.contains("GitHub push: scanning commits \(base)..\(head)"))
        let annotate = try Run.program("/bin/bash", ["-c", try stepScript("Annotate and summarise")], in: repo, environment: env)
        #expect(annotate.status == 0)
        #expect(annotate.stdout.contains("::error file=new.env,line=1"))
        #expect(try String(contentsOfFile: dir.path("summary.md"), encoding: .utf8).contains("new.env"))
    }

    /// The action's `version` input: its default must be the release this repository builds (VERSION).
    func actionDefault(_ input: String) throws -> String {
        let code = "import sys, yaml\nprint(yaml.safe_load(open(sys.argv[1]))['inputs'][sys.argv[2]]['default'], end='')"
        let run = try Run.program("/usr/bin/env", ["python3", "-c", code, Self.actionFile, input])
        try #require(run.status == 0, "\(run.stderr)")
        return run.stdout
    }

    /// A release folder like GitHub's (`vVERSION/keywarden-VERSION-linux-ARCH.tar.gz` and `SHA256SUMS`) holding
    /// the binary under test; `tamper` changes the tarball after the checksum was taken.
    func releaseFolder(_ dir: TemporaryDirectory, version: String, tamper: Bool = false) throws -> String {
        let arch = try Run.program("/usr/bin/uname", ["-m"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = "keywarden-\(version)-linux-\(arch)"
        let folder = dir.path("releases/v\(version)")
        try FileManager.default.createDirectory(atPath: dir.path("stage/\(name)"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Run.keywardenPath, toPath: dir.path("stage/\(name)/keywarden"))
        let tar = try Run.program("/bin/tar", ["-czf", folder + "/\(name).tar.gz", "-C", dir.path("stage"), name])
        try #require(tar.status == 0, "\(tar.stderr)")
        let sums = try Run.program("/bin/sh", ["-c", "cd '\(folder)' && sha256sum \(name).tar.gz > SHA256SUMS"])
        try #require(sums.status == 0)
        if tamper {
            let handle = try #require(FileHandle(forWritingAtPath: folder + "/\(name).tar.gz"))
            handle.seekToEndOfFile()
            handle.write(Data("extra".utf8))
            handle.closeFile()
        }
        return "file://" + dir.path("releases")
    }

    func installEnvironment(_ dir: TemporaryDirectory, url: String, version: String) throws -> [String: String] {
        try FileManager.default.createDirectory(atPath: dir.path("runner-temp"), withIntermediateDirectories: true)
        try dir.write("path", "")
        return ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "RUNNER_TEMP": dir.path("runner-temp"), "GITHUB_PATH": dir.path("path"),
                "GITHUB_ACTION_PATH": URL(fileURLWithPath: Self.actionFile).deletingLastPathComponent().path,
                "KEYWARDEN_VERSION": version, "KEYWARDEN_BUILD": "false", "KEYWARDEN_DOWNLOAD_URL": url]
    }

    @Test func installDownloadsTheReleaseVerifiesItsChecksumAndPutsItOnPath() throws {
        let version = try actionDefault("version")
        let file = URL(fileURLWithPath: Self.actionFile).deletingLastPathComponent().appendingPathComponent("VERSION").path
        #expect(version == (try String(contentsOfFile: file, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines))
        let dir = try TemporaryDirectory()
        let env = try installEnvironment(dir, url: try releaseFolder(dir, version: version), version: version)
        let install = try Run.program("/bin/bash", ["-c", try stepScript("Install keywarden")], environment: env)
        #expect(install.status == 0, "\(install.stderr)")
        let added = try String(contentsOfFile: dir.path("path"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(added == dir.path("runner-temp/keywarden-tool/\(version)"))
        #expect(FileManager.default.isExecutableFile(atPath: added + "/keywarden"))
        // A second run uses the cached binary (the release folder is gone).
        try FileManager.default.removeItem(atPath: dir.path("releases"))
        #expect(try Run.program("/bin/bash", ["-c", try stepScript("Install keywarden")], environment: env).status == 0)
    }

    @Test func installRefusesATarballThatDoesNotMatchItsChecksum() throws {
        let version = try actionDefault("version")
        let dir = try TemporaryDirectory()
        let env = try installEnvironment(dir, url: try releaseFolder(dir, version: version, tamper: true), version: version)
        let install = try Run.program("/bin/bash", ["-c", try stepScript("Install keywarden")], environment: env)
        #expect(install.status == 2)
        #expect(install.stderr.contains("does not match SHA256SUMS: not installed"), "\(install.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("runner-temp/keywarden-tool/\(version)/keywarden")))
        #expect(try String(contentsOfFile: dir.path("path"), encoding: .utf8).isEmpty)
    }

    @Test func theSarifReportGoesToTheRunnersTempFolderByDefault() throws {
        #expect(try actionDefault("sarif-file").isEmpty)
        let dir = try TemporaryDirectory()
        let repo = dir.path("repo")
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.path("runner-temp"), withIntermediateDirectories: true)
        try dir.write("repo/app.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try dir.write("output", "")
        let binDir = URL(fileURLWithPath: Run.keywardenPath).deletingLastPathComponent().path
        let env = ["PATH": binDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                   "RUNNER_TEMP": dir.path("runner-temp"), "GITHUB_OUTPUT": dir.path("output"),
                   "KEYWARDEN_SCOPE": "--no-git", "KEYWARDEN_ARGS": ".", "KEYWARDEN_SARIF": "", "KEYWARDEN_EXIT_CODE": "1",
                   "KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
        let scan = try Run.program("/bin/bash", ["-c", try stepScript("Scan (SARIF)")], in: repo, environment: env)
        #expect(scan.status == 0, "\(scan.stderr)")
        let output = try String(contentsOfFile: dir.path("output"), encoding: .utf8)
        #expect(output.contains("sarif=\(dir.path("runner-temp/keywarden.sarif"))"))
        #expect(output.contains("sarif-written=true"))
        #expect(try String(contentsOfFile: dir.path("runner-temp/keywarden.sarif"), encoding: .utf8).contains("maintainx"))
        #expect(!FileManager.default.fileExists(atPath: repo + "/keywarden.sarif"), "nothing written into the checkout")
    }

    /// A folder of executables that each append their name and arguments to `calls.log` and succeed
    /// (`python3` also says it is pre-commit 4, so that the script's checks pass without installing).
    func recordingFakes(_ dir: TemporaryDirectory, _ names: [String]) throws -> String {
        for name in names {
            let url = try dir.write("bin/\(name)", "#!/bin/sh\necho \"\(name) $*\" >> \"\(dir.path("calls.log"))\"\necho 'pre-commit 4.0.0'\nexit 0\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        return dir.path("bin")
    }

    /// `build-from-source: true` installs only what the build needs: the step runs
    /// `scripts/install-deps.sh --build-only` (no Chromium, no Python packages), then `swift build`.
    @Test func buildFromSourceInstallsBuildDependenciesOnly() throws {
        let dir = try TemporaryDirectory()
        let bin = try recordingFakes(dir, ["swift"])
        let script = try dir.write("action/scripts/install-deps.sh", "#!/bin/sh\necho \"install-deps.sh $*\" >> \"\(dir.path("calls.log"))\"\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        try dir.write("path", "")
        let env = ["PATH": bin + ":/usr/bin:/bin", "KEYWARDEN_BUILD": "true", "KEYWARDEN_VERSION": "0.0.0",
                   "GITHUB_ACTION_PATH": dir.path("action"), "GITHUB_PATH": dir.path("path"), "RUNNER_TEMP": dir.path("tmp")]
        let install = try Run.program("/bin/bash", ["-c", try stepScript("Install keywarden")], environment: env)
        #expect(install.status == 0, "\(install.stderr)")
        let calls = try String(contentsOfFile: dir.path("calls.log"), encoding: .utf8).split(separator: "\n")
        #expect(calls.first == "install-deps.sh --build-only", "\(calls)")
        #expect(calls.contains { $0.hasPrefix("swift build -c release") }, "\(calls)")
    }

    /// `install-deps.sh --build-only` never runs python3 or pip (the packages it checks are installed
    /// here, so dpkg-query finds them; `apt-get` and `sudo` are fakes too, so nothing is ever installed).
    /// Without the option the same fakes are called: the recording works.
    @Test func installDepsBuildOnlyRunsNoPython() throws {
        let dir = try TemporaryDirectory()
        let bin = try recordingFakes(dir, ["python3", "python", "pip", "pip3", "apt-get", "sudo"])
        let script = URL(fileURLWithPath: Self.actionFile).deletingLastPathComponent().appendingPathComponent("scripts/install-deps.sh").path
        let env = ["PATH": bin + ":/usr/bin:/bin"]
        let buildOnly = try Run.program("/bin/bash", [script, "--build-only"], environment: env)
        #expect(buildOnly.status == 0, "\(buildOnly.stderr)")
        let calls = (try? String(contentsOfFile: dir.path("calls.log"), encoding: .utf8)) ?? ""
        #expect(!calls.contains("python") && !calls.contains("pip"), "python3/pip called with --build-only: \(calls)")
        #expect(try Run.program("/bin/bash", [script, "--no-such-option"], environment: env).status == 2)
        let full = try Run.program("/bin/bash", [script], environment: env)
        #expect(full.status == 0, "\(full.stderr)")
        #expect(((try? String(contentsOfFile: dir.path("calls.log"), encoding: .utf8)) ?? "").contains("python3 -c import jsonschema"))
    }
}
