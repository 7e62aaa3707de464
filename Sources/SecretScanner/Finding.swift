public import SecretRules

/// One secret found: where, by which rule, and its fingerprint. The secret itself is held only so that a
/// caller can ask for it explicitly (`--show-secrets`); every rendering redacts by default, and so does
/// `description`, so string interpolation of a finding never prints the secret.
public struct Finding: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public var ruleID: String
    /// The rule's own text ("MaintainX REST API key (JWT, decoded and confirmed)").
    public var ruleDescription: String
    public var provider: String
    public var severity: Severity
    public var path: String
    public var line: Int
    public var column: Int
    public var endLine: Int
    public var endColumn: Int
    public var secret: String
    public var fingerprint: String
    /// Other fingerprints that belong to this finding (the API key of a Mindtickle key pair).
    public var relatedFingerprints: [String] = []
    /// The other secret of a pair (the API key of a Mindtickle key pair), for live verification only. Never
    /// reported, redacted or not: reports show the pair's `secret` and this one's fingerprint in
    /// `relatedFingerprints`.
    public var partnerSecret: String?
    /// Facts known about the secret (MaintainX `iat`, `jti`; checksum state; a Mindtickle pair's `tenant`). Never secret.
    public var extra: [String: String] = [:]
    /// The provider whose verifier can check this finding live (from the rule's `verifier`); nil: none.
    public var verifier: String?
    /// Why this finding cannot be verified although `verifier` is set (from the rule's `unverifiable`, or a
    /// pair half found without its other half).
    public var unverifiableReason: String?
    /// Where the finding came from in git, when it did.
    public var git: GitProvenance?
    /// The credential pair this finding is one half of (from its rule), until pairing has run.
    var pairMembership: PairMembership?
    /// A pair half on a line with an inline allow marker: kept until pairing so that `keywarden:allow` on
    /// either line of a pair allows the whole pair, then dropped.
    var inlineAllowed = false
    /// For a named-value rule's finding, how many components of the value's key path its names matched (the
    /// name alone is 1): of rules reporting the same value, the one that matched more of the path is preferred
    /// (`mindtickle.secret.key` is a secret key, not an API key). 0 for pattern rules.
    var nameDepth = 0
    /// Byte offset of the secret in its input (for ordering and de-duplication; not reported).
    var offset = 0

    public init(ruleID: String, ruleDescription: String, provider: String, severity: Severity, path: String, line: Int,
                column: Int, endLine: Int, endColumn: Int, secret: String, fingerprint: String) {
        self.ruleID = ruleID
        self.ruleDescription = ruleDescription
        self.provider = provider
        self.severity = severity
        self.path = path
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
        self.secret = secret
        self.fingerprint = fingerprint
    }

    /// A finding of `rule`: its id, text, provider and what its rule says about verification.
    init(rule: Rule, severity: Severity, path: String, line: Int, column: Int, endLine: Int, endColumn: Int,
         secret: String, fingerprint: String) {
        self.init(ruleID: rule.id, ruleDescription: rule.description, provider: rule.provider, severity: severity, path: path,
                  line: line, column: column, endLine: endLine, endColumn: endColumn, secret: secret, fingerprint: fingerprint)
        verifier = rule.verifier
        unverifiableReason = rule.unverifiable
        pairMembership = rule.pair
    }

    /// The secret with all but a short, harmless prefix hidden.
    public var redactedSecret: String { Redaction.redact(secret) }

    /// `path:line: rule (provider) redacted-secret`: never the secret itself.
    public var description: String { "\(path):\(line): \(ruleID) (\(provider)) \(redactedSecret)" }

    /// The same as `description`: `debugPrint` and `dump`-style interpolation stay redacted too.
    public var debugDescription: String { "Finding(" + description + ", fingerprint: \(fingerprint))" }
}

/// The commit that introduced a finding (for git sources).
public struct GitProvenance: Sendable {
    public var commit: String
    public var author: String
    public var email: String
    public var date: String
    public var message: String
    public var inHead: Bool?
    public var occurrences: Int?

    public init(commit: String, author: String, email: String, date: String, message: String,
                inHead: Bool? = nil, occurrences: Int? = nil) {
        self.commit = commit
        self.author = author
        self.email = email
        self.date = date
        self.message = message
        self.inHead = inHead
        self.occurrences = occurrences
    }
}

/// How secrets are shown when they are not to be shown.
public enum Redaction {
    /// Keeps up to four leading characters of a long secret (a provider prefix at most) and hides the rest.
    public static func redact(_ secret: String) -> String {
        let count = secret.count
        guard count >= 16 else { return "*****" }
        return String(secret.prefix(4)) + "*****"
    }
}
