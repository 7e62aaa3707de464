import Foundation
@testable import GitRepository
import SystemSupport
import Testing
import TestSupport

/// The lines a new version adds to an old one, as keywarden's own line diff finds them in place of libgit2's:
/// exact ranges on hand-made pairs (empty sides, appends, inserts, replacements, deletions, a missing final
/// newline, CRLF, duplicate lines, where a run of duplicates is placed), agreement with `git diff` on random
/// small files (as many added lines as a minimal script, and as git wherever git's script is minimal; every
/// line absent from the old version among them; the others a subsequence of the old version), and the budget:
/// a pathological pair gives up, a large file with a few edits does not.
@Suite struct LineDiffTests {
    static func added(_ old: [UInt8], _ new: [UInt8], budget: Int = 50_000_000) -> [ClosedRange<Int>]? {
        old.withUnsafeBytes { o in new.withUnsafeBytes { n in LineDiff.addedLines(old: o, new: n, budget: budget) } }
    }

    static func added(_ old: String, _ new: String, budget: Int = 50_000_000) -> [ClosedRange<Int>]? {
        added(Array(old.utf8), Array(new.utf8), budget: budget)
    }

    /// The lines of `text`, each with its `\n` (the last one may lack it).
    static func lines(_ text: String) -> [String] {
        var out: [String] = [], line = ""
        for c in text {
            line.append(c)
            if c == "\n" { out.append(line); line = "" }
        }
        if !line.isEmpty { out.append(line) }
        return out
    }

    // MARK: - Hand-made pairs

    @Test func identicalVersionsAddNothing() {
        #expect(Self.added("a\nb\nc\n", "a\nb\nc\n") == [])
        #expect(Self.added("a", "a") == [])
        #expect(Self.added("", "") == [])
    }

    @Test func anEmptyOldVersionMakesEveryLineAdded() {
        #expect(Self.added("", "a\nb\nc\n") == [1...3])
        #expect(Self.added("", "a\nb") == [1...2])
        #expect(Self.added("", "\n") == [1...1])
    }

    @Test func anEmptyNewVersionAddsNothing() {
        #expect(Self.added("a\nb\n", "") == [])
    }

    @Test func appendedLinesAreExactlyTheAddition() {
        #expect(Self.added("a\nb\n", "a\nb\nc\nd\n") == [3...4])
        // Copies of the last line: the copies after it are the addition, not the line itself.
        #expect(Self.added("a\n", "a\na\na\n") == [2...3])
        #expect(Self.added("a\nb\n", "a\nb\na\nb\n") == [3...4])
    }

    @Test func aLineInsertedInTheMiddle() {
        #expect(Self.added("a\nb\nc\n", "a\nb\nX\nc\n") == [3...3])
        #expect(Self.added("a\nb\nc\n", "a\nX\nY\nb\nc\n") == [2...3])
        #expect(Self.added("a\nb\n", "b\na\nb\n") == [1...1])
    }

    @Test func aReplacedLine() {
        #expect(Self.added("a\nb\nc\n", "a\nB\nc\n") == [2...2])
        #expect(Self.added("a\n", "b\n") == [1...1])
        // Two replacements apart stay two ranges; next to each other they merge.
        #expect(Self.added("a\nb\nc\n", "X\nb\nY\n") == [1...1, 3...3])
        #expect(Self.added("a\nb\nc\n", "X\nY\nc\n") == [1...2])
    }

    @Test func deletionsOnlyAddNothing() {
        #expect(Self.added("a\nb\nc\nd\n", "a\nd\n") == [])
        #expect(Self.added("x\na\n", "a\n") == [])
        #expect(Self.added("a\nb\nc\n", "b\n") == [])
    }

    @Test func aMissingFinalNewlineMakesTheLastLineDifferent() {
        // As in git: `a` without its newline is not the line `a\n`.
        #expect(Self.added("a", "a\nb\n") == [1...2])
        #expect(Self.added("a\nb\n", "a\nb") == [2...2])
        #expect(Self.added("a\nb", "a\nb\n") == [2...2])
        #expect(Self.added("a\nb", "a\nb\nc") == [2...3])
        #expect(Self.added("a", "b") == [1...1])
    }

    @Test func carriageReturnsArePartOfTheLine() {
        #expect(Self.added("a\r\nb\r\n", "a\nb\r\n") == [1...1])
        #expect(Self.added("a\r\nb\r\n", "a\r\nb\r\nc\r\n") == [3...3])
        #expect(Self.added("a\nb\n", "a\r\nb\n") == [1...1])
        #expect(Self.added("a\r", "a\r\n") == [1...1])
    }

    @Test func duplicateLinesArePlacedAsGitPlacesThem() {
        // A copy inserted among identical lines is the last of them.
        #expect(Self.added("a\n", "a\na\n") == [2...2])
        #expect(Self.added("\n", "\n\n") == [2...2])
        #expect(Self.added("a\na\n", "a\na\na\na\n") == [3...4])
        #expect(Self.added("x\na\nx\n", "x\na\nx\na\nx\n") == [4...5])
        // ... unless a higher place faces a deleted line: the insertion then stays with the deletion
        // (git: `-X` `+a` at line 1, not line 2).
        #expect(Self.added("X\na\n", "a\na\n") == [1...1])
        // A line found both before and after an insertion point.
        #expect(Self.added("a\nb\nc\n", "a\nb\nb\nc\n") == [3...3])
    }

    @Test func rangesAreMergedAndAscending() {
        #expect(Self.added("a\nb\nc\nd\ne\n", "X\na\nY\nZ\nc\nd\nW\ne\nV\n") == [1...1, 3...4, 7...7, 9...9])
    }

    // MARK: - Against git

    /// A random small file: 0-30 lines over a small alphabet, sometimes without its final newline.
    static func randomFile(_ rng: inout FakeKeys.Stream, alphabet: [String]) -> String {
        var text = ""
        for _ in 0..<rng.below(31) { text += alphabet[rng.below(alphabet.count)] }
        if !text.isEmpty, rng.below(6) == 0 { text.removeLast() }
        return text
    }

    /// The number of `+` lines of `git diff --no-index --unified=0` between two files, or nil when git failed.
    static func gitAddedLineCount(_ old: String, _ new: String, in directory: URL) throws -> Int? {
        let oldFile = directory.appendingPathComponent("old"), newFile = directory.appendingPathComponent("new")
        try Data(old.utf8).write(to: oldFile)
        try Data(new.utf8).write(to: newFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["diff", "--no-index", "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv",
                             oldFile.path, newFile.path]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "LANG": "C",
                               "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let exit = try ProcessExit(launching: process)   // not `waitUntilExit()`, which polls in 50 ms steps
        let output = out.fileHandleForReading.readDataToEndOfFile()
        exit.wait()
        // 0: no difference, 1: differences; anything else is an error.
        guard process.terminationStatus <= 1 else { return nil }
        return String(decoding: output, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }.count
    }

    /// The length of a longest common subsequence of two lists of lines, by dynamic programming.
    static func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1), current = previous
        for line in a {
            for (j, other) in b.enumerated() {
                current[j + 1] = line == other ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    @Test func agreesWithGitOnRandomSmallFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-linediff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let seed: UInt64 = 0x4B57_4C44_0001
        var rng = FakeKeys.Stream(seed: seed)
        let letters = ["a\n", "b\n", "c\n"]
        var agreed = 0
        for n in 0..<200 {
            let alphabet = Array(letters.prefix(2 + rng.below(2)))
            let old = Self.randomFile(&rng, alphabet: alphabet), new = Self.randomFile(&rng, alphabet: alphabet)
            let name = "case \(n) of seed \(seed): old \(old.debugDescription), new \(new.debugDescription)"
            guard let ranges = Self.added(old, new) else {
                Issue.record("no result for \(name)")
                continue
            }
            let added = Set(ranges.flatMap { Array($0) })
            let oldLines = Self.lines(old), newLines = Self.lines(new)
            // As many added lines as a minimal script has: the new lines outside a longest common subsequence.
            let minimal = newLines.count - Self.longestCommonSubsequence(oldLines, newLines)
            #expect(added.count == minimal, "\(name): ranges \(ranges)")
            // Every line found nowhere in the old version is added.
            let known = Set(oldLines)
            for (i, line) in newLines.enumerated() where !known.contains(line) {
                #expect(added.contains(i + 1), "\(name): line \(i + 1) is new but not added (ranges \(ranges))")
            }
            // The lines not added are the old version's lines, in order (with some left out): a valid script.
            let kept = newLines.indices.filter { !added.contains($0 + 1) }.map { newLines[$0] }
            var matched = 0
            for line in oldLines where matched < kept.count && kept[matched] == line { matched += 1 }
            #expect(matched == kept.count, "\(name): the kept lines are not a subsequence of the old version (ranges \(ranges))")
            // Ascending, in the file, neither overlapping nor touching.
            for (i, range) in ranges.enumerated() {
                #expect(range.lowerBound >= 1 && range.upperBound <= newLines.count, "\(name): \(ranges)")
                if i > 0 { #expect(ranges[i - 1].upperBound + 1 < range.lowerBound, "\(name): \(ranges)") }
            }
            // As many as git reports, unless git's own script is not minimal: xdiff sets aside a line repeated
            // many times when it sits among lines that match nothing, even with --minimal (old `a a a a a a b
            // a a`, new `b b b b a` without its newline: git adds all 5 lines, 4 suffice). That is rare on
            // files like these (4 of 17,000 random pairs), and then git adds more lines, never fewer.
            guard let git = try Self.gitAddedLineCount(old, new, in: directory) else {
                Issue.record("git diff failed for \(name)")
                continue
            }
            if git == minimal { agreed += 1 } else { #expect(git > minimal, "\(name): git adds \(git), ranges \(ranges)") }
        }
        #expect(agreed >= 195, "git's count of added lines agreed in only \(agreed) of 200 cases (seed \(seed))")
    }

    // MARK: - The budget

    static func numbered(_ prefix: String, _ indices: some Sequence<Int>) -> [UInt8] {
        var bytes: [UInt8] = []
        for i in indices { bytes += Array("\(prefix) \(i)\n".utf8) }
        return bytes
    }

    @Test func aPathologicalPairGivesUpPastTheBudget() {
        // 20,000 distinct lines against the same lines reversed: every line has a counterpart, but at most one
        // can match, so the search must look at some 40,000 edits across 40,000 diagonals.
        let forward = Self.numbered("line", 0..<20_000), reversed = Self.numbered("line", (0..<20_000).reversed())
        #expect(Self.added(forward, reversed, budget: 1_000_000) == nil)
        // 20,000 distinct lines against 20,000 other distinct lines costs no search at all: no line has a
        // counterpart, so every line is changed before the search starts, whatever the budget.
        let other = Self.numbered("other", 0..<20_000)
        #expect(Self.added(forward, other, budget: 1_000) == [1...20_000])
    }

    @Test func aLargeFileWithScatteredEditsStaysWellWithinTheBudget() {
        var lines = (0..<100_000).map { "let value\($0) = compute(\($0 % 977), \"\($0 * 31 % 1000)\")\n" }
        let old = Array(lines.joined().utf8)
        lines[12_345] = "let token = \"not a real token\"\n"   // replaced
        lines.insert("let inserted = 1\n", at: 50_000)          // inserted (the lines below move down by one)
        lines[88_888] = lines[5]                                 // replaced by a copy of a line found elsewhere
        let new = Array(lines.joined().utf8)
        let expected = [12_346...12_346, 50_001...50_001, 88_889...88_889]
        #expect(Self.added(old, new) == expected)
        // A fiftieth of the default budget is plenty: the common ends and the unmatched lines leave nearly
        // nothing to search.
        #expect(Self.added(old, new, budget: 1_000_000) == expected)
    }
}

extension FakeKeys.Stream {
    /// A number in `0..<n` (n > 0), reproducible from the stream's seed.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
