import Foundation
import PatternMatching
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
