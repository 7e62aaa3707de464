import Foundation
import SecretRules
import SecretScanner
import Testing
import TestSupport

/// Which verifier checks a rule and how pair halves join are data in the rule files, checked by `rules check`.
@Suite struct ProviderDataTests {
    /// Two rules of a made-up provider whose key and secret form one credential.
    static let pairConfig = """
        [[rules]]
        id = "acme-key"
        provider = "acme"
        regex = '''ACME_KEY=([a-f0-9]{32})'''
        verifier = "acme"
        unverifiable = "the secret of this key was not found nearby"
        pair = { id = "acme-pair", role = "key" }

        [[rules]]
        id = "acme-secret"
        provider = "acme"
        regex = '''ACME_SECRET=([a-f0-9]{48})'''
        pair = { id = "acme-pair", role = "secret" }

        [[pairs]]
        id = "acme-pair"
        description = "Acme key and secret together"
        provider = "acme"
        severity = "critical"
        lines = 2
        verifier = "acme"
        """

    @Test func aPairDeclaredInTheRulesJoinsItsHalves() throws {
        let session = try Engine.session(Self.pairConfig)
        let key = FakeKeys.hex(32), secret = FakeKeys.hex(48)
        let together = try Engine.scan("ACME_KEY=\(key)\nACME_SECRET=\(secret)\n", session: session)
        #expect(together.map(\.ruleID) == ["acme-pair"])
        let pair = try #require(together.first)
        #expect(pair.ruleDescription == "Acme key and secret together")
        #expect(pair.severity == .critical)
        #expect(pair.verifier == "acme" && pair.unverifiableReason == nil)
        #expect(pair.relatedFingerprints.count == 1)
        #expect(pair.credential?.partnerSecret == key, "the pair is verified with both halves")

        // Farther apart than the pair's `lines`: two findings, the key half unverifiable with its reason.
        let apart = try Engine.scan("ACME_KEY=\(key)\n\n\n\nACME_SECRET=\(secret)\n", session: session)
        #expect(apart.map(\.ruleID) == ["acme-key", "acme-secret"])
        #expect(apart.first?.unverifiableReason == "the secret of this key was not found nearby")
        #expect(apart.first?.credential?.unverifiableReason == "the secret of this key was not found nearby")
        #expect(apart.last?.credential == nil, "a rule with no verifier is not verified")
    }

    @Test func rulesCheckFailsUnknownVerifiersAndHalfPairs() throws {
        let broken = Self.pairConfig.replacingOccurrences(of: "pair = { id = \"acme-pair\", role = \"secret\" }", with: "")
        let set = try RuleLoader.parse(broken, file: "acme.toml")
        let session = try Engine.session(broken)
        let outcome = RuleCheck.run(set, session: session, requireExamples: 0, knownVerifiers: ["maintainx"])
        #expect(outcome.failures.contains { $0.hasPrefix("acme-key") && $0.contains("verifier 'acme'") })
        #expect(outcome.failures.contains { $0.hasPrefix("pair acme-pair") && $0.contains("secret half") })
        #expect(outcome.failures.contains { $0.hasPrefix("pair acme-pair") && $0.contains("verifier 'acme'") })

        let whole = try RuleLoader.parse(Self.pairConfig, file: "acme.toml")
        let fine = RuleCheck.run(whole, session: try Engine.session(Self.pairConfig), requireExamples: 0, knownVerifiers: ["acme"])
        #expect(fine.failures.isEmpty, "\(fine.failures)")

        let undefined = Self.pairConfig.replacingOccurrences(of: "[[pairs]]\nid = \"acme-pair\"", with: "[[pairs]]\nid = \"other-pair\"")
        let orphan = RuleCheck.run(try RuleLoader.parse(undefined, file: "acme.toml"), session: try Engine.session(undefined),
                                   requireExamples: 0, knownVerifiers: ["acme"])
        #expect(orphan.failures.contains { $0.hasPrefix("acme-key") && $0.contains("pair 'acme-pair' is not defined") })
    }

    @Test func malformedProviderFieldsAreErrorsNamingTheRule() {
        #expect(throws: RulesError.self) {
            try RuleLoader.parse("[[rules]]\nid = \"x\"\nregex = 'x'\nunverifiable = \"why\"\n", file: "x.toml")
        }
        #expect(throws: RulesError.self) {
            try RuleLoader.parse("[[rules]]\nid = \"x\"\nregex = 'x'\npair = { id = \"p\", role = \"both\" }\n", file: "x.toml")
        }
        #expect(throws: RulesError.self) {
            try RuleLoader.parse("[[pairs]]\nid = \"p\"\nlines = 1000\n", file: "x.toml")
        }
    }

    @Test func theBuiltInRulesDeclareTheirVerifiers() throws {
        let set = try RuleLoader.builtIn()
        func verifier(_ id: String) -> String? { set.rules.first { $0.id == id }?.verifier }
        #expect(verifier("maintainx-api-key") == "maintainx")
        #expect(verifier("github-pat-classic") == "github")
        #expect(verifier("aws-access-key-id") == nil)
        #expect(set.pairs.map(\.id).contains("mindtickle-key-pair"))
        #expect(set.rules.first { $0.id == "mindtickle-secret-key" }?.pair == PairMembership(id: "mindtickle-key-pair", role: .secret))
    }

    @Test func aFindingNeverPrintsItsSecret() throws {
        let key = FakeKeys.maintainX()
        let found = try #require(try Engine.scan("MAINTAINX_API_KEY=\(key)\n").first)
        for text in ["\(found)", String(describing: found), String(reflecting: found), "\([found])"] {
            #expect(!text.contains(key.suffix(40)), "\(text.prefix(80))")
            #expect(text.contains(found.ruleID))
        }
    }
}
