/// Where a verifier sends its request: scheme, host and port. Paths come from the verifier.
public struct BaseURL: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case http, https }

    public let scheme: Scheme
    public let host: String
    public let port: Int

    public init(scheme: Scheme, host: String, port: Int? = nil) {
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port ?? (scheme == .https ? 443 : 80)
    }

    /// Parses `https://host[:port]` (an optional trailing `/` and nothing else). Nil for anything else.
    public init?(_ text: String) {
        let scheme: Scheme
        var rest: Substring
        if text.hasPrefix("https://") {
            scheme = .https
            rest = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            scheme = .http
            rest = text.dropFirst(7)
        } else {
            return nil
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@"), !rest.contains("?"), !rest.contains("#") else { return nil }
        var host = rest
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let p = Int(after.dropFirst()) else { return nil }
                port = p
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            guard let p = Int(rest[rest.index(after: colon)...]) else { return nil }
            port = p
        }
        if let port, !(1...65535).contains(port) { return nil }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" }) else { return nil }
        self.init(scheme: scheme, host: String(host), port: port)
    }

    /// True for a literal loopback address (`127.x.x.x`, `::1`). Names such as `localhost` do not count: they
    /// resolve through configuration that could point anywhere.
    public var isLoopback: Bool {
        if host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The `Host` header value.
    var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        let defaultPort = scheme == .https ? 443 : 80
        return port == defaultPort ? h : "\(h):\(port)"
    }

    public var description: String { "\(scheme.rawValue)://\(hostHeader)" }
}

/// Which base URLs may be called: each provider's fixed HTTPS hosts, or, only when tests switch it on,
/// loopback URLs given per provider.
///
/// Test mode: `KEYWARDEN_VERIFY_ALLOW_TEST_URLS=1` together with
/// `KEYWARDEN_VERIFY_TEST_BASE_URL_<PROVIDER>=http://127.0.0.1:PORT` (provider upper-cased, `-` as `_`; a
/// provider's second host adds its suffix, `..._MINDTICKLE_US`). A test URL without the switch, or naming a
/// host that is not a literal loopback address, is a configuration error: nothing is sent.
public struct VerificationSettings: Sendable {
    public static let allowTestURLsVariable = "KEYWARDEN_VERIFY_ALLOW_TEST_URLS"
    public static let testBaseURLPrefix = "KEYWARDEN_VERIFY_TEST_BASE_URL_"

    /// Loopback base URLs by variable suffix (`MAINTAINX`, `MINDTICKLE_US`).
    public private(set) var testBaseURLs: [String: BaseURL] = [:]
    /// The most concurrent requests in flight.
    public var concurrency = 4
    /// How long to wait for a connection.
    public var connectTimeout = 5.0
    /// How long one request may take in all (connect, TLS, send, receive).
    public var requestTimeout = 10.0
    /// The longest a rate limit (a provider's own `Retry-After` / `X-Rate-Limit-Reset`, or our per-provider
    /// budget) may hold a request back; longer, and the key is `unknown` ("rate limited").
    public var maxRateLimitWait = 15.0
    /// The largest response body read (bytes).
    public var maxResponseBytes = 1 << 20
    /// Per-provider budgets overriding the built-in ones (tests).
    public var rateLimits: [String: RateLimit] = [:]

    /// Production settings: fixed hosts only.
    public init() {}

    /// Settings from the environment; throws when a test base URL is set without the switch or is not loopback.
    public init(environment: [String: String]) throws(VerificationError) {
        let overrides = environment.filter { $0.key.hasPrefix(Self.testBaseURLPrefix) && !$0.value.isEmpty }
        guard !overrides.isEmpty else { return }
        guard environment[Self.allowTestURLsVariable] == "1" else {
            throw VerificationError(.configuration, "\(overrides.keys.sorted().joined(separator: ", ")) set without \(Self.allowTestURLsVariable)=1: test base URLs are for keywarden's own tests only")
        }
        for (name, value) in overrides {
            try setTestBaseURL(value, for: String(name.dropFirst(Self.testBaseURLPrefix.count)), variable: name)
        }
    }

    /// Points a provider host at a loopback server (tests). `key` is the provider (`maintainx`) or a provider's
    /// second host (`mindtickle_us`), in any case.
    public mutating func setTestBaseURL(_ text: String, for key: String, variable: String? = nil) throws(VerificationError) {
        let name = variable ?? key
        guard let url = BaseURL(text) else {
            throw VerificationError(.configuration, "\(name): '\(text)' is not a base URL such as http://127.0.0.1:8080")
        }
        guard url.isLoopback else {
            throw VerificationError(.configuration, "\(name): test base URLs must name a loopback address (127.0.0.1 or ::1), not \(url.host)")
        }
        testBaseURLs[Self.normalize(key)] = url
    }

    static func normalize(_ key: String) -> String {
        key.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// The base URL to use for `host` (a provider's fixed host) under `key`: the test URL when one is set.
    func resolve(_ host: ProviderHost) -> BaseURL {
        testBaseURLs[Self.normalize(host.key)] ?? BaseURL(scheme: .https, host: host.host)
    }

    /// True when `url` may be called for `host`: the provider's own HTTPS host on 443, or its test URL.
    func permits(_ url: BaseURL, for host: ProviderHost) -> Bool {
        if let test = testBaseURLs[Self.normalize(host.key)] { return url == test && url.isLoopback }
        return url.scheme == .https && url.port == 443 && url.host == host.host.lowercased()
    }
}

/// One of a provider's fixed hosts, and the settings key that may replace it in tests.
public struct ProviderHost: Sendable, Equatable {
    /// `maintainx`, `mindtickle_us`.
    public let key: String
    /// `api.getmaintainx.com`.
    public let host: String
}
