import Foundation
import PatternMatching
import Synchronization
import Testing

@Suite struct PatternMatchingTests {
    func scan(_ prefilter: Prefilter, _ text: String) throws -> [(Int, Int)] {
        var hits = [(Int, Int)]()
        let scratch = prefilter.makeScratch()
        try Array(text.utf8).withUnsafeBytes { buf in
            try prefilter.scan(buf, scratch: scratch) { hits.append(($0, $1)) }
        }
        return hits
    }

    @Test func prefilterReportsEveryPatternThatMayMatch() throws {
        let p = try Prefilter(patterns: [.init("abc[0-9]+"), .init("xyz", caseless: true)], cacheDirectory: nil)
        let hits = try scan(p, "-- abc12 and XYZ --")
        #expect(hits.contains { $0.0 == 0 })
        #expect(hits.contains { $0.0 == 1 && $0.1 == 16 })
        #expect(try scan(p, "nothing here").isEmpty)
    }

    @Test func unsupportedPatternIsReportedNotFatal() throws {
        // A back-reference cannot be prefiltered exactly, and an empty-matching pattern is refused.
        let p = try Prefilter(patterns: [.init("a*"), .init("token")], cacheDirectory: nil)
        #expect(p.unfiltered.keys.contains(0))
        #expect(!p.unfiltered.keys.contains(1))
        #expect(try scan(p, "a token").contains { $0.0 == 1 })
    }

    @Test func cacheRoundTripGivesTheSameDatabase() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kw-pf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let patterns: [Prefilter.Pattern] = [.init("secret_[a-z]{4}"), .init("a*")]
        let first = try Prefilter(patterns: patterns, cacheDirectory: dir)
        let second = try Prefilter(patterns: patterns, cacheDirectory: dir)
        #expect(first.origin == .compiled)
        #expect(second.origin == .cache)
        #expect(second.unfiltered == first.unfiltered)
        #expect(try scan(second, "x secret_abcd y").map(\.0) == [0])
    }

    @Test func aDamagedCacheFileIsRebuiltNotTrusted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kw-pf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let patterns: [Prefilter.Pattern] = [.init("secret_[a-z]{4}")]
        _ = try Prefilter(patterns: patterns, cacheDirectory: dir)
        let file = try #require(try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).first)
        let good = try Data(contentsOf: file)
        try good.prefix(good.count / 2).write(to: file)
        let rebuilt = try Prefilter(patterns: patterns, cacheDirectory: dir)
        #expect(rebuilt.origin == .compiled)
        #expect(try scan(rebuilt, "x secret_abcd y").map(\.0) == [0])
        #expect(try Prefilter(patterns: patterns, cacheDirectory: dir).origin == .cache)
    }

    @Test func aDeferredPatternCompilesOnFirstUseAndMatchesLikeAnEagerOne() throws {
        let eager = try CompiledRegex("key=([a-z]+)(x)?")
        let deferred = CompiledRegex(deferring: "key=([a-z]+)(x)?")
        #expect(deferred.captureCount == eager.captureCount)
        let text = "a key=abc; key=zz"
        #expect(try deferred.matches(text, scratch: MatchScratch()))
        var spans: [[Range<Int>?]] = []
        try Array(text.utf8).withUnsafeBytes { buf in
            try deferred.forEachMatch(in: buf, range: 0..<buf.count, scratch: MatchScratch()) { spans.append([$0.range] + $0.groups); return true }
        }
        var expected: [[Range<Int>?]] = []
        try Array(text.utf8).withUnsafeBytes { buf in
            try eager.forEachMatch(in: buf, range: 0..<buf.count, scratch: MatchScratch()) { expected.append([$0.range] + $0.groups); return true }
        }
        #expect(spans == expected && spans.count == 2)
    }

    @Test func aBrokenDeferredPatternFailsItsFirstUseNotItsCreation() throws {
        #expect(throws: PatternError.self) { try CompiledRegex("key=([a-z]+") }
        let deferred = CompiledRegex(deferring: "key=([a-z]+")
        #expect(deferred.captureCount == 0)
        #expect(throws: PatternError.self) { try deferred.matches("key=abc", scratch: MatchScratch()) }
    }

    @Test func regexCapturesGroupsAsByteRanges() throws {
        let r = try CompiledRegex("key=([a-z]+)(x)?")
        let text = Array("a key=abc;".utf8)
        var found = [RegexMatch]()
        try text.withUnsafeBytes { buf in
            try r.forEachMatch(in: buf, range: 0..<buf.count, scratch: MatchScratch()) { found.append($0); return true }
        }
        #expect(found == [RegexMatch(range: 2..<9, groups: [6..<9, nil])])
    }

    @Test func invalidPatternNamesTheOffset() {
        // PCRE2 stops at the end of "abc(" (offset 4) and inside "a[b" (offset 3): the error says where.
        for (pattern, offset) in [("abc(", 4), ("a[b", 3), ("ab)cd", 2)] {
            let error = #expect(throws: PatternError.self) { try CompiledRegex(pattern) }
            #expect(error?.code == .invalidPattern(offset: offset), "\(pattern): \(String(describing: error))")
            #expect(error?.message.hasSuffix("at offset \(offset)") == true, "\(pattern): \(String(describing: error))")
        }
    }

    @Test func catastrophicPatternHitsTheLimitInsteadOfHanging() throws {
        let r = try CompiledRegex("(a+)+$")
        let text = String(repeating: "a", count: 5000) + "!"
        #expect(throws: PatternError.self) {
            _ = try r.matches(text, scratch: MatchScratch(matchLimit: 100_000))
        }
    }
}

/// `matches` answers as a search for the first match does, on a worker's scratch whatever it was used for before.
@Suite struct RegexMatchesTests {
    @Test func matchesAnswersAsTheFirstMatchOfASearch() throws {
        let texts = ["", "a", ".netrc", "home/u/.netrc", "x/.NETRC", "pip.conf", "config/master.key", "k=v\n", "caf\u{e9}/pip.ini",
                     String(repeating: "ab", count: 300) + "/.pgpass", "deploy/a.kubeconfig", "settings.py", "one two\nthree"]
        let patterns = ["(?:^|/)[._]?netrc$", "(?i)(?:^|/)pip\\.(?:conf|ini)$", "(?:^|/)config/(?:master|credentials/[A-Za-z0-9_-]+)\\.key$",
                        "^$", "x*", "(?i)\\.py$", "(?m)^three$", "(?<=/)\\.pgpass$", "[^/]*\\.kubeconfig"]
        let scratch = MatchScratch()
        var yes = 0
        for pattern in patterns {
            let regex = try CompiledRegex(pattern)
            for text in texts {
                var first = false
                try Array(text.utf8).withUnsafeBytes { buf in
                    try regex.forEachMatch(in: buf, range: 0..<buf.count, scratch: MatchScratch()) { _ in first = true; return false }
                }
                // The shared scratch was last used by a search allowed to start at offset 0 only.
                let budget = RegexBudget(seconds: 60, startsPerCall: 1)
                budget.begin()
                try Array("zz".utf8).withUnsafeBytes { buf in
                    try regex.forEachMatch(in: buf, range: 0..<buf.count, scratch: scratch, budget: budget, lastStart: 0) { _ in false }
                }
                budget.end()
                #expect(try regex.matches(text, scratch: scratch) == first, "\(pattern) on \(text.debugDescription)")
                if first { yes += 1 }
            }
        }
        #expect(yes >= 20 && yes < texts.count * patterns.count - 25)
    }
}

/// A rule's time budget per input (issue 14): PCRE2's match limit starts again at every start position, so
/// only a cumulative budget bounds a catastrophic pattern over a whole file.
@Suite struct RegexBudgetTests {
    /// Runs of `a` that `(a|aa)+` splits every possible way before the `b` fails each attempt.
    static let catastrophic = String(repeating: String(repeating: "a", count: 21) + "b", count: 4000) + "!"

    @Test func aCatastrophicPatternStopsWhenItsBudgetIsSpent() throws {
        let regex = try CompiledRegex("(?:(a|aa)+;|!)")
        let budget = RegexBudget(seconds: 0.05, startsPerCall: 64)
        budget.begin()
        var matches = 0
        #expect {
            try Array(Self.catastrophic.utf8).withUnsafeBytes { buf in
                try regex.forEachMatch(in: buf, range: 0..<buf.count, scratch: MatchScratch(), budget: budget) { _ in
                    matches += 1
                    return true
                }
            }
        } throws: { error in
            (error as? PatternError)?.code == .budget
        }
        budget.end()
        #expect(budget.exhausted)
        #expect(matches == 0, "stopped long before the '!' at the end")
    }

    /// Searching a few start positions per call finds exactly what one unlimited call finds.
    @Test(arguments: [1, 3, 64, 4096])
    func aBudgetedSearchFindsTheSameMatches(startsPerCall: Int) throws {
        var text = ""
        for i in 0..<300 { text += i % 7 == 0 ? "key=AKIA\(String(repeating: "Q", count: i % 20))\n" : "line \(i) ab;cd\n" }
        for pattern in ["AKIA[A-Z]{0,16}", "(?m)^line [0-9]+", "(?<=key=)\\w+$", "x*", "(?s)ab.{0,40}cd"] {
            let regex = try CompiledRegex(pattern)
            func all(_ budget: RegexBudget?) throws -> [Range<Int>] {
                var found = [Range<Int>]()
                try Array(text.utf8).withUnsafeBytes { buf in
                    try regex.forEachMatch(in: buf, range: 5..<(buf.count - 3), scratch: MatchScratch(), budget: budget) {
                        found.append($0.range)
                        return true
                    }
                }
                return found
            }
            let budget = RegexBudget(seconds: 60, startsPerCall: startsPerCall)
            budget.begin()
            #expect(try all(budget) == all(nil), "\(pattern)")
            budget.end()
        }
    }
}

@testable import PatternMatching

@Suite struct VectorscanMemoryTests {
    /// Databases from the mapping threshold on are mapped (populated) blocks, smaller ones malloc blocks;
    /// both are aligned for any type, writable to their end, and freed by the matching call.
    @Test func largeAndSmallBlocksAreUsableAndFreed() throws {
        for size in [1, 100, VectorscanMemory.mappedFrom - 1, VectorscanMemory.mappedFrom, 3 << 20] {
            let block = try #require(VectorscanMemory.allocate(size))
            #expect(Int(bitPattern: block) % 16 == 0)
            let kind = (block - VectorscanMemory.header).load(as: Int.self)
            #expect(kind == (size >= VectorscanMemory.mappedFrom ? 1 : 0), "size \(size)")
            let bytes = block.assumingMemoryBound(to: UInt8.self)
            for i in stride(from: 0, to: size, by: 4096) { bytes[i] = 0xA5 }
            bytes[size - 1] = 0x5A
            #expect((size == 1 || bytes[0] == 0xA5) && bytes[size - 1] == 0x5A)
            VectorscanMemory.release(block)
        }
        VectorscanMemory.release(nil)
    }

    /// A database large enough to be mapped is built, stored and loaded back through these blocks and scans alike.
    @Test func aMappedDatabaseScansLikeABuiltOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kw-vsmem-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let patterns = (0..<400).map { Prefilter.Pattern("tok\($0)x_[a-z0-9]{6,40}(?:[a-f0-9]{8}|[A-Z]{5})") }
        let built = try Prefilter(patterns: patterns, cacheDirectory: dir)
        let loaded = try Prefilter(patterns: patterns, cacheDirectory: dir)
        #expect(built.origin == .compiled && loaded.origin == .cache)
        let file = dir.appendingPathComponent("prefilter-\(Prefilter.cacheKey(patterns)).db")
        let stored = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
        #expect(stored >= VectorscanMemory.mappedFrom, "the database is large enough to be a mapped block")
        let text = Array("a tok123x_abcdef12345678 b tok7x_zzzzzzABCDE".utf8)
        func hits(_ p: Prefilter) throws -> [Int] {
            var found = Set<Int>()
            try text.withUnsafeBytes { raw in try p.scan(raw, scratch: p.makeScratch()) { index, _ in found.insert(index) } }
            return found.sorted()
        }
        #expect(try hits(built) == [7, 123] && hits(loaded) == [7, 123])
    }
}

/// Lazy JIT: a pattern is interpreted until it has seen `CompiledRegex.jitAfterBytes` of subject, then matches
/// with JIT code; both give the same matches, and the interpreter is held to the same limits.
@Suite struct LazyJITTests {
    static let pattern = "(?<=[ =])key=([a-z]+)(/[0-9])?"

    /// 64-byte lines, every third with a `key=` value (every sixth also with the optional group), and the
    /// matches `pattern` has in them.
    static func lines(_ count: Int) -> (text: [UInt8], matches: [RegexMatch]) {
        var text = [UInt8]()
        var matches = [RegexMatch]()
        for i in 0..<count {
            var line = Array("line \(i) ".utf8)
            if i % 3 == 0 {
                let start = text.count + line.count
                let word = Array(String(repeating: "abcdefg", count: 3).utf8[...].prefix(3 + i % 15))
                line += Array("key=".utf8) + word
                let group = start + 4..<start + 4 + word.count
                if i % 6 == 0 {
                    line += Array("/7".utf8)
                    matches.append(RegexMatch(range: start..<group.upperBound + 2, groups: [group, group.upperBound..<group.upperBound + 2]))
                } else {
                    matches.append(RegexMatch(range: start..<group.upperBound, groups: [group, nil]))
                }
            }
            line += Array(repeating: UInt8(ascii: " "), count: 63 - line.count) + [UInt8(ascii: "\n")]
            text += line
        }
        return (text, matches)
    }

    static func matches(_ regex: CompiledRegex, _ text: [UInt8], in range: Range<Int>, scratch: MatchScratch) throws -> [RegexMatch] {
        var found = [RegexMatch]()
        try text.withUnsafeBytes { buf in
            try regex.forEachMatch(in: buf, range: range, scratch: scratch) { found.append($0); return true }
        }
        return found
    }

    @Test func aPatternIsInterpretedUntilItHasSeenEnoughTextThenJITCompiled() throws {
        let regex = try CompiledRegex(Self.pattern)
        let scratch = MatchScratch()
        let small = Self.lines(40)
        #expect(small.text.count < CompiledRegex.jitAfterBytes)
        #expect(try Self.matches(regex, small.text, in: 0..<small.text.count, scratch: scratch) == small.matches)
        #expect(small.matches.count == 14)
        #expect(!regex.isJITCompiled)

        let large = Self.lines(CompiledRegex.jitAfterBytes / 64 + 100)
        var found = [RegexMatch]()
        // A line at a time, so that the switch comes part way through.
        for line in stride(from: 0, to: large.text.count, by: 64) {
            found += try Self.matches(regex, large.text, in: line..<line + 64, scratch: scratch)
        }
        #expect(found == large.matches)
        #expect(regex.isJITCompiled)
        #expect(try Self.matches(regex, small.text, in: 0..<small.text.count, scratch: scratch) == small.matches)
        #expect(try Self.matches(regex, large.text, in: 0..<large.text.count, scratch: scratch) == large.matches)
    }

    @Test func matchesCountsItsTextTowardsTheJIT() throws {
        let regex = try CompiledRegex("(?i)(?:^|/)[._]?netrc$")
        let scratch = MatchScratch()
        let path = String(repeating: "dir/", count: 200) + ".netrc"
        var calls = 0
        while !regex.isJITCompiled {
            #expect(try regex.matches(path, scratch: scratch))
            #expect(try !regex.matches(path + "x", scratch: scratch))
            calls += 1
            if calls > CompiledRegex.jitAfterBytes { break }
        }
        // Not before the count of bytes reached the threshold, and at once when it did.
        #expect(calls * (2 * path.utf8.count + 1) >= CompiledRegex.jitAfterBytes)
        #expect((calls - 1) * (2 * path.utf8.count + 1) < CompiledRegex.jitAfterBytes)
        #expect(try regex.matches(path, scratch: scratch))
        #expect(try !regex.matches(path + "x", scratch: scratch))
    }

    /// Threads share one pattern across its switch to JIT code, each with its own scratch.
    @Test func threadsMatchingAcrossTheSwitchFindTheSameMatches() throws {
        let regex = try CompiledRegex(Self.pattern)
        let (text, expected) = Self.lines(CompiledRegex.jitAfterBytes / 64 * 2)
        let threads = 4
        final class Results: Sendable { let found = Mutex<[[RegexMatch]?]>(Array(repeating: nil, count: 4)) }
        let results = Results()
        let done = DispatchSemaphore(value: 0)
        for t in 0..<threads {
            Thread {
                let scratch = MatchScratch()
                var found = [RegexMatch]()
                for line in stride(from: 0, to: text.count, by: 64) {
                    found += (try? Self.matches(regex, text, in: line..<line + 64, scratch: scratch)) ?? []
                }
                results.found.withLock { $0[t] = found }
                done.signal()
            }.start()
        }
        for _ in 0..<threads { done.wait() }
        #expect(regex.isJITCompiled)
        results.found.withLock { all in
            for t in 0..<threads { #expect(all[t] == expected, "thread \(t)") }
        }
    }

    /// A pattern below the JIT's threshold is interpreted, and the interpreter stops at each limit
    /// (backtracking steps, depth, heap) instead of running on.
    @Test(arguments: [("(a+)+$", 3000, 100_000 as UInt32, 100_000 as UInt32),
                      ("(.)*!", 3000, 2_000_000, 1000),
                      ("(.)(?:(.)" + String(repeating: "()", count: 200) + ")*!", 300, 2_000_000, 10_000_000)])
    func theInterpreterStopsAtItsLimits(pattern: String, length: Int, matchLimit: UInt32, depthLimit: UInt32) throws {
        let regex = try CompiledRegex(pattern)
        let scratch = MatchScratch(matchLimit: matchLimit, depthLimit: depthLimit)
        let text = String(repeating: "a", count: length) + "!"
        #expect(text.utf8.count < CompiledRegex.jitAfterBytes)
        #expect {
            _ = try regex.matches(text, scratch: scratch)
        } throws: { error in
            (error as? PatternError)?.code == .matchLimit
        }
        #expect(!regex.isJITCompiled)
    }
}
