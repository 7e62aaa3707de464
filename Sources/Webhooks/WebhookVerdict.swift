/// The outcome of verifying one webhook request.
public enum WebhookVerdict: Sendable, Hashable, CustomStringConvertible {
    /// The signature matches and the timestamp, if any, is inside the tolerance.
    case valid
    /// The request must be rejected, for `reason`.
    case invalid(WebhookFailure)

    /// True for `.valid`.
    public var isValid: Bool { self == .valid }

    /// The reason for rejection, or nil when valid.
    public var failure: WebhookFailure? {
        if case .invalid(let failure) = self { return failure }
        return nil
    }

    public var description: String {
        switch self {
        case .valid: "valid"
        case .invalid(let failure): "invalid: " + failure.message
        }
    }
}

/// Why a webhook request was rejected. Messages never contain the secret, the expected signature,
/// or any part of the received header (which may be anything an attacker chose).
public enum WebhookFailure: Sendable, Hashable, CustomStringConvertible {
    /// The signature is well formed but does not match the payload and secret.
    case badSignature
    /// The signed timestamp is older than the tolerance allows (a replay, or a very slow delivery).
    case staleTimestamp
    /// The signed timestamp is further in the future than the tolerance allows.
    case futureTimestamp
    /// The signature value (or the timestamp) cannot be parsed; `detail` says what is wrong.
    case malformedHeader(String)
    /// No signature value was given at all.
    case missingSignature

    /// A short stable identifier (for logs and JSON): `bad-signature`, `stale-timestamp`, …
    public var code: String {
        switch self {
        case .badSignature: "bad-signature"
        case .staleTimestamp: "stale-timestamp"
        case .futureTimestamp: "future-timestamp"
        case .malformedHeader: "malformed-header"
        case .missingSignature: "missing-signature"
        }
    }

    /// A human message.
    public var message: String {
        switch self {
        case .badSignature: "bad signature (it does not match the payload and the secret)"
        case .staleTimestamp: "stale timestamp (older than the tolerance allows; a replay?)"
        case .futureTimestamp: "future timestamp (later than the tolerance allows)"
        case .malformedHeader(let detail): "malformed header: " + detail
        case .missingSignature: "missing signature"
        }
    }

    public var description: String { message }
}
