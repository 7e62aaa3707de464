import Credentials
import Foundation

/// How one provider's keys are checked: its fixed hosts, its request budget, and a check that sends the
/// provider's cheapest authenticated request and classifies the answer.
public struct Verifier: Sendable {
    /// The provider (`maintainx`), as rules and `keywarden verify --provider` name it.
    public let provider: String
    /// For people: `MaintainX`.
    public let displayName: String
    /// The hosts it may call, in order of use (Mindtickle: the main host, then the US host).
    public let hosts: [ProviderHost]
    /// The default budget (MaintainX 100 per 60 s, Mindtickle 5 per second).
    public let rateLimit: RateLimit
    /// The request and the classification.
    let check: @Sendable (Credential, Exchange) -> VerificationResult
}

/// What a check uses to talk to its provider: rate limited, retried once after a short `429`, errors turned
/// into `unknown` results.
struct Exchange: Sendable {
    let client: HTTPClient
    let limiter: RateLimiter
    let hosts: [ProviderHost]
    let maxWait: Double

    /// A response, or the `unknown` result that ends the check (network error, timeout, rate limited).
    enum Outcome {
        case response(HTTPResponse)
        case failed(VerificationResult)
    }

    func send(_ request: HTTPRequest, host index: Int = 0) -> Outcome {
        guard hosts.indices.contains(index) else { return .failed(VerificationResult(.unknown, detail: "no host")) }
        var attempts = 0
        while true {
            attempts += 1
            let (ok, wait) = limiter.acquire(maxWait: maxWait)
            guard ok else {
                return .failed(VerificationResult(.unknown, detail: "rate limited: not sent (the budget frees up in \(Self.seconds(wait)))"))
            }
            let response: HTTPResponse
            do {
                response = try client.send(request, to: hosts[index])
            } catch {
                return .failed(VerificationResult(.unknown, detail: error.message))
            }
            if response.status == 429 || (response.status == 403 && response.header("x-ratelimit-remaining") == "0") {
                let after = Self.retryAfter(response)
                if let after { limiter.pause(for: after) }
                if attempts < 3, let after, after <= maxWait { continue }
                let when = after.map { "retry after \(Self.seconds($0))" } ?? "no reset time given"
                return .failed(VerificationResult(.unknown, httpStatus: response.status, detail: "rate limited (\(when))"))
            }
            return .response(response)
        }
    }

    /// Seconds to wait from `Retry-After` or `X-Rate-Limit-Reset` (seconds, or a Unix time when it is one).
    static func retryAfter(_ r: HTTPResponse) -> Double? {
        for name in ["retry-after", "x-rate-limit-reset", "x-ratelimit-reset"] {
            guard let text = r.header(name), let value = Double(text.trimmingWhitespace), value >= 0 else { continue }
            if value > 1_000_000_000 {
                return max(0, value - Double(time(nil)))
            }
            return value
        }
        return nil
    }

    static func seconds(_ s: Double) -> String {
        s < 10 ? "\(Double(Int(s * 10)) / 10) s" : "\(Int(s.rounded(.up))) s"
    }
}

/// Classifications shared by the verifiers.
enum Classify {
    /// 2xx valid (with `detail` from the body), 401 invalid, 3xx unknown (redirects are not followed), others unknown.
    static func standard(_ r: HTTPResponse, invalid: Set<Int> = [401], valid detail: (HTTPResponse) -> String = { _ in "" }) -> VerificationResult {
        if (200..<300).contains(r.status) { return VerificationResult(.valid, httpStatus: r.status, detail: detail(r)) }
        if invalid.contains(r.status) { return VerificationResult(.invalid, httpStatus: r.status, detail: "rejected by the provider") }
        return unexpected(r)
    }

    static func unexpected(_ r: HTTPResponse) -> VerificationResult {
        if (300..<400).contains(r.status) {
            let to = r.header("location").map { " to \(redirectHost($0))" } ?? ""
            return VerificationResult(.unknown, httpStatus: r.status, detail: "redirect\(to) not followed")
        }
        return VerificationResult(.unknown, httpStatus: r.status, detail: "unexpected status")
    }

    /// Only the host of a redirect target (its path or query could echo a token).
    static func redirectHost(_ location: String) -> String {
        guard let range = location.range(of: "://") else { return "a relative URL" }
        let rest = location[range.upperBound...]
        return String(rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != "@" }.prefix(100))
    }

    /// The body as JSON, when it is.
    static func json(_ r: HTTPResponse) -> JSONValue? { JSONValue.parse(r.body) }

    /// A member of a JSON object.
    static func member(_ v: JSONValue?, _ key: String) -> JSONValue? {
        if case .object(let o, _)? = v { return o[key] }
        return nil
    }

    /// A short, printable version of a provider-supplied name (never longer than 80 characters).
    static func clean(_ s: String) -> String {
        String(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init).prefix(80))
    }
}
