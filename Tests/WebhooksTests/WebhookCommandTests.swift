import Foundation
import Hashing
import TestSupport
import Testing
import Webhooks

/// `keywarden webhook verify`, run as a process: exit codes, reasons, secrets kept out of output.
@Suite struct WebhookCommandTests {
    static let variable = "KEYWARDEN_TEST_WEBHOOK_SECRET"

    /// Runs `webhook verify` with a fresh random secret in the environment.
    static func verify(_ arguments: [String], body: String = "", secret: String) throws -> ProcessResult {
        try Run.keywarden(["webhook", "verify"] + arguments, stdin: body, environment: [variable: secret])
    }

    static func hex(_ secret: String, _ message: String) -> String {
        Hex.encode(Digest.hmacSHA256(key: Array(secret.utf8), message: Array(message.utf8)))
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    @Test func githubPublishedExampleIsValid() throws {
        let result = try Self.verify(["--scheme", "github", "--secret-env", Self.variable, "--signature",
                                      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"],
                                     body: "Hello, World!", secret: "It's a Secret to Everybody")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "valid: github signature verified\n")
    }

    @Test func aWholeHeaderLineIsAnErrorThatSaysToPassTheValue() throws {
        let secret = FakeKeys.alnum(32)
        let value = "sha256=" + Self.hex(secret, "body")
        for line in ["X-Hub-Signature-256: \(value)", "X-Hub-Signature-256:\(value)"] {
            let result = try Self.verify(["--scheme", "github", "--secret-env", Self.variable, "--signature", line],
                                         body: "body", secret: secret)
            #expect(result.status == 2)
            #expect(result.stderr.contains("whole header line ('X-Hub-Signature-256: …'): pass only the header's value"))
            #expect(!result.stderr.contains(secret))
        }
        // The value alone is verified as before.
        let ok = try Self.verify(["--scheme", "github", "--secret-env", Self.variable, "--signature", value], body: "body", secret: secret)
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test func badSignatureExitsOneWithoutShowingSecrets() throws {
        let secret = FakeKeys.alnum(32)
        let expected = Self.hex(secret, "body")
        let wrong = "sha256=" + Self.hex(secret, "other body")
        let result = try Self.verify(["--scheme", "github", "--secret-env", Self.variable, "--signature", wrong],
                                     body: "body", secret: secret)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("invalid: bad signature"))
        for output in [result.stdout, result.stderr] {
            #expect(!output.contains(secret))
            #expect(!output.contains(expected))
        }
    }

    /// The body is raw bytes: a trailing line break is part of what was signed.
    @Test func bodyIsReadRawWithItsLineBreak() throws {
        let secret = FakeKeys.alnum(24)
        let signed = Self.hex(secret, "payload\n")
        let args = ["--scheme", "makini", "--secret-env", Self.variable, "--signature", signed]
        #expect(try Self.verify(args, body: "payload\n", secret: secret).status == 0)
        #expect(try Self.verify(args, body: "payload", secret: secret).status == 1)
    }

    @Test func maintainXWindowStaleFutureAndNoTolerance() throws {
        let secret = FakeKeys.alnum(32)
        func args(_ t: Int64, _ extra: [String] = []) -> [String] {
            ["--scheme", "maintainx", "--secret-env", Self.variable, "--signature", "t=\(t),v1=" + Self.hex(secret, "\(t).{}")] + extra
        }
        let fresh = try Self.verify(args(Self.now - 10), body: "{}", secret: secret)
        #expect(fresh.status == 0, "\(fresh.stdout)\(fresh.stderr)")
        let stale = try Self.verify(args(Self.now - 1_000), body: "{}", secret: secret)
        #expect(stale.status == 1)
        #expect(stale.stdout.hasPrefix("invalid: stale timestamp"))
        #expect(stale.stdout.contains("[tolerance 300 s]"))
        let future = try Self.verify(args(Self.now + 1_000), body: "{}", secret: secret)
        #expect(future.status == 1)
        #expect(future.stdout.hasPrefix("invalid: future timestamp"))
        #expect(try Self.verify(args(Self.now - 1_000, ["--no-tolerance"]), body: "{}", secret: secret).status == 0)
        #expect(try Self.verify(args(Self.now - 1_000, ["--tolerance", "2000"]), body: "{}", secret: secret).status == 0)
        #expect(try Self.verify(args(Self.now - 100, ["--tolerance", "60"]), body: "{}", secret: secret).status == 1)
    }

    @Test func maintainXURISignature() throws {
        let secret = FakeKeys.alnum(32)
        let uri = "https://hooks.example.com/maintainx?site=plant-7"
        let t = Self.now
        let signature = "t=\(t),v1=" + Self.hex(secret, "\(t).\(uri)")
        // Standard input is not read for a URI signature.
        let result = try Self.verify(["--scheme", "maintainx", "--uri", uri, "--secret-env", Self.variable, "--signature", signature],
                                     body: "ignored body", secret: secret)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "valid: maintainx-uri signature verified\n")
        let other = try Self.verify(["--scheme", "maintainx", "--uri", uri + "&x=1", "--secret-env", Self.variable,
                                     "--signature", signature], secret: secret)
        #expect(other.status == 1)
    }

    @Test func slackStripeAndGenericSchemes() throws {
        let secret = FakeKeys.alnum(32)
        let t = Self.now
        let slack = try Self.verify(["--scheme", "slack", "--secret-env", Self.variable, "--timestamp", String(t),
                                     "--signature", "v0=" + Self.hex(secret, "v0:\(t):a=1&b=2")], body: "a=1&b=2", secret: secret)
        #expect(slack.status == 0, "\(slack.stdout)\(slack.stderr)")
        let stripeHeader = "t=\(t),v1=\(String(repeating: "0", count: 64)),v1=\(Self.hex(secret, "\(t).{\"id\":1}")),v0=00"
        let stripe = try Self.verify(["--scheme", "stripe", "--secret-env", Self.variable, "--signature", stripeHeader],
                                     body: "{\"id\":1}", secret: secret)
        #expect(stripe.status == 0, "\(stripe.stdout)\(stripe.stderr)")
        let digest = Digest.hmacSHA256(key: Array(secret.utf8), message: Array("x".utf8))
        let generic = try Self.verify(["--scheme", "hmac-sha256", "--prefix", "sha256=", "--secret-env", Self.variable,
                                       "--signature=sha256=" + Data(digest).base64EncodedString()], body: "x", secret: secret)
        #expect(generic.status == 0, "\(generic.stdout)\(generic.stderr)")
    }

    @Test func malformedAndMissingSignaturesExitOne() throws {
        let secret = FakeKeys.alnum(32)
        for signature in ["t=abc,v1=zz", "v1=", ",,,", "sha256="] {
            let result = try Self.verify(["--scheme", "stripe", "--secret-env", Self.variable, "--signature", signature],
                                         body: "{}", secret: secret)
            #expect(result.status == 1)
            #expect(result.stdout.hasPrefix("invalid: malformed header"), "\(result.stdout)")
        }
        let empty = try Self.verify(["--scheme", "github", "--secret-env", Self.variable, "--signature", ""], secret: secret)
        #expect(empty.status == 1)
        #expect(empty.stdout == "invalid: missing signature\n")
    }

    @Test func secretFromAFileIgnoresOneTrailingLineBreak() throws {
        let directory = try TemporaryDirectory()
        let secret = FakeKeys.alnum(32)
        let file = try directory.write("webhook.secret", secret + "\n")
        let result = try Run.keywarden(["webhook", "verify", "--scheme", "makini", "--secret-file", file.path,
                                        "--signature", Self.hex(secret, "{}")], stdin: "{}")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    /// Usage errors exit 2 with a message that names the problem and never the secret.
    @Test(arguments: [
        (["--scheme", "github", "--signature", "sha256=00"], "--secret-env VAR or --secret-file PATH"),
        (["--scheme", "github", "--secret-env", "KEYWARDEN_TEST_UNSET_VARIABLE", "--signature", "x"],
         "environment variable KEYWARDEN_TEST_UNSET_VARIABLE is not set"),
        (["--scheme", "github", "--secret-env", variable, "--secret-file", "/x", "--signature", "x"], "not both"),
        (["--scheme", "github", "--secret-file", "/nonexistent/keywarden-secret", "--signature", "x"],
         "cannot read the secret file /nonexistent/keywarden-secret: no such file"),
        (["--scheme", "bogus", "--secret-env", variable, "--signature", "x"], "unknown scheme 'bogus'"),
        (["--scheme", "github", "--secret-env", variable, "--signature", "x", "--timestamp", "1"], "--timestamp applies only to slack"),
        (["--scheme", "slack", "--secret-env", variable, "--signature", "v0=00"], "needs --timestamp"),
        (["--scheme", "github", "--secret-env", variable, "--signature", "x", "--uri", "https://a"], "--uri applies only"),
        (["--scheme", "maintainx-uri", "--secret-env", variable, "--signature", "x"], "needs --uri"),
        (["--scheme", "github", "--secret-env", variable, "--signature", "x", "--prefix", "p="], "--prefix applies only"),
        (["--scheme", "stripe", "--secret-env", variable, "--signature", "x", "--tolerance", "0"], "positive number of seconds"),
        (["--scheme", "stripe", "--secret-env", variable, "--signature", "x", "--tolerance", "5", "--no-tolerance"], "not both"),
        (["--scheme", "github", "--secret-env", variable, "--signature", "x", "--tolerance", "5"], "carry no timestamp"),
        (["--scheme", "github", "--secret", "value", "--signature", "x"], "Unknown option '--secret'"),
        (["--scheme", "github", "--secret-env", variable], "Missing expected argument '--signature"),
    ])
    func usageErrorsExitTwo(arguments: [String], message: String) throws {
        let secret = FakeKeys.alnum(32)
        let result = try Self.verify(arguments, secret: secret)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret))
    }

    /// A secret pasted where a variable name belongs is not echoed back.
    @Test func aSecretPastedAsTheVariableNameIsNotEchoed() throws {
        let pasted = FakeKeys.alnum(40)
        let result = try Self.verify(["--scheme", "github", "--secret-env", pasted, "--signature", "sha256=00"], secret: "s")
        #expect(result.status == 2)
        #expect(!result.stderr.contains(pasted))
        #expect(result.stderr.contains("--secret-env"))
    }

    @Test func emptySecretFileIsAnError() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("empty.secret", "\n")
        let result = try Run.keywarden(["webhook", "verify", "--scheme", "github", "--secret-file", file.path,
                                        "--signature", "sha256=00"], stdin: "")
        #expect(result.status == 2)
        #expect(result.stderr.contains("is empty"))
    }
}
