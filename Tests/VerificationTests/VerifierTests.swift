import Foundation
import TestSupport
import Testing
@testable import Verification

/// Settings that send `provider`'s requests to `server` (and short timeouts).
func settings(_ servers: [String: LoopbackServer], timeout: Double = 5) throws -> VerificationSettings {
    var s = VerificationSettings()
    for (key, server) in servers { try s.setTestBaseURL(server.baseURL, for: key) }
    s.requestTimeout = timeout
    s.connectTimeout = timeout
    return s
}

func credential(_ provider: String, _ secret: String, partner: String? = nil, tenant: String? = nil) -> Credential {
    Credential(provider: provider, secret: secret, fingerprint: FakeKeys.hex(64), partnerSecret: partner, tenant: tenant)
}

/// Asserts that no part of a result shows the secret.
func expectNoSecret(_ result: VerificationResult, _ secrets: String...) {
    for s in secrets { #expect(!result.description.contains(s)) }
}

@Suite struct MaintainXVerifierTests {
    @Test func validKeyNamesTheOrganizationAndSendsTheBearerKey() throws {
        let key = FakeKeys.maintainX()
        let server = try LoopbackServer { _, _ in .json(200, #"{"organizations":[{"id":7,"name":"Acme Plant"}],"nextCursor":null}"#) }
        let session = VerificationSession(settings: try settings(["maintainx": server]))
        let result = session.verify(credential("maintainx", key))
        #expect(result.state == .valid)
        #expect(result.httpStatus == 200)
        #expect(result.detail.contains("Acme Plant"))
        expectNoSecret(result, key)
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.target == "/v1/organizations?limit=1")
        #expect(request.header("Authorization") == "Bearer " + key)
        #expect(request.header("Host") == "127.0.0.1:\(server.port)")
    }

    @Test func rejectedKeyIsInvalid() throws {
        let server = try LoopbackServer { _, _ in .json(401, #"{"message":"Unauthorized"}"#) }
        let result = VerificationSession(settings: try settings(["maintainx": server])).verify(credential("maintainx", FakeKeys.maintainX()))
        #expect(result.state == .invalid)
        #expect(result.httpStatus == 401)
    }

    @Test func shortRateLimitResetIsWaitedOutAndRetried() throws {
        let server = try LoopbackServer { _, n in
            n == 0 ? .json(429, "{}", headers: [("X-Rate-Limit-Reset", "0")]) : .json(200, #"{"organizations":[]}"#)
        }
        let result = VerificationSession(settings: try settings(["maintainx": server])).verify(credential("maintainx", FakeKeys.maintainX()))
        #expect(result.state == .valid)
        #expect(server.requests.count == 2)
    }

    @Test func longRateLimitResetIsUnknownWithoutWaiting() throws {
        let server = try LoopbackServer { _, _ in .json(429, "{}", headers: [("X-Rate-Limit-Reset", "3600")]) }
        let result = VerificationSession(settings: try settings(["maintainx": server])).verify(credential("maintainx", FakeKeys.maintainX()))
        #expect(result.state == .unknown)
        #expect(result.httpStatus == 429)
        #expect(result.detail.contains("rate limited"))
        #expect(server.requests.count == 1)
    }

    @Test func retryAfterIsHonouredToo() throws {
        let server = try LoopbackServer { _, n in
            n == 0 ? .json(429, "{}", headers: [("Retry-After", "0")]) : .json(401, "{}")
        }
        let result = VerificationSession(settings: try settings(["maintainx": server])).verify(credential("maintainx", FakeKeys.maintainX()))
        #expect(result.state == .invalid)
        #expect(server.requests.count == 2)
    }

    @Test func slowResponseTimesOutAsUnknown() throws {
        let server = try LoopbackServer { _, _ in ScriptedResponse(status: 200, body: "{}", delay: 3) }
        let result = VerificationSession(settings: try settings(["maintainx": server], timeout: 0.3))
            .verify(credential("maintainx", FakeKeys.maintainX()))
        #expect(result.state == .unknown)
        #expect(result.httpStatus == nil)
        #expect(result.detail.contains("timed out"))
    }

    @Test func redirectIsNotFollowed() throws {
        let key = FakeKeys.maintainX()
        let server = try LoopbackServer { _, _ in
            ScriptedResponse(status: 302, headers: [("Location", "https://elsewhere.example/steal?token=" + key)], body: "")
        }
        let result = VerificationSession(settings: try settings(["maintainx": server])).verify(credential("maintainx", key))
        #expect(result.state == .unknown)
        #expect(result.httpStatus == 302)
        #expect(result.detail.contains("elsewhere.example"))
        expectNoSecret(result, key)
        #expect(server.requests.count == 1)
    }

    @Test func unexpectedStatusIsUnknownWithTheStatus() throws {
        let server = try LoopbackServer { _, _ in .json(503, "{}") }
        let result = VerificationSession(settings: try settings(["maintainx": server])).verify(credential("maintainx", FakeKeys.maintainX()))
        #expect(result.state == .unknown)
        #expect(result.httpStatus == 503)
    }

    @Test func chunkedBodyIsDecoded() throws {
        let server = try LoopbackServer { _, _ in
            ScriptedResponse(status: 200, body: #"{"organizations":[{"name":"Chunked Works"}]}"#, chunked: true)
        }
        let result = VerificationSession(settings: try settings(["maintainx": server])).verify(credential("maintainx", FakeKeys.maintainX()))
        #expect(result.state == .valid)
        #expect(result.detail.contains("Chunked Works"))
    }

    @Test(arguments: [
        ("HELLO\r\n\r\n", "not an HTTP/1.x response"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{}", "shorter than its Content-Length"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "malformed chunk size"),
        ("HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n", "Content-Length is not a number"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{}", "truncated"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", "larger than"),
        ("", "without answering"),
    ])
    func malformedResponsesAreUnknown(raw: String, reason: String) throws {
        let server = try LoopbackServer { _, _ in ScriptedResponse(raw: Array(raw.utf8)) }
        var s = try settings(["maintainx": server])
        s.maxResponseBytes = 1000
        let result = VerificationSession(settings: s).verify(credential("maintainx", FakeKeys.maintainX()))
        #expect(result.state == .unknown)
        #expect(result.detail.contains(reason), "\(result.detail)")
    }

    @Test func secretEchoedInAMalformedAnswerIsHidden() throws {
        let key = FakeKeys.maintainX()
        let server = try LoopbackServer { _, _ in ScriptedResponse(raw: Array("HTTP/1.1 200 OK\r\nBearer \(key)\r\n\r\n".utf8)) }
        let result = VerificationSession(settings: try settings(["maintainx": server])).verify(credential("maintainx", key))
        #expect(result.state == .unknown)
        #expect(result.detail.contains("malformed header line"))
        expectNoSecret(result, String(key.prefix(16)))
    }

    @Test func detailQuotingPartOfTheKeyIsWithheld() throws {
        let token = FakeKeys.alnum(40).lowercased()
        let server = try LoopbackServer { _, _ in
            ScriptedResponse(status: 301, headers: [("Location", "https://\(token.prefix(20)).example/")], body: "")
        }
        let result = VerificationSession(settings: try settings(["github": server])).verify(credential("github", token))
        #expect(result.state == .unknown)
        #expect(result.httpStatus == 301)
        #expect(result.detail.contains("withheld"))
        expectNoSecret(result, String(token.prefix(12)))
    }

    @Test func validStatusWithGarbageBodyIsStillValid() throws {
        let server = try LoopbackServer { _, _ in ScriptedResponse(status: 200, body: "<html>not json") }
        let result = VerificationSession(settings: try settings(["maintainx": server])).verify(credential("maintainx", FakeKeys.maintainX()))
        #expect(result.state == .valid)
        #expect(result.detail == "key accepted")
    }
}

@Suite struct MindtickleVerifierTests {
    @Test func pairIsPostedWithTheTenantAndA404RetriesTheUSHost() throws {
        let pair = FakeKeys.mindtickle()
        let main = try LoopbackServer { _, _ in .json(404, #"{"message":"Learning Site not found!"}"#) }
        let us = try LoopbackServer { _, _ in .json(200, #"{"token":"t","expires_in":3600}"#) }
        let session = VerificationSession(settings: try settings(["mindtickle": main, "mindtickle_us": us]))
        let result = session.verify(credential("mindtickle", pair.secretKey, partner: pair.apiKey, tenant: "acme.mindtickle.com"))
        #expect(result.state == .valid)
        #expect(result.httpStatus == 200)
        #expect(result.detail.contains("US host"))
        expectNoSecret(result, pair.apiKey, pair.secretKey)
        let request = try #require(us.requests.first)
        #expect(request.method == "POST")
        #expect(request.target == "/services/data/auth_token")
        #expect(request.header("Content-Type") == "application/json")
        let body = try #require(JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String])
        #expect(body == ["api_key": pair.apiKey, "secret_key": pair.secretKey, "ls_url": "acme.mindtickle.com"])
        #expect(main.requests.count == 1)
    }

    @Test func numericTenantIsSentAsCompanyID() throws {
        let pair = FakeKeys.mindtickle()
        let server = try LoopbackServer { _, _ in .json(401, "{}") }
        let result = VerificationSession(settings: try settings(["mindtickle": server]))
            .verify(credential("mindtickle", pair.secretKey, partner: pair.apiKey, tenant: "123456789012"))
        #expect(result.state == .invalid)
        let sent = try #require(server.requests.first)
        let body = try #require(JSONSerialization.jsonObject(with: Data(sent.body)) as? [String: String])
        #expect(body["company_id"] == "123456789012")
        #expect(body["ls_url"] == nil)
    }

    @Test func pairWithoutTenantIsUnverifiableAndNothingIsSent() throws {
        let pair = FakeKeys.mindtickle()
        let server = try LoopbackServer { _, _ in .json(200, #"{"token":"t"}"#) }
        let result = VerificationSession(settings: try settings(["mindtickle": server]))
            .verify(credential("mindtickle", pair.secretKey, partner: pair.apiKey))
        #expect(result.state == .unverifiable)
        #expect(result.detail.contains("tenant"))
        #expect(server.requests.isEmpty)
    }

    @Test(arguments: [(403, VerificationState.invalid), (400, .unverifiable), (500, .unknown)])
    func statusesAreClassified(status: Int, state: VerificationState) throws {
        let pair = FakeKeys.mindtickle()
        let server = try LoopbackServer { _, _ in .json(status, "{}") }
        let result = VerificationSession(settings: try settings(["mindtickle": server]))
            .verify(credential("mindtickle", pair.secretKey, partner: pair.apiKey, tenant: "https://acme.mindtickle.com/"))
        #expect(result.state == state)
        #expect(result.httpStatus == status)
        #expect(try #require(server.requests.first).bodyText.contains("\"acme.mindtickle.com\""))
    }

    @Test func notFoundOnBothHostsIsUnverifiable() throws {
        let pair = FakeKeys.mindtickle()
        let main = try LoopbackServer { _, _ in .json(404, "{}") }
        let us = try LoopbackServer { _, _ in .json(404, "{}") }
        let result = VerificationSession(settings: try settings(["mindtickle": main, "mindtickle_us": us]))
            .verify(credential("mindtickle", pair.secretKey, partner: pair.apiKey, tenant: "nowhere.mindtickle.com"))
        #expect(result.state == .unverifiable)
        #expect(result.httpStatus == 404)
        #expect(us.requests.count == 1)
    }

    @Test func successWithoutTokenIsUnknown() throws {
        let pair = FakeKeys.mindtickle()
        let server = try LoopbackServer { _, _ in .json(200, #"{"status":"ok"}"#) }
        let result = VerificationSession(settings: try settings(["mindtickle": server]))
            .verify(credential("mindtickle", pair.secretKey, partner: pair.apiKey, tenant: "acme.mindtickle.com"))
        #expect(result.state == .unknown)
    }
}

/// One provider's request shape and answers.
struct ProviderCase: Sendable, CustomStringConvertible {
    var provider: String
    var method: String
    var target: String
    var header: String
    var headerPrefix: String
    var validBody: String
    var validDetail: String
    var invalidStatus: Int = 401
    var invalidBody: String = "{}"
    var description: String { provider }
}

@Suite struct CommonProviderTests {
    static let cases: [ProviderCase] = [
        ProviderCase(provider: "makini", method: "GET", target: "/api/system/client", header: "Authorization", headerPrefix: "Bearer ",
                     validBody: #"{"name":"Plant Link"}"#, validDetail: "Plant Link"),
        ProviderCase(provider: "github", method: "GET", target: "/user", header: "Authorization", headerPrefix: "Bearer ",
                     validBody: #"{"login":"octo-dev"}"#, validDetail: "octo-dev"),
        ProviderCase(provider: "gitlab", method: "GET", target: "/api/v4/personal_access_tokens/self", header: "PRIVATE-TOKEN",
                     headerPrefix: "", validBody: #"{"name":"ci token"}"#, validDetail: "ci token"),
        ProviderCase(provider: "slack", method: "POST", target: "/api/auth.test", header: "Authorization", headerPrefix: "Bearer ",
                     validBody: #"{"ok":true,"team":"Ops Team"}"#, validDetail: "Ops Team",
                     invalidStatus: 200, invalidBody: #"{"ok":false,"error":"invalid_auth"}"#),
        ProviderCase(provider: "stripe", method: "GET", target: "/v1/balance", header: "Authorization", headerPrefix: "Bearer ",
                     validBody: #"{"object":"balance"}"#, validDetail: "key accepted"),
        ProviderCase(provider: "openai", method: "GET", target: "/v1/models", header: "Authorization", headerPrefix: "Bearer ",
                     validBody: #"{"data":[]}"#, validDetail: "key accepted"),
    ]

    @Test(arguments: cases)
    func validAnswer(_ c: ProviderCase) throws {
        let secret = FakeKeys.alnum(40)
        let server = try LoopbackServer { _, _ in .json(200, c.validBody) }
        let result = VerificationSession(settings: try settings([c.provider: server])).verify(credential(c.provider, secret))
        #expect(result.state == .valid)
        #expect(result.detail.contains(c.validDetail))
        expectNoSecret(result, secret)
        let request = try #require(server.requests.first)
        #expect(request.method == c.method)
        #expect(request.target == c.target)
        #expect(request.header(c.header) == c.headerPrefix + secret)
    }

    @Test(arguments: cases)
    func invalidAnswer(_ c: ProviderCase) throws {
        let server = try LoopbackServer { _, _ in .json(c.invalidStatus, c.invalidBody) }
        let result = VerificationSession(settings: try settings([c.provider: server])).verify(credential(c.provider, FakeKeys.alnum(40)))
        #expect(result.state == .invalid)
        #expect(result.httpStatus == c.invalidStatus)
    }

    @Test func slackErrorOtherThanDeadTokenIsUnknown() throws {
        let server = try LoopbackServer { _, _ in .json(200, #"{"ok":false,"error":"ratelimited_elsewhere"}"#) }
        let result = VerificationSession(settings: try settings(["slack": server])).verify(credential("slack", FakeKeys.alnum(40)))
        #expect(result.state == .unknown)
        #expect(result.detail == "ratelimited_elsewhere")
    }

    @Test func githubRateLimitedForbiddenIsUnknown() throws {
        let server = try LoopbackServer { _, _ in .json(403, "{}", headers: [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "4000000000")]) }
        let result = VerificationSession(settings: try settings(["github": server])).verify(credential("github", FakeKeys.alnum(40)))
        #expect(result.state == .unknown)
        #expect(result.detail.contains("rate limited"))
    }
}

/// A server's bytes are untrusted: a signed or non-hex chunk size is a clean error, never a crash.
@Suite struct ChunkedSizeTests {
    private func parse(_ text: String) throws(VerificationError) -> HTTPResponse {
        var pending = [Array(text.utf8)]
        return try ResponseParser(maxBodyBytes: 1 << 20).parse { () throws(VerificationError) -> [UInt8] in
            pending.isEmpty ? [] : pending.removeFirst()
        }
    }

    @Test(arguments: ["-1", "+5", "0x5", " -0", "5g"])
    func aChunkSizeIsUnsignedHexOnly(size: String) {
        #expect(throws: VerificationError.self) {
            _ = try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nhello\r\n0\r\n\r\n")
        }
    }

    @Test func aWellFormedChunkedBodyStillParses() throws {
        let r = try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        #expect(r.body == Array("hello".utf8))
    }
}
