import Foundation
@testable import GitRepository
import Testing
import TestSupport

/// keywarden's own reading of git's ignore rules, checked against git itself.
@Suite struct IgnoreRulesTests {
    /// The untracked files git would add (`git ls-files --others --exclude-standard`), sorted.
    func gitsUntracked(_ f: Fixture) throws -> [String] {
        try f.git("ls-files", "--others", "--exclude-standard", "-z").split(separator: "\0").map(String.init).sorted()
    }

    func oursUntracked(_ f: Fixture) throws -> [String] {
        try f.open().workTreeFiles().filter { !$0.isTracked }.map(\.path).sorted()
    }

    /// libgit2 says a file re-included by a subfolder's `.gitignore` is ignored (its issues 6461, 7284);
    /// git adds it. A scan that trusted libgit2 missed a `.env` that `git add .` commits.
    @Test func aSubfolderNegationReincludesWhatTheRootIgnores() throws {
        let f = try Fixture()
        try f.write(".gitignore", ".env\n*.log\n")
        try f.write("api/.gitignore", "!.env\n")
        try f.write("api/.env", "A=1\n")
        try f.write("api/debug.log", "x\n")
        try f.write(".env", "B=2\n")
        #expect(try gitsUntracked(f) == [".gitignore", "api/.env", "api/.gitignore"])
        #expect(try oursUntracked(f) == [".gitignore", "api/.env", "api/.gitignore"])
        let repo = try f.open()
        #expect(try repo.isIgnored(f.root + "/api/.env") == false)
        #expect(try repo.isIgnored(f.root + "/.env") == true)
    }

    @Test func aFileUnderAnExcludedFolderCannotBeReincluded() throws {
        let f = try Fixture()
        try f.write(".gitignore", "build/\n!build/keep.txt\n")
        try f.write("build/keep.txt", "x\n")
        try f.write("build/sub/.gitignore", "!*\n")
        try f.write("build/sub/b.txt", "x\n")
        #expect(try gitsUntracked(f) == [".gitignore"])
        #expect(try oursUntracked(f) == [".gitignore"])
    }

    @Test func hostilePatternsCostLinearTime() {
        // A pattern that makes a backtracking matcher take exponential time is one pass here.
        let rules = IgnoreRules(root: "/r", files: ["": String(repeating: "*a", count: 40) + "b\n"])
        let name = String(repeating: "a", count: 4000)
        #expect(rules.isIgnored(name, isDirectory: false) == false)
        #expect(rules.isIgnored(name + "b", isDirectory: false) == true)
    }

    /// Random trees and pattern files, compared with git file by file.
    @Test func randomTreesAgreeWithGit() throws {
        var rng = FakeKeys.stream()
        let names = ["a", "b", "c.txt", "d.log", ".env", ".env.local", "x y", "[x]", "ab", "Ab", "#h", "!n"]
        let pieces = ["a", "b", "*", "?", "**", "[ab]", "[!a]", "[a-c]", "[[:alpha:]]", ".env", "*.log", "x\\ y", "\\[x]",
                      "c.txt", "\\#h", "\\!n", "d.*", "A*"]
        var disagreements: [String] = []
        for round in 0..<30 {
            let f = try Fixture()
            var files: [String] = []
            for _ in 0..<14 {
                let depth = Int.random(in: 1...3, using: &rng)
                let path = (0..<depth).map { _ in names.randomElement(using: &rng)! }.joined(separator: "/")
                files.append(path)
            }
            var written = Set<String>()
            for path in files {
                // A name cannot be both a file and a folder.
                let parts = path.split(separator: "/").map(String.init)
                let prefixes = (1..<parts.count).map { parts[0..<$0].joined(separator: "/") }
                if prefixes.contains(where: written.contains) || written.contains(where: { $0.hasPrefix(path + "/") }) { continue }
                try f.write(path, "x\n")
                written.insert(path)
            }
            let folders = [""] + Set(written.flatMap { p -> [String] in
                let parts = p.split(separator: "/").map(String.init)
                return (1..<max(parts.count, 1)).map { parts[0..<$0].joined(separator: "/") }
            }).sorted()
            for folder in folders where Bool.random(using: &rng) || folder.isEmpty {
                var lines: [String] = []
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    var line = ""
                    if Int.random(in: 0..<4, using: &rng) == 0 { line += "!" }
                    if Int.random(in: 0..<4, using: &rng) == 0 { line += "/" }
                    let count = Int.random(in: 1...3, using: &rng)
                    line += (0..<count).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: "/")
                    if Int.random(in: 0..<5, using: &rng) == 0 { line += "/" }
                    if Int.random(in: 0..<8, using: &rng) == 0 { line += "  " }
                    lines.append(line)
                }
                try f.write(folder.isEmpty ? ".gitignore" : folder + "/.gitignore", lines.joined(separator: "\n") + "\n")
            }
            let git = try gitsUntracked(f), ours = try oursUntracked(f)
            if git != ours {
                let patterns = try folders.compactMap { folder -> String? in
                    let p = f.directory.path(folder.isEmpty ? ".gitignore" : folder + "/.gitignore")
                    guard FileManager.default.fileExists(atPath: p) else { return nil }
                    return "\(folder)/.gitignore: " + (try String(contentsOfFile: p, encoding: .utf8)).replacingOccurrences(of: "\n", with: " | ")
                }
                disagreements.append("round \(round): git \(git) ours \(ours); files \(written.sorted()); \(patterns)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }
}
