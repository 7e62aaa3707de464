import SecretScanner
import Testing
import TestSupport

/// The provider catalog for providers a to l (`rules/catalog-a-l-*.toml`): one keyword rule per key shape finds the
/// key under the provider's name in any syntax, and only there; prefixed keys are found anywhere; a key and its
/// secret close together are one finding.
@Suite struct CatalogAToLTests {
    static let lowerDigits = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    @Test func aKeywordRuleFindsTheKeyUnderTheProvidersNameInEverySyntax() throws {
        let key = FakeKeys.random(Self.lowerDigits, 20)
        let snippets = [
            ("FINNHUB_API_KEY=\(key)\n", ".env"),
            ("finnhub:\n  quotes:\n    token: \"\(key)\"\n", "config/app.yml"),
            ("{\"test_secrets\": {\"finnhub_secret\": \"\(key)\"}}\n", "fixtures/keys.json"),
            ("finnhubToken := \"\(key)\"\n", "quotes.go"),
            ("token = os.getenv(\"FINNHUB_TOKEN\", \"\(key)\")\n", "quotes.py"),
            ("// finnhub quotes\nconst apiKey = \"\(key)\";\n", "src/quotes.ts"),
        ]
        for (text, path) in snippets {
            let found = try Engine.scan(text, path: path)
            #expect(found.map(\.ruleID) == ["finnhub-api-key"], "\(path): \(found.map(\.ruleID))")
            #expect(found.first?.secret == key)
        }
    }

    @Test func aValueOfAnotherShapeOrUnderAnotherProvidersNameIsNotTheProviders() throws {
        let key = FakeKeys.random(Self.lowerDigits, 20)
        let others = [
            "FINNHUB_API_KEY=\(FakeKeys.random(Self.lowerDigits, 24))\n",  // wrong length
            "FINNHUB_API_KEY=\(FakeKeys.alnum(9))!\(FakeKeys.alnum(10))\n",  // wrong alphabet
            "FINNHUB_API_KEY=xxxxxxxxxxxxxxxxxxxx\n",  // placeholder
            "QUOTES_API_KEY=\(key)\n",  // no provider named
            "# finnhub quotes\nSTRIPE_API_KEY=\(key)\n",  // another provider's name
        ]
        for text in others {
            #expect(try Engine.scan(text).filter { $0.provider == "finnhub" }.isEmpty, "\(text)")
        }
    }

    @Test func aProviderWithACommonWordForANameIsFoundOnlyUnderItsName() throws {
        let key = FakeKeys.alnum(22)
        #expect(try Engine.scan("APOLLO_API_KEY=\(key)\n").map(\.ruleID) == ["apollo-api-key"])
        #expect(try Engine.scan("# apollo\nAPI_KEY=\(key)\n").filter { $0.provider == "apollo" }.isEmpty)
    }

    @Test func aKeyAndItsSecretCloseTogetherAreOneFinding() throws {
        let key = FakeKeys.alnum(16), secret = FakeKeys.random(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"), 63)
        let together = try Engine.scan("CONFLUENT_API_KEY=\(key)\nCONFLUENT_API_SECRET=K\(secret)\n")
        #expect(together.map(\.ruleID) == ["confluent-api-key-pair"])
        #expect(together.first?.relatedFingerprints.count == 1)
        let filler = String(repeating: "# unrelated\n", count: 10)
        let apart = try Engine.scan("CONFLUENT_API_KEY=\(key)\n" + filler + "CONFLUENT_API_SECRET=K\(secret)\n")
        #expect(apart.map(\.ruleID) == ["confluent-api-key", "confluent-api-secret"])
    }

    @Test func aUUIDKeyIsFoundUnderTheProvidersName() throws {
        let key = FakeKeys.uuid()
        #expect(try Engine.scan("BLOCKNATIVE_API_KEY=\(key)\n").map(\.ruleID) == ["blocknative-api-key"])
        #expect(try Engine.scan("BLOCKNATIVE_ACCOUNT_ID=\(key)\n").isEmpty)
    }

    @Test func prefixedKeysAreFoundWithoutANameButNotInsideFileNames() throws {
        let apify = FakeKeys.join("apify_", "api_", FakeKeys.alnum(36))
        #expect(try Engine.scan("run --token \(apify)\n", path: "ci.sh").map(\.ruleID) == ["apify-api-token"])
        let infracost = FakeKeys.join("ico", "-Q", FakeKeys.alnum(31))
        #expect(try Engine.scan("x = '\(infracost)'\n", path: "a.py").map(\.ruleID) == ["infracost-api-key"])
        let fileName = "<img src=\"/assets/box.ico-\(FakeKeys.hex(32)).png\">\n"
        #expect(try Engine.scan(fileName, path: "index.html").isEmpty)
    }
}
