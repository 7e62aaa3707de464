import SecretScanner
import TestSupport
import Testing

/// A Mindtickle pair carries its API key (for verification, never reported) and the tenant found nearby.
@Suite struct MindtickleTenantTests {
    func pair(_ text: String) throws -> Finding {
        let findings = try Engine.scan(text, path: "mindtickle.yaml")
        return try #require(findings.first { $0.ruleID == "mindtickle-key-pair" })
    }

    @Test func learningSiteNearbyIsTheTenant() throws {
        let keys = FakeKeys.mindtickle()
        let f = try pair("mindtickle:\n  ls_url: 'https://acme-sales.mindtickle.com/'\n  api_key: '\(keys.apiKey)'\n  secret_key: '\(keys.secretKey)'\n")
        #expect(f.extra["tenant"] == "acme-sales.mindtickle.com")
        #expect(f.partnerSecret == keys.apiKey)
        #expect(f.secret == keys.secretKey)
        #expect(!f.extra.values.contains { $0.contains(keys.apiKey) })
    }

    @Test func apiHostIsNotATenantButACompanyIDIs() throws {
        let keys = FakeKeys.mindtickle()
        let text = "url = 'https://api.mindtickle.com/services/data/auth_token'\nMT_API_KEY='\(keys.apiKey)'\n"
            + "MT_SECRET_KEY='\(keys.secretKey)'\nMT_COMPANY_ID=123456789012\n"
        #expect(try pair(text).extra["tenant"] == "123456789012")
    }

    @Test func noTenantNearbyLeavesNone() throws {
        let keys = FakeKeys.mindtickle()
        let far = String(repeating: "\n", count: 12) + "ls_url: far.mindtickle.com\n"
        let f = try pair("MT_API_KEY=\(keys.apiKey)\nMT_SECRET_KEY=\(keys.secretKey)\n" + far)
        #expect(f.extra["tenant"] == nil)
        #expect(f.partnerSecret == keys.apiKey)
    }
}
