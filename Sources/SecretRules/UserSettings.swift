public import Foundation
import TOMLKit

/// The user's own configuration: the settings that decide where keywarden writes (the hook's audit log)
/// and whether it sends anything over the network (the hook's verification). They come only from here and
/// from the environment, never from a repository's `.keywarden.toml`: the repository being scanned is
/// untrusted input (docs/security.md).
///
/// ```toml
/// # $XDG_CONFIG_HOME/keywarden/config.toml (else ~/.config/keywarden/config.toml)
/// [hook]
/// audit_log = "~/.local/state/keywarden/audit.jsonl"   # or false: no log
/// verify = true
/// ```
///
/// The environment wins over the file: `KEYWARDEN_AUDIT_LOG` (a path; empty: no log) and
/// `KEYWARDEN_HOOK_VERIFY` (`1`/`true` or `0`/`false`).
public struct UserSettings: Sendable, Equatable {
    /// The file these settings came from; nil when there is none.
    public var path: String?
    /// Where the hook logs blocked commits; nil: `<git dir>/keywarden/audit.jsonl`; empty: no log.
    public var auditLog: String?
    /// Ask providers whether the keys a hook finds are live.
    public var verify = false
    /// Settings the file has that keywarden does not know (ignored, and said).
    public var warnings: [String] = []

    /// The settings keys that only the user's own configuration may set.
    public static let hookKeys = ["audit_log", "verify"]

    public init() {}

    /// The user's configuration file: `$XDG_CONFIG_HOME/keywarden/config.toml`, else
    /// `~/.config/keywarden/config.toml`; nil when neither variable is set.
    public static func file(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/keywarden/config.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/keywarden/config.toml" }
        return nil
    }

    /// Reads the file (when there is one) and the environment.
    public static func load(environment: [String: String]) throws(RulesError) -> UserSettings {
        var settings = UserSettings()
        if let file = file(environment: environment), let data = FileManager.default.contents(atPath: file) {
            settings = try parse(String(decoding: data, as: UTF8.self), file: file, environment: environment)
        }
        if let log = environment["KEYWARDEN_AUDIT_LOG"] {
            settings.auditLog = log.isEmpty ? "" : expand(log, environment: environment)
        }
        if let value = environment["KEYWARDEN_HOOK_VERIFY"] {
            switch value.lowercased() {
            case "1", "true", "yes": settings.verify = true
            case "0", "false", "no", "": settings.verify = false
            default: throw RulesError(file: "KEYWARDEN_HOOK_VERIFY", line: nil, message: "must be 1/true or 0/false")
            }
        }
        return settings
    }

    /// Parses the text of the user's `config.toml` named `file`.
    public static func parse(_ text: String, file: String, environment: [String: String] = [:]) throws(RulesError) -> UserSettings {
        func fail(_ message: String) -> RulesError { RulesError(file: file, line: nil, message: message) }
        let table = try RuleLoader.table(text, file: file)
        var settings = UserSettings()
        settings.path = file
        for key in table.keys.sorted() where key != "hook" {
            settings.warnings.append("\(file): \(key) is not a setting keywarden knows (ignored)")
        }
        guard let value = table["hook"] else { return settings }
        guard let hook = value.table else { throw fail("'hook' must be a table ([hook])") }
        if let v = hook["audit_log"] {
            if let s = v.string, !s.isEmpty {
                let path = expand(s, environment: environment)
                guard path.hasPrefix("/") else { throw fail("[hook] audit_log must be an absolute path or start with ~/") }
                settings.auditLog = path
            } else if v.bool == false {
                settings.auditLog = ""
            } else {
                throw fail("[hook] audit_log must be a path (or false for no log)")
            }
        }
        if let v = hook["verify"] {
            guard let b = v.bool else { throw fail("[hook] verify must be true or false") }
            settings.verify = b
        }
        for key in hook.keys.sorted() where !hookKeys.contains(key) {
            settings.warnings.append("\(file): [hook] \(key) is not a user setting (it belongs in the project's .keywarden.toml; ignored)")
        }
        return settings
    }

    /// `~/x` with `$HOME`.
    static func expand(_ path: String, environment: [String: String]) -> String {
        guard path.hasPrefix("~/"), let home = environment["HOME"], !home.isEmpty else { return path }
        return home + path.dropFirst()
    }
}

extension UserSettings {
    /// How warnings name the user's configuration.
    public static let configHint = "~/.config/keywarden/config.toml ([hook] audit_log, verify) or KEYWARDEN_AUDIT_LOG / KEYWARDEN_HOOK_VERIFY"
}
