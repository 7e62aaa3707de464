import ArgumentParser
import Testing
@testable import keywarden

/// `scan`'s quick argument reader must produce exactly what argument-parser produces, property by property,
/// and step aside for everything it does not handle.
@Suite struct QuickParseTests {
    /// Every property of a parsed command, wrapped state included: a property the quick reader forgot stays
    /// in its "definition" state and shows up here as a difference.
    private func describe(_ command: Keywarden.Scan) -> String {
        var text = ""
        dump(command, to: &text)
        return text
    }

    static let accepted: [[String]] = [
        [],
        ["."],
        ["--no-git", "--format", "json", "--output", "out.json", "a.txt"],
        ["--no-git", "--format=sarif", "-o", "r.sarif", "src", "docs"],
        ["--staged"],
        ["--staged", "Sources/a.swift", "README.md"],
        ["--range", "main..HEAD", "--format", "github", "--exit-code", "3"],
        ["--since", "v1.0"],
        ["--history", "--branch", "main", "repo.git", "--format", "json"],
        ["--history", "--no-cache", "repo.git"],
        ["--ci", "--format", "sarif", "--output", "k.sarif"],
        ["--config", "rules.toml", "--baseline", "old.json", "--ignore-file", "ignore.txt", "-"],
        ["--max-file-size", "5M", "--threads", "2", "--include-binary", "--follow-symlinks", "x"],
        ["--show-secrets", "--ledger", "keys.toml", "--verify", "--exit-code=0", "y"],
        ["a", "--no-git", "b"],
        ["--recurse-submodules", "lib", "src"],
    ]

    @Test(arguments: accepted)
    func sameResultAsArgumentParser(_ arguments: [String]) throws {
        let quick = try #require(Keywarden.Scan.quickParse(arguments))
        let full = try #require(try Keywarden.Scan.parseAsRoot(arguments) as? Keywarden.Scan)
        #expect(describe(quick) == describe(full))
        #expect(!describe(quick).contains("definition"))
    }

    static let declined: [[String]] = [
        ["--help"], ["-h"], ["help"], ["--version"], ["--no-such-option"], ["--format"], ["--format", "--no-git"],
        ["--exit-code", "three"], ["--exit-code", "-1"], ["--format", "json", "--format", "text"],
        ["-o", "a", "--output", "b"], ["--no-git=true"], ["--", "-file"], ["-ofile"],
    ]

    @Test(arguments: declined)
    func leavesTheRestToArgumentParser(_ arguments: [String]) {
        #expect(Keywarden.Scan.quickParse(arguments) == nil)
    }

    @Test func defaultsMatchTheDeclaredOnes() throws {
        let quick = try #require(Keywarden.Scan.quickParse([]))
        #expect(quick.format == "text" && quick.exitCode == 1 && quick.maxFileSize == "100M" && quick.threads == 0)
        #expect(quick.paths.isEmpty && !quick.noGit && quick.output == nil && !quick.git.staged && quick.rules.config == nil)
    }
}
