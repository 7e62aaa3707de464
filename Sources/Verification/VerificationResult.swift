/// What the provider said about a key.
public enum VerificationState: String, Sendable, CaseIterable, Comparable {
    /// The provider accepted the key: it is live (an incident, not a clean-up).
    case valid
    /// The provider rejected the key (revoked, expired, never existed).
    case invalid
    /// The key cannot be checked as found (a Mindtickle pair without its tenant, half of a pair, a client secret
    /// without its client id).
    case unverifiable
    /// No answer that says either way: a network error, a timeout, rate limiting, an unexpected status.
    case unknown

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
}

/// The outcome of verifying one key: the state, the HTTP status the decision rests on, and a short reason.
/// `detail` never holds the secret (organization names, the account login, the reason for `unknown`).
public struct VerificationResult: Sendable, Equatable, CustomStringConvertible {
    public var state: VerificationState
    public var httpStatus: Int?
    public var detail: String

    public init(_ state: VerificationState, httpStatus: Int? = nil, detail: String = "") {
        self.state = state
        self.httpStatus = httpStatus
        self.detail = detail
    }

    /// `valid (HTTP 200): organizations Acme` — one line for people.
    public var description: String {
        var s = state.rawValue
        if let httpStatus { s += " (HTTP \(httpStatus))" }
        if !detail.isEmpty { s += ": " + detail }
        return s
    }
}
