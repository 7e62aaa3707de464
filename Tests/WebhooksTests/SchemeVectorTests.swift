import Foundation
import Testing
import Webhooks

/// Our own vectors for the schemes without a published example. Every expected value was computed
/// independently with `openssl dgst -sha256 -hmac <secret>` over the exact signed string.
@Suite struct SchemeVectorTests {
    static let signedAt = Date(timeIntervalSince1970: 1_735_689_600 + 5)
    static let maintainXBody = Array(#"{"event":"workOrderChange","id":42}"#.utf8)
    static let maintainXHex = "0d8f372dfa3a513703db38303ebd9c8ce731dcda8bdecd920b4413fed51d0c00"

    @Test func maintainXBodySignature() throws {
        let verifier = try WebhookVerifier(scheme: .maintainx, secret: "keywarden-maintainx-test-secret")
        let header = "t=1735689600,v1=" + Self.maintainXHex
        #expect(verifier.verify(payload: Self.maintainXBody, signature: header, now: Self.signedAt) == .valid)
        #expect(verifier.verify(payload: Self.maintainXBody, headers: ["x-maintainx-webhook-body-signature": header],
                                now: Self.signedAt) == .valid)
        #expect(try verifier.sign(payload: Self.maintainXBody, timestamp: 1_735_689_600) == header)
        // Spaces around elements and a trailing line break are tolerated.
        #expect(verifier.verify(payload: Self.maintainXBody, signature: " t=1735689600 , v1=\(Self.maintainXHex)\r\n",
                                now: Self.signedAt) == .valid)
        // The timestamp is signed: changing it breaks the signature.
        #expect(verifier.verify(payload: Self.maintainXBody, signature: "t=1735689601,v1=" + Self.maintainXHex,
                                now: Self.signedAt) == .invalid(.badSignature))
    }

    /// Every byte counts: a signature that differs only in its first or its last digit fails.
    @Test func oneDigitOffAtEitherEndFails() throws {
        let verifier = try WebhookVerifier(scheme: .maintainx, secret: "keywarden-maintainx-test-secret")
        let last = String(Self.maintainXHex.dropLast()) + (Self.maintainXHex.hasSuffix("0") ? "1" : "0")
        let first = (Self.maintainXHex.hasPrefix("0") ? "1" : "0") + String(Self.maintainXHex.dropFirst())
        for hex in [first, last] {
            #expect(verifier.verify(payload: Self.maintainXBody, signature: "t=1735689600,v1=" + hex, now: Self.signedAt)
                    == .invalid(.badSignature))
        }
    }

    @Test func maintainXAcceptsAnyOfSeveralV1() throws {
        let verifier = try WebhookVerifier(scheme: .maintainx, secret: "keywarden-maintainx-test-secret")
        let decoy = String(repeating: "0", count: 64)
        for header in ["t=1735689600,v1=\(decoy),v1=\(Self.maintainXHex)", "v1=\(Self.maintainXHex),t=1735689600,v1=\(decoy)"] {
            #expect(verifier.verify(payload: Self.maintainXBody, signature: header, now: Self.signedAt) == .valid)
        }
        #expect(verifier.verify(payload: Self.maintainXBody, signature: "t=1735689600,v1=\(decoy),v1=\(decoy)",
                                now: Self.signedAt) == .invalid(.badSignature))
    }

    @Test func maintainXMillisecondTimestamp() throws {
        let verifier = try WebhookVerifier(scheme: .maintainx, secret: "keywarden-maintainx-test-secret")
        let header = "t=1735689600123,v1=d0068e72a16b72a693c9fb869db0c5faeb7be059ff5c38ab529e9effff3458e9"
        #expect(verifier.verify(payload: Self.maintainXBody, signature: header, now: Self.signedAt) == .valid)
        // Read as seconds it would be tens of thousands of years ahead; as milliseconds it is 5 s ago.
        #expect(verifier.verify(payload: Self.maintainXBody, signature: header,
                                now: Self.signedAt.addingTimeInterval(400)) == .invalid(.staleTimestamp))
    }

    @Test func maintainXURISignature() throws {
        let verifier = try WebhookVerifier(scheme: .maintainxURI, secret: "keywarden-maintainx-test-secret")
        let uri = Array("https://hooks.example.com/maintainx?site=plant-7".utf8)
        let header = "t=1735689600,v1=46ba6e6d491e9ed4a785e6a55179bbd664414e74788717079277089e405197f4"
        #expect(verifier.verify(payload: uri, signature: header, now: Self.signedAt) == .valid)
        #expect(verifier.verify(payload: uri, headers: ["X-MaintainX-Webhook-URI-Signature": header], now: Self.signedAt) == .valid)
        // The body signature is not a URI signature.
        #expect(verifier.verify(payload: Self.maintainXBody, signature: header, now: Self.signedAt) == .invalid(.badSignature))
    }

    @Test(arguments: ["8254ecfedeac06bda202489bc6bba9817e90520b3d4cbaec910363b951eaec88",
                      "8254ECFEDEAC06BDA202489BC6BBA9817E90520B3D4CBAEC910363B951EAEC88",
                      "glTs/t6sBr2iAkibxrupgX6QUgs9TLrskQNjuVHq7Ig=",
                      "glTs/t6sBr2iAkibxrupgX6QUgs9TLrskQNjuVHq7Ig",
                      "glTs_t6sBr2iAkibxrupgX6QUgs9TLrskQNjuVHq7Ig"])
    func makiniHexOrBase64(signature: String) throws {
        let verifier = try WebhookVerifier(scheme: .makini, secret: "keywarden-makini-test-secret")
        let body = Array(#"{"type":"asset.updated","id":7}"#.utf8)
        #expect(verifier.verify(payload: body, signature: signature, now: Date()) == .valid)
        #expect(verifier.verify(payload: body, headers: ["x-webhook-signature": signature], now: Date()) == .valid)
        #expect(verifier.verify(payload: body + [0x0A], signature: signature, now: Date()) == .invalid(.badSignature))
    }

    @Test func stripeSeveralV1AndV0() throws {
        let verifier = try WebhookVerifier(scheme: .stripe, secret: "keywarden-stripe-test-secret")
        let body = Array(#"{"id":"evt_test","object":"event"}"#.utf8)
        let good = "9abec2c9b9cf04afb8f38a5749b8905a385e9ce8e8cc901f5b8bcac00fbd0437"
        let other = String(repeating: "ab", count: 32)
        let header = "t=1735689600,v1=\(other),v1=\(good),v0=\(other)"
        #expect(verifier.verify(payload: body, signature: header, now: Self.signedAt) == .valid)
        #expect(verifier.verify(payload: body, headers: ["stripe-signature": header], now: Self.signedAt) == .valid)
        // A matching v0 alone is not enough: only v1 counts.
        #expect(verifier.verify(payload: body, signature: "t=1735689600,v1=\(other),v0=\(good)", now: Self.signedAt)
                == .invalid(.badSignature))
    }

    @Test func genericHMACWithAndWithoutPrefix() throws {
        let body = Array("hello\n".utf8)
        let hex = "97861899c667b5e8cc510eb27a213ad0772d4dc891dd5cb5f01f21380d1016a4"
        let bare = try WebhookVerifier(scheme: .hmacSHA256, secret: "keywarden-generic-test-secret")
        #expect(bare.verify(payload: body, signature: hex, now: Date()) == .valid)
        #expect(bare.verify(payload: body, signature: "l4YYmcZntejMUQ6yeiE60HctTciR3Vy18B8hOA0QFqQ=", now: Date()) == .valid)
        #expect(bare.verify(payload: body, signature: "sha256=" + hex, now: Date()).failure?.code == "malformed-header")
        let prefixed = try WebhookVerifier(scheme: .hmacSHA256, secret: "keywarden-generic-test-secret",
                                           signaturePrefix: "sha256=", signatureHeader: "X-Body-Signature")
        #expect(prefixed.verify(payload: body, signature: "sha256=" + hex, now: Date()) == .valid)
        #expect(prefixed.verify(payload: body, headers: ["x-body-signature": "sha256=" + hex], now: Date()) == .valid)
        #expect(prefixed.verify(payload: body, signature: hex, now: Date()).failure?.code == "malformed-header")
        // Without the trailing line break the body is different.
        #expect(prefixed.verify(payload: Array("hello".utf8), signature: "sha256=" + hex, now: Date()) == .invalid(.badSignature))
    }
}
