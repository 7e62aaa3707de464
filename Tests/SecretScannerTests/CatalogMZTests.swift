import SecretScanner
import Testing
import TestSupport

/// The providers m–z of `rules/catalog-m-z-*.toml` through the built-in rules: one rule entry finds a key in
/// every syntax it is written in, a separated provider word still opens the rule, the provider word on the same
/// line counts for distinctive providers, another provider's name never does, and halves of a pair are one finding.
@Suite struct CatalogMZTests {
    @Test func oneNamedRuleFindsTheKeyInEverySyntax() throws {
        let key = FakeKeys.alnum(32)
        let forms: [(String, String)] = [
            ("SHODAN_API_KEY=\(key)\n", "deploy/.env"),
            ("shodan:\n  api_key: \"\(key)\"\n", "config/app.yaml"),
            ("{\"shodanApiKey\": \"\(key)\"}\n", "config/app.json"),
            ("shodanKey := \"\(key)\"\n", "cmd/scan/main.go"),
            ("shodan token = '\(key)'\n", "scripts/recon.py"),
        ]
        for (text, path) in forms {
            let found = try Engine.scan(text, path: path)
            #expect(found.map(\.ruleID) == ["shodan-api-key"] && found.first?.secret == key, "\(path): \(found.map(\.ruleID))")
        }
    }

    @Test func aProviderWordWrittenWithASeparatorStillOpensTheRule() throws {
        // The keyword gate holds message_bird / message-bird as well as messagebird.
        let key = FakeKeys.alnum(25)
        let found = try Engine.scan("MESSAGE_BIRD_API_KEY=\(key)\n")
        #expect(found.map(\.ruleID) == ["messagebird-api-key"])
    }

    @Test func theValueMustHaveTheProvidersShapeAndName() throws {
        // Wrong length, and the right shape under another provider's name with the provider mentioned above it.
        #expect(try Engine.scan("SHODAN_API_KEY=\(FakeKeys.alnum(28))\n").filter { $0.provider == "shodan" }.isEmpty)
        #expect(try Engine.scan("# shodan\nSTRIPE_API_KEY=\(FakeKeys.alnum(32))\n").filter { $0.provider == "shodan" }.isEmpty)
        // Mixed-case hex is not a Meraki key; one case is.
        let hex = FakeKeys.hex(40)
        let mixed = String(hex.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : $0.element })
        #expect(try Engine.scan("MERAKI_API_KEY=\(mixed)\n").filter { $0.provider == "meraki" }.isEmpty)
        #expect(try Engine.scan("MERAKI_API_KEY=\(hex)\n").map(\.ruleID) == ["meraki-api-key"])
    }

    @Test func aConsumerKeyAndItsSecretAreOneFinding() throws {
        let key = FakeKeys.alnum(25), secret = FakeKeys.alnum(50)
        let found = try Engine.scan("twitter:\n  api_key: \"\(key)\"\n  api_secret: \"\(secret)\"\n", path: "config/social.yaml")
        #expect(found.map(\.ruleID) == ["twitter-consumer-pair"], "\(found.map(\.ruleID))")
        #expect(found.first?.secret == secret)
    }

    @Test func prefixedTokensAreFoundAnywhere() throws {
        let zoho = "1000.\(FakeKeys.hex(32)).\(FakeKeys.hex(32))"
        let teamwork = "tkn.v1_\(FakeKeys.alnum(71))="
        let found = try Engine.scan("refresh(\"\(zoho)\")\nheaders = {\"Authorization\": \"Bearer \(teamwork)\"}\n", path: "src/sync.py")
        #expect(Set(found.map(\.ruleID)) == ["zoho-oauth-token", "teamwork-api-token"], "\(found.map(\.ruleID))")
    }
}
