public import Foundation
import SystemSupport
import Hashing
import TOMLKit

/// Loads rules from TOML: keywarden's built-in files (embedded in the binary) and user configs in the
/// gitleaks/betterleaks schema, with `[extend]` support.
public enum RuleLoader {
    /// The rules built into this binary. The parsed rules are cached in `cacheDirectory` (see
    /// `RuleSetCache`); nil: no cache.
    public static func builtIn(cacheDirectory: URL? = nil) throws(RulesError) -> RuleSet {
        var set: RuleSet
        if let dir = cacheDirectory, let cached = RuleSetCache.load(from: dir) {
            set = cached
        } else {
            set = try parseBuiltIn()
            if let dir = cacheDirectory { RuleSetCache.store(set, in: dir) }
        }
        for i in set.rules.indices { set.rules[i].isBuiltIn = true }
        set.builtInDigest = "\(EmbeddedRules.digest)-v\(RuleSetCache.formatVersion)"
        return set
    }

    static func parseBuiltIn() throws(RulesError) -> RuleSet {
        var set = RuleSet(rules: [])
        for (name, text) in builtInFiles() {
            let part = try parse(text, file: "rules/\(name)")
            set.rules += part.rules
            set.allowlists += part.allowlists
            set.pairs += part.pairs
            set.warnings += part.warnings
            set.exampleKeys += part.exampleKeys
        }
        return set
    }

    /// The built-in rule files' names and texts.
    public static func builtInFiles() -> [(name: String, text: String)] {
        EmbeddedRules.files.compactMap { entry in
            guard let data = Data(base64Encoded: entry.base64) else { return nil }
            return (entry.name, String(decoding: data, as: UTF8.self))
        }
    }

    /// Loads a user config file, following `[extend]` (`useDefault`, `path`, `disabledRules`).
    public static func load(configAt path: String, cacheDirectory: URL? = nil) throws(RulesError) -> RuleSet {
        try load(configAt: path, depth: 0, source: .anywhere, cacheDirectory: cacheDirectory)
    }

    /// The rules of a project's `.keywarden.toml` (already parsed into `settings`): the same schema, but the
    /// built-in rules are kept unless its `[extend]` says `useDefault = false`. No file: the built-in rules.
    ///
    /// The project's file is the repository's, which is untrusted input (docs/security.md): its `[extend]
    /// path`, and that of every file it extends, may only name a file inside the folder of the file that
    /// names it (the work tree), relative, without `..` and with no symbolic link on the way; settings read
    /// from a commit (`ProjectSettings.readFromRevision`, the base of a `--ci` range) read it from that
    /// commit too. The user's own `--config` (`load(configAt:)`) may name any file.
    public static func load(_ settings: ProjectSettings, cacheDirectory: URL? = nil) throws(RulesError) -> RuleSet {
        guard let path = settings.path else { return try builtIn(cacheDirectory: cacheDirectory) }
        let source: ExtendSource = settings.readFromRevision.map { .revision(directory: [], read: $0) } ?? .workTree
        return try resolve(settings.rules, file: path, extend: settings.rules.extend ?? Extend(useDefault: true),
                           depth: 0, source: source, cacheDirectory: cacheDirectory)
    }

    /// Where the file an `[extend] path` names is read from.
    enum ExtendSource {
        /// The user's own config: any path, relative to the file naming it.
        case anywhere
        /// The repository's: inside the folder of the file naming it, with no symbolic link on the way.
        case workTree
        /// The repository's, read from a commit: `directory` is the naming file's folder (components
        /// relative to the work tree root).
        case revision(directory: [String], read: @Sendable (String) -> (file: String, bytes: [UInt8])?)
    }

    private static func load(configAt path: String, text: String? = nil, depth: Int, source: ExtendSource,
                             cacheDirectory: URL?) throws(RulesError) -> RuleSet {
        guard depth < 8 else { throw RulesError(file: path, line: nil, message: "[extend] chain is too deep (a cycle?)") }
        let contents: String
        if let text {
            contents = text
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw RulesError(file: path, line: nil, message: "cannot read the config file")
            }
            contents = String(decoding: data, as: UTF8.self)
        }
        let own = try parseDocument(contents, file: path)
        guard let extend = own.extend else { return own.set }
        return try resolve(own, file: path, extend: extend, depth: depth, source: source, cacheDirectory: cacheDirectory)
    }

    /// `own` on top of what its `[extend]` names: the built-in rules, another file, less the disabled rules.
    private static func resolve(_ own: (set: RuleSet, extend: Extend?), file path: String, extend: Extend, depth: Int,
                                source: ExtendSource, cacheDirectory: URL?) throws(RulesError) -> RuleSet {
        var base = RuleSet(rules: [])
        if extend.useDefault { base = try builtIn(cacheDirectory: cacheDirectory) }
        if let other = extend.path {
            func refused(_ error: SystemError) -> RulesError {
                let at = error.path == other ? "" : " at \(PrintableText.escape(error.path))"
                return RulesError(file: path, line: nil, message: "[extend] path \"\(PrintableText.escape(other))\" refused: "
                    + "\(error.message)\(at). A repository's .keywarden.toml may only name a file inside the work tree: "
                    + "relative, with no '..' and no symbolic link on the way (a rules file elsewhere is given with --config; "
                    + "see docs/security.md)")
            }
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let more: RuleSet
            switch source {
            case .anywhere:
                let resolved = other.hasPrefix("/") ? other : URL(fileURLWithPath: folder).appendingPathComponent(other).path
                more = try load(configAt: resolved, depth: depth + 1, source: source, cacheDirectory: cacheDirectory)
            case .workTree:
                let resolved: String
                do { resolved = try ContainedPath.resolve(other, under: folder) } catch { throw refused(error) }
                more = try load(configAt: resolved, depth: depth + 1, source: source, cacheDirectory: cacheDirectory)
            case .revision(let directory, let read):
                let parts: [String]
                do { parts = try ContainedPath.components(other, under: "the work tree") } catch { throw refused(error) }
                let relative = (directory + parts).joined(separator: "/")
                guard let found = read(relative) else {
                    throw RulesError(file: path, line: nil,
                                     message: "[extend] path \"\(PrintableText.escape(other))\": no such file in that commit")
                }
                more = try load(configAt: found.file, text: String(decoding: found.bytes, as: UTF8.self), depth: depth + 1,
                                source: .revision(directory: Array((directory + parts).dropLast()), read: read),
                                cacheDirectory: cacheDirectory)
            }
            base = merge(base, more)
        }
        let known = Set(base.rules.map(\.id))
        if let unknown = extend.disabledRules.first(where: { !known.contains($0) }) {
            throw RulesError(file: path, line: extend.disabledRulesLine, message: "[extend] disabledRules names '\(unknown)', which is not a rule it extends")
        }
        // (Only when there is something to remove: any change to `rules` clears `builtInDigest`.)
        if !extend.disabledRules.isEmpty { base.rules.removeAll { extend.disabledRules.contains($0.id) } }
        return merge(base, own.set)
    }

    /// `top` wins over `base` for rules with the same id; allowlists and warnings add up.
    /// A `top` without rules of its own (a project file of allowlists and settings) keeps `base`'s rules as they
    /// are, and so their `builtInDigest`.
    static func merge(_ base: RuleSet, _ top: RuleSet) -> RuleSet {
        let ids = Set(top.rules.map(\.id))
        let pairIDs = Set(top.pairs.map(\.id))
        var merged = RuleSet(rules: top.rules.isEmpty ? base.rules : base.rules.filter { !ids.contains($0.id) } + top.rules,
                             allowlists: base.allowlists + top.allowlists,
                             pairs: base.pairs.filter { !pairIDs.contains($0.id) } + top.pairs,
                             warnings: base.warnings + top.warnings, exampleKeys: base.exampleKeys + top.exampleKeys)
        if top.rules.isEmpty { merged.builtInDigest = base.builtInDigest }
        return merged
    }

    /// Parses one TOML document of rules. Throws with the file and line of the first problem.
    public static func parse(_ text: String, file: String) throws(RulesError) -> RuleSet {
        try parseDocument(text, file: file).set
    }

    struct Extend: Sendable {
        var useDefault = false
        var path: String?
        var disabledRules: [String] = []
        /// The line of `disabledRules` in its file, for the message when it names no rule.
        var disabledRulesLine: Int?
    }

    /// Tables of `.keywarden.toml` that belong to other commands (`hook`, `doctor`), not to the rules.
    static let projectTables: Set<String> = ["hook", "doctor"]

    /// The TOML table of `text`; a syntax error names `file` and the line.
    static func table(_ text: String, file: String) throws(RulesError) -> TOMLTable {
        if let problem = TOMLPrecheck.problem(text) {
            throw RulesError(file: file, line: problem.line, message: "TOML syntax: \(problem.message)")
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw RulesError(file: file, line: error.source.begin.line, message: "TOML syntax: \(error.description)")
        } catch {
            throw RulesError(file: file, line: nil, message: "TOML syntax: \(error)")
        }
    }

    static func parseDocument(_ text: String, file: String, hookTableAllowed: Bool = false) throws(RulesError) -> (set: RuleSet, extend: Extend?) {
        try parseDocument(try table(text, file: file), text: text, file: file, projectTablesAllowed: hookTableAllowed)
    }

    /// The rules part of a parsed document; `projectTablesAllowed` for `.keywarden.toml`, whose `[hook]` and
    /// `[doctor]` tables are not rules and whose `[extend]` keeps the built-in rules unless it says otherwise.
    static func parseDocument(_ table: TOMLTable, text: String, file: String, projectTablesAllowed hookTableAllowed: Bool) throws(RulesError) -> (set: RuleSet, extend: Extend?) {
        let lines = RuleLines(text: text)
        var unsupported = [String: [String]]()
        var rules = [Rule]()
        var ids = [String: Int]()
        for key in table.keys where !["title", "minVersion", "description", "rules", "allowlist", "allowlists", "extend", "pairs", "example_keys"].contains(key) && !(hookTableAllowed && Self.projectTables.contains(key)) {
            unsupported["top-level '\(key)'", default: []].append("")
        }
        if let array = table["rules"]?.array {
            for (index, value) in array.enumerated() {
                let line = lines.ruleHeader(index)
                guard let t = value.table else {
                    throw RulesError(file: file, line: line, message: "[[rules]] entry \(index + 1) is not a table")
                }
                var rule = try parseRule(t, file: file, line: line, unsupported: &unsupported)
                if let previous = ids[rule.id] {
                    throw RulesError(file: file, line: line, message: "rule id '\(rule.id)' is already defined at line \(previous)")
                }
                ids[rule.id] = line
                rule.source = RuleSource(file: file, line: line)
                rules.append(rule)
            }
        } else if table["rules"] != nil {
            throw RulesError(file: file, line: nil, message: "'rules' must be an array of tables ([[rules]])")
        }
        var allowlists = [Allowlist]()
        if let single = table["allowlist"]?.table {
            allowlists.append(try parseAllowlist(single, file: file, context: "[allowlist]", unsupported: &unsupported))
        }
        if let many = table["allowlists"]?.array {
            for value in many {
                guard let t = value.table else { continue }
                allowlists.append(try parseAllowlist(t, file: file, context: "[[allowlists]]", unsupported: &unsupported))
            }
        }
        var pairs = [CredentialPair]()
        if let many = table["pairs"]?.array {
            for (index, value) in many.enumerated() {
                guard let t = value.table else {
                    throw RulesError(file: file, line: nil, message: "[[pairs]] entry \(index + 1) is not a table")
                }
                pairs.append(try parsePair(t, file: file))
            }
        } else if table["pairs"] != nil {
            throw RulesError(file: file, line: nil, message: "'pairs' must be an array of tables ([[pairs]])")
        }
        var exampleKeys = [ExampleKey]()
        if let many = table["example_keys"]?.array {
            for (index, value) in many.enumerated() {
                guard let t = value.table else {
                    throw RulesError(file: file, line: nil, message: "[[example_keys]] entry \(index + 1) is not a table")
                }
                exampleKeys.append(try parseExampleKey(t, index: index + 1, file: file))
            }
        } else if table["example_keys"] != nil {
            throw RulesError(file: file, line: nil, message: "'example_keys' must be an array of tables ([[example_keys]])")
        }
        var extend: Extend?
        if let value = table["extend"] {
            // [extend] decides which rules run at all: a wrong type or a misspelt key would silently drop the
            // built-in rules, so each is an error naming the file.
            func line(_ key: String) -> Int? { TOMLKeyLines.line(of: key, inTable: "extend", text: text) }
            guard let e = value.table else {
                throw RulesError(file: file, line: TOMLKeyLines.line(of: "extend", inTable: "", text: text), message: "'extend' must be a table ([extend])")
            }
            for key in e.keys.sorted() where !["useDefault", "path", "disabledRules"].contains(key) {
                throw RulesError(file: file, line: line(key),
                                 message: "[extend] \(key) is not a setting keywarden knows (useDefault, path, disabledRules)")
            }
            var x = Extend()
            if let v = e["useDefault"] {
                guard let b = v.bool else {
                    throw RulesError(file: file, line: line("useDefault"), message: "[extend] useDefault must be true or false (no quotes)")
                }
                x.useDefault = b
            } else {
                x.useDefault = hookTableAllowed
            }
            if let v = e["path"] {
                guard let p = v.string, !p.isEmpty else { throw RulesError(file: file, line: line("path"), message: "[extend] path must be a file name") }
                x.path = p
            }
            if let v = e["disabledRules"] {
                guard let list = v.array, list.allSatisfy({ $0.string != nil }) else {
                    throw RulesError(file: file, line: line("disabledRules"), message: "[extend] disabledRules must be a list of rule ids")
                }
                x.disabledRules = strings(v)
                x.disabledRulesLine = line("disabledRules")
            }
            extend = x
        }
        var warnings = [String]()
        if !unsupported.isEmpty {
            let names = unsupported.keys.sorted().map { key -> String in
                let where_ = Set(unsupported[key] ?? []).subtracting([""]).sorted()
                return where_.isEmpty ? key : "\(key) (rules: \(where_.prefix(5).joined(separator: ", "))\(where_.count > 5 ? ", ..." : ""))"
            }
            warnings.append("\(file): skipped features keywarden does not support: \(names.joined(separator: "; "))")
        }
        return (RuleSet(rules: rules, allowlists: allowlists, pairs: pairs, warnings: warnings, exampleKeys: exampleKeys), extend)
    }

    private static let ruleKeys: Set<String> = [
        "id", "description", "regex", "secretGroup", "entropy", "keywords", "path", "tags", "allowlist", "allowlists",
        "provider", "severity", "examples", "negative_examples", "validator", "verifier", "unverifiable", "pair",
        "names", "vendor", "vendor_scope", "vendor_lines", "value", "value_classes", "example_path", "context", "context_lines", "reference",
        "prefilter",
    ]

    static func parseRule(_ t: TOMLTable, file: String, line: Int, unsupported: inout [String: [String]]) throws(RulesError) -> Rule {
        guard let id = t["id"]?.string, !id.isEmpty else {
            throw RulesError(file: file, line: line, message: "a rule has no 'id'")
        }
        for key in t.keys where !ruleKeys.contains(key) {
            unsupported["rule field '\(key)'", default: []].append(id)
        }
        var rule = Rule(id: id)
        rule.description = t["description"]?.string ?? ""
        rule.provider = t["provider"]?.string ?? inferProvider(id)
        if let s = t["severity"]?.string {
            guard let severity = Severity(rawValue: s.lowercased()) else {
                throw RulesError(file: file, line: line, message: "rule '\(id)': unknown severity '\(s)' (use critical, high, medium, low or info)")
            }
            rule.severity = severity
        } else {
            rule.severity = id.contains("generic") ? .low : .medium
        }
        rule.regex = t["regex"]?.string
        rule.path = t["path"]?.string
        rule.named = try parseNamed(t, id: id, file: file, line: line)
        if rule.regex == nil && rule.path == nil && rule.named == nil {
            throw RulesError(file: file, line: line, message: "rule '\(id)' has neither 'regex', 'names' nor 'path'")
        }
        if rule.regex != nil && rule.named != nil {
            throw RulesError(file: file, line: line, message: "rule '\(id)' has both 'regex' and 'names' (a rule matches text or named values, not both)")
        }
        if let g = t["secretGroup"] {
            guard let n = g.int, n >= 0 else {
                throw RulesError(file: file, line: line, message: "rule '\(id)': secretGroup must be a non-negative integer")
            }
            rule.secretGroup = n == 0 ? nil : n
        }
        if let e = t["entropy"] { rule.entropy = e.double ?? e.int.map(Double.init) }
        rule.keywords = strings(t["keywords"]).map { $0.lowercased() }.filter { !$0.isEmpty }
        rule.tags = strings(t["tags"])
        if let p = t["prefilter"] {
            guard let text = p.string, let mode = PrefilterMode(rawValue: text) else {
                throw RulesError(file: file, line: line, message: "rule '\(id)': prefilter must be \"pattern\" or \"keywords\"")
            }
            if mode == .keywords {
                guard rule.regex != nil, rule.path == nil else {
                    throw RulesError(file: file, line: line, message: "rule '\(id)': prefilter = \"keywords\" needs a 'regex' and no 'path'")
                }
                guard !rule.keywords.isEmpty, rule.keywords.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else {
                    throw RulesError(file: file, line: line, message: "rule '\(id)': prefilter = \"keywords\" needs 'keywords' (ASCII): the pattern is looked for only where one occurs")
                }
            }
            rule.prefilter = mode
        }
        if rule.tags.contains(Rule.vendorThenValue), let problem = vendorThenValueProblem(rule.named) {
            throw RulesError(file: file, line: line, message: "rule '\(id)': tag '\(Rule.vendorThenValue)' refused: \(problem)")
        }
        rule.validator = t["validator"]?.string
        rule.verifier = t["verifier"]?.string
        rule.unverifiable = t["unverifiable"]?.string
        if rule.unverifiable != nil, rule.verifier == nil {
            throw RulesError(file: file, line: line, message: "rule '\(id)': 'unverifiable' needs 'verifier' (the provider it cannot be checked with)")
        }
        if let p = t["pair"] {
            guard let pt = p.table, let pairID = pt["id"]?.string, !pairID.isEmpty,
                  let roleText = pt["role"]?.string, let role = PairMembership.Role(rawValue: roleText) else {
                throw RulesError(file: file, line: line, message: "rule '\(id)': pair must be { id = \"<pair id>\", role = \"key\" or \"secret\" }")
            }
            rule.pair = PairMembership(id: pairID, role: role)
        }
        if let r = t["reference"] {
            guard let text = r.string else {
                throw RulesError(file: file, line: line, message: "rule '\(id)': reference must be a string (an https:// address)")
            }
            if let problem = referenceProblem(text) {
                throw RulesError(file: file, line: line, message: "rule '\(id)': reference \(problem)")
            }
            rule.reference = text
        }
        rule.examples = strings(t["examples"])
        rule.negativeExamples = strings(t["negative_examples"])
        rule.examplePath = t["example_path"]?.string
        rule.context = strings(t["context"])
        if let n = t["context_lines"] {
            guard let lines = n.int, lines >= 0, lines <= 200 else {
                throw RulesError(file: file, line: line, message: "rule '\(id)': context_lines must be an integer from 0 to 200")
            }
            rule.contextLines = lines
        }
        if let single = t["allowlist"]?.table {
            rule.allowlists.append(try parseAllowlist(single, file: file, context: "rule '\(id)' allowlist", unsupported: &unsupported))
        }
        if let many = t["allowlists"]?.array {
            for value in many {
                guard let a = value.table else { continue }
                rule.allowlists.append(try parseAllowlist(a, file: file, context: "rule '\(id)' allowlists", unsupported: &unsupported))
            }
        }
        return rule
    }

    /// Why a rule with the named-value fields `named` may not carry the tag `vendor-then-value`; nil when it may.
    /// The tag lets the vendor's first word alone, written before a value in notes and logs (`cloudsmith v`),
    /// name the value: that is evidence only for a vendor word no prose uses and a value of an exact shape.
    /// (Common words of four letters or more, `stripe`, `square`, are left to the rule's author: keywarden
    /// has no list of them.)
    static func vendorThenValueProblem(_ named: NamedSpec?) -> String? {
        guard let named else {
            return "the tag is for named-value rules ('names', 'vendor' and 'value'); this rule has no 'names'"
        }
        guard let word = named.vendor.first else {
            return "it needs 'vendor': the tag takes a value written after the first vendor word"
        }
        guard word.unicodeScalars.filter({ ("a"..."z").contains($0) }).count >= 4 else {
            return "its first vendor word '\(word)' has fewer than 4 letters, too short a word to name a vendor alone"
        }
        guard let value = named.value else {
            return "it needs 'value', the exact shape of the value (a charset and a length), or any word after '\(word)' would be taken"
        }
        if let open = RegexLint.openRepeat(in: value) {
            return "its 'value' repeats with no upper bound (\(open)); give the value an exact length ({40}) or a bounded one ({20,40})"
        }
        return nil
    }

    /// Why `text` is not a usable `reference` (an `https://` address of a page, no spaces); nil when it is.
    static func referenceProblem(_ text: String) -> String? {
        guard text.hasPrefix("https://") else { return "must be an https:// address (where the format facts come from)" }
        let host = text.dropFirst(8).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard host.contains("."), !host.hasPrefix("."), !host.hasSuffix(".") else { return "'\(text)' has no host name" }
        guard !text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" }) else {
            return "'\(text)' has a space or a quote in it"
        }
        return nil
    }

    private static let exampleKeyFields: Set<String> = ["value", "sha256", "description", "source"]

    /// One `[[example_keys]]` entry: a published example key, given as `value` or as the `sha256` of its value.
    static func parseExampleKey(_ t: TOMLTable, index: Int, file: String) throws(RulesError) -> ExampleKey {
        for key in t.keys.sorted() where !exampleKeyFields.contains(key) {
            throw RulesError(file: file, line: nil, message: "[[example_keys]] entry \(index): unknown field '\(key)' (value, sha256, description, source)")
        }
        let value = t["value"]?.string, digest = t["sha256"]?.string?.lowercased()
        let hex: String
        switch (value, digest) {
        case (let v?, nil) where !v.isEmpty:
            hex = Hex.encode(Digest.sha256(Array(v.utf8)))
        case (nil, let d?) where d.count == 64 && Hex.decode(d) != nil:
            hex = d
        default:
            throw RulesError(file: file, line: nil,
                             message: "[[example_keys]] entry \(index): give either value = \"...\" or sha256 = \"<64 hex digits>\" (the SHA-256 of the value)")
        }
        return ExampleKey(sha256: hex, description: t["description"]?.string ?? "", source: t["source"]?.string ?? "")
    }

    private static let pairKeys: Set<String> = ["id", "description", "provider", "severity", "lines", "verifier", "tenant"]

    /// One `[[pairs]]` entry: a credential reported as one finding when the rules of its two halves both match.
    static func parsePair(_ t: TOMLTable, file: String) throws(RulesError) -> CredentialPair {
        guard let id = t["id"]?.string, !id.isEmpty else { throw RulesError(file: file, line: nil, message: "a [[pairs]] entry has no 'id'") }
        for key in t.keys where !pairKeys.contains(key) {
            throw RulesError(file: file, line: nil, message: "pair '\(id)': unknown field '\(key)'")
        }
        var pair = CredentialPair(id: id, source: RuleSource(file: file, line: 0))
        pair.description = t["description"]?.string ?? ""
        pair.provider = t["provider"]?.string ?? inferProvider(id)
        if let s = t["severity"]?.string {
            guard let severity = Severity(rawValue: s.lowercased()) else {
                throw RulesError(file: file, line: nil, message: "pair '\(id)': unknown severity '\(s)'")
            }
            pair.severity = severity
        }
        if let n = t["lines"] {
            guard let v = n.int, (0...100).contains(v) else {
                throw RulesError(file: file, line: nil, message: "pair '\(id)': lines must be a whole number from 0 to 100")
            }
            pair.lines = v
        }
        pair.verifier = t["verifier"]?.string
        pair.tenant = t["tenant"]?.string
        return pair
    }

    /// The named-value fields of a rule (`names`, `vendor`, `vendor_scope`, `vendor_lines`, `value`,
    /// `value_classes`); nil when it has no `names`. The others without `names` are an error, not ignored.
    static func parseNamed(_ t: TOMLTable, id: String, file: String, line: Int) throws(RulesError) -> NamedSpec? {
        let names = strings(t["names"]).filter { !$0.isEmpty }
        guard !names.isEmpty else {
            for key in ["vendor", "vendor_scope", "vendor_lines", "value", "value_classes"] where t[key] != nil {
                throw RulesError(file: file, line: line, message: "rule '\(id)': '\(key)' needs 'names' (the named-value fields go together)")
            }
            return nil
        }
        var spec = NamedSpec(names: names)
        spec.vendor = strings(t["vendor"]).map { $0.lowercased() }.filter { !$0.isEmpty }
        if let scope = t["vendor_scope"]?.string {
            guard let s = NamedSpec.Scope(rawValue: scope.lowercased()) else {
                throw RulesError(file: file, line: line, message: "rule '\(id)': vendor_scope must be \"name\" or \"near\"")
            }
            spec.vendorScope = s
        }
        if let n = t["vendor_lines"] {
            guard let v = n.int, v >= 0, v <= 50 else {
                throw RulesError(file: file, line: line, message: "rule '\(id)': vendor_lines must be an integer from 0 to 50")
            }
            spec.vendorLines = v
        }
        spec.value = t["value"]?.string
        if let n = t["value_classes"] {
            guard let v = n.int, v >= 1, v <= 4 else {
                throw RulesError(file: file, line: line, message: "rule '\(id)': value_classes must be an integer from 1 to 4")
            }
            spec.valueClasses = v
        }
        return spec
    }

    private static let allowlistKeys: Set<String> = ["description", "paths", "regexes", "regexTarget", "stopwords", "commits", "condition", "targetRules"]

    static func parseAllowlist(_ t: TOMLTable, file: String, context: String, unsupported: inout [String: [String]]) throws(RulesError) -> Allowlist {
        for key in t.keys where !allowlistKeys.contains(key) {
            unsupported["allowlist field '\(key)'", default: []].append("")
        }
        var a = Allowlist()
        a.description = t["description"]?.string ?? ""
        a.paths = strings(t["paths"])
        a.regexes = strings(t["regexes"])
        a.stopwords = strings(t["stopwords"]).map { $0.lowercased() }
        a.commits = strings(t["commits"])
        if let target = t["regexTarget"]?.string {
            guard let value = Allowlist.Target(rawValue: target.lowercased()) else {
                throw RulesError(file: file, line: nil, message: "\(context): regexTarget must be secret, match or line")
            }
            a.regexTarget = value
        }
        if let condition = t["condition"]?.string {
            guard let value = Allowlist.Condition(rawValue: condition.uppercased()) else {
                throw RulesError(file: file, line: nil, message: "\(context): condition must be OR or AND")
            }
            a.condition = value
        }
        if t["targetRules"] != nil { unsupported["allowlist field 'targetRules' (applied to all rules)", default: []].append("") }
        return a
    }

    static func strings(_ value: TOMLValueConvertible?) -> [String] {
        guard let array = value?.array else { return value?.string.map { [$0] } ?? [] }
        return array.compactMap { $0.string }
    }

    /// gitleaks ids start with the provider (`github-pat`, `aws-access-token`).
    static func inferProvider(_ id: String) -> String {
        let head = id.split(separator: "-").first.map(String.init) ?? id
        return head.isEmpty ? "generic" : head.lowercased()
    }
}

/// Finds the line of each `[[rules]]` header, so errors can name the line a rule starts on.
struct RuleLines {
    private var headers = [Int]()

    init(text: String) {
        // Byte-level: this runs on every start-up over all built-in rule files.
        var line = 1
        var atLineStart = true
        let header = Array("[[rules]]".utf8)
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var i = 0
            while i < bytes.count {
                let c = bytes[i]
                if atLineStart, c != 0x20, c != 0x09 {
                    if c == 0x5B, i + header.count <= bytes.count, bytes[i..<(i + header.count)].elementsEqual(header) {
                        headers.append(line)
                    }
                    atLineStart = false
                }
                if c == 0x0A {
                    line += 1
                    atLineStart = true
                }
                i += 1
            }
        }
    }

    func ruleHeader(_ index: Int) -> Int { index < headers.count ? headers[index] : 0 }
}
