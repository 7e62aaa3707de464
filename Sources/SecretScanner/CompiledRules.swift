public import Foundation
import Credentials
import Hashing
import PatternMatching
public import SecretRules
public import SystemSupport
public import Synchronization

/// A rule set made ready to scan: one prefilter database for all rule patterns, a PCRE2 pattern per rule,
/// and compiled allowlists. Immutable and shared by all workers.
public final class CompiledRules: Sendable {
    public let ruleSet: RuleSet
    let rules: [CompiledRule]
    let prefilter: Prefilter
    /// Indices (into `rules`) of rules whose pattern the prefilter could not take: they run on every input.
    let unfilteredRules: [Int]
    /// Rules with both a pattern and a `path`: run over the whole of each file whose path they match.
    let pathScopedRules: [Int]
    let globalAllowlists: [CompiledAllowlist]
    /// The SHA-256 digests of the publicly known example keys (`RuleSet.exampleKeys`): never reported.
    let exampleKeyDigests: Set<[UInt8]>
    /// Rules that could not be compiled, by id with the file and line they came from. They do not run.
    public let problems: [String]
    /// How the prefilter was obtained (compiled or loaded from the cache) and how long that took.
    public let prefilterOrigin: String
    /// True when the prefilter plan (which rule each database pattern serves) and the database's key were those
    /// this build cached for the built-in rules (`PlanCache`), rather than worked out now.
    let planFromCache: Bool
    public let prefilterSeconds: Double

    /// Compiles `ruleSet`. A rule that does not compile is reported in `problems` and left out; the rest run.
    /// - Parameters:
    ///   - cacheDirectory: where to keep the serialized prefilter database (nil: no cache).
    ///   - deferBuiltInPatterns: compile the PCRE2 patterns of built-in rules on first use (a scan) instead
    ///     of now (a rules check, which must see every pattern compile). User rules always compile now, so
    ///     that a broken one is reported by id and line.
    ///   - progress: counts the rules compiled and says when the matching database is being built, for a
    ///     progress line drawn by another thread (nil: none).
    ///   - prefetched: the database these rules' source used last time, loading since before the rules were
    ///     read: used when it is the one for these patterns (`PrefilterPrefetch`).
    public init(_ ruleSet: RuleSet, cacheDirectory: URL?, deferBuiltInPatterns: Bool = false,
                progress: CompileProgress? = nil, prefetched: PrefilterPrefetch? = nil) throws(ScanError) {
        self.ruleSet = ruleSet
        // The prefilter's plan and the prefilter (loaded from the cache, or built) are made on another thread
        // from the rules as they are while they compile here: when all of them compile, its plan is the one they
        // give. When one does not (it is left out, so the indices move), both are made again from the rules
        // that compiled.
        let building = BackgroundResult { () throws(PatternError) in
            // The built-in rules' plan and its database key, as this build made them last time (`PlanCache`).
            let cached = PlanCache.load(for: ruleSet, in: cacheDirectory)
            let plan = cached?.plan ?? PrefilterPlan(ruleSet.rules)
            progress?.patterns.store(plan.patternCount, ordering: .relaxed)
            var patterns = cached == nil ? plan.patterns(ruleSet.rules) : nil
            let key = cached?.key ?? Prefilter.cacheKey(patterns ?? [])
            defer { if cached == nil { PlanCache.store(plan, key: key, for: ruleSet, in: cacheDirectory) } }
            if let loaded = prefetched?.prefilter(forKey: key) { return (plan: plan, prefilter: loaded, planCached: cached != nil) }
            if patterns == nil { patterns = plan.patterns(ruleSet.rules) }
            let prefilter = try Prefilter(patterns: patterns ?? [], key: key, cacheDirectory: cacheDirectory)
            if prefilter.origin != .empty { prefetched?.record(key) }
            return (plan: plan, prefilter: prefilter, planCached: cached != nil)
        }
        var compiled = [CompiledRule]()
        compiled.reserveCapacity(ruleSet.rules.count)
        var problems = [String]()
        progress?.total.store(ruleSet.rules.count, ordering: .relaxed)
        // By index: `for rule in ruleSet.rules` copied every rule (a retain of each of its fields) once more.
        for i in ruleSet.rules.indices {
            do {
                compiled.append(try CompiledRule(ruleSet.rules[i], deferPatterns: deferBuiltInPatterns && ruleSet.rules[i].isBuiltIn))
            } catch {
                problems.append("rule '\(ruleSet.rules[i].id)' (\(ruleSet.rules[i].source)): \(error)")
            }
            progress?.compiled.add(1, ordering: .relaxed)
        }
        var global = [CompiledAllowlist]()
        for a in ruleSet.allowlists {
            do { global.append(try CompiledAllowlist(a)) } catch {
                problems.append("global allowlist: \(error)")
            }
        }
        progress?.buildingDatabase.store(true, ordering: .relaxed)
        let plan: PrefilterPlan
        let planFromCache: Bool
        do {
            // The provider words here: this thread is done with its rules before the other one has the plan (the
            // plan, its key and the database loaded are that thread's, and the scan waits for it).
            providerTokens = Self.providerTokens(ruleSet.rules)
            frameworkTokens = Self.providerTokens(ruleSet.rules.filter { $0.tags.contains("framework") })
            if compiled.count == ruleSet.rules.count {
                (plan, prefilter, planFromCache) = try building.result()
            } else {
                let rules = compiled.map(\.rule)
                plan = PrefilterPlan(rules)
                progress?.patterns.store(plan.patternCount, ordering: .relaxed)
                prefilter = try Prefilter(patterns: plan.patterns(rules), cacheDirectory: cacheDirectory)
                planFromCache = false
            }
        } catch {
            throw ScanError(.rules, "cannot build the matching database: \(error)")
        }
        let withRegex = plan.withRegex, named = plan.named, gateWords = plan.gateWords, ruleGates = plan.ruleGates
        self.pathScopedRules = plan.pathScoped
        var unfiltered = [Int]()
        for (patternIndex, ruleIndex) in withRegex.enumerated() {
            compiled[ruleIndex].prefilterIndex = patternIndex
            if prefilter.unfiltered[patternIndex] != nil { unfiltered.append(ruleIndex) }
        }
        self.keywordGatedRules = plan.keywordGated
        self.gatedWordRules = plan.gatedWordRules
        var gatedPrefilters = [Int: GatedPrefilter]()
        for r in plan.keywordGated {
            gatedPrefilters[r] = GatedPrefilter(Prefilter.Pattern(AccessFacts.unnamed(compiled[r].rule.regex ?? "")), cacheDirectory: cacheDirectory)
        }
        self.gatedPrefilters = gatedPrefilters
        self.valueProbes = ValueProbes(cacheDirectory: cacheDirectory)
        self.namedRules = named
        self.gateWords = gateWords.map { Array($0.utf8) }
        self.ruleGates = ruleGates
        self.gateRules = plan.gateRules
        self.gatedKeywordsFrom = withRegex.count + gateWords.count
        self.ungatedNamedRules = named.filter { ruleGates[$0] == nil }
        self.rules = compiled
        self.pathOnlyRules = compiled.indices.filter { compiled[$0].regex == nil && compiled[$0].named == nil && compiled[$0].path != nil }
        self.prefilterToRule = withRegex
        self.unfilteredRules = unfiltered
        self.globalAllowlists = global
        self.exampleKeyDigests = Set(ruleSet.exampleKeys.compactMap { Hex.decode($0.sha256) })
        self.problems = problems
        self.planFromCache = planFromCache
        self.prefilterOrigin = prefilter.origin.rawValue
        self.prefilterSeconds = prefilter.setupSeconds
    }

    /// Which rules the prefilter serves and with which patterns: one per rule with a pattern and no `path`
    /// (a rule for files of one name reads the whole of the few files it applies to, so its pattern may start
    /// anywhere, `^host:port:db:user:password$`, without making the prefilter fire on every other file),
    /// then the keywords of the named-value rules as caseless literals (the gate: named-value rules run only
    /// where one of their keywords occurs, found in the same pass), then the keywords of the rules whose pattern
    /// is looked for only where one of them occurs (`prefilter = "keywords"`), also caseless literals.
    struct PrefilterPlan: Equatable {
        /// Rules with a pattern and no `path`, in pattern order (not those looked for by their keywords).
        let withRegex: [Int]
        /// Rules with a pattern looked for only in inputs holding one of their keywords (ascending).
        let keywordGated: [Int]
        /// The keywords of `keywordGated` rules, each once, as patterns after the gate words; and for each, the
        /// rules it serves (ascending).
        let gatedWords: [String]
        let gatedWordRules: [[Int]]
        /// Rules with both a pattern and a `path`: run over the whole of each file whose path they match.
        let pathScoped: [Int]
        let named: [Int]
        let gateWords: [String]
        let ruleGates: [Int: [Int]]
        /// For each gate word, the named-value rules it gates (ascending).
        let gateRules: [[Int]]

        /// The number of database patterns (`patterns(_:)`).
        var patternCount: Int { withRegex.count + gateWords.count + gatedWords.count }

        /// The database patterns of `rules` (the rules this plan was made from): each `withRegex` rule's pattern,
        /// then the gate words and the gated rules' keywords as caseless literals. Needed only to build the
        /// database or to work out its key; a plan taken from the cache comes with its key.
        func patterns(_ rules: [Rule]) -> [Prefilter.Pattern] {
            withRegex.map { Prefilter.Pattern(AccessFacts.unnamed(rules[$0].regex ?? "")) }
                + (gateWords + gatedWords).map { Prefilter.Pattern(CompiledRules.literal($0), caseless: true) }
        }

        init(withRegex: [Int], keywordGated: [Int], gatedWords: [String], gatedWordRules: [[Int]], pathScoped: [Int],
             named: [Int], gateWords: [String], ruleGates: [Int: [Int]], gateRules: [[Int]]) {
            self.withRegex = withRegex; self.keywordGated = keywordGated; self.gatedWords = gatedWords
            self.gatedWordRules = gatedWordRules; self.pathScoped = pathScoped; self.named = named
            self.gateWords = gateWords; self.ruleGates = ruleGates; self.gateRules = gateRules
        }

        init(_ rules: [Rule]) {
            withRegex = rules.indices.filter { rules[$0].regex != nil && rules[$0].path == nil && rules[$0].prefilter != .keywords }
            keywordGated = rules.indices.filter { rules[$0].regex != nil && rules[$0].path == nil && rules[$0].prefilter == .keywords }
            let gated = Self.numberKeywords(rules, keywordGated)
            gatedWords = gated.words
            gatedWordRules = Self.rulesPerWord(gated.perRule, of: keywordGated, words: gated.words.count)
            pathScoped = rules.indices.filter { rules[$0].regex != nil && rules[$0].path != nil }
            named = rules.indices.filter { rules[$0].named != nil }
            (gateWords, ruleGates) = Self.numberKeywords(rules, named)
            gateRules = Self.rulesPerWord(ruleGates, of: named, words: gateWords.count)
        }

        /// The keywords of the rules `which`, each once in the order first met, and for each of those rules the
        /// numbers of its keywords.
        static func numberKeywords(_ rules: [Rule], _ which: [Int]) -> (words: [String], perRule: [Int: [Int]]) {
            var words = [String]()
            var number = [String: Int]()
            var perRule = [Int: [Int]]()
            // Sized once: growing them word by word was a third of the plan's time.
            number.reserveCapacity(which.count * 2)
            perRule.reserveCapacity(which.count)
            for r in which {
                for k in rules[r].keywords {
                    let n = number[k] ?? { words.append(k); number[k] = words.count - 1; return words.count - 1 }()
                    perRule[r, default: []].append(n)
                }
            }
            return (words, perRule)
        }

        /// For each of `words` keywords, the rules of `which` (ascending) that hold it, each once.
        static func rulesPerWord(_ perRule: [Int: [Int]], of which: [Int], words: Int) -> [[Int]] {
            var out = [[Int]](repeating: [], count: words)
            for r in which { for w in perRule[r] ?? [] where out[w].last != r { out[w].append(r) } }
            return out
        }
    }

    /// Rules whose pattern is looked for only in inputs holding one of their keywords (`Rule.prefilter`).
    let keywordGatedRules: [Int]
    /// The first prefilter pattern that is a keyword of those rules (after the rules' patterns and the gate words).
    let gatedKeywordsFrom: Int
    /// For each keyword of those rules (prefilter patterns from `gatedKeywordsFrom` on), the rules it serves.
    let gatedWordRules: [[Int]]
    /// Each such rule's own matching database (one pattern), made on first use.
    let gatedPrefilters: [Int: GatedPrefilter]
    /// For each gate word whose rules all give their value's shape, a database of those shapes (made on first
    /// use): a gate word opens the named-value layer only where the input holds something of such a shape.
    let valueProbes: ValueProbes

    /// Maps a prefilter pattern index to a rule index. Pattern indices from `prefilterToRule.count` to
    /// `gatedKeywordsFrom` are the gate words of named-value rules, in the order of `gateWords`.
    let prefilterToRule: [Int]
    /// Indices of the named-value rules.
    let namedRules: [Int]
    /// The keywords of the named-value rules (lowercase), each a caseless literal of the prefilter.
    let gateWords: [[UInt8]]
    /// For each named-value rule with keywords, the indices of its words in `gateWords`.
    let ruleGates: [Int: [Int]]
    /// For each gate word, the named-value rules it gates (ascending): a file's applicable rules come from the
    /// words it holds, not from a lookup per named rule per file.
    let gateRules: [[Int]]
    /// The named-value rules without keywords (they apply wherever their path does).
    let ungatedNamedRules: [Int]
    /// Words of every provider's name (`stripe`, `maintainx`): a value whose key path names another
    /// provider is never attributed to a vendor only because that vendor is mentioned nearby.
    let providerTokens: Set<String>
    /// Words of the providers of the rules tagged `framework` (`django`, `rails`): a framework's key above a
    /// framework secret is its framework, not another provider (``BufferScanner/nestedUnderProvider(_:)``).
    let frameworkTokens: Set<String>

    /// `word` as a Vectorscan literal: ASCII letters and digits as they are, every other scalar escaped as `\x` and its
    /// value in hex (at least two digits).
    static func literal(_ word: String) -> String {
        // Plain byte work: CharacterSet and String(format:) over every gate word cost a one-file scan about
        // 1.5 ms of start-up.
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(word.utf8.count)
        for c in word.unicodeScalars {
            if c.isASCII, let b = UInt8(exactly: c.value), (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) {
                out.append(b)
            } else {
                // A scalar above 0xFF is written with more digits, as before (`%02x` of its value).
                out += Array("\\x".utf8)
                var digits = [UInt8]()
                var v = c.value
                repeat { digits.append(hex[Int(v & 0xF)]); v >>= 4 } while v > 0
                if digits.count < 2 { digits.append(48) }
                out += digits.reversed()
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func providerTokens(_ rules: [Rule]) -> Set<String> {
        let ignored: Set<String> = ["generic", "database", "message", "broker", "private", "key", "jwt", "url", "google", "chat", "cloud", "api"]
        var out = Set<String>()
        // Each provider once (rules share them), split by `Words` (bytes for ASCII names: Character's letter
        // and number properties over every rule's provider cost a one-file scan about a millisecond of start-up).
        // (By index: `for r in rules` copied every rule, retaining each of its many fields.)
        // Sized once, and a rule with the provider of the rule before it (rules of one provider stand together)
        // is passed over without hashing it: growing the sets and hashing each provider was most of this time.
        var seen = Set<String>(minimumCapacity: rules.count)
        out.reserveCapacity(rules.count)
        for i in rules.indices where (i == 0 || rules[i].provider != rules[i - 1].provider) && seen.insert(rules[i].provider).inserted {
            for part in Words.lowercased(rules[i].provider) where part.count >= 3 && !ignored.contains(part) { out.insert(part) }
        }
        return out
    }
    /// Rules that flag a file by its path alone.
    let pathOnlyRules: [Int]

    /// The number of rules that will run.
    public var activeRuleCount: Int { rules.count }

    /// The default place for the prefilter cache: `$KEYWARDEN_CACHE_DIR`, else `$XDG_CACHE_HOME/keywarden`,
    /// else `~/.cache/keywarden`.
    public static func defaultCacheDirectory(environment: [String: String]) -> URL? {
        if let dir = environment["KEYWARDEN_CACHE_DIR"] { return dir.isEmpty ? nil : URL(fileURLWithPath: dir) }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("keywarden") }
        if let home = environment["HOME"], !home.isEmpty { return URL(fileURLWithPath: home).appendingPathComponent(".cache/keywarden") }
        return nil
    }
}

/// One rule with its patterns compiled.
/// A class, not a struct: the scanner reads rules by index thousands of times per file, and copying a struct of
/// this many references (the rule's strings and arrays, its regexes) retained and released each one.
/// Nothing changes a rule after `CompiledRules.init` has set `prefilterIndex`.
final class CompiledRule: @unchecked Sendable {
    let rule: Rule
    let regex: CompiledRegex?
    let path: CompiledRegex?
    let allowlists: [CompiledAllowlist]
    let keywords: [[UInt8]]
    let secretGroup: Int?
    var prefilterIndex: Int?
    let named: CompiledNamed?
    /// The rule's `context` patterns (named groups give access facts around a finding).
    let context: [CompiledRegex]

    init(_ rule: Rule, deferPatterns: Bool = false) throws {
        self.rule = rule
        named = try rule.named.map { try CompiledNamed($0, deferPatterns: deferPatterns) }
        func make(_ pattern: String) throws -> CompiledRegex {
            deferPatterns ? CompiledRegex(deferring: pattern) : try CompiledRegex(pattern)
        }
        regex = try rule.regex.map(make)
        path = try rule.path.map(make)
        context = try rule.context.map(make)
        allowlists = try rule.allowlists.map { try CompiledAllowlist($0, deferPatterns: deferPatterns) }
        keywords = rule.keywords.map { Array($0.utf8) }
        // (A deferred pattern's groups are known only once compiled; the scanner checks the group exists.)
        if !deferPatterns, let g = rule.secretGroup, let regex, g > regex.captureCount {
            throw ScanError(.rules, "secretGroup \(g) but the regex has only \(regex.captureCount) groups")
        }
        secretGroup = rule.secretGroup
        if let v = rule.validator, !Validators.names.contains(v) {
            throw ScanError(.rules, "unknown validator '\(v)' (known: \(Validators.names.sorted().joined(separator: ", ")))")
        }
    }
}

/// An allowlist with its patterns compiled.
struct CompiledAllowlist: Sendable {
    let list: Allowlist
    let paths: [CompiledRegex]
    let regexes: [CompiledRegex]

    init(_ list: Allowlist, deferPatterns: Bool = false) throws {
        self.list = list
        func make(_ pattern: String) throws -> CompiledRegex {
            deferPatterns ? CompiledRegex(deferring: pattern) : try CompiledRegex(pattern)
        }
        paths = try list.paths.map(make)
        regexes = try list.regexes.map(make)
    }

    /// Whether this allowlist suppresses a candidate. Criteria absent from the list do not count.
    func allows(path: String, secret: String, match: String, line: String, commit: String?, scratch: MatchScratch) -> Bool {
        var results = [Bool]()
        if !paths.isEmpty { results.append(paths.contains { (try? $0.matches(path, scratch: scratch)) ?? false }) }
        if !regexes.isEmpty {
            let target: String
            switch list.regexTarget {
            case .secret: target = secret
            case .match: target = match
            case .line: target = line
            }
            results.append(regexes.contains { (try? $0.matches(target, scratch: scratch)) ?? false })
        }
        if !list.stopwords.isEmpty {
            let lower = secret.lowercased()
            results.append(list.stopwords.contains { lower.contains($0) })
        }
        if !list.commits.isEmpty {
            results.append(commit.map { c in list.commits.contains { c.hasPrefix($0) } } ?? false)
        }
        guard !results.isEmpty else { return false }
        return list.condition == .and ? results.allSatisfy { $0 } : results.contains(true)
    }

    /// True when only the path criterion exists and it matches: the whole file can be skipped.
    func allowsWholePath(_ path: String, scratch: MatchScratch) -> Bool {
        guard !paths.isEmpty else { return false }
        let onlyPaths = regexes.isEmpty && list.stopwords.isEmpty && list.commits.isEmpty
        guard onlyPaths || list.condition == .or else { return false }
        return paths.contains { (try? $0.matches(path, scratch: scratch)) ?? false }
    }
}

/// Errors of the scanner: never carry a secret.
public struct ScanError: ModuleError {
    public enum Code: Sendable { case rules, input, output, git }
    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) { (self.code, self.message) = (code, message) }
}

/// The patterns of a named-value rule, compiled.
struct CompiledNamed: Sendable {
    let spec: NamedSpec
    let names: [CompiledRegex]
    let value: CompiledRegex?
    /// Vendor words longer than three letters (searched in paths and nearby text) and the short ones
    /// (whole words of the key path only).
    let longVendor: [[UInt8]]
    let shortVendor: Set<String>
    /// Whether the rule's value shape is a UUID (``takesUUIDs(_:)``): the named-value layer passes UUIDs over
    /// (most are ids), except to such a rule, which names its vendor and asks for one.
    let takesUUIDs: Bool

    init(_ spec: NamedSpec, deferPatterns: Bool = false) throws {
        self.spec = spec
        takesUUIDs = !spec.vendor.isEmpty && Self.takesUUIDs(spec.value)
        func make(_ pattern: String) throws -> CompiledRegex {
            deferPatterns ? CompiledRegex(deferring: pattern) : try CompiledRegex(pattern)
        }
        names = try spec.names.map(make)
        value = try spec.value.map { try make("^(?:\($0))$") }
        longVendor = spec.vendor.filter { $0.utf8.count > 3 }.map { Array($0.utf8) }
        shortVendor = Set(spec.vendor.filter { $0.utf8.count <= 3 })
    }

    /// True when `text` (lowercase) holds one of the vendor words longer than three letters.
    func holdsLongVendor(_ text: String) -> Bool {
        longVendor.contains { ByteSearch.contains(text, String(decoding: $0, as: UTF8.self)) }
    }

    /// True when `value` is the canonical UUID shape, five groups of 8, 4, 4, 4 and 12 hexadecimal digits
    /// joined by `-`, each group written as a class of hex digits (`[0-9a-f]`, `[a-fA-F0-9]`, ...) or a
    /// literal `H`, and a count. Read from the pattern's bytes, so that no pattern is compiled to decide (rules
    /// compile on first use); it runs for every named rule at start-up, so it makes no string copies.
    static func takesUUIDs(_ value: String?) -> Bool {
        guard let value else { return false }
        return value.utf8.withContiguousStorageIfAvailable(takesUUIDs) ?? Array(value.utf8).withUnsafeBufferPointer(takesUUIDs)
    }

    /// The spellings a UUID group may take in ``takesUUIDs(_:)``; none is a prefix of another.
    private static let hexGroups: [StaticString] = ["H", "[0-9a-f]", "[a-f0-9]", "[0-9a-fA-F]", "[0-9A-Fa-f]", "[a-fA-F0-9]", "[A-Fa-f0-9]"]
    /// What follows each of the five groups.
    private static let groupCounts: [StaticString] = ["{8}-", "{4}-", "{4}-", "{4}-", "{12}"]

    private static func takesUUIDs(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var at = 0
        func take(_ text: StaticString) -> Bool {
            let n = text.utf8CodeUnitCount
            guard bytes.count - at >= n, memcmp(bytes.baseAddress! + at, text.utf8Start, n) == 0 else { return false }
            at += n
            return true
        }
        for count in groupCounts {
            guard hexGroups.contains(where: take), take(count) else { return false }
        }
        return at == bytes.count
    }
}

/// How far compiling a rule set has got, read by another thread (a progress line on a terminal).
public final class CompileProgress: Sendable {
    /// Rules in the set, and rules whose patterns are compiled so far.
    public let total = Atomic<Int>(0)
    public let compiled = Atomic<Int>(0)
    /// True once the patterns are compiled and the matching database (prefilter) is being built or loaded.
    public let buildingDatabase = Atomic<Bool>(false)
    /// Patterns in the matching database.
    public let patterns = Atomic<Int>(0)

    public init() {}

    /// The line to show, e.g. `compiling rules: 2,000/10,000` or `compiling rules: building the matching
    /// database (10,000 patterns)`, with the seconds spent so far.
    public func line(seconds: Int) -> String {
        let detail = buildingDatabase.load(ordering: .relaxed)
            ? "building the matching database (\(patterns.load(ordering: .relaxed)) patterns)"
            : "\(compiled.load(ordering: .relaxed))/\(total.load(ordering: .relaxed)) rules"
        return "compiling rules: \(detail), \(seconds) s"
    }
}

/// The matching database of one rule looked for only where its keywords occur (`prefilter = "keywords"`): made
/// (or loaded from the cache) the first time an input holds one of them, then shared by every worker.
final class GatedPrefilter: Sendable {
    let pattern: Prefilter.Pattern
    let cacheDirectory: URL?
    private enum State { case notMade, made(Prefilter), wholeInput }
    private let state = Mutex<State>(.notMade)

    init(_ pattern: Prefilter.Pattern, cacheDirectory: URL?) {
        self.pattern = pattern
        self.cacheDirectory = cacheDirectory
    }

    /// The database; nil when the engine cannot take the pattern (the rule then reads the whole input, so that
    /// nothing is missed).
    func prefilter() -> Prefilter? {
        state.withLock { (state) -> Prefilter? in
            switch state {
            case .made(let p): return p
            case .wholeInput: return nil
            case .notMade:
                if let built = try? Prefilter(patterns: [pattern], cacheDirectory: cacheDirectory), built.unfiltered.isEmpty {
                    state = .made(built)
                    return built
                }
                state = .wholeInput
                return nil
            }
        }
    }
}

/// The value shapes of the named-value rules a gate word opens, as one matching database per gate word, made on
/// first use and shared by the workers. A value such a rule reports is written in the input as it is judged (the
/// named-value layer unquotes, trims and removes a scheme: what is left is bytes of the input), or rebuilt from
/// pieces of it (escapes, joined literals, continued lines: ``DerivedText``). So an input in which no shape of a
/// gate word's rules occurs, neither as written nor as rebuilt, holds nothing those rules would report, and the
/// word need not send it through the named-value layer (a common word such as `column`, `square` or `twitter`
/// did for most files of code that use it).
final class ValueProbes: Sendable {
    let cacheDirectory: URL?
    /// Per gate word asked about: its probe, or nil when it has none (so that is not worked out again).
    private let made = Mutex<[Int: GatedPrefilter?]>([:])

    init(cacheDirectory: URL?) {
        self.cacheDirectory = cacheDirectory
    }

    /// The database of gate word `gate`'s value shapes; nil when one of its rules gives no shape (or is no
    /// named-value rule): the word then opens the layer wherever its other conditions hold. The database itself
    /// is nil (``GatedPrefilter/prefilter()``) when the engine cannot take a shape: the word opens it then too.
    func probe(for gate: Int, in compiled: CompiledRules) -> GatedPrefilter? {
        if let known = made.withLock({ $0[gate] }) { return known }
        let probe = Self.shapes(of: gate, in: compiled).map {
            GatedPrefilter(Prefilter.Pattern(Self.pattern($0)), cacheDirectory: cacheDirectory)
        }
        return made.withLock { table in
            if let other = table[gate] { return other }
            table[gate] = probe
            return probe
        }
    }

    /// The distinct value shapes of gate word `gate`'s rules; nil when one of them gives none, or one with an
    /// anchor (``anchored(_:)``).
    private static func shapes(of gate: Int, in compiled: CompiledRules) -> [String]? {
        var shapes = [String]()
        for r in compiled.gateRules[gate] {
            guard let shape = compiled.rules[r].named?.spec.value, !anchored(shape) else { return nil }
            if !shapes.contains(shape) { shapes.append(shape) }
        }
        return shapes.isEmpty ? nil : shapes
    }

    /// True when `shape` holds an anchor (`$`, or `^` not opening a negated class): the layer matches a shape
    /// against the value alone, where `^abc$` means the value's start and end, but in the input they would mean
    /// the input's, and the probe would miss the value. Such a gate word is not probed.
    static func anchored(_ shape: String) -> Bool {
        let b = Array(shape.utf8)
        for (i, c) in b.enumerated() where c == 36 || c == 94 {
            if i > 0, b[i - 1] == 92 { continue }            // an escaped $ or ^: a literal
            if c == 94, i > 0, b[i - 1] == 91 { continue }   // [^...]: a negated class
            return true
        }
        return false
    }

    /// One pattern for `shapes`: any of them, not inside a run of letters and digits. A value is read up to
    /// the quote, blank or operator around it, so the bytes next to it are no letter or digit (a shape that
    /// starts or ends with another byte only gains from that: the probe stays a superset).
    static func pattern(_ shapes: [String]) -> String {
        let alternatives = shapes.map { "(?:\(AccessFacts.unnamed($0)))" }.joined(separator: "|")
        return "(?:^|[^A-Za-z0-9])(?:\(alternatives))(?:[^A-Za-z0-9]|$)"
    }
}
