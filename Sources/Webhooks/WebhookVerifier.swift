public import Foundation
import Hashing

/// Verifies webhook requests for one scheme and one secret.
///
/// Build it once and share it: it is an immutable value. The signature is checked first (HMAC-SHA256
/// through OpenSSL, compared in constant time), then the timestamp window, so a `staleTimestamp` or
/// `futureTimestamp` verdict means an authentic request that arrived outside the window.
///
/// ```swift
/// let verifier = try WebhookVerifier(scheme: .github, secret: secretFromTheEnvironment)
/// let verdict = verifier.verify(payload: rawBody, headers: requestHeaders, now: Date())
/// guard verdict.isValid else { return reject(verdict.failure?.message) }
/// ```
///
/// - Important: pass the raw body bytes exactly as received, before any JSON or form decoding.
public struct WebhookVerifier: Sendable {
    /// Five minutes: what MaintainX, Stripe and Slack recommend.
    public static let defaultTolerance: TimeInterval = 300

    /// The scheme.
    public let scheme: WebhookScheme
    /// How far the signed timestamp may be from `now`, either way; nil turns the window check off.
    /// Ignored by schemes without a timestamp.
    public let tolerance: TimeInterval?
    /// For `.hmacSHA256` only: a prefix the signature value must start with (such as `sha256=`).
    public let signaturePrefix: String?
    /// The header `verify(payload:headers:now:)` reads the signature from.
    public let signatureHeader: String

    private let secret: [UInt8]

    /// A verifier for `scheme`, keyed with `secret`.
    ///
    /// - Throws: `WebhooksError` when the secret is empty, the tolerance is not a positive number of
    ///   seconds, or a prefix is given for a scheme other than `.hmacSHA256`.
    public init(scheme: WebhookScheme, secret: some Collection<UInt8>, tolerance: TimeInterval? = defaultTolerance,
                signaturePrefix: String? = nil, signatureHeader: String? = nil) throws(WebhooksError) {
        guard !secret.isEmpty else { throw WebhooksError(.emptySecret, "the webhook secret is empty") }
        if let tolerance, !(tolerance.isFinite && tolerance > 0) {
            throw WebhooksError(.invalidTolerance, "the tolerance must be a positive number of seconds (nil turns the check off)")
        }
        let prefix = (signaturePrefix?.isEmpty ?? true) ? nil : signaturePrefix
        if prefix != nil, scheme != .hmacSHA256 {
            throw WebhooksError(.prefixNotApplicable, "a signature prefix applies only to the hmac-sha256 scheme")
        }
        self.scheme = scheme
        self.secret = Array(secret)
        self.tolerance = tolerance
        self.signaturePrefix = prefix
        self.signatureHeader = signatureHeader ?? scheme.signatureHeader
    }

    /// A verifier keyed with the UTF-8 bytes of `secret` (how every supported vendor uses it).
    public init(scheme: WebhookScheme, secret: String, tolerance: TimeInterval? = defaultTolerance,
                signaturePrefix: String? = nil, signatureHeader: String? = nil) throws(WebhooksError) {
        try self.init(scheme: scheme, secret: Array(secret.utf8), tolerance: tolerance,
                      signaturePrefix: signaturePrefix, signatureHeader: signatureHeader)
    }

    /// Verifies one request from its signature value.
    ///
    /// - Parameters:
    ///   - payload: the raw request body; for `.maintainxURI`, the full request URI's UTF-8 bytes.
    ///   - signature: the signature header's value; nil or blank gives `.missingSignature`.
    ///   - timestamp: the separate timestamp header's value (Slack's `X-Slack-Request-Timestamp`);
    ///     ignored by the other schemes.
    ///   - now: the current time (injectable for tests).
    public func verify(payload: some Collection<UInt8>, signature: String?, timestamp: String? = nil,
                       now: Date) -> WebhookVerdict {
        let value = SignatureValue.trimmed(Substring(signature ?? ""))
        guard !value.isEmpty else { return .invalid(.missingSignature) }
        let parsed: SignatureValue
        switch SignatureValue.parse(value, scheme: scheme, prefix: signaturePrefix) {
        case .success(let p): parsed = p
        case .failure(let failure): return .invalid(failure)
        }

        var message: [UInt8] = []
        var signedAt: Double?
        if scheme.isTimestamped {
            let stamp = parsed.timestamp ?? SignatureValue.trimmed(Substring(timestamp ?? ""))
            guard !stamp.isEmpty else {
                return .invalid(.malformedHeader("no timestamp (\(scheme.timestampHeader ?? "t=") is required)"))
            }
            guard let seconds = WebhookTimestamp.seconds(stamp) else {
                return .invalid(.malformedHeader("the timestamp is not a whole number of seconds or milliseconds"))
            }
            signedAt = seconds
            message = scheme == .slack ? Array("v0:\(stamp):".utf8) : Array("\(stamp).".utf8)
        }
        message.append(contentsOf: payload)

        let expected = Digest.hmacSHA256(key: secret, message: message)
        // Compare with every candidate (no early exit), each in constant time.
        var matched = false
        for candidate in parsed.digests where Digest.constantTimeEqual(candidate, expected) { matched = true }
        guard matched else { return .invalid(.badSignature) }

        if let signedAt, let tolerance {
            let age = now.timeIntervalSince1970 - signedAt
            if age > tolerance { return .invalid(.staleTimestamp) }
            if -age > tolerance { return .invalid(.futureTimestamp) }
        }
        return .valid
    }

    /// Verifies one request from its headers (names matched case-insensitively): the signature from
    /// `signatureHeader`, and for Slack the timestamp from `X-Slack-Request-Timestamp`. A header given
    /// twice under different cases is ambiguous and rejected as malformed.
    public func verify(payload: some Collection<UInt8>, headers: [String: String], now: Date) -> WebhookVerdict {
        func values(_ name: String?) -> [String] {
            guard let wanted = name?.lowercased() else { return [] }
            return headers.filter { $0.key.lowercased() == wanted }.map(\.value)
        }
        let signatures = values(signatureHeader), timestamps = values(scheme.timestampHeader)
        guard signatures.count <= 1, timestamps.count <= 1 else {
            return .invalid(.malformedHeader("a signature or timestamp header appears more than once"))
        }
        return verify(payload: payload, signature: signatures.first, timestamp: timestamps.first, now: now)
    }

    /// The signature value a sender would put in `signatureHeader` for `payload`, as lowercase hex in
    /// the scheme's format (`t=<ts>,v1=<hex>`, `sha256=<hex>`, `v0=<hex>`, or bare hex after the prefix).
    /// For Slack, send `String(timestamp)` as `X-Slack-Request-Timestamp` alongside.
    ///
    /// - Throws: `WebhooksError.Code.timestampRequired` for a timestamped scheme without `timestamp`.
    public func sign(payload: some Collection<UInt8>, timestamp: Int64? = nil) throws(WebhooksError) -> String {
        var message: [UInt8] = []
        if scheme.isTimestamped {
            guard let timestamp, timestamp >= 0 else {
                throw WebhooksError(.timestampRequired, "the \(scheme.rawValue) scheme signs a timestamp: give one")
            }
            message = scheme == .slack ? Array("v0:\(timestamp):".utf8) : Array("\(timestamp).".utf8)
        }
        message.append(contentsOf: payload)
        let hex = Hex.encode(Digest.hmacSHA256(key: secret, message: message))
        switch scheme {
        case .maintainx, .maintainxURI, .stripe: return "t=\(timestamp ?? 0),v1=" + hex
        case .github: return "sha256=" + hex
        case .slack: return "v0=" + hex
        case .makini: return hex
        case .hmacSHA256: return (signaturePrefix ?? "") + hex
        }
    }
}

extension WebhookVerifier: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Names the scheme and settings; never the secret.
    public var description: String {
        "WebhookVerifier(scheme: \(scheme.rawValue), tolerance: \(tolerance.map { "\($0) s" } ?? "off"), secret: <redacted>)"
    }

    public var debugDescription: String { description }

    /// Keeps the secret out of `dump` and debugger views.
    public var customMirror: Mirror {
        Mirror(self, children: ["scheme": scheme, "tolerance": tolerance as Any, "signaturePrefix": signaturePrefix as Any,
                                "signatureHeader": signatureHeader], displayStyle: .struct)
    }
}
