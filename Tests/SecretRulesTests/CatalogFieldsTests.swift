@testable import SecretRules
import Testing

/// The catalog's data fields: `reference` (where a rule's format facts come from), `[[example_keys]]`,
/// and the forms the provider table derives from each rule.
@Suite struct CatalogFieldsTests {
    func rule(_ extra: String, regex: String = "'''\\\\bacme_([a-z0-9]{32})\\\\b'''") throws -> Rule {
        let set = try RuleLoader.parse("[[rules]]\nid = \"acme-key\"\nregex = \(regex)\n\(extra)\n", file: "acme.toml")
        return try #require(set.rules.first)
    }

    @Test func referenceIsAnHTTPSAddressOrAnErrorWithTheRuleAndLine() throws {
        #expect(try rule("reference = \"https://docs.acme.example/api/keys#format\"").reference
                == "https://docs.acme.example/api/keys#format")
        #expect(try rule("").reference == nil)
        for bad in ["\"http://docs.acme.example/keys\"", "\"docs.acme.example\"", "\"https://localhost/x\"",
                    "\"https://docs.acme.example/a b\"", "42"] {
            do {
                _ = try rule("reference = \(bad)")
                Issue.record("reference = \(bad) was accepted")
            } catch {
                #expect("\(error)".contains("acme.toml:1") && "\(error)".contains("reference"), "\(error)")
            }
        }
    }

    @Test func exampleKeysLoadByValueOrDigestAndMergeWithTheBuiltInOnes() throws {
        let text = """
            [[example_keys]]
            value = "abc"
            source = "https://docs.acme.example/keys"

            [[example_keys]]
            sha256 = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"
            """
        let set = try RuleLoader.parse(text, file: "user.toml")
        // SHA-256("abc"), lowercased
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(set.exampleKeys.map(\.sha256) == [abc, abc])
        #expect(set.exampleKeys.first?.source == "https://docs.acme.example/keys")
        for bad in ["value = \"\"", "sha256 = \"abc\"", "value = \"a\"\nsha256 = \"\(abc)\"", "value = \"a\"\nnote = \"x\""] {
            #expect(throws: RulesError.self, "\(bad)") { try RuleLoader.parse("[[example_keys]]\n\(bad)\n", file: "user.toml") }
        }
        let builtIn = try RuleLoader.builtIn()
        #expect(builtIn.exampleKeys.count >= 7 && builtIn.exampleKeys.allSatisfy { $0.source.hasPrefix("https://") })
        #expect(RuleLoader.merge(builtIn, set).exampleKeys.count == builtIn.exampleKeys.count + 2)
    }

    @Test func formsTellPrefixedFromKeywordAnchoredRules() throws {
        #expect(RuleForm.of(try rule("")) == [.prefixed])
        #expect(RuleForm.of(try rule("", regex: "'''(?<![A-Za-z0-9])((?:ghp|gho)_[A-Za-z0-9]{36})'''")) == [.prefixed])
        #expect(RuleForm.of(try rule("", regex: "'''\\\\b(AKIA[A-Z2-7]{16})\\\\b'''")) == [.prefixed])
        #expect(RuleForm.of(try rule("secretGroup = 1", regex: "'''(?i)acme[\\\\w.-]{0,20}(?:key|token)\\\\W{1,4}([a-f0-9]{32})\\\\b'''"))
                == [.keyword])
        // no name needed: the value's own shape identifies it
        #expect(RuleForm.of(try rule("", regex: "'''(?<![0-9])([0-9]{8,10}:AA[A-Za-z0-9_-]{33})'''")) == [.prefixed])
        #expect(RuleForm.of(try rule("secretGroup = 1", regex: "'''(?i)(?:acme)[\\\\w.-]{0,24}key\\\\s*=\\\\s*(key[A-Za-z0-9]{14})'''"))
                == [.keyword])
        let named = try RuleLoader.parse("""
            [[rules]]
            id = "acme-secret"
            names = ['''secret$''']
            vendor = ["acme"]
            pair = { id = "acme-pair", role = "secret" }
            """, file: "acme.toml")
        #expect(RuleForm.of(try #require(named.rules.first)) == [.keyword, .pair])
    }

    @Test func theProviderTableHasOneRowPerProviderWithFormsVerifierAndReferences() throws {
        var a = try rule("provider = \"acme\"\nverifier = \"github\"\nreference = \"https://docs.acme.example/keys\"")
        a.id = "acme-key"
        var b = try rule("provider = \"acme\"", regex: "'''(?i)acme_key\\\\s*=\\\\s*([a-f0-9]{32})'''")
        b.id = "acme-named"
        let c = Rule(id: "beta-token", provider: "beta", regex: "beta_[a-z]{10}")
        let table = ProviderTable.markdown([b, c, a])
        let rows = table.split(separator: "\n").map(String.init)
        #expect(rows.count == 4)
        #expect(rows[2] == "| acme | `acme-named`, `acme-key` | prefixed, keyword-anchored | github | <https://docs.acme.example/keys> |")
        #expect(rows[3] == "| beta | `beta-token` | prefixed | - | - |")
    }
}
