import SecretScanner
import Hashing
import Testing
import TestSupport

/// MaintainX, Mindtickle and Makini: the credentials no other scanner knows.
@Suite struct MissionRuleTests {
    @Test func maintainXKeyIsConfirmedAndCarriesItsDateAndID() throws {
        let jti = FakeKeys.uuid()
        let key = FakeKeys.maintainX(issuedAt: 1_735_689_600, keyID: jti)
        let found = try Engine.scan("const client = new MaintainX({\n  token: \"\(key)\",\n});\n", path: "src/client.ts")
        let f = try #require(found.first)
        #expect(found.count == 1)
        #expect(f.ruleID == "maintainx-api-key" && f.provider == "maintainx" && f.severity == .critical)
        #expect(f.line == 2 && f.column == 11 && f.endLine == 2)
        #expect(f.extra["jti"] == jti && f.extra["iat"] == "1735689600" && f.extra["created"] == "2025-01-01")
        #expect(f.secret == key)
        #expect(!f.redactedSecret.contains(String(key.dropFirst(4).prefix(8))))
    }

    @Test func maintainXKeyAfterBearerAndSplitAcrossLiterals() throws {
        let key = FakeKeys.maintainX()
        let bearer = try Engine.scan("curl -H 'Authorization: Bearer \(key)' https://api.getmaintainx.com/v1/users\n")
        #expect(bearer.map(\.ruleID) == ["maintainx-api-key"])
        let parts = key.split(separator: ".").map(String.init)
        let firmware = "#define AUTH \"Bearer \(parts[0]).\" \"\(parts[1]).\"\n    \"\(parts[2])\"\n"
        let split = try Engine.scan(firmware, path: "main/http.c")
        let f = try #require(split.first { $0.ruleID == "maintainx-api-key-split" })
        #expect(f.secret == key, "the split key is rebuilt, so its fingerprint matches the real key's")
    }

    @Test func aJWTOfAnotherAppIsNotAMaintainXKey() throws {
        let other = FakeKeys.jwt(header: #"{"alg":"HS256","typ":"JWT"}"#,
                                 payload: #"{"userId":12,"iat":1700000000,"sub":"session","jti":"\#(FakeKeys.uuid())"}"#)
        let found = try Engine.scan("token = \"\(other)\"\n", path: "app.py")
        #expect(!found.contains { $0.provider == "maintainx" })
    }

    /// A token signed with the key jwt.io's debugger fills in (and tutorials print beside their tokens) is an
    /// example anyone can make; the same token signed with any other key is reported.
    @Test(arguments: [("HS256", 256), ("HS384", 384), ("HS512", 512)])
    func aJWTSignedWithJWTIOsPublishedKeyIsAnExample(alg: String, bits: Int) throws {
        let published = Array(FakeKeys.join("a-string-", "secret-at-", "least-256-", "bits-long").utf8)
        let other = Array(FakeKeys.alnum(32).utf8)
        func signed(_ key: [UInt8]) -> String {
            let input = Base64.encode(Array(#"{"alg":"\#(alg)","typ":"JWT"}"#.utf8), urlSafe: true) + "."
                + Base64.encode(Array(#"{"sub":"\#(FakeKeys.uuid())","iat":1700000000}"#.utf8), urlSafe: true)
            let mac = bits == 256 ? Digest.hmacSHA256(key: key, message: Array(input.utf8))
                : Digest.hmacSHA512(bits: bits, key: key, message: Array(input.utf8))
            return input + "." + Base64.encode(mac, urlSafe: true)
        }
        let example = try Engine.scan("const session = \"\(signed(published))\";\n", path: "src/app.js")
        #expect(!example.contains { $0.ruleID == "jwt" })
        let real = try Engine.scan("const session = \"\(signed(other))\";\n", path: "src/app.js")
        #expect(real.contains { $0.ruleID == "jwt" })
    }

    /// Anonymous FTP takes any password (an e-mail address by convention): not a secret; the same password of
    /// a named user is.
    @Test func anAnonymousFTPPasswordIsNotASecret() throws {
        let password = FakeKeys.alnum(10) + "@"
        let anonymous = try Engine.scan("server->user = \"anonymous\";\nserver->password = \"\(password)\";\n", path: "src/ftp.c")
        #expect(!anonymous.contains { $0.ruleID == "password-assignment" })
        let named = try Engine.scan("server->user = \"backup\";\nserver->password = \"\(password)\";\n", path: "src/ftp.c")
        #expect(named.contains { $0.ruleID == "password-assignment" })
    }

    @Test func mindtickleKeyAndSecretCloseTogetherAreOnePair() throws {
        let (api, secret) = FakeKeys.mindtickle()
        let text = "mindtickle:\n  ls_url: 'acme.mindtickle.com'\n  api_key: '\(api)'\n  secret_key: '\(secret)'\n"
        let found = try Engine.scan(text, path: "config/mindtickle.yml")
        #expect(found.count == 1)
        let pair = try #require(found.first)
        #expect(pair.ruleID == "mindtickle-key-pair" && pair.severity == .critical)
        #expect(pair.line == 3 && pair.endLine == 4)
        #expect(pair.secret == secret)
        #expect(pair.relatedFingerprints.count == 1)
    }

    @Test func mindtickleKeysFarApartStaySeparate() throws {
        let (api, secret) = FakeKeys.mindtickle()
        let filler = String(repeating: "# unrelated\n", count: 12)
        let text = "MINDTICKLE_API_KEY=\(api)\n" + filler + "MINDTICKLE_SECRET_KEY=\(secret)\n"
        let ids = try Engine.scan(text).map(\.ruleID)
        #expect(ids == ["mindtickle-api-key", "mindtickle-secret-key"])
    }

    @Test func skLiveIsMindtickleOnlyInMindtickleContext() throws {
        let value = FakeKeys.join("sk_", "live_", FakeKeys.alnum(32))
        let mt = try Engine.scan("MINDTICKLE_API_KEY=\(value)\n")
        #expect(mt.map(\.provider) == ["mindtickle"])
        let elsewhere = try Engine.scan("PAYMENTS_KEY=\(value)\n")
        #expect(!elsewhere.contains { $0.provider == "mindtickle" })
    }

    @Test func makiniCredentialsAreFoundByName() throws {
        let text = "MAKINI_CLIENT_ID=\(FakeKeys.uuid())\nMAKINI_CLIENT_SECRET=\(FakeKeys.alnum(48))\nMAKINI_WEBHOOK_SECRET=\(FakeKeys.alnum(32))\n"
        let ids = try Engine.scan(text).map(\.ruleID)
        #expect(ids == ["makini-client-secret", "makini-webhook-secret"])
    }

    /// Vendor-documentation snippets: clean as written, caught with a real-shaped key in place.
    static let snippets: [String] = [
        "MAINTAINX_API_KEY=%@\n",
        "export MAINTAINX_API_KEY=\"%@\"\n",
        "MX_API_KEY: %@\n",
        "maintainx:\n  api_token: %@\n",
        "MINDTICKLE_API_KEY=%@\n",
        "MT_SECRET_KEY='%@'\n",
        "MAKINI_ACCESS_TOKEN=%@\n",
        "curl -H \"Authorization: Bearer %@\" https://api.getmaintainx.com/v1/workorders\n",
    ]
    static let placeholders = [
        "mx-prod-key-here", "your-api-key-here", "your_api_key_here", "sk_live_***", "<your-key>", "{{bearerToken}}",
        "${{ secrets.MAINTAINX_API_KEY }}", "${MAINTAINX_API_KEY}", "$MAINTAINX_API_KEY", "changeme", "REDACTED",
        "op://vault/item/field", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "new_key_here", "NEW_KEY", "{YOUR_SECRET_KEY}",
    ]

    @Test(arguments: snippets)
    func placeholdersScanCleanAndRealKeysAreCaught(snippet: String) throws {
        for placeholder in Self.placeholders {
            let text = snippet.replacingOccurrences(of: "%@", with: placeholder)
            let found = try Engine.scan(text)
            #expect(found.isEmpty, "placeholder \(placeholder) in \(snippet.debugDescription) was reported")
        }
        let real = snippet.contains("Bearer") ? FakeKeys.maintainX() : FakeKeys.alnum(40)
        let found = try Engine.scan(snippet.replacingOccurrences(of: "%@", with: real))
        #expect(!found.isEmpty, "a real-shaped key in \(snippet.debugDescription) was missed")
    }

    @Test(arguments: [
        "const key = process.env.MAINTAINX_API_KEY;\n",
        "key = os.environ.get(\"MAINTAINX_API_KEY\")\n",
        "key = os.environ[\"MINDTICKLE_SECRET_KEY\"]\n",
        "key = ENV[\"MAINTAINX_API_KEY\"]\n",
        "String key = System.getenv(\"MAINTAINX_API_KEY\");\n",
        "let key = ProcessInfo.processInfo.environment[\"MAINTAINX_API_KEY\"]\n",
        "env:\n  MAINTAINX_API_KEY: ${{ secrets.MAINTAINX_API_KEY }}\n",
        "MAINTAINX_ORG_ID=1234567\nMAINTAINX_BASE_URL=https://api.getmaintainx.com/v1\n",
    ])
    func referencesToKeysAreNotSecrets(text: String) throws {
        #expect(try Engine.scan(text, path: "config.ts").isEmpty)
    }
}

/// Encoded secrets and the places secrets are expected to be fake.
@Suite struct ContextTests {
    /// Findings are fingerprinted together at the end of a buffer's scan: every kind (pattern, named value,
    /// decoded from base64, a pair) leaves with the fingerprint of its own secret.
    @Test func everyFindingOfABufferCarriesItsSecretsFingerprint() throws {
        let inner = "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n"
        let mindtickle = FakeKeys.mindtickle()
        let text = "GITHUB_TOKEN=\(FakeKeys.githubToken())\nnpm_auth=\(FakeKeys.npmToken())\n"
            + "MINDTICKLE_API_KEY=\(mindtickle.apiKey)\nMINDTICKLE_SECRET_KEY=\(mindtickle.secretKey)\n"
            + "encoded: \(Base64.encode(Array(inner.utf8)))\n"
        let found = try Engine.scan(text, path: "settings.env")
        #expect(found.count >= 4)
        #expect(found.contains { $0.extra["encoding"] == "base64" })
        let fingerprinter = Fingerprinter(key: nil)
        for f in found {
            #expect(f.fingerprint == fingerprinter.fingerprint(f.secret), "\(f.ruleID)")
            #expect(f.relatedFingerprints.allSatisfy(Fingerprinter.isFingerprint), "\(f.ruleID)")
        }
    }

    @Test func aBase64EncodedSecretIsFoundAtTheEncodedPlace() throws {
        let key = FakeKeys.alnum(40)
        let env = "MAINTAINX_API_KEY=\(key)\nMAINTAINX_ORG_ID=1234\n"
        let encoded = Base64.encode(Array(env.utf8))
        let manifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: maintainx\ndata:\n  app.env: \(encoded)\n"
        let found = try Engine.scan(manifest, path: "deploy/secret.yaml")
        let f = try #require(found.first { $0.provider == "maintainx" })
        #expect(f.line == 6 && f.column == 12)
        #expect(f.extra["encoding"] == "base64")
        #expect(f.secret == key)
        #expect(!manifest.contains(key))
    }

    @Test func base64OfBinaryOrDigestsIsNotDecodedIntoFindings() throws {
        let noise = Base64.encode((0..<300).map { UInt8(($0 * 97 + 13) % 256) })
        #expect(try Engine.scan("blob: \(noise)\n", path: "data.yaml").isEmpty)
        #expect(try Engine.scan("sha: \(FakeKeys.hex(64))\n", path: "data.yaml").isEmpty)
    }

    @Test(arguments: [
        ("Tests/CryptoTests/KeyTests.swift", "test"), ("src/auth/token_test.go", "test"), ("spec/fixtures/keys.yml", "test"),
        ("docs/setup.md", "documentation"), ("README.md", "documentation"), ("examples/app/.env", "documentation"),
        ("src/config.ts", nil), ("deploy/prod.env", nil), ("contest/app.py", nil),
    ] as [(String, String?)])
    func pathsAreClassified(path: String, expected: String?) throws {
        let found = try Engine.scan("MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n", path: path)
        let f = try #require(found.first)
        #expect(f.extra["context"] == expected)
        #expect(f.severity == (expected == nil ? .high : .low))
    }

    @Test func aProvenKeyInATestFileKeepsItsSeverity() throws {
        let found = try Engine.scan("let key = \"\(FakeKeys.maintainX())\"\n", path: "Tests/ClientTests.swift")
        let f = try #require(found.first)
        #expect(f.ruleID == "maintainx-api-key" && f.severity == .critical && f.extra["context"] == "test")
    }
}

import Credentials
