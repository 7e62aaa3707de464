/// Turns a secret into its fingerprint: the identity keywarden uses for a secret everywhere
/// (ignore files, baselines, the key ledger, reports), so that the secret itself is never stored.
///
/// A fingerprint is the lowercase hex SHA-256 of the secret's UTF-8 bytes, or the HMAC-SHA256 keyed
/// with `KEYWARDEN_FINGERPRINT_KEY` when that variable is set (so that a leaked fingerprint cannot be
/// checked against guesses by someone without the key).
public struct Fingerprinter: Sendable {
    /// The environment variable that holds the optional HMAC key.
    public static let keyVariable = "KEYWARDEN_FINGERPRINT_KEY"

    private let key: [UInt8]?

    /// A fingerprinter with an explicit key; `nil` means plain SHA-256.
    public init(key: [UInt8]?) {
        self.key = (key?.isEmpty ?? true) ? nil : key
    }

    /// A fingerprinter configured from `environment` (normally the process environment).
    public init(environment: [String: String]) {
        self.init(key: environment[Self.keyVariable].map { Array($0.utf8) })
    }

    /// True when fingerprints are keyed (HMAC) rather than plain SHA-256.
    public var isKeyed: Bool { key != nil }

    /// The fingerprint of `secret`.
    public func fingerprint(_ secret: some StringProtocol) -> String {
        fingerprint(bytes: Array(secret.utf8))
    }

    /// The fingerprint of raw secret bytes.
    public func fingerprint(bytes: [UInt8]) -> String {
        if let key { return Hex.encode(Digest.hmacSHA256(key: key, message: bytes)) }
        return Hex.encode(Digest.sha256(bytes))
    }

    /// True when `text` has the shape of a fingerprint (64 lowercase hex digits).
    public static func isFingerprint(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
