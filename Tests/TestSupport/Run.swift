import Foundation
import SystemSupport

/// What a finished process left behind.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs programs from tests, with a clean, explicit environment.
public enum Run {
    /// The built `keywarden` executable, beside the test bundle: the suite always tests what it built.
    /// (`KEYWARDEN_BIN`, which tells the hook shims which binary to run, is deliberately not read here: a
    /// user who set it for the hooks would otherwise test an older installed binary.)
    public static var keywardenPath: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("keywarden")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            dir = dir.deletingLastPathComponent()
        }
        return ".build/debug/keywarden"
    }

    /// Runs `keywarden` with `arguments` in `directory`.
    public static func keywarden(_ arguments: [String], in directory: String? = nil, stdin: String? = nil,
                                 environment: [String: String] = [:]) throws -> ProcessResult {
        try program(keywardenPath, arguments, in: directory, stdin: stdin, environment: environment)
    }

    /// Runs any program; `environment` is added to a minimal base: PATH, HOME, and the rule cache folders
    /// of the test process (`KEYWARDEN_CACHE_DIR`, `XDG_CACHE_HOME`), so that no run writes to `~/.cache`
    /// when the suite was given a cache folder of its own.
    public static func program(_ path: String, _ arguments: [String], in directory: String? = nil, stdin: String? = nil,
                               environment: [String: String] = [:]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let base = ProcessInfo.processInfo.environment
        var env = ["PATH": base["PATH"] ?? "/usr/bin:/bin", "HOME": base["HOME"] ?? "/tmp", "LANG": "C.UTF-8"]
        for name in ["KEYWARDEN_CACHE_DIR", "XDG_CACHE_HOME"] { if let value = base[name] { env[name] = value } }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let exit = try ProcessExit(launching: process)
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so that a full pipe never blocks the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        exit.wait()
        // Closed here, not when the pipes are freed: Foundation's Process keeps them, and so their descriptors,
        // alive after the run, and a test process that launched thousands of children held thousands of
        // descriptors (9,000 pipe ends in one full run), which Process.run then lists on every launch.
        try? out.fileHandleForReading.close()
        try? err.fileHandleForReading.close()
        return ProcessResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `git` with a fixed identity and no user or system configuration.
    @discardableResult
    public static func git(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> ProcessResult {
        var env = ["GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.com",
                   "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.com",
                   "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"]
        for (k, v) in environment { env[k] = v }
        let result = try program("/usr/bin/git", arguments, in: directory, environment: env)
        guard result.status == 0 else {
            throw GitFailure(message: "git \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result
    }
}

/// A git command used to build a test fixture failed.
public struct GitFailure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
