import Foundation
import Testing
import TestSupport

/// A temporary repository with keywarden's hooks installed, driven with the real `git` command.
final class HookFixture {
    let dir: TemporaryDirectory
    /// Added to every process: an isolated rule cache, a fixed "today" for key ages.
    let env: [String: String]
    /// Other temporary folders that must live as long as this one (a remote, a hook source).
    var keepAlive: [TemporaryDirectory] = []

    static let cacheDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-hook-cache").path

    /// `git init` (with one commit unless `empty`), then `keywarden hook install` (unless `install` is false).
    init(empty: Bool = false, install: Bool = true, installArguments: [String] = [], extraEnv: [String: String] = [:]) throws {
        dir = try TemporaryDirectory(prefix: "keywarden-hook")
        var env = ["KEYWARDEN_CACHE_DIR": Self.cacheDirectory, "KEYWARDEN_TODAY": "2026-11-23",
                   "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.com",
                   "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.com",
                   "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"]
        for (k, v) in extraEnv { env[k] = v }
        self.env = env
        try git("init", "-q", "-b", "main", ".")
        if !empty {
            try write("readme.txt", "hello\n")
            try git("add", "-A")
            try git("commit", "-q", "-m", "base")
        }
        if install {
            let r = try keywarden(["hook", "install"] + installArguments)
            #expect(r.status == 0, "hook install: \(r.stderr)")
        }
    }

    var path: String { dir.path() }

    func write(_ relative: String, _ text: String) throws {
        try dir.write(relative, text)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: dir.path(relative), encoding: .utf8)
    }

    /// Runs git and requires success.
    @discardableResult
    func git(_ arguments: String...) throws -> ProcessResult {
        let r = try gitResult(arguments)
        guard r.status == 0 else { throw FixtureFailure("git \(arguments.joined(separator: " ")) failed: \(r.stderr)") }
        return r
    }

    /// Runs git and returns whatever happened (a hook may block it).
    func gitResult(_ arguments: [String], stdin: String? = nil, in directory: String? = nil) throws -> ProcessResult {
        try Run.program("/usr/bin/git", arguments, in: directory ?? path, stdin: stdin, environment: env)
    }

    func keywarden(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        try Run.keywarden(arguments, in: path, stdin: stdin, environment: env.merging(environment) { $1 })
    }

    /// `git commit -m message` plus `extra` arguments; the result, blocked or not.
    func commit(_ extra: [String] = [], message: String = "change") throws -> ProcessResult {
        try gitResult(["commit", "-q", "-m", message] + extra)
    }

    func head() throws -> String {
        try git("rev-parse", "HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func commitCount() throws -> Int {
        let r = try gitResult(["rev-list", "--count", "HEAD"])
        return r.status == 0 ? Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 : 0
    }

    /// The audit log's entries (default place).
    func auditEntries(_ relative: String = ".git/keywarden/audit.jsonl") throws -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: dir.path(relative), encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// A line with a fake MaintainX key under the name people use.
    static func secretLine(_ name: String = "MAINTAINX_API_KEY") -> (line: String, key: String) {
        let key = FakeKeys.maintainX(userID: Int.random(in: 1000...99_999))
        return ("\(name)=\(key)\n", key)
    }

    /// The repository's top folder (Tests/HookTests/ is two levels below it).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}

/// A git command that builds a fixture failed.
struct FixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
