import Hashing
import KeyAge
import Testing
import TestSupport

@Suite struct KeyFactsTests {
    @Test func maintainXKeyGivesCreationDateAndKeyID() throws {
        let issued = day("2026-08-18")
        let jti = FakeKeys.uuid()
        let key = FakeKeys.maintainX(issuedAt: unixSeconds(issued) + 3_600 * 13, keyID: jti)
        let facts = try KeyFacts(secret: key, fingerprinter: Fingerprinter(key: nil))
        #expect(facts.recognisedProvider == "maintainx")
        #expect(facts.issued == issued)
        #expect(facts.issuedAtUnixSeconds == Int64(unixSeconds(issued) + 3_600 * 13))
        #expect(facts.keyID == jti)
        #expect(facts.fingerprint == fingerprint(key))
        #expect(facts.last4 == String(key.suffix(4)))
        #expect(!"\(facts)".contains(facts.last4) && "\(facts)".contains(jti))
    }

    @Test func bearerPrefixAndWhitespaceAreNotPartOfTheKey() throws {
        let key = FakeKeys.maintainX()
        let facts = try KeyFacts(secret: "  Bearer " + key + "\n", fingerprinter: Fingerprinter(key: nil))
        #expect(facts.fingerprint == fingerprint(key))
        #expect(facts.recognisedProvider == "maintainx")
    }

    @Test func otherKeysHaveNoAge() throws {
        let pair = FakeKeys.mindtickle()
        let facts = try KeyFacts(secret: pair.apiKey, fingerprinter: Fingerprinter(key: nil))
        #expect(facts.recognisedProvider == nil && facts.issued == nil && facts.keyID == nil)
        #expect(facts.fingerprint == fingerprint(pair.apiKey))
        // A JWT that is not a MaintainX key is not one.
        let other = FakeKeys.jwt(header: "{\"alg\":\"HS256\"}", payload: "{\"userId\":1,\"iat\":1700000000,\"sub\":\"x\"}")
        #expect(try KeyFacts(secret: other, fingerprinter: Fingerprinter(key: nil)).recognisedProvider == nil)
        #expect(throws: KeyAgeError.self) { try KeyFacts(secret: " \n", fingerprinter: Fingerprinter(key: nil)) }
    }

    @Test func keyedFingerprintsMatchTheScanner() throws {
        let key = FakeKeys.alnum(40)
        let keyed = Fingerprinter(environment: [Fingerprinter.keyVariable: "team"])
        #expect(try KeyFacts(secret: key, fingerprinter: keyed).fingerprint == keyed.fingerprint(key))
        #expect(try KeyFacts(secret: key, fingerprinter: keyed).fingerprint != fingerprint(key))
    }

    @Test func dotenvValues() {
        let a = FakeKeys.alnum(20), b = FakeKeys.alnum(20), c = FakeKeys.alnum(20)
        let text = """
            # comment
            OTHER=1
            export API_A=\(a)
            API_B = "\(b)"
            API_C='\(c)' # trailing comment
            API_D=plain # comment
            API_A_SUFFIX=nope
            """
        #expect(DotEnv.value(of: "API_A", in: text) == a)
        #expect(DotEnv.value(of: "API_B", in: text) == b)
        #expect(DotEnv.value(of: "API_C", in: text) == c)
        #expect(DotEnv.value(of: "API_D", in: text) == "plain")
        #expect(DotEnv.value(of: "MISSING", in: text) == nil)
    }
}
