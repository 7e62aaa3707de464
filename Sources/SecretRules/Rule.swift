import SystemSupport

/// How bad a finding of a rule is.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    case info, low, medium, high, critical

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Where a rule was defined: for error messages that point at the right line.
public struct RuleSource: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
    public var description: String { "\(file):\(line)" }
}

/// One detection rule, in the gitleaks/betterleaks schema plus keywarden's fields.
public struct Rule: Sendable {
    public var id: String {
        get { storage.id }
        set { unique().id = newValue }
    }
    public var description: String {
        get { storage.description }
        set { unique().description = newValue }
    }
    /// The service the credential belongs to (`maintainx`, `github`, ...); "generic" when unknown.
    public var provider: String {
        get { storage.provider }
        set { unique().provider = newValue }
    }
    public var severity: Severity {
        get { storage.severity }
        set { unique().severity = newValue }
    }
    /// The detection pattern (PCRE2 syntax); nil for a path-only rule.
    public var regex: String? {
        get { storage.regex }
        set { unique().regex = newValue }
    }
    /// Which capture group is the secret; nil means the first non-empty group, else the whole match.
    public var secretGroup: Int? {
        get { storage.secretGroup }
        set { unique().secretGroup = newValue }
    }
    /// Lowercase words of which at least one must occur near a match; empty means no such filter.
    public var keywords: [String] {
        get { storage.keywords }
        set { unique().keywords = newValue }
    }
    /// Minimum Shannon entropy (bits per character) of the secret.
    public var entropy: Double? {
        get { storage.entropy }
        set { unique().entropy = newValue }
    }
    /// A pattern on the file path: the rule applies only to matching paths (alone, it flags the file).
    public var path: String? {
        get { storage.path }
        set { unique().path = newValue }
    }
    public var allowlists: [Allowlist] {
        get { storage.allowlists }
        set { unique().allowlists = newValue }
    }
    /// The name of a Swift post-match check (see `SecretScanner.Validators`).
    public var validator: String? {
        get { storage.validator }
        set { unique().validator = newValue }
    }
    /// Texts the rule must find (templates such as `{{alnum:36}}` expanded at check time).
    public var examples: [String] {
        get { exampleTexts.strings }
        set { exampleTexts = .decoded(newValue) }
    }
    /// Texts the rule must not find.
    public var negativeExamples: [String] {
        get { negativeExampleTexts.strings }
        set { negativeExampleTexts = .decoded(newValue) }
    }
    /// The examples as read from the rule cache, decoded only when asked for: only `rules check` reads them,
    /// and they are most of the cached rules' strings (decoding them all cost a one-file scan about 1 ms).
    var exampleTexts: StringList {
        get { storage.exampleTexts }
        set { unique().exampleTexts = newValue }
    }
    var negativeExampleTexts: StringList {
        get { storage.negativeExampleTexts }
        set { unique().negativeExampleTexts = newValue }
    }
    /// The tag of the rules that take a value written right after their vendor's first word, with no label
    /// between (`cloudsmith v`, in notes and logs): rules whose vendor word is coined and whose value has an
    /// exact shape, so that the word alone is evidence enough. The loader refuses it on other rules
    /// (``RuleLoader/vendorThenValueProblem(_:)``).
    public static let vendorThenValue = "vendor-then-value"

    public var tags: [String] {
        get { storage.tags }
        set { unique().tags = newValue }
    }
    public var source: RuleSource {
        get { storage.source }
        set { unique().source = newValue }
    }
    /// The provider whose verifier checks this rule's findings live (`keywarden verify`, `scan --verify`);
    /// nil: findings of this rule are not verified.
    public var verifier: String? {
        get { storage.verifier }
        set { unique().verifier = newValue }
    }
    /// Why findings of this rule cannot be verified although `verifier` names the provider (for example a
    /// client secret without its client id): reported as "unverifiable" with this reason, never sent.
    public var unverifiable: String? {
        get { storage.unverifiable }
        set { unique().unverifiable = newValue }
    }
    /// The credential pair this rule finds one half of (`pair = { id = "...", role = "key" }`).
    public var pair: PairMembership? {
        get { storage.pair }
        set { unique().pair = newValue }
    }
    /// For a named-value rule: what the value's name, vendor context and shape must be. Such a rule has no
    /// `regex`; it is matched against the named values found in a file (`NamedValues`).
    public var named: NamedSpec? {
        get { storage.named }
        set { unique().named = newValue }
    }
    /// The file path `rules check` scans this rule's examples under (`.netrc`): needed by a rule with `path`.
    public var examplePath: String? {
        get { storage.examplePath }
        set { unique().examplePath = newValue }
    }
    /// Patterns searched within `contextLines` lines of each finding: their named groups (`host`, `user`,
    /// `database`, `port`) say what the credential gives access to, as `extra` facts of the finding.
    public var context: [String] {
        get { storage.context }
        set { unique().context = newValue }
    }
    /// How many lines around a finding `context` patterns look at (0: the finding's line only).
    public var contextLines: Int {
        get { storage.contextLines }
        set { unique().contextLines = newValue }
    }
    /// Where the facts of the credential's format come from (an `https://` page of the vendor's documentation,
    /// SDK or changelog); nil when the rule does not say.
    public var reference: String? {
        get { storage.reference }
        set { unique().reference = newValue }
    }
    /// Where the rule's pattern is looked for: in every input (`.pattern`, the default: the matching engine
    /// looks for it in its one pass), or only in inputs holding one of its keywords (`.keywords`, TOML
    /// `prefilter = "keywords"`): the one pass then looks for the keywords, and the pattern is looked for on
    /// its own where one occurs. For patterns with no literal text the matching engine can anchor on, which
    /// slow its pass over everything. The findings are the same either way, since a finding of a rule with
    /// keywords needs one of them within 256 bytes.
    public var prefilter: PrefilterMode {
        get { storage.prefilter }
        set { unique().prefilter = newValue }
    }
    /// True for the rules embedded in keywarden (set by `RuleLoader.builtIn()`): their patterns are checked
    /// by the test suite, so a scan may compile them on first use rather than all at start.
    public var isBuiltIn: Bool {
        get { storage.isBuiltIn }
        set { unique().isBuiltIn = newValue }
    }

    /// The fields, shared between copies until one of them changes (copy on write): a rule is copied into
    /// every compiled rule and rule list, and copying its two dozen fields one by one (a retain each) cost
    /// a one-file scan about half a millisecond of start-up.
    private final class Storage: @unchecked Sendable {   // changed only while uniquely referenced (`unique()`)
        var id: String = ""
        var description: String = ""
        var provider: String = "generic"
        var severity: Severity = .medium
        var regex: String? = nil
        var secretGroup: Int? = nil
        var keywords: [String] = []
        var entropy: Double? = nil
        var path: String? = nil
        var allowlists: [Allowlist] = []
        var validator: String? = nil
        var exampleTexts: StringList = StringList.decoded([])
        var negativeExampleTexts: StringList = StringList.decoded([])
        var tags: [String] = []
        var source: RuleSource = RuleSource(file: "<inline>", line: 0)
        var verifier: String? = nil
        var unverifiable: String? = nil
        var pair: PairMembership? = nil
        var named: NamedSpec? = nil
        var examplePath: String? = nil
        var context: [String] = []
        var contextLines: Int = 10
        var reference: String? = nil
        var prefilter: PrefilterMode = .pattern
        var isBuiltIn: Bool = false

        func copy() -> Storage {
            let c = Storage()
            c.id = id
            c.description = description
            c.provider = provider
            c.severity = severity
            c.regex = regex
            c.secretGroup = secretGroup
            c.keywords = keywords
            c.entropy = entropy
            c.path = path
            c.allowlists = allowlists
            c.validator = validator
            c.exampleTexts = exampleTexts
            c.negativeExampleTexts = negativeExampleTexts
            c.tags = tags
            c.source = source
            c.verifier = verifier
            c.unverifiable = unverifiable
            c.pair = pair
            c.named = named
            c.examplePath = examplePath
            c.context = context
            c.contextLines = contextLines
            c.reference = reference
            c.prefilter = prefilter
            c.isBuiltIn = isBuiltIn
            return c
        }
    }

    private var storage = Storage()

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public init(id: String, description: String = "", provider: String = "generic", severity: Severity = .medium,
                regex: String? = nil, secretGroup: Int? = nil, keywords: [String] = [], entropy: Double? = nil,
                path: String? = nil, allowlists: [Allowlist] = [], validator: String? = nil, examples: [String] = [],
                negativeExamples: [String] = [], tags: [String] = [], source: RuleSource = RuleSource(file: "<inline>", line: 0)) {
        self.id = id
        self.description = description
        self.provider = provider
        self.severity = severity
        self.regex = regex
        self.secretGroup = secretGroup
        self.keywords = keywords
        self.entropy = entropy
        self.path = path
        self.allowlists = allowlists
        self.validator = validator
        self.exampleTexts = .decoded(examples)
        self.negativeExampleTexts = .decoded(negativeExamples)
        self.tags = tags
        self.source = source
    }
}

/// A list of strings either decoded or still in the rule cache's encoding (a 32-bit little-endian count, then each
/// string as a 32-bit length and its UTF-8 bytes) within the cache file's bytes, which `RuleSetCache` has
/// authenticated and bounds-checked.
enum StringList: Sendable {
    case decoded([String])
    case encoded(bytes: [UInt8], start: Int)

    var strings: [String] {
        switch self {
        case .decoded(let strings): return strings
        case .encoded(let bytes, let start):
            var reader = ByteReader(bytes, at: start)
            return reader.strings()
        }
    }
}

/// One half of a credential pair: the pair's id (a `[[pairs]]` entry) and which half this rule finds.
/// Where a rule's pattern is looked for (`Rule.prefilter`).
public enum PrefilterMode: String, Sendable, Codable {
    case pattern, keywords
}

public struct PairMembership: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable { case key, secret }
    public var id: String
    public var role: Role

    public init(id: String, role: Role) {
        self.id = id
        self.role = role
    }
}

/// A credential made of two halves found by two rules (an API key and its secret key): when both halves
/// are found within `lines` of each other they are reported as one finding under the pair's id.
public struct CredentialPair: Sendable, Equatable {
    public var id: String
    public var description: String
    public var provider: String
    public var severity: Severity
    /// How many lines apart the two halves may be.
    public var lines: Int
    /// The provider whose verifier checks the pair (it needs both halves).
    public var verifier: String?
    /// Which tenant finder looks for the pair's tenant in the lines around it (`mindtickle`); nil: none.
    public var tenant: String?
    public var source: RuleSource

    public init(id: String, description: String = "", provider: String = "generic", severity: Severity = .high, lines: Int = 5,
                verifier: String? = nil, tenant: String? = nil, source: RuleSource = RuleSource(file: "<inline>", line: 0)) {
        self.id = id
        self.description = description
        self.provider = provider
        self.severity = severity
        self.lines = lines
        self.verifier = verifier
        self.tenant = tenant
        self.source = source
    }
}

/// What a named-value rule asks of a value found under a name (`MAKINI_CLIENT_SECRET=...`,
/// `makini: {webhook: {secret: ...}}`, `os.getenv("X", "...")`).
public struct NamedSpec: Sendable, Equatable {
    /// Where the vendor must be named for the value to be attributed to it.
    public enum Scope: String, Sendable {
        /// In the value's key path: its own name, parent keys, section or block.
        case name
        /// In the key path, the file path, or within `vendorLines` lines of the value.
        case near
    }

    /// PCRE2 patterns, one of which must match the normalized name (`makini_client_secret`; lowercase words
    /// joined by `_`), or the name with its nearest one, two or three parents in front (`webhook_secret` and
    /// `makini_webhook_secret` for `makini.webhook.secret`).
    public var names: [String]
    /// Lowercase words that name the vendor (`makini`, or `mx`: words of three letters or fewer count only as
    /// whole words of the key path).
    public var vendor: [String]
    public var vendorScope: Scope
    public var vendorLines: Int
    /// A PCRE2 pattern the whole value must match (its shape); nil: any value.
    public var value: String?
    /// The least number of character classes (lowercase, uppercase, digits, other) in the value.
    public var valueClasses: Int

    public init(names: [String], vendor: [String] = [], vendorScope: Scope = .name, vendorLines: Int = 5,
                value: String? = nil, valueClasses: Int = 1) {
        self.names = names
        self.vendor = vendor
        self.vendorScope = vendorScope
        self.vendorLines = vendorLines
        self.value = value
        self.valueClasses = valueClasses
    }
}

/// Conditions under which a candidate is not reported (gitleaks semantics).
public struct Allowlist: Sendable {
    public enum Target: String, Sendable { case secret, match, line }
    public enum Condition: String, Sendable { case or = "OR", and = "AND" }

    public var description: String
    public var paths: [String]
    public var regexes: [String]
    public var regexTarget: Target
    public var stopwords: [String]
    public var commits: [String]
    public var condition: Condition

    public init(description: String = "", paths: [String] = [], regexes: [String] = [], regexTarget: Target = .secret,
                stopwords: [String] = [], commits: [String] = [], condition: Condition = .or) {
        self.description = description
        self.paths = paths
        self.regexes = regexes
        self.regexTarget = regexTarget
        self.stopwords = stopwords
        self.commits = commits
        self.condition = condition
    }

    /// True when the allowlist has at least one criterion.
    public var isEmpty: Bool { paths.isEmpty && regexes.isEmpty && stopwords.isEmpty && commits.isEmpty }
}

/// A loaded set of rules with its global allowlists and the warnings its loading produced.
public struct RuleSet: Sendable {
    public var rules: [Rule] {
        didSet { builtInDigest = nil }
    }
    /// The digest of the built-in rule files (with the rule cache's format) when `rules` are those files'
    /// rules exactly as loaded (`RuleLoader.builtIn`); any change to `rules` clears it. What is computed from
    /// the rules alone, by this build, can be cached under it (the matching plan, `CompiledRules`).
    public internal(set) var builtInDigest: String?
    public var allowlists: [Allowlist]
    /// Credential pairs whose halves the rules find (`[[pairs]]`).
    public var pairs: [CredentialPair]
    /// Things the loader skipped or distrusted, each named (never silently).
    public var warnings: [String]
    /// Publicly known example keys (`[[example_keys]]`): a candidate whose value is one of them is not reported.
    public var exampleKeys: [ExampleKey]

    public init(rules: [Rule], allowlists: [Allowlist] = [], pairs: [CredentialPair] = [], warnings: [String] = [],
                exampleKeys: [ExampleKey] = []) {
        self.rules = rules
        self.allowlists = allowlists
        self.pairs = pairs
        self.warnings = warnings
        self.exampleKeys = exampleKeys
    }
}

/// A key printed in a vendor's documentation or shipped in its SDK's tests: anyone can read it, so a scan
/// does not report it. Known by the SHA-256 of its value, so that the data file itself holds no key.
public struct ExampleKey: Sendable, Equatable {
    /// The SHA-256 of the value, lowercase hexadecimal.
    public var sha256: String
    public var description: String
    /// Where the value is published.
    public var source: String

    public init(sha256: String, description: String = "", source: String = "") {
        self.sha256 = sha256
        self.description = description
        self.source = source
    }
}

/// An error loading rules: names the file and, where known, the line.
public struct RulesError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
