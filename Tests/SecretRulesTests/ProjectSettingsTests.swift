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
        #expect(settings.warnings == ["/p/.keywarden.toml:4: [hook] future is not a setting keywarden knows (ignored)"], "the file and the line")
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

    @Test func theRepositoryCannotSetWhereKeywardenWritesOrWhatItSends() throws {
        let settings = try ProjectSettings.parse("[hook]\naudit_log = \"../../.bashrc\"\nverify = true\n", file: "/p/.keywarden.toml")
        #expect(settings.hook.auditLog == nil && settings.hook.verify == false)
        #expect(settings.warnings.count == 2)
        #expect(settings.warnings.allSatisfy { $0.contains("is ignored") && $0.contains("config.toml") }, "\(settings.warnings)")
    }

    @Test func theUsersOwnConfigAndEnvironmentDecideThem() throws {
        let user = try UserSettings.parse("[hook]\naudit_log = \"~/logs/kw.jsonl\"\nverify = true\non_error = \"warn\"\n",
                                          file: "/home/u/.config/keywarden/config.toml", environment: ["HOME": "/home/u"])
        #expect(user.auditLog == "/home/u/logs/kw.jsonl" && user.verify)
        #expect(user.warnings.count == 1, "on_error belongs to the project: \(user.warnings)")
        #expect(throws: RulesError.self) { try UserSettings.parse("[hook]\naudit_log = \"relative.jsonl\"\n", file: "c.toml") }
        #expect(throws: RulesError.self) { try UserSettings.parse("[hook]\nverify = \"yes\"\n", file: "c.toml") }
        #expect(UserSettings.file(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/keywarden/config.toml")
        #expect(UserSettings.file(environment: ["HOME": "/h"]) == "/h/.config/keywarden/config.toml")
        let env = try UserSettings.load(environment: ["KEYWARDEN_AUDIT_LOG": "", "KEYWARDEN_HOOK_VERIFY": "1", "XDG_CONFIG_HOME": "/nonexistent"])
        #expect(env.auditLog == "" && env.verify)
    }
}
