import Foundation
import GitRepository
import TestSupport

/// A throwaway repository built with the real git command, in a temporary directory.
final class Fixture {
    let directory: TemporaryDirectory
    /// The work tree (or bare repository) path.
    var root: String { directory.path() }

    init(bare: Bool = false, initialBranch: String = "main") throws {
        directory = try TemporaryDirectory(prefix: "keywarden-git")
        var args = ["init", "-q", "-b", initialBranch]
        if bare { args.append("--bare") }
        try Run.git(args + ["."], in: root)
    }

    @discardableResult
    func git(_ arguments: String..., environment: [String: String] = [:]) throws -> String {
        try git(arguments, environment: environment)
    }

    @discardableResult
    func git(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        try Run.git(arguments, in: root, environment: environment).stdout
    }

    func write(_ path: String, _ text: String) throws { try directory.write(path, text) }
    func write(_ path: String, bytes: [UInt8]) throws { try directory.write(path, data: Data(bytes)) }

    /// Writes, stages and commits `files`; returns the new commit's sha.
    @discardableResult
    func commit(_ message: String, _ files: [String: String] = [:], date: Int = 1_700_000_000) throws -> String {
        for (path, text) in files { try write(path, text) }
        if !files.isEmpty { try git(["add", "--"] + files.keys.sorted()) }
        let when = "\(date) +0000"
        try Run.git(["commit", "-q", "--allow-empty", "-m", message], in: root,
                    environment: ["GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when])
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func open(environment: [String: String] = [:], at path: String? = nil) throws -> GitRepository {
        try GitRepository.open(at: path ?? root, environment: environment, currentDirectory: root)
    }

    func blobID(_ spec: String) throws -> String {
        try git("rev-parse", spec).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
