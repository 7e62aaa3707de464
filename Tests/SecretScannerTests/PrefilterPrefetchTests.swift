import Foundation
import Hashing
import PatternMatching
import SecretRules
@testable import SecretScanner
import Testing

/// The matching database loaded ahead (`PrefilterPrefetch`) is used only when it is the one for the rules
/// that loaded meanwhile; otherwise theirs is loaded or built, and recorded for the next run.
@Suite struct PrefilterPrefetchTests {
    func rules(_ id: String, _ prefix: String) throws -> RuleSet {
        try RuleLoader.parse("[[rules]]\nid = \"\(id)\"\nregex = '''\(prefix)_[a-z0-9]{24}'''\n", file: "test.toml")
    }

    func findings(_ compiled: CompiledRules, _ text: String) throws -> [String] {
        let session = ScanSession(rules: compiled, fingerprinter: Fingerprinter(key: nil), options: ScanOptions())
        return try session.scanBytes(Array(text.utf8), context: InputContext(path: "config.env")).map(\.ruleID)
    }

    @Test func theDatabaseLoadedAheadIsUsedOnlyForItsOwnPatterns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kw-prefetch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = "/work/project/.keywarden.toml"
        let acme = try rules("acme-key", "acme"), zeta = try rules("zeta-key", "zeta")
        let text = "a = acme_" + String(repeating: "k7", count: 12) + "\nb = zeta_" + String(repeating: "m3", count: 12) + "\n"
        let acmeKey = Prefilter.cacheKey(CompiledRules.PrefilterPlan(acme.rules).patterns(acme.rules))
        let zetaKey = Prefilter.cacheKey(CompiledRules.PrefilterPlan(zeta.rules).patterns(zeta.rules))

        // Nothing recorded yet: the database is built, and its key recorded for these rules' source.
        let first = try #require(PrefilterPrefetch.start(cacheDirectory: dir, rules: source))
        #expect(first.key == nil)
        #expect(try findings(CompiledRules(acme, cacheDirectory: dir, prefetched: first), text) == ["acme-key"])

        // The next run loads it ahead and uses that very database.
        let second = try #require(PrefilterPrefetch.start(cacheDirectory: dir, rules: source))
        #expect(second.key == acmeKey)
        let loaded = try #require(second.prefilter(forKey: acmeKey))
        let compiled = try CompiledRules(acme, cacheDirectory: dir, prefetched: second)
        #expect(compiled.prefilter === loaded)
        #expect(try findings(compiled, text) == ["acme-key"])
        // Another source has nothing recorded.
        #expect(PrefilterPrefetch.start(cacheDirectory: dir, rules: "/elsewhere/.keywarden.toml")?.key == nil)

        // Other rules from the same source: the database loaded ahead is not theirs, so it is not used.
        let third = try #require(PrefilterPrefetch.start(cacheDirectory: dir, rules: source))
        let other = try CompiledRules(zeta, cacheDirectory: dir, prefetched: third)
        #expect(third.prefilter(forKey: zetaKey) == nil)
        #expect(other.prefilter !== third.prefilter(forKey: acmeKey))
        #expect(try findings(other, text) == ["zeta-key"])
        #expect(PrefilterPrefetch.start(cacheDirectory: dir, rules: source)?.key == zetaKey)

        // A record that was not written by this user's keywarden (its HMAC does not check out) is not read.
        let file = dir.appendingPathComponent(third.pointerName)
        var bytes = try Data(contentsOf: file)
        bytes[0] ^= 0x01
        try bytes.write(to: file)
        #expect(PrefilterPrefetch.start(cacheDirectory: dir, rules: source)?.key == nil)
    }
}
