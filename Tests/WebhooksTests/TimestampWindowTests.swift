import Foundation
import Testing
import Webhooks

/// The replay window: stale and future timestamps, its edges, and turning it off.
@Suite struct TimestampWindowTests {
    static let secret = "keywarden-window-test-secret"
    static let body = Array(#"{"n":1}"#.utf8)
    static let signedAt: Int64 = 1_735_689_600

    /// A valid header for `scheme` signed at `signedAt`, and the separate timestamp value (Slack).
    static func signed(_ scheme: WebhookScheme, at time: Int64 = signedAt) throws -> (signature: String, timestamp: String) {
        let verifier = try WebhookVerifier(scheme: scheme, secret: secret)
        return (try verifier.sign(payload: body, timestamp: time), String(time))
    }

    static func verdict(_ scheme: WebhookScheme, tolerance: TimeInterval? = 300, offset: TimeInterval) throws -> WebhookVerdict {
        let verifier = try WebhookVerifier(scheme: scheme, secret: secret, tolerance: tolerance)
        let (signature, timestamp) = try signed(scheme)
        return verifier.verify(payload: body, signature: signature, timestamp: timestamp,
                               now: Date(timeIntervalSince1970: TimeInterval(signedAt) + offset))
    }

    static let timestamped: [WebhookScheme] = [.maintainx, .maintainxURI, .stripe, .slack]

    @Test(arguments: timestamped)
    func insideTheWindowIsValid(scheme: WebhookScheme) throws {
        for offset in [-300.0, -1, 0, 1, 299, 300] {
            #expect(try Self.verdict(scheme, offset: offset) == .valid, "offset \(offset)")
        }
    }

    @Test(arguments: timestamped)
    func replayOutsideTheWindowIsRejected(scheme: WebhookScheme) throws {
        #expect(try Self.verdict(scheme, offset: 300.5) == .invalid(.staleTimestamp))
        #expect(try Self.verdict(scheme, offset: 86_400) == .invalid(.staleTimestamp))
        #expect(try Self.verdict(scheme, offset: -300.5) == .invalid(.futureTimestamp))
        #expect(try Self.verdict(scheme, offset: -3_600) == .invalid(.futureTimestamp))
    }

    @Test(arguments: timestamped)
    func customToleranceAndNoTolerance(scheme: WebhookScheme) throws {
        #expect(try Self.verdict(scheme, tolerance: 30, offset: 31) == .invalid(.staleTimestamp))
        #expect(try Self.verdict(scheme, tolerance: 30, offset: 29) == .valid)
        #expect(try Self.verdict(scheme, tolerance: nil, offset: 10 * 365 * 86_400) == .valid)
        #expect(try Self.verdict(scheme, tolerance: nil, offset: -86_400) == .valid)
    }

    /// A forged request is a bad signature whatever its timestamp: the window is checked second.
    @Test func badSignatureWinsOverAStaleTimestamp() throws {
        let verifier = try WebhookVerifier(scheme: .stripe, secret: Self.secret)
        let forged = "t=1000,v1=" + String(repeating: "1", count: 64)
        #expect(verifier.verify(payload: Self.body, signature: forged, now: Date()) == .invalid(.badSignature))
    }

    /// Schemes without a timestamp ignore the clock (and any stray timestamp value).
    @Test(arguments: [WebhookScheme.makini, .github, .hmacSHA256])
    func untimedSchemesIgnoreTheClock(scheme: WebhookScheme) throws {
        let verifier = try WebhookVerifier(scheme: scheme, secret: Self.secret)
        let signature = try verifier.sign(payload: Self.body)
        #expect(verifier.verify(payload: Self.body, signature: signature, timestamp: "1", now: Date.distantFuture) == .valid)
    }

    @Test func slackNeedsItsTimestamp() throws {
        let verifier = try WebhookVerifier(scheme: .slack, secret: Self.secret)
        let (signature, _) = try Self.signed(.slack)
        let now = Date(timeIntervalSince1970: TimeInterval(Self.signedAt))
        for missing in [nil, "", "  "] as [String?] {
            #expect(verifier.verify(payload: Self.body, signature: signature, timestamp: missing, now: now).failure?.code
                    == "malformed-header")
        }
        #expect(verifier.verify(payload: Self.body, headers: ["X-Slack-Signature": signature], now: now).failure?.code
                == "malformed-header")
        #expect(verifier.verify(payload: Self.body, signature: signature, timestamp: "-1735689600", now: now).failure?.code
                == "malformed-header")
    }

    @Test func signingATimestampedSchemeNeedsATimestamp() throws {
        let verifier = try WebhookVerifier(scheme: .maintainx, secret: Self.secret)
        #expect(throws: WebhooksError.self) { try verifier.sign(payload: Self.body) }
    }
}
