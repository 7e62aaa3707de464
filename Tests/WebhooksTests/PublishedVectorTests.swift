import Foundation
import Hashing
import TestSupport
import Testing
import Webhooks

/// Published vectors: RFC 4231, and the worked examples in GitHub's and Slack's documentation.
@Suite struct PublishedVectorTests {
    /// RFC 4231 HMAC-SHA256 test cases 1, 2, 3, 4, 6 and 7 (case 5 is a truncated output), verified
    /// through the generic hmac-sha256 scheme, in hex and in base64.
    @Test(arguments: [
        (String(repeating: "0b", count: 20), Hex.encode(Array("Hi There".utf8)),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4a656665", Hex.encode(Array("what do ya want for nothing?".utf8)),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 20), String(repeating: "dd", count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("0102030405060708090a0b0c0d0e0f10111213141516171819", String(repeating: "cd", count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (String(repeating: "aa", count: 131), Hex.encode(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (String(repeating: "aa", count: 131),
         Hex.encode(Array(("This is a test using a larger than block-size key and a larger than block-size data. "
                           + "The key needs to be hashed before being used by the HMAC algorithm.").utf8)),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func rfc4231(keyHex: String, dataHex: String, expected: String) throws {
        let key = try #require(Hex.decode(keyHex)), data = try #require(Hex.decode(dataHex))
        let verifier = try WebhookVerifier(scheme: .hmacSHA256, secret: key)
        let now = Date()
        #expect(verifier.verify(payload: data, signature: expected, now: now) == .valid)
        #expect(verifier.verify(payload: data, signature: expected.uppercased(), now: now) == .valid)
        let base64 = Data(try #require(Hex.decode(expected))).base64EncodedString()
        #expect(verifier.verify(payload: data, signature: base64, now: now) == .valid)
        #expect(try verifier.sign(payload: data) == expected)
        // One flipped bit in the payload fails.
        var changed = data
        changed[0] ^= 1
        #expect(verifier.verify(payload: changed, signature: expected, now: now) == .invalid(.badSignature))
    }

    /// docs.github.com, "Validating webhook deliveries", "Testing the webhook payload validation".
    @Test func githubDocumentationExample() throws {
        let verifier = try WebhookVerifier(scheme: .github, secret: "It's a Secret to Everybody")
        let header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        let now = Date()
        #expect(verifier.verify(payload: Array("Hello, World!".utf8), signature: header, now: now) == .valid)
        #expect(verifier.verify(payload: Array("Hello, World!".utf8), headers: ["x-hub-signature-256": header], now: now) == .valid)
        #expect(try verifier.sign(payload: Array("Hello, World!".utf8)) == header)
        #expect(verifier.verify(payload: Array("Hello, World?".utf8), signature: header, now: now) == .invalid(.badSignature))
        let other = try WebhookVerifier(scheme: .github, secret: "It's a Secret to Everybody!")
        #expect(other.verify(payload: Array("Hello, World!".utf8), signature: header, now: now) == .invalid(.badSignature))
    }

    /// Slack's public documentation example ("Verifying requests from Slack"). The signing secret and
    /// the body's verification token are Slack's published example values, not real credentials; they
    /// are assembled at run time so that no secret-shaped literal sits in the repository.
    static let slackExampleSecret = FakeKeys.join("8f742231b10e8888", "abcd99yyyzzz85a5")
    static let slackExampleBody = FakeKeys.join(
        "token=", "xyzz0WbapA4vBCDE", "Fasx0q6G",
        "&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar",
        "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=",
        "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN",
        "&trigger_id=398738663015.47445629121.", "803a0bc887a14d10", "d2c447fce8b6703c")
    static let slackExampleTimestamp = "1531420618"
    static let slackExampleSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"

    @Test func slackDocumentationExample() throws {
        let verifier = try WebhookVerifier(scheme: .slack, secret: Self.slackExampleSecret)
        let body = Array(Self.slackExampleBody.utf8)
        let then = Date(timeIntervalSince1970: 1_531_420_618 + 30)
        #expect(verifier.verify(payload: body, signature: Self.slackExampleSignature,
                                timestamp: Self.slackExampleTimestamp, now: then) == .valid)
        #expect(verifier.verify(payload: body, headers: ["X-Slack-Signature": Self.slackExampleSignature,
                                                         "x-slack-request-timestamp": Self.slackExampleTimestamp], now: then) == .valid)
        #expect(try verifier.sign(payload: body, timestamp: 1_531_420_618) == Self.slackExampleSignature)
        // The signature binds the timestamp: another timestamp in the window fails.
        #expect(verifier.verify(payload: body, signature: Self.slackExampleSignature, timestamp: "1531420619", now: then)
                == .invalid(.badSignature))
        // Years later, the same authentic request is a replay.
        #expect(verifier.verify(payload: body, signature: Self.slackExampleSignature, timestamp: Self.slackExampleTimestamp,
                                now: Date(timeIntervalSince1970: 1_735_689_600)) == .invalid(.staleTimestamp))
    }
}
