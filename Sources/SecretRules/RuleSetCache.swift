import Foundation
import Hashing
import SystemSupport

/// The built-in rules, parsed once and kept in the cache folder in a compact binary form, so that
/// start-up does not parse hundreds of rules' TOML on every run (it was the largest part of a small
/// scan's start-up). Keyed by the embedded files' digest and the format version; anything unreadable is
/// ignored and rebuilt from the TOML. The file is authenticated (`CacheFolder`): a
/// swapped-in file is rebuilt, never trusted.
enum RuleSetCache {
    static let formatVersion: UInt32 = 6

    static func name() -> String { "rules-\(EmbeddedRules.digest)-v\(formatVersion).bin" }

    /// The cached rules, when the cache folder can be trusted and the file's HMAC checks out.
    static func load(from directory: URL) -> RuleSet? {
        guard let bytes = CacheFolder.trusted(directory.path)?.read(name()) else { return nil }
        var reader = ByteReader(bytes)
        guard reader.u32() == formatVersion, let set = reader.ruleSet(), reader.atEnd else { return nil }
        return set
    }

    static func store(_ set: RuleSet, in directory: URL) {
        var w = ByteWriter()
        w.u32(formatVersion)
        w.ruleSet(set)
        // A cache that cannot be written only costs the next run a parse.
        CacheFolder.trusted(directory.path)?.write(name(), w.bytes)
    }
}

/// The rule cache's records, in `SystemSupport`'s byte coding.
extension ByteWriter {
    mutating func allowlist(_ a: Allowlist) {
        string(a.description); strings(a.paths); strings(a.regexes); string(a.regexTarget.rawValue)
        strings(a.stopwords); strings(a.commits); string(a.condition.rawValue)
    }

    mutating func ruleSet(_ set: RuleSet) {
        u32(UInt32(set.rules.count))
        for r in set.rules {
            string(r.id); string(r.description); string(r.provider); string(r.severity.rawValue)
            optional(r.regex)
            u64(r.secretGroup.map { UInt64($0) + 1 } ?? 0)
            strings(r.keywords)
            u64(r.entropy.map { $0.bitPattern } ?? UInt64.max)
            optional(r.path)
            u32(UInt32(r.allowlists.count)); r.allowlists.forEach { allowlist($0) }
            optional(r.validator); strings(r.examples); strings(r.negativeExamples); strings(r.tags)
            optional(r.examplePath); strings(r.context); u64(UInt64(r.contextLines))
            string(r.source.file); u64(UInt64(r.source.line))
            optional(r.verifier); optional(r.unverifiable); optional(r.pair?.id); optional(r.pair?.role.rawValue)
            optional(r.reference)
            byte(r.prefilter == .keywords ? 1 : 0)
            byte(r.named == nil ? 0 : 1)
            if let n = r.named {
                strings(n.names); strings(n.vendor); string(n.vendorScope.rawValue); u64(UInt64(n.vendorLines))
                optional(n.value); u64(UInt64(n.valueClasses))
            }
        }
        u32(UInt32(set.allowlists.count)); set.allowlists.forEach { allowlist($0) }
        u32(UInt32(set.pairs.count))
        for p in set.pairs {
            string(p.id); string(p.description); string(p.provider); string(p.severity.rawValue); u64(UInt64(p.lines))
            optional(p.verifier); optional(p.tenant); string(p.source.file); u64(UInt64(p.source.line))
        }
        strings(set.warnings)
        u32(UInt32(set.exampleKeys.count))
        for e in set.exampleKeys { string(e.sha256); string(e.description); string(e.source) }
    }
}

extension ByteReader {
    /// A string equal to `previous` is `previous` again (no new storage): most rules in a row come from one file.
    mutating func string(reusing previous: String) -> String {
        let n = Int(u32())
        guard let slice = take(n) else { return "" }
        var previous = previous
        let same = previous.utf8.count == n && previous.withUTF8 { old in
            slice.withUnsafeBytes { new in n == 0 || memcmp(old.baseAddress!, new.baseAddress!, n) == 0 }
        }
        return same ? previous : String(decoding: slice, as: UTF8.self)
    }

    /// A list of strings left encoded (bounds-checked now, decoded when read: `StringList`).
    mutating func encodedStrings() -> StringList {
        let start = at
        let n = Int(u32())
        guard !failed, n <= bytes.count else { failed = true; return .decoded([]) }
        for _ in 0..<n {
            let length = Int(u32())
            guard !failed, at + length <= bytes.count else { failed = true; return .decoded([]) }
            at += length
        }
        return .encoded(bytes: bytes, start: start)
    }

    mutating func allowlist() -> Allowlist {
        var a = Allowlist()
        a.description = string(); a.paths = strings(); a.regexes = strings()
        a.regexTarget = Allowlist.Target(rawValue: string()) ?? .secret
        a.stopwords = strings(); a.commits = strings()
        a.condition = Allowlist.Condition(rawValue: string()) ?? .or
        return a
    }

    mutating func ruleSet() -> RuleSet? {
        let count = Int(u32())
        guard !failed, count <= bytes.count else { return nil }
        var rules = [Rule]()
        rules.reserveCapacity(count)
        var file = ""
        for _ in 0..<count {
            var r = Rule(id: string())
            r.description = string(); r.provider = string()
            guard let severity = Severity(rawValue: string()) else { return nil }
            r.severity = severity
            r.regex = optional()
            let group = u64()
            r.secretGroup = group == 0 ? nil : Int(group - 1)
            r.keywords = strings()
            let entropy = u64()
            r.entropy = entropy == UInt64.max ? nil : Double(bitPattern: entropy)
            r.path = optional()
            let lists = Int(u32())
            guard !failed, lists <= bytes.count else { return nil }
            r.allowlists = (0..<lists).map { _ in allowlist() }
            r.validator = optional(); r.exampleTexts = encodedStrings(); r.negativeExampleTexts = encodedStrings(); r.tags = strings()
            r.examplePath = optional(); r.context = strings(); r.contextLines = Int(min(u64(), 200))
            file = string(reusing: file)
            r.source = RuleSource(file: file, line: Int(u64()))
            r.verifier = optional(); r.unverifiable = optional()
            let pairID = optional(), pairRole = optional()
            if let pairID, let pairRole {
                guard let role = PairMembership.Role(rawValue: pairRole) else { return nil }
                r.pair = PairMembership(id: pairID, role: role)
            }
            r.reference = optional()
            r.prefilter = byte() == 1 ? .keywords : .pattern
            if byte() == 1 {
                var n = NamedSpec(names: strings())
                n.vendor = strings()
                guard let scope = NamedSpec.Scope(rawValue: string()) else { return nil }
                n.vendorScope = scope
                n.vendorLines = Int(u64())
                n.value = optional()
                n.valueClasses = Int(u64())
                r.named = n
            }
            if failed { return nil }
            rules.append(r)
        }
        let lists = Int(u32())
        guard !failed, lists <= bytes.count else { return nil }
        let allowlists = (0..<lists).map { _ in allowlist() }
        let pairCount = Int(u32())
        guard !failed, pairCount <= bytes.count else { return nil }
        var pairs = [CredentialPair]()
        for _ in 0..<pairCount {
            var p = CredentialPair(id: string())
            p.description = string(); p.provider = string()
            guard let severity = Severity(rawValue: string()) else { return nil }
            p.severity = severity
            p.lines = Int(clamping: u64())
            p.verifier = optional(); p.tenant = optional()
            p.source = RuleSource(file: string(), line: Int(clamping: u64()))
            pairs.append(p)
        }
        let warnings = strings()
        let exampleCount = Int(u32())
        guard !failed, exampleCount <= bytes.count else { return nil }
        let exampleKeys = (0..<exampleCount).map { _ in ExampleKey(sha256: string(), description: string(), source: string()) }
        return failed ? nil : RuleSet(rules: rules, allowlists: allowlists, pairs: pairs, warnings: warnings,
                                      exampleKeys: exampleKeys)
    }
}

extension RuleSet {
    /// The SHA-256 (hex) of the rule set's whole serialised form (every rule, allowlist and pair as the rule
    /// cache stores them): equal rule sets have equal digests, and any change to a rule changes it. Caches of
    /// scan results are keyed with it.
    public var digest: String {
        var w = ByteWriter()
        w.u32(RuleSetCache.formatVersion)
        w.ruleSet(self)
        return Hex.encode(Digest.sha256(w.bytes))
    }
}
