import Foundation
import Hashing
import PatternMatching
import SecretRules
@testable import SecretScanner
import SystemSupport
import Testing

/// The built-in rules' prefilter plan is cached per build (`PlanCache`): a later run takes it from the cache
/// and gets the very plan and database it would have worked out; rules changed in any way work it out again,
/// and a plan file that does not fit or does not check out is never used.
@Suite struct PlanCacheTests {
    func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kw-plan-\(UUID().uuidString)")
    }

    @Test func theBuiltInRulesTakeTheirPlanFromTheCacheAndItIsTheSamePlan() throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try #require(BuildIdentity.current != nil)
        let rules = try RuleLoader.builtIn(cacheDirectory: dir)
        #expect(rules.builtInDigest != nil)
        let first = try CompiledRules(rules, cacheDirectory: dir, deferBuiltInPatterns: true)
        #expect(!first.planFromCache)
        let second = try CompiledRules(rules, cacheDirectory: dir, deferBuiltInPatterns: true)
        #expect(second.planFromCache)
        // The same rules loaded again (from the parsed-rules cache) are still the built-in ones.
        let reloaded = try CompiledRules(RuleLoader.builtIn(cacheDirectory: dir), cacheDirectory: dir, deferBuiltInPatterns: true)
        #expect(reloaded.planFromCache)
        let plan = CompiledRules.PrefilterPlan(rules.rules)
        let cached = try #require(PlanCache.load(for: rules, in: dir))
        #expect(cached.plan == plan)
        #expect(cached.key == Prefilter.cacheKey(plan.patterns(rules.rules)))
        for (a, b) in [(first, second), (first, reloaded)] {
            #expect(a.prefilterToRule == b.prefilterToRule && a.namedRules == b.namedRules && a.gateWords == b.gateWords)
            #expect(a.ruleGates == b.ruleGates && a.gateRules == b.gateRules && a.ungatedNamedRules == b.ungatedNamedRules)
            #expect(a.keywordGatedRules == b.keywordGatedRules && a.gatedWordRules == b.gatedWordRules
                    && a.gatedKeywordsFrom == b.gatedKeywordsFrom && a.pathScopedRules == b.pathScopedRules)
            #expect(a.unfilteredRules == b.unfilteredRules)
        }
        #expect(second.prefilterOrigin == "cache")
    }

    @Test func changedRulesWorkThePlanOut() throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = try RuleLoader.builtIn(cacheDirectory: dir)
        _ = try CompiledRules(rules, cacheDirectory: dir, deferBuiltInPatterns: true)
        var fewer = rules
        fewer.rules.removeLast()
        #expect(fewer.builtInDigest == nil)
        let compiled = try CompiledRules(fewer, cacheDirectory: dir, deferBuiltInPatterns: true)
        #expect(!compiled.planFromCache)
        #expect(compiled.prefilterToRule.count <= fewer.rules.count)
        var edited = rules
        edited.rules[0].keywords = ["somethingelse"]
        #expect(edited.builtInDigest == nil)
        #expect(try !CompiledRules(edited, cacheDirectory: dir, deferBuiltInPatterns: true).planFromCache)
        // Rules from a file are never the built-in ones.
        let parsed = try RuleLoader.parse("[[rules]]\nid = \"acme\"\nregex = '''acme_[a-z0-9]{24}'''\n", file: "test.toml")
        #expect(parsed.builtInDigest == nil)
    }

    /// A config that keeps the built-in rules and adds only allowlists (a typical `.keywarden.toml`) has the
    /// built-in rules as they are, so their cached plan; one that adds or disables a rule works its plan out.
    @Test func aConfigOfAllowlistsKeepsTheBuiltInPlan() throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func config(_ name: String, _ text: String) throws -> RuleSet {
            let file = dir.appendingPathComponent(name)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return try RuleLoader.load(configAt: file.path, cacheDirectory: dir)
        }
        let builtIn = try RuleLoader.builtIn(cacheDirectory: dir)
        let allowlists = try config("allow.toml", "[extend]\nuseDefault = true\n\n[[allowlists]]\npaths = ['''(^|/)testdata/''']\n")
        #expect(allowlists.builtInDigest == builtIn.builtInDigest)
        #expect(allowlists.rules.map(\.id) == builtIn.rules.map(\.id))
        #expect(allowlists.allowlists.count == builtIn.allowlists.count + 1)
        _ = try CompiledRules(allowlists, cacheDirectory: dir, deferBuiltInPatterns: true)
        #expect(try CompiledRules(allowlists, cacheDirectory: dir, deferBuiltInPatterns: true).planFromCache)
        let disabled = try config("off.toml", "[extend]\nuseDefault = true\ndisabledRules = [\"generic-secret-assignment\"]\n")
        #expect(disabled.builtInDigest == nil && disabled.rules.count == builtIn.rules.count - 1)
        #expect(try !CompiledRules(disabled, cacheDirectory: dir, deferBuiltInPatterns: true).planFromCache)
        let added = try config("own.toml", "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"acme\"\nregex = '''acme_[a-z0-9]{24}'''\n")
        #expect(added.builtInDigest == nil && added.rules.count == builtIn.rules.count + 1)
        #expect(try !CompiledRules(added, cacheDirectory: dir, deferBuiltInPatterns: true).planFromCache)
    }

    @Test func aPlanThatDoesNotFitOrDoesNotCheckOutIsNotUsed() throws {
        let rules = try RuleLoader.builtIn()
        let plan = CompiledRules.PrefilterPlan(rules.rules)
        let bytes = PlanCache.encode(plan, key: "k", ruleCount: rules.rules.count)
        let decoded = try #require(PlanCache.decode(bytes, ruleCount: rules.rules.count))
        #expect(decoded.plan == plan && decoded.key == "k")
        // Written for another number of rules, cut short anywhere, or with a rule number out of range.
        #expect(PlanCache.decode(bytes, ruleCount: rules.rules.count - 1) == nil)
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
            #expect(PlanCache.decode(Array(bytes.prefix(cut)), ruleCount: rules.rules.count) == nil)
        }
        let few = CompiledRules.PrefilterPlan(Array(rules.rules.prefix(40)))
        #expect(PlanCache.decode(PlanCache.encode(few, key: "k", ruleCount: 40), ruleCount: 40)?.plan == few)
        #expect(PlanCache.decode(PlanCache.encode(plan, key: "k", ruleCount: 40), ruleCount: 40) == nil)

        // A plan file changed on disk (its HMAC no longer checks out) is not used.
        let dir = folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let loaded = try RuleLoader.builtIn(cacheDirectory: dir)
        _ = try CompiledRules(loaded, cacheDirectory: dir, deferBuiltInPatterns: true)
        let name = try #require(PlanCache.name(for: loaded))
        #expect(CacheFolder.isCacheFileName(name))
        let file = dir.appendingPathComponent(name)
        var data = try Data(contentsOf: file)
        data[9] ^= 0x01
        try data.write(to: file)
        #expect(PlanCache.load(for: loaded, in: dir) == nil)
        #expect(try !CompiledRules(loaded, cacheDirectory: dir, deferBuiltInPatterns: true).planFromCache)
    }
}
