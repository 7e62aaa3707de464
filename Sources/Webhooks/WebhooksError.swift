public import SystemSupport

/// A misconfigured verifier (never a rejected request: that is a `WebhookVerdict`).
public struct WebhooksError: ModuleError, Hashable {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// The secret is empty: anyone could sign with it.
        case emptySecret
        /// The tolerance is zero, negative or not finite.
        case invalidTolerance
        /// A signature prefix was given for a scheme whose format is fixed.
        case prefixNotApplicable
        /// Signing a timestamped scheme needs a timestamp.
        case timestampRequired
    }

    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) { (self.code, self.message) = (code, message) }
}
