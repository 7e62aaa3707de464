import Foundation
import SecretRules
import Testing
import TestSupport

/// `.keywarden.toml` is parsed once into one typed value: rules, `[hook]` and `[doctor]`.
@Suite struct ProjectSettingsTests {
    @Test func everyTableIsReadFromOneParse() throws {
        let settings = try ProjectSettings.parse("""
            [hook]
            on_error = "warn"
            baseline = ".keywarden/baseline.json"
            future = 1

            [doctor]
            required_env = ["MAINTAINX_API_KEY"]

            [extend]
            disabledRules = ["generic-secret-assignment"]

            [[rules]]
            id = "acme-token"
            regex = '''acme_[a-z0-9]{16}'''
            """, file: "/p/.keywarden.toml")
        #expect(settings.path == "/p/.keywarden.toml")
        #expect(settings.hook.onError == .warn)
        #expect(settings.hook.baseline == ".keywarden/baseline.json")
        #expect(settings.doctor.requiredEnvironment == ["MAINTAINX_API_KEY"])
        #expect(settings.warnings == ["/p/.keywarden.toml: [hook] future is not a setting keywarden knows (ignored)"])
        let rules = try RuleLoader.load(settings)
        #expect(rules.rules.contains { $0.id == "acme-token" })
        #expect(rules.rules.contains { $0.id == "maintainx-api-key" }, "the built-in rules are kept")
        #expect(!rules.rules.contains { $0.id == "generic-secret-assignment" })
    }

    @Test func noFileMeansDefaultsAndTheBuiltInRules() throws {
        let settings = ProjectSettings()
        #expect(settings.path == nil && settings.hook == HookSettings() && settings.doctor == DoctorSettings())
        #expect(try RuleLoader.load(settings).rules.count == RuleLoader.builtIn().rules.count)
    }

    @Test(arguments: [
        ("[hook]\non_error = \"sometimes\"\n", "on_error"),
        ("[hook]\nbaseline = 3\n", "baseline"),
        ("[hook]\nverify = \"yes\"\n", "verify"),
        ("hook = 1\n", "'hook' must be a table"),
        ("[doctor]\nrequired_env = \"X\"\n", "required_env"),
        ("[hook\n", "TOML syntax"),
    ])
    func malformedSettingsAreErrorsNamingTheFile(text: String, mentions: String) {
        #expect {
            _ = try ProjectSettings.parse(text, file: "conf.toml")
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("conf.toml") && message.contains(mentions)
        }
    }
}
