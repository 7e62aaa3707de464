/// A webhook signing scheme: what is signed, where the signature travels and how it is written.
///
/// Every scheme is HMAC-SHA256 keyed with the subscription's secret (its UTF-8 bytes, used as is).
public enum WebhookScheme: String, CaseIterable, Sendable {
    /// MaintainX, body header: `t=<ts>,v1=<hex>` over `<ts>.<raw body>`; several `v1` accepted.
    case maintainx
    /// MaintainX, URI header: `t=<ts>,v1=<hex>` over `<ts>.<full request URI>`.
    case maintainxURI = "maintainx-uri"
    /// Makini: `X-Webhook-Signature`, HMAC of the raw body, hex or base64, no timestamp.
    case makini
    /// GitHub: `X-Hub-Signature-256: sha256=<hex>` over the raw body.
    case github
    /// Stripe: `Stripe-Signature: t=<ts>,v1=<hex>[,v1=…][,v0=…]` over `<ts>.<raw body>`.
    case stripe
    /// Slack: `X-Slack-Signature: v0=<hex>` over `v0:<ts>:<raw body>`, the timestamp in
    /// `X-Slack-Request-Timestamp`.
    case slack
    /// Any HMAC-SHA256 of the raw body, hex or base64, with an optional fixed prefix.
    case hmacSHA256 = "hmac-sha256"

    /// The header that carries the signature (header names are case-insensitive).
    public var signatureHeader: String {
        switch self {
        case .maintainx: "X-MaintainX-Webhook-Body-Signature"
        case .maintainxURI: "X-MaintainX-Webhook-URI-Signature"
        case .makini: "X-Webhook-Signature"
        case .github: "X-Hub-Signature-256"
        case .stripe: "Stripe-Signature"
        case .slack: "X-Slack-Signature"
        case .hmacSHA256: "X-Signature"
        }
    }

    /// The header that carries the timestamp when it travels apart from the signature (Slack only).
    public var timestampHeader: String? {
        self == .slack ? "X-Slack-Request-Timestamp" : nil
    }

    /// True when the signed content includes a timestamp, so that a replay window applies.
    public var isTimestamped: Bool {
        switch self {
        case .maintainx, .maintainxURI, .stripe, .slack: true
        case .makini, .github, .hmacSHA256: false
        }
    }

    /// True when the timestamp is inside the signature value (`t=`), not in a header of its own.
    public var timestampInSignature: Bool {
        switch self {
        case .maintainx, .maintainxURI, .stripe: true
        case .makini, .github, .slack, .hmacSHA256: false
        }
    }
}
