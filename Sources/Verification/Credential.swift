/// A key to verify, as the scanner found it or as a person gave it. Holds the secret in memory only; its
/// `description` never shows it.
public struct Credential: Sendable, CustomStringConvertible {
    /// The provider whose verifier checks it (`maintainx`, `mindtickle`, `github`, ...).
    public var provider: String
    /// The secret: the token, or for a Mindtickle pair its secret key.
    public var secret: String
    /// The other half of a pair (a Mindtickle API key), when the provider needs two values.
    public var partnerSecret: String?
    /// The tenant the key belongs to (a Mindtickle learning site such as `acme.mindtickle.com`, or a company id).
    public var tenant: String?
    /// The fingerprint of `secret` (and of the partner, if any): the key of the once-per-run cache.
    public var fingerprint: String
    /// Why the key cannot be verified as found, when the rule knows it cannot (then nothing is sent).
    public var unverifiableReason: String?

    public init(provider: String, secret: String, fingerprint: String, partnerSecret: String? = nil, tenant: String? = nil,
                unverifiableReason: String? = nil) {
        self.provider = provider
        self.secret = secret
        self.fingerprint = fingerprint
        self.partnerSecret = partnerSecret
        self.tenant = tenant
        self.unverifiableReason = unverifiableReason
    }

    public var description: String { "\(provider) key \(fingerprint.prefix(12))…" }

    /// The identity of one verification within a run: the same key (and partner and tenant) is asked once.
    var cacheKey: String {
        [provider, fingerprint, partnerSecret.map { String($0.hashValue) } ?? "", tenant ?? "", unverifiableReason ?? ""]
            .joined(separator: "|")
    }
}
