import SecretScanner
import TestSupport
import Testing

/// The generic rules leave out publishable keys, which providers issue for browsers and apps (`pk_live_`,
/// `pk_test_`, `sb_publishable_`), and values marked as dummies by an `abc123` segment; Lob's publishable keys and
/// a random value under the same names are still reported.
@Suite struct GenericRuleFilterTests {
    static let names = ["client_token = '%@'\n", "FRONTEND_API_KEY=%@\n"]

    static func found(_ value: String, _ template: String, path: String) throws -> [String] {
        try Engine.scan(template.replacingOccurrences(of: "%@", with: value), path: path).map(\.ruleID)
    }

    @Test func publishableKeysAndAbc123DummiesAreNotReported() throws {
        let quiet = ["pk_" + "live_" + FakeKeys.alnum(24), "pk_" + "test_" + FakeKeys.alnum(24),
                     "sb_" + "publishable_" + FakeKeys.alnum(22) + "_" + FakeKeys.alnum(8),
                     "duffel_test_" + "abc" + "123"]
        for value in quiet {
            for (template, path) in zip(Self.names, ["app/config.py", "deploy/app.env"]) {
                #expect(try Self.found(value, template, path: path).isEmpty, "\(value) in \(path)")
            }
        }
        let reported = ["live_" + "pub_" + FakeKeys.hex(31), FakeKeys.alnum(32)]
        for value in reported {
            for (template, path) in zip(Self.names, ["app/config.py", "deploy/app.env"]) {
                #expect(try Self.found(value, template, path: path).contains { $0.hasPrefix("generic-secret-assignment") },
                        "\(value) in \(path)")
            }
        }
    }
}
