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

/// A key stored by a command under a name given on its command line, assigned through a chain of subscripts, or
/// listed in a table of names and values: the vendor's named rule finds it.
@Suite struct StoredValueScanTests {
    @Test func aKeyStoredByACommandInSubscriptsOrInATableIsFound() throws {
        let key = FakeKeys.hex(32)
        let places: [(String, String)] = [
            ("deploy.sh", "gh secret set ALGOLIA_ADMIN_KEY --body \(key)\n"),
            ("deploy.sh", "aws ssm put-parameter --name /prod/algolia/admin_key --type SecureString --value \(key)\n"),
            ("deploy.sh", "az keyvault secret set --vault-name kv --name algolia-admin-key --value \(key)\n"),
            ("deploy.sh", "netlify env:set ALGOLIA_ADMIN_KEY \(key)\n"),
            ("setup.sh", "dotnet user-secrets set \"Algolia:AdminKey\" \"\(key)\"\n"),
            ("settings.py", "config[\"algolia\"][\"admin_key\"] = \"\(key)\"\n"),
            ("config.php", "<?php\n$config['algolia']['api_key'] = '\(key)';\n"),
            ("vars.csv", "name,value\nALGOLIA_ADMIN_KEY,\(key)\n"),
            ("SETUP.md", "# Setup\n\n| Variable | Value |\n|---|---|\n| `ALGOLIA_ADMIN_KEY` | `\(key)` |\n"),
        ]
        for (path, text) in places {
            let found = try Engine.scan(text, path: path)
            #expect(found.contains { $0.ruleID == "algolia-api-key-named" }, "\(path): \(text)")
        }
    }

    @Test func anotherVendorsNameOrNoNameFindsNothingOfTheVendor() throws {
        let key = FakeKeys.hex(32)
        let places: [(String, String)] = [
            // The name is another vendor's; the vendor is named only in a comment or another column.
            ("deploy.sh", "# algolia\ngh secret set MEILISEARCH_API_KEY --body \(key)\n"),
            ("settings.py", "config[\"meilisearch\"][\"api_key\"] = \"\(key)\"  # not algolia\n"),
            ("SETUP.md", "| Variable | Value | Used by |\n|---|---|---|\n| `SEARCH_API_KEY` | `\(key)` | algolia |\n"),
        ]
        for (path, text) in places {
            let found = try Engine.scan(text, path: path)
            #expect(!found.contains { $0.ruleID == "algolia-api-key-named" }, "\(path): \(text)")
        }
    }
}
