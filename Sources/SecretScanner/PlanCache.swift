public import Foundation
import Hashing
import SecretRules
import SystemSupport

/// The prefilter plan of the built-in rules (`CompiledRules.PrefilterPlan`: which rule each database pattern
/// serves, the gate words and the rules they gate) with its database's key, kept in the cache folder: working
/// them out from twelve hundred rules took a one-file scan about 2.5 ms of start-up, on the path the scan waits
/// for. Only for rule sets that are the built-in rules exactly as loaded (`RuleSet.builtInDigest`), and keyed
/// with this build's identity (`BuildIdentity`) too, since the plan is computed by this build's code: another
/// build, or rules changed in any way, work it out again. The file is authenticated like every cache file
/// (`CacheFolder`), and a plan that does not fit the rules it is loaded for is not used.
enum PlanCache {
    static let formatVersion: UInt32 = 3

    /// The file name for `rules`, nil when they are not the built-in rules as loaded or the build has no identity.
    static func name(for rules: RuleSet) -> String? {
        guard let digest = rules.builtInDigest, let build = BuildIdentity.current else { return nil }
        let identity = Hex.encode(Digest.sha256(Array("\(digest)\n\(build)".utf8)))
        return "plan-\(identity.prefix(32))-v\(formatVersion).bin"
    }

    static func load(for rules: RuleSet, in directory: URL?) -> (plan: CompiledRules.PrefilterPlan, key: String)? {
        guard let directory, let name = name(for: rules), let bytes = CacheFolder.trusted(directory.path)?.read(name) else { return nil }
        return decode(bytes, ruleCount: rules.rules.count)
    }

    static func store(_ plan: CompiledRules.PrefilterPlan, key: String, for rules: RuleSet, in directory: URL?) {
        guard let directory, let name = name(for: rules) else { return }
        CacheFolder.trusted(directory.path)?.write(name, encode(plan, key: key, ruleCount: rules.rules.count))
    }

    static func encode(_ plan: CompiledRules.PrefilterPlan, key: String, ruleCount: Int) -> [UInt8] {
        var w = ByteWriter()
        func ints(_ list: [Int]) { w.u32(UInt32(list.count)); w.i32s(list.map { Int32($0) }) }
        func lists(_ all: [[Int]]) { w.u32(UInt32(all.count)); all.forEach(ints) }
        w.u32(formatVersion); w.u32(UInt32(ruleCount)); w.string(key)
        for list in [plan.withRegex, plan.keywordGated, plan.pathScoped, plan.named] { ints(list) }
        w.strings(plan.gatedWords); lists(plan.gatedWordRules)
        w.strings(plan.gateWords); lists(plan.gateRules)
        let gated = plan.ruleGates.keys.sorted()
        ints(gated); lists(gated.map { plan.ruleGates[$0] ?? [] })
        return w.bytes
    }

    /// The plan and key in `bytes`; nil unless they were written for `ruleCount` rules, every rule number is
    /// one of them and every word number one of the words (a plan that does not fit is never used).
    static func decode(_ bytes: [UInt8], ruleCount: Int) -> (plan: CompiledRules.PrefilterPlan, key: String)? {
        var r = ByteReader(bytes)
        var fits = true
        /// A counted list of numbers, each below `limit` (else `fits` is false).
        func ints(below limit: Int) -> [Int] {
            let values = r.i32s(Int(r.u32()))
            if !values.allSatisfy({ $0 >= 0 && Int($0) < limit }) { fits = false }
            return values.map(Int.init)
        }
        func lists(below limit: Int) -> [[Int]] {
            let count = Int(r.u32())
            // (Each list is at least its count: a larger count than the bytes left is damage, not a long loop.)
            guard !r.failed, count <= (bytes.count - r.at) / 4 else { fits = false; return [] }
            return (0..<count).map { _ in ints(below: limit) }
        }
        guard r.u32() == formatVersion, Int(r.u32()) == ruleCount else { return nil }
        let key = r.string()
        let withRegex = ints(below: ruleCount), keywordGated = ints(below: ruleCount)
        let pathScoped = ints(below: ruleCount), named = ints(below: ruleCount)
        let gatedWords = r.strings(), gatedWordRules = lists(below: ruleCount)
        let gateWords = r.strings(), gateRules = lists(below: ruleCount)
        let gatedRules = ints(below: ruleCount), gates = lists(below: gateWords.count)
        guard fits, r.atEnd, gatedWordRules.count == gatedWords.count, gateRules.count == gateWords.count,
              gates.count == gatedRules.count else { return nil }
        var ruleGates = [Int: [Int]](minimumCapacity: gatedRules.count)
        for (rule, words) in zip(gatedRules, gates) { ruleGates[rule] = words }
        let plan = CompiledRules.PrefilterPlan(withRegex: withRegex, keywordGated: keywordGated, gatedWords: gatedWords,
                                               gatedWordRules: gatedWordRules, pathScoped: pathScoped, named: named,
                                               gateWords: gateWords, ruleGates: ruleGates, gateRules: gateRules)
        return (plan, key)
    }
}
