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
    static let formatVersion: UInt32 = 1

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
        var w = Writer()
        w.u32(formatVersion); w.u32(UInt32(ruleCount)); w.string(key)
        for list in [plan.withRegex, plan.keywordGated, plan.pathScoped, plan.named] { w.ints(list) }
        w.strings(plan.gatedWords); w.lists(plan.gatedWordRules)
        w.strings(plan.gateWords); w.lists(plan.gateRules)
        let gated = plan.ruleGates.keys.sorted()
        w.ints(gated); w.lists(gated.map { plan.ruleGates[$0] ?? [] })
        return w.bytes
    }

    /// The plan and key in `bytes`; nil unless they were written for `ruleCount` rules, every rule number is
    /// one of them and every word number one of the words (a plan that does not fit is never used).
    static func decode(_ bytes: [UInt8], ruleCount: Int) -> (plan: CompiledRules.PrefilterPlan, key: String)? {
        var r = Reader(bytes: bytes)
        guard r.u32() == formatVersion, r.u32().map(Int.init) == ruleCount, let key = r.string(),
              let withRegex = r.ints(below: ruleCount), let keywordGated = r.ints(below: ruleCount),
              let pathScoped = r.ints(below: ruleCount), let named = r.ints(below: ruleCount),
              let gatedWords = r.strings(), let gatedWordRules = r.lists(below: ruleCount),
              let gateWords = r.strings(), let gateRules = r.lists(below: ruleCount),
              let gatedRules = r.ints(below: ruleCount), let gates = r.lists(below: gateWords.count),
              r.atEnd, gatedWordRules.count == gatedWords.count, gateRules.count == gateWords.count, gates.count == gatedRules.count
        else { return nil }
        var ruleGates = [Int: [Int]](minimumCapacity: gatedRules.count)
        for (rule, words) in zip(gatedRules, gates) { ruleGates[rule] = words }
        let plan = CompiledRules.PrefilterPlan(withRegex: withRegex, keywordGated: keywordGated, gatedWords: gatedWords,
                                               gatedWordRules: gatedWordRules, pathScoped: pathScoped, named: named,
                                               gateWords: gateWords, ruleGates: ruleGates, gateRules: gateRules)
        return (plan, key)
    }

    struct Writer {
        var bytes: [UInt8] = []
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        mutating func string(_ s: String) { u32(UInt32(s.utf8.count)); bytes += s.utf8 }
        mutating func strings(_ a: [String]) { u32(UInt32(a.count)); a.forEach { string($0) } }
        mutating func ints(_ a: [Int]) { u32(UInt32(a.count)); a.forEach { u32(UInt32($0)) } }
        mutating func lists(_ a: [[Int]]) { u32(UInt32(a.count)); a.forEach { ints($0) } }
    }

    struct Reader {
        let bytes: [UInt8]
        var at = 0
        var atEnd: Bool { at == bytes.count }

        mutating func u32() -> UInt32? {
            guard bytes.count - at >= 4 else { return nil }
            defer { at += 4 }
            return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        /// A count, when that many items of at least `size` bytes each can follow.
        mutating func count(_ size: Int) -> Int? {
            guard let n = u32().map(Int.init), n <= (bytes.count - at) / size else { return nil }
            return n
        }
        mutating func string() -> String? {
            guard let n = count(1) else { return nil }
            defer { at += n }
            return String(decoding: bytes[at..<at + n], as: UTF8.self)
        }
        mutating func strings() -> [String]? {
            guard let n = count(4) else { return nil }
            var out = [String](); out.reserveCapacity(n)
            for _ in 0..<n { guard let s = string() else { return nil }; out.append(s) }
            return out
        }
        mutating func ints(below limit: Int) -> [Int]? {
            guard let n = count(4) else { return nil }
            var out = [Int](); out.reserveCapacity(n)
            for _ in 0..<n { guard let v = u32().map(Int.init), v < limit else { return nil }; out.append(v) }
            return out
        }
        mutating func lists(below limit: Int) -> [[Int]]? {
            guard let n = count(4) else { return nil }
            var out = [[Int]](); out.reserveCapacity(n)
            for _ in 0..<n { guard let l = ints(below: limit) else { return nil }; out.append(l) }
            return out
        }
    }
}
