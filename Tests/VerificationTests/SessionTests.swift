import Foundation
import TestSupport
import Testing
@testable import Verification

@Suite struct SessionTests {
    @Test func eachDistinctKeyIsVerifiedOncePerRun() throws {
        let server = try LoopbackServer { _, _ in .json(200, #"{"organizations":[]}"#) }
        let session = VerificationSession(settings: try settings(["maintainx": server]))
        let same = credential("maintainx", FakeKeys.maintainX())
        let other = credential("maintainx", FakeKeys.maintainX())
        let results = session.verify([same, other, same, same])
        #expect(results.map(\.state) == [.valid, .valid, .valid, .valid])
        #expect(server.requests.count == 2)
        _ = session.verify(same)
        #expect(server.requests.count == 2)
    }

    @Test func concurrencyIsCapped() throws {
        let server = try LoopbackServer { _, _ in ScriptedResponse(status: 200, body: "{}", delay: 0.2) }
        var s = try settings(["maintainx": server])
        s.concurrency = 2
        let results = VerificationSession(settings: s).verify((0..<6).map { _ in credential("maintainx", FakeKeys.maintainX()) })
        #expect(results.allSatisfy { $0.state == .valid })
        #expect(server.requests.count == 6)
        #expect(server.maxInFlight <= 2)
        #expect(server.maxInFlight >= 1)
    }

    @Test func providerBudgetHoldsBackRequestsBeyondIt() throws {
        let server = try LoopbackServer { _, _ in .json(200, "{}") }
        var s = try settings(["maintainx": server])
        s.rateLimits["maintainx"] = RateLimit(count: 2, seconds: 3600)
        s.maxRateLimitWait = 1
        let results = VerificationSession(settings: s).verify((0..<3).map { _ in credential("maintainx", FakeKeys.maintainX()) })
        #expect(results.filter { $0.state == .valid }.count == 2)
        let held = try #require(results.first { $0.state == .unknown })
        #expect(held.detail.contains("rate limited"))
        #expect(held.httpStatus == nil)
        #expect(server.requests.count == 2)
    }

    @Test func rateLimiterWaitsWithinItsBoundAndRefusesBeyond() {
        final class Clock: @unchecked Sendable { var now = 100.0 }
        let clock = Clock()
        let limiter = RateLimiter(RateLimit(count: 2, seconds: 10), clock: { clock.now }, sleep: { clock.now += $0 })
        #expect(limiter.acquire(maxWait: 0).0)
        #expect(limiter.acquire(maxWait: 0).0)
        let (refused, wait) = limiter.acquire(maxWait: 5)
        #expect(!refused)
        #expect(wait == 10)
        #expect(limiter.acquire(maxWait: 20).0)
        #expect(clock.now >= 110)
        limiter.pause(for: 30)
        #expect(!limiter.acquire(maxWait: 29).0)
    }

    @Test func unverifiableReasonSendsNothing() throws {
        let server = try LoopbackServer { _, _ in .json(200, "{}") }
        let session = VerificationSession(settings: try settings(["makini": server]))
        var c = credential("makini", FakeKeys.alnum(40))
        c.unverifiableReason = "a client secret can be checked only with its client id"
        let result = session.verify(c)
        #expect(result.state == .unverifiable)
        #expect(server.requests.isEmpty)
    }

    @Test func unknownProviderIsUnverifiable() {
        let result = VerificationSession().verify(credential("acme", FakeKeys.alnum(30)))
        #expect(result.state == .unverifiable)
    }

    @Test func connectionRefusedIsUnknown() throws {
        var s = VerificationSettings()
        // A port that was just free: bind, read the port, close.
        let server = try LoopbackServer(maxConnections: 0, lifetime: 0.1) { _, _ in .json(200, "{}") }
        let port = server.port
        server.stop()
        Thread.sleep(forTimeInterval: 0.3)
        try s.setTestBaseURL("http://127.0.0.1:\(port)", for: "maintainx")
        let result = VerificationSession(settings: s).verify(credential("maintainx", FakeKeys.maintainX()))
        #expect(result.state == .unknown)
        #expect(result.detail.contains("cannot connect"))
    }

    @Test func tlsHandshakeWithAServerThatDoesNotSpeakTLSFails() throws {
        // The server answers the ClientHello at once with plain HTTP: the handshake must fail on those bytes,
        // not time out waiting (a timeout would pass with no handshake at all).
        let server = try LoopbackServer(greeting: Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)) { _, _ in .json(200, "{}") }
        var s = VerificationSettings()
        try s.setTestBaseURL("https://127.0.0.1:\(server.port)", for: "maintainx")
        s.requestTimeout = 10
        let started = Date()
        let result = VerificationSession(settings: s).verify(credential("maintainx", FakeKeys.maintainX()))
        #expect(result.state == .unknown)
        #expect(result.detail.contains("TLS error"), "\(result.detail)")
        #expect(!result.detail.contains("timed out"), "\(result.detail)")
        #expect(Date().timeIntervalSince(started) < 5, "failed on the server's bytes, not on the timeout")
    }
}

@Suite struct SafetyTests {
    static let maintainX = ProviderHost(key: "maintainx", host: "api.getmaintainx.com")

    @Test func withoutTestURLsOnlyTheProvidersHTTPSHostIsPermitted() throws {
        let s = VerificationSettings()
        #expect(s.resolve(Self.maintainX) == BaseURL(scheme: .https, host: "api.getmaintainx.com"))
        #expect(s.permits(try #require(BaseURL("https://api.getmaintainx.com")), for: Self.maintainX))
        #expect(!s.permits(try #require(BaseURL("http://api.getmaintainx.com")), for: Self.maintainX))
        #expect(!s.permits(try #require(BaseURL("https://api.getmaintainx.com:8443")), for: Self.maintainX))
        #expect(!s.permits(try #require(BaseURL("https://evil.example")), for: Self.maintainX))
        #expect(!s.permits(try #require(BaseURL("http://127.0.0.1:8080")), for: Self.maintainX))
    }

    @Test func clientRefusesNonProviderURLsBeforeConnecting() throws {
        let server = try LoopbackServer { _, _ in .json(200, "{}") }
        let client = HTTPClient(settings: VerificationSettings())
        let request = HTTPRequest(method: "GET", target: "/v1/organizations?limit=1")
        for url in [server.baseURL, "https://evil.example", "http://api.getmaintainx.com"] {
            let base = try #require(BaseURL(url))
            let error = #expect(throws: VerificationError.self) { try client.send(request, to: base, for: Self.maintainX) }
            #expect(error?.code == .refused)
        }
        Thread.sleep(forTimeInterval: 0.1)
        #expect(server.requests.isEmpty)
    }

    @Test func testURLWithoutTheSwitchIsAConfigurationError() {
        let env = ["KEYWARDEN_VERIFY_TEST_BASE_URL_MAINTAINX": "http://127.0.0.1:9"]
        #expect(throws: VerificationError.self) { try VerificationSettings(environment: env) }
        #expect(throws: VerificationError.self) { try VerificationSettings(environment: env.merging(["KEYWARDEN_VERIFY_ALLOW_TEST_URLS": "yes"]) { a, _ in a }) }
    }

    @Test(arguments: ["http://10.0.0.1:80", "http://localhost:8080", "https://api.getmaintainx.com", "http://127.0.0.1:80/path", "ftp://127.0.0.1"])
    func testURLMustBeALoopbackBaseURL(url: String) {
        let env = ["KEYWARDEN_VERIFY_TEST_BASE_URL_MAINTAINX": url, "KEYWARDEN_VERIFY_ALLOW_TEST_URLS": "1"]
        #expect(throws: VerificationError.self) { try VerificationSettings(environment: env) }
    }

    @Test func testURLWithTheSwitchReplacesOnlyItsProvider() throws {
        let env = ["KEYWARDEN_VERIFY_TEST_BASE_URL_MINDTICKLE_US": "http://127.0.0.1:4321", "KEYWARDEN_VERIFY_ALLOW_TEST_URLS": "1"]
        let s = try VerificationSettings(environment: env)
        let us = ProviderHost(key: "mindtickle_us", host: "api.prod-us.mindtickle.com")
        #expect(s.resolve(us) == BaseURL("http://127.0.0.1:4321"))
        #expect(s.resolve(Self.maintainX).host == "api.getmaintainx.com")
        #expect(!s.permits(try #require(BaseURL("https://api.prod-us.mindtickle.com")), for: us))
    }

    @Test func noEnvironmentMeansProductionSettings() throws {
        let s = try VerificationSettings(environment: ["PATH": "/usr/bin"])
        #expect(s.testBaseURLs.isEmpty)
    }

    @Test(arguments: [
        ("https://api.example.com", "api.example.com", 443),
        ("http://127.0.0.1:8080/", "127.0.0.1", 8080),
        ("http://[::1]:9000", "::1", 9000),
    ])
    func baseURLsParse(text: String, host: String, port: Int) throws {
        let url = try #require(BaseURL(text))
        #expect(url.host == host)
        #expect(url.port == port)
    }

    @Test(arguments: ["api.example.com", "https://user@host", "https://host:0", "https://host:x", "https://host/path", "https://"])
    func malformedBaseURLsAreRejected(text: String) {
        #expect(BaseURL(text) == nil)
    }
}

@Suite struct CoverageTests {
    @Test func coverageFollowsTheRuleData() {
        #expect(Verifiers.coverage(verifier: "maintainx", unverifiable: nil) == .verifier("maintainx"))
        #expect(Verifiers.coverage(verifier: nil, unverifiable: nil) == .none)
        #expect(Verifiers.coverage(verifier: "makini", unverifiable: "needs the client id")
                == .unverifiable(provider: "makini", reason: "needs the client id"))
    }

    @Test func everyVerifierHasFixedHTTPSHosts() {
        // The providers the README names; an empty or shrunken list must not pass the loop below.
        let named: Set<String> = ["maintainx", "mindtickle", "makini", "github", "gitlab", "slack", "stripe", "openai"]
        #expect(named.isSubset(of: Set(Verifiers.all.map(\.provider))), "\(Verifiers.all.map(\.provider))")
        for v in Verifiers.all {
            #expect(!v.hosts.isEmpty)
            for h in v.hosts {
                #expect(BaseURL(scheme: .https, host: h.host).isLoopback == false)
                #expect(VerificationSettings().resolve(h).scheme == .https)
            }
        }
        #expect(Set(Verifiers.all.map(\.provider)).count == Verifiers.all.count)
    }
}

/// Header values that would put headers of their own on the wire are refused before connecting.
@Suite struct HeaderInjectionTests {
    @Test(arguments: ["abc\r\nX-Injected: 1", "abc\nX", "abc\0def", "abc\rX"])
    func aHeaderValueWithCRLFOrNULIsRefusedBeforeConnecting(value: String) throws {
        let server = try LoopbackServer { _, _ in .json(200, "{}") }
        let env = ["KEYWARDEN_VERIFY_ALLOW_TEST_URLS": "1", "KEYWARDEN_VERIFY_TEST_BASE_URL_MAINTAINX": server.baseURL]
        let settings = try VerificationSettings(environment: env)
        let client = HTTPClient(settings: settings)
        let request = HTTPRequest(method: "GET", target: "/v1/organizations", headers: [("Authorization", "Bearer " + value)])
        let base = try #require(BaseURL(server.baseURL))
        let error = #expect(throws: VerificationError.self) { try client.send(request, to: base, for: SafetyTests.maintainX) }
        #expect(error?.code == .refused)
        #expect(!(error?.message.contains("abc") ?? true), "the value is never quoted")
        Thread.sleep(forTimeInterval: 0.1)
        #expect(server.requests.isEmpty)
    }
}

/// `getaddrinfo` cannot be interrupted, so it runs on a thread of its own under the verification's deadline:
/// a resolver that answers only after the deadline (a slow or hostile DNS server) does not hold the scan.
@Suite struct ResolverDeadlineTests {
    @Test func aResolverThatAnswersAfterTheDeadlineIsATimeout() {
        let released = DispatchSemaphore(value: 0)
        // The stand-in answers "resolved" only once the test lets it, long after the deadline: if `resolve`
        // waited for the lookup, it would return that answer instead of throwing.
        let slow: Resolver.Lookup = { _, _, _ in
            _ = released.wait(timeout: .now() + 30)
            return (0, nil)
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #expect {
            _ = try Resolver.resolve("api.example.invalid", port: 443, hints: hints, deadline: Deadline(secondsFromNow: 0.2), lookup: slow)
        } throws: { error in
            (error as? VerificationError)?.code == .timeout
        }
        released.signal()
    }

    @Test func aResolverThatAnswersInTimeIsUsed() throws {
        let quick: Resolver.Lookup = { _, _, _ in (EAI_NONAME, nil) }
        let (rc, list) = try Resolver.resolve("api.example.invalid", port: 443, hints: addrinfo(), deadline: Deadline(secondsFromNow: 5), lookup: quick)
        #expect(rc == EAI_NONAME)
        #expect(list == nil)
    }
}
