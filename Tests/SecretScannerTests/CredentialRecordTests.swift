@testable import SecretScanner
import TestSupport
import Testing

/// A key kept in a record whose id or name field names the vendor, under a generic field name: Jenkins'
/// credentials (Configuration as Code and credentials.xml), an AWS SSM parameter, a list of services. The
/// record's label names the vendor, so the vendor's named rule finds the key; the field keeps its own name.
@Suite struct CredentialRecordTests {
    private let rule = "algolia-api-key-named"

    private func ruleIDs(_ text: String, path: String) throws -> [String] {
        try Engine.scan(text, path: path).map(\.ruleID)
    }

    @Test func aKeyUnderARecordLabelledWithTheVendorIsFound() throws {
        let key = FakeKeys.hex(32)
        let records: [(String, String)] = [
            ("jenkins.yaml", """
            credentials:
              system:
                domainCredentials:
                  - credentials:
                      - string:
                          scope: GLOBAL
                          id: "algolia-admin-key"
                          secret: "\(key)"
                          description: "search index writes"
            """),
            ("credentials.xml", """
            <list>
              <org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>
                <scope>GLOBAL</scope>
                <id>algolia-admin-key</id>
                <secret>\(key)</secret>
              </org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>
            </list>
            """),
            ("parameter.json", #"{"Parameter": {"Name": "/prod/algolia/admin_key", "Type": "SecureString", "Value": "\#(key)"}}"#),
            ("services.yaml", "integrations:\n  - name: algolia\n    token: \(key)\n  - name: mailer\n    enabled: true\n"),
            ("records.json", #"[{"id": "algolia", "secret": "\#(key)"}]"#),
        ]
        for (path, text) in records {
            #expect(try ruleIDs(text, path: path).contains(rule), "\(path)")
        }
    }

    @Test func aRecordLabelsOnlyItsOwnNearbyFields() throws {
        let key = FakeKeys.hex(32)
        // Another vendor's record, a label five lines up, and a closed element's id label nothing of Algolia.
        let unlabelled: [(String, String)] = [
            ("services.yaml", "integrations:\n  - name: meilisearch\n    token: \(key)\n  - name: algolia\n    enabled: true\n"),
            ("far.yaml", "- id: algolia\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n  secret: \(key)\n"),
            ("closed.xml", "<a>\n  <b>\n    <id>algolia</id>\n  </b>\n  <secret>\(key)</secret>\n</a>\n"),
            // A random id spells no vendor, even where its letters hold one.
            ("random.yaml", "- id: Qalgoliax7Zk2\n  secret: \(key)\n"),
        ]
        for (path, text) in unlabelled {
            #expect(try !ruleIDs(text, path: path).contains(rule), "\(path)")
        }
    }

    @Test func aPasswordInALabelledRecordIsStillAPassword() throws {
        let password = FakeKeys.alnum(12) + "#" + FakeKeys.alnum(6)
        let found = try Engine.scan("- id: algolia-db\n  password: \"\(password)\"\n", path: "db.yaml")
        #expect(found.contains { $0.ruleID == "password-assignment" }, "\(found.map(\.ruleID))")
    }
}
