import Credentials
import Foundation

/// The built-in verifiers. Which rules they check is declared by the rules (`verifier = "maintainx"`).
public enum Verifiers {
    /// Every verifier, by provider.
    public static let all: [Verifier] = [maintainX, mindtickle, makini, github, gitlab, slack, stripe, openAI]

    /// The verifier for `provider` (case-insensitive), if there is one.
    public static func named(_ provider: String) -> Verifier? {
        all.first { $0.provider == provider.lowercased() }
    }

    /// What a rule's findings get: a verifier, a fixed `unverifiable` reason, or nothing (not verified).
    public enum Coverage: Sendable, Equatable {
        case verifier(String)
        case unverifiable(provider: String, reason: String)
        case none
    }

    /// What a finding gets, from its rule's data (`verifier`, `unverifiable` in the rule TOML; a pair's
    /// `verifier` for a joined pair): a verifier, a fixed `unverifiable` reason, or nothing.
    public static func coverage(verifier: String?, unverifiable: String?) -> Coverage {
        guard let verifier else { return .none }
        if let unverifiable { return .unverifiable(provider: verifier, reason: unverifiable) }
        return .verifier(verifier)
    }

    static func bearer(_ token: String) -> (name: String, value: String) { ("Authorization", "Bearer " + token) }

    // MARK: - Providers

    /// MaintainX: `GET /v1/organizations?limit=1` with the bearer key; 200 valid (the organizations' names),
    /// 401 invalid, 429 waits for `X-Rate-Limit-Reset`.
    static let maintainX = Verifier(
        provider: "maintainx", displayName: "MaintainX",
        hosts: [ProviderHost(key: "maintainx", host: "api.getmaintainx.com")],
        rateLimit: RateLimit(count: 100, seconds: 60)
    ) { credential, exchange in
        let request = HTTPRequest(method: "GET", target: "/v1/organizations?limit=1", headers: [bearer(credential.secret)])
        switch exchange.send(request) {
        case .failed(let result): return result
        case .response(let r):
            return Classify.standard(r) { r in
                let names = organizationNames(Classify.json(r))
                return names.isEmpty ? "key accepted" : "organization\(names.count == 1 ? "" : "s") " + names.joined(separator: ", ")
            }
        }
    }

    /// Names in `{"organizations": [{"name": ...}]}` (or a top-level array of such objects).
    static func organizationNames(_ json: JSONValue?) -> [String] {
        var list: [JSONValue] = []
        if case .array(let a)? = json { list = a }
        if case .array(let a)? = Classify.member(json, "organizations") { list = a }
        return list.prefix(5).compactMap { Classify.member($0, "name")?.stringValue }.map(Classify.clean)
    }

    /// Mindtickle: `POST /services/data/auth_token` with the pair and the tenant; 200 with a token valid, 401/403
    /// invalid, 404 ("Learning Site not found!") retries the US host, 400 means the tenant is missing or wrong.
    static let mindtickle = Verifier(
        provider: "mindtickle", displayName: "Mindtickle",
        hosts: [ProviderHost(key: "mindtickle", host: "api.mindtickle.com"),
                ProviderHost(key: "mindtickle_us", host: "api.prod-us.mindtickle.com")],
        rateLimit: RateLimit(count: 5, seconds: 1)
    ) { credential, exchange in
        guard let apiKey = credential.partnerSecret, !apiKey.isEmpty else {
            return VerificationResult(.unverifiable, detail: "the API key of the pair is missing")
        }
        guard let tenant = credential.tenant.flatMap(mindtickleTenant) else {
            return VerificationResult(.unverifiable, detail: "no tenant (ls_url or company_id) found nearby")
        }
        let fields = ["api_key": apiKey, "secret_key": credential.secret, tenant.isCompanyID ? "company_id" : "ls_url": tenant.value]
        guard let body = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else {
            return VerificationResult(.unknown, detail: "cannot encode the request")
        }
        let request = HTTPRequest(method: "POST", target: "/services/data/auth_token",
                                  headers: [("Content-Type", "application/json")], body: Array(body))
        var last: HTTPResponse?
        for host in 0..<2 {
            switch exchange.send(request, host: host) {
            case .failed(let result): return result
            case .response(let r):
                last = r
                if r.status == 404 { continue }
                if r.status == 200 {
                    guard Classify.member(Classify.json(r), "token")?.stringValue != nil else {
                        return VerificationResult(.unknown, httpStatus: 200, detail: "an answer without a token")
                    }
                    return VerificationResult(.valid, httpStatus: 200, detail: "token issued for \(tenant.value)" + (host == 1 ? " (US host)" : ""))
                }
                if r.status == 401 || r.status == 403 { return VerificationResult(.invalid, httpStatus: r.status, detail: "rejected by the provider") }
                if r.status == 400 { return VerificationResult(.unverifiable, httpStatus: 400, detail: "the tenant \(tenant.value) was not accepted") }
                return Classify.unexpected(r)
            }
        }
        return VerificationResult(.unverifiable, httpStatus: last?.status, detail: "learning site \(tenant.value) not found on either host")
    }

    /// A tenant as Mindtickle takes it: digits are a company id, anything else a learning-site host.
    static func mindtickleTenant(_ text: String) -> (value: String, isCompanyID: Bool)? {
        var t = Substring(text.trimmingWhitespace)
        for prefix in ["https://", "http://"] where t.lowercased().hasPrefix(prefix) { t = t.dropFirst(prefix.count) }
        if let slash = t.firstIndex(of: "/") { t = t[..<slash] }
        guard !t.isEmpty, t.count <= 253 else { return nil }
        if t.allSatisfy(\.isNumber) { return (String(t), true) }
        guard t.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
        return (t.lowercased(), false)
    }

    /// A provider with one host whose single request's answer decides.
    static func oneRequest(_ provider: String, _ displayName: String, host: String, request: @escaping @Sendable (Credential) -> HTTPRequest,
                           classify: @escaping @Sendable (HTTPResponse) -> VerificationResult) -> Verifier {
        Verifier(provider: provider, displayName: displayName, hosts: [ProviderHost(key: provider, host: host)],
                 rateLimit: RateLimit(count: 10, seconds: 1)) { credential, exchange in
            switch exchange.send(request(credential)) {
            case .failed(let result): return result
            case .response(let r): return classify(r)
            }
        }
    }

    /// A `GET` of `target` with the secret as a bearer token.
    static func bearerGET(_ target: String, _ headers: [(name: String, value: String)] = []) -> @Sendable (Credential) -> HTTPRequest {
        { HTTPRequest(method: "GET", target: target, headers: [bearer($0.secret)] + headers) }
    }

    /// `prefix` + the body's string member `key`, else `fallback`.
    static func named(_ r: HTTPResponse, _ key: String, prefix: String, fallback: String) -> String {
        Classify.member(Classify.json(r), key)?.stringValue.map { prefix + Classify.clean($0) } ?? fallback
    }

    /// Makini: `GET /api/system/client` with the bearer token; 2xx valid, 401/403 invalid.
    static let makini = oneRequest("makini", "Makini", host: "api.makini.io", request: bearerGET("/api/system/client")) { r in
        Classify.standard(r, invalid: [401, 403]) { named($0, "name", prefix: "client ", fallback: "token accepted") }
    }

    /// GitHub: `GET /user`; 200 valid (the login), 401 invalid, 403 without a rate limit: an app installation
    /// token that may not read `/user` (still a live token).
    static let github = oneRequest("github", "GitHub", host: "api.github.com",
                                   request: bearerGET("/user", [("X-GitHub-Api-Version", "2022-11-28")])) { r in
        if r.status == 403 { return VerificationResult(.valid, httpStatus: 403, detail: "token accepted, but it may not read /user") }
        return Classify.standard(r) { named($0, "login", prefix: "user ", fallback: "token accepted") }
    }

    /// GitLab.com: `GET /api/v4/personal_access_tokens/self`; 200 valid (the token's name), 401 invalid.
    static let gitlab = oneRequest("gitlab", "GitLab", host: "gitlab.com", request: {
        HTTPRequest(method: "GET", target: "/api/v4/personal_access_tokens/self", headers: [("PRIVATE-TOKEN", $0.secret)])
    }) { r in
        let result = Classify.standard(r) { named($0, "name", prefix: "token ", fallback: "token accepted") }
        guard result.state == .invalid else { return result }
        return VerificationResult(.invalid, httpStatus: r.status, detail: "rejected by gitlab.com (a self-managed instance's token is not checked there)")
    }

    /// Slack: `POST /api/auth.test`; `{"ok": true}` valid (the team), `invalid_auth` and the like invalid.
    static let slack = oneRequest("slack", "Slack", host: "slack.com", request: {
        HTTPRequest(method: "POST", target: "/api/auth.test", headers: [bearer($0.secret), ("Content-Type", "application/x-www-form-urlencoded")])
    }) { r in
        guard r.status == 200 else { return Classify.standard(r) }
        guard case .bool(let ok)? = Classify.member(Classify.json(r), "ok") else {
            return VerificationResult(.unknown, httpStatus: 200, detail: "an answer that is not Slack's JSON")
        }
        if ok { return VerificationResult(.valid, httpStatus: 200, detail: named(r, "team", prefix: "team ", fallback: "token accepted")) }
        let error = named(r, "error", prefix: "", fallback: "unknown error")
        let dead: Set<String> = ["invalid_auth", "account_inactive", "token_revoked", "token_expired", "not_authed"]
        return VerificationResult(dead.contains(error) ? .invalid : .unknown, httpStatus: 200, detail: error)
    }

    /// Stripe: `GET /v1/balance`; 200 valid, 401 invalid, 403 valid (a restricted key without that permission).
    static let stripe = oneRequest("stripe", "Stripe", host: "api.stripe.com", request: bearerGET("/v1/balance")) { r in
        if r.status == 403 { return VerificationResult(.valid, httpStatus: 403, detail: "key accepted, without permission to read the balance") }
        return Classify.standard(r) { _ in "key accepted" }
    }

    /// OpenAI: `GET /v1/models`; 200 valid, 401 invalid, 403 valid (a project key without that permission).
    static let openAI = oneRequest("openai", "OpenAI", host: "api.openai.com", request: bearerGET("/v1/models")) { r in
        if r.status == 403 { return VerificationResult(.valid, httpStatus: 403, detail: "key accepted, without permission to list models") }
        return Classify.standard(r) { _ in "key accepted" }
    }
}
