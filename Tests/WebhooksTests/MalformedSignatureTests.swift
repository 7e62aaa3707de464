import Foundation
import Testing
import Webhooks

/// Malformed and missing signatures are rejected with a reason, never a crash; configuration
/// mistakes are errors; nothing secret ever reaches a message.
@Suite struct MalformedSignatureTests {
    static let secret = "keywarden-malformed-test-secret"
    static let hex = String(repeating: "ab", count: 32)

    @Test(arguments: [
        (WebhookScheme.maintainx, "v1=\(hex)"),                              // no t=
        (.maintainx, "t=1735689600"),                                        // no v1=
        (.maintainx, "t=1735689600,v1=\(hex.dropLast())"),                   // 63 hex digits
        (.maintainx, "t=1735689600,v1=\(hex)0"),                             // 65 hex digits
        (.maintainx, "t=1735689600,v1=\(String(repeating: "g", count: 64))"),
        (.maintainx, "t=1735689600,t=1735689600,v1=\(hex)"),                 // two t=
        (.maintainx, "t=1735689600;v1=\(hex)"),                              // wrong separator
        (.maintainx, "t=17356896OO,v1=\(hex)"),                              // letters in the timestamp
        (.maintainx, "t=,v1=\(hex)"),
        (.maintainx, "t=1735689600,v1=\(hex),"),                             // trailing comma
        (.maintainx, "t=1735689600,=x,v1=\(hex)"),
        (.maintainx, "t=9999999999999999,v1=\(hex)"),                        // 16 digits
        (.maintainxURI, "sha256=\(hex)"),
        (.stripe, "t=1735689600,v1=\(hex)," + Array(repeating: "v1=\(hex)", count: 16).joined(separator: ",")),
        (.stripe, "t=+1735689600,v1=\(hex)"),
        (.stripe, "\(hex)"),
        (.github, hex),                                                      // no sha256=
        (.github, "sha1=" + String(repeating: "ab", count: 20)),
        (.github, "SHA256=\(hex)"),
        (.github, "sha256=\(hex) extra"),
        (.slack, "v1=\(hex)"),
        (.slack, hex),
        (.makini, "sha256=\(hex)"),
        (.makini, String(repeating: "A", count: 42)),                        // base64 of 31 bytes
        (.makini, String(repeating: "A", count: 44)),                        // base64 of 33 bytes
        (.makini, "glTs/t6sBr2iAkibxrupgX6QUgs9TLrskQNjuVHq7I*"),
        (.hmacSHA256, "\u{0}\u{1}\u{2}"),
        (.hmacSHA256, String(repeating: "é", count: 32)),
        (.hmacSHA256, String(repeating: "a", count: 20_000)),
    ])
    func malformedIsRejected(scheme: WebhookScheme, signature: String) throws {
        let verifier = try WebhookVerifier(scheme: scheme, secret: Self.secret)
        let verdict = verifier.verify(payload: Array("{}".utf8), signature: signature, timestamp: "1735689600",
                                      now: Date(timeIntervalSince1970: 1_735_689_600))
        #expect(verdict.failure?.code == "malformed-header", "\(verdict)")
        #expect(!verdict.description.contains(signature.prefix(20)) || signature.count < 8)
    }

    @Test(arguments: WebhookScheme.allCases)
    func missingSignature(scheme: WebhookScheme) throws {
        let verifier = try WebhookVerifier(scheme: scheme, secret: Self.secret)
        for value in [nil, "", " ", "\r\n", "\t"] as [String?] {
            #expect(verifier.verify(payload: [], signature: value, timestamp: "1", now: Date()) == .invalid(.missingSignature))
        }
        #expect(verifier.verify(payload: [], headers: ["Content-Type": "application/json"], now: Date()) == .invalid(.missingSignature))
    }

    @Test func aHeaderGivenTwiceIsAmbiguous() throws {
        let verifier = try WebhookVerifier(scheme: .github, secret: Self.secret)
        let good = try verifier.sign(payload: [])
        let verdict = verifier.verify(payload: [], headers: ["X-Hub-Signature-256": good, "x-hub-signature-256": "sha256=" + Self.hex],
                                      now: Date())
        #expect(verdict.failure?.code == "malformed-header")
        #expect(verifier.verify(payload: [], headers: ["X-HUB-SIGNATURE-256": good], now: Date()) == .valid)
    }

    @Test func configurationMistakesAreErrors() {
        #expect(throws: WebhooksError(.emptySecret, "the webhook secret is empty")) {
            try WebhookVerifier(scheme: .github, secret: "")
        }
        for tolerance in [0.0, -1, .infinity, .nan] {
            #expect(throws: WebhooksError.self) { try WebhookVerifier(scheme: .stripe, secret: "s", tolerance: tolerance) }
        }
        #expect(throws: WebhooksError.self) { try WebhookVerifier(scheme: .github, secret: "s", signaturePrefix: "sha256=") }
        #expect((try? WebhookVerifier(scheme: .hmacSHA256, secret: "s", signaturePrefix: "sha256=")) != nil)
    }

    /// No reason, description or dump names the secret or the signature we expected.
    @Test func nothingSecretIsShown() throws {
        let secret = "keywarden-do-not-show-this-secret"
        let verifier = try WebhookVerifier(scheme: .github, secret: secret)
        let body = Array("payload".utf8)
        let expected = try verifier.sign(payload: body)
        var dumped = ""
        dump(verifier, to: &dumped)
        var texts = [verifier.description, verifier.debugDescription, String(describing: verifier), dumped]
        for signature in ["sha256=" + Self.hex, "sha256=zz", "", "t=1"] {
            let verdict = verifier.verify(payload: body, signature: signature, now: Date())
            #expect(!verdict.isValid)
            texts.append(verdict.description)
        }
        for text in texts {
            #expect(!text.contains(secret))
            #expect(!text.contains(expected.dropFirst(7)))
        }
        #expect(verifier.description.contains("redacted"))
    }

    @Test func failureCodesAndMessagesAreDistinct() {
        let all: [WebhookFailure] = [.badSignature, .staleTimestamp, .futureTimestamp, .malformedHeader("x"), .missingSignature]
        #expect(Set(all.map(\.code)).count == all.count)
        #expect(Set(all.map(\.message)).count == all.count)
        #expect(WebhookVerdict.invalid(.staleTimestamp).description.hasPrefix("invalid: stale timestamp"))
        #expect(WebhookVerdict.valid.description == "valid")
    }
}
