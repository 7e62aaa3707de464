public import Foundation
import TOMLKit

/// `.keywarden.toml` at the root of a work tree, read and parsed once per run into one typed value that
/// every command reads: the rules part (gitleaks schema; the built-in rules are kept unless `[extend]
/// useDefault = false`), the hook's `[hook]` table and the doctor's `[doctor]` table.
public struct ProjectSettings: Sendable {
    /// The file name, at the work tree root.
    public static let fileName = ".keywarden.toml"

    /// The file these settings came from; nil when the project has none (every setting at its default).
    public let path: String?
    public var hook = HookSettings()
    public var doctor = DoctorSettings()
    /// Settings keywarden does not know (ignored, and said).
    public var warnings: [String] = []
    /// Set when these settings were read from a commit rather than the work tree (the base of a `--ci`
    /// range): reads the file an `[extend] path` names, by its path relative to the work tree root, from
    /// that commit (nil: not there), with the name to give it in messages. The work tree's copy may be the
    /// pull request's own.
    public var readFromRevision: (@Sendable (String) -> (file: String, bytes: [UInt8])?)?
    /// The rules part of the file, parsed; resolved against the built-in rules by `RuleLoader.load(_:cacheDirectory:)`.
    let rules: (set: RuleSet, extend: RuleLoader.Extend?)

    /// No file: defaults everywhere, the built-in rules.
    public init() {
        path = nil
        rules = (RuleSet(rules: []), nil)
    }

    /// Reads and parses `path`; errors name the file and, where known, the line.
    public static func load(path: String) throws(RulesError) -> ProjectSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RulesError(file: path, line: nil, message: "cannot read the config file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses the text of a `.keywarden.toml` named `file`.
    public static func parse(_ text: String, file: String) throws(RulesError) -> ProjectSettings {
        let table = try RuleLoader.table(text, file: file)
        let rules = try RuleLoader.parseDocument(table, text: text, file: file, projectTablesAllowed: true)
        var settings = ProjectSettings(path: file, rules: rules)
        if let value = table["hook"] {
            guard let hook = value.table else {
                throw RulesError(file: file, line: TOMLKeyLines.line(of: "hook", inTable: "", text: text), message: "'hook' must be a table ([hook])")
            }
            settings.warnings += try settings.hook.read(hook, file: file, text: text)
        }
        if let value = table["doctor"] {
            guard let doctor = value.table else {
                throw RulesError(file: file, line: TOMLKeyLines.line(of: "doctor", inTable: "", text: text), message: "[doctor] must be a table")
            }
            settings.doctor = try DoctorSettings(doctor, file: file, text: text)
        }
        return settings
    }

    private init(path: String, rules: (set: RuleSet, extend: RuleLoader.Extend?)) {
        self.path = path
        self.rules = rules
    }
}

/// The `[hook]` table of `.keywarden.toml`.
public struct HookSettings: Sendable, Equatable {
    public enum OnError: String, Sendable { case block, warn }

    /// What an internal error does: block the commit (exit 2) or let it through with a warning.
    public var onError = OnError.block
    /// Warn about tracked keys that are overdue or due within their warning window.
    public var warnTrackedKeys = true
    /// Block the commit (exit 1) while a tracked key is overdue or marked leaked.
    public var blockOnOverdueKeys = false
    /// Where blocked commits are logged (an absolute path); nil: `<git dir>/keywarden/audit.jsonl`; empty: no
    /// log. Only from the user's own configuration (`UserSettings`), never from `.keywarden.toml`.
    public var auditLog: String?
    /// Ask each finding's provider whether the key is live, as `scan --verify` does (opt-in; sends the key to
    /// its own provider only). Only from the user's own configuration (`UserSettings`).
    public var verify = false
    /// A JSON report of known findings (`scan --format json`) that the hook does not block on, relative to
    /// the work tree root (inside it, no symbolic link on the way), like `scan --baseline`.
    public var baseline: String?

    public static let keys = ["on_error", "warn_tracked_keys", "block_on_overdue_keys", "audit_log", "verify", "baseline"]

    public init() {}

    /// Reads the table's settings; returns warnings for keys it does not know.
    /// Errors and warnings name the file and the key's line in `text` (the document's text) where it is found.
    mutating func read(_ hook: TOMLTable, file: String, text: String = "") throws(RulesError) -> [String] {
        func line(_ key: String) -> Int? { TOMLKeyLines.line(of: key, inTable: "hook", text: text) }
        func fail(_ key: String, _ message: String) -> RulesError { RulesError(file: file, line: line(key), message: message) }
        func place(_ key: String) -> String { line(key).map { "\(file):\($0)" } ?? file }
        func bool(_ key: String) throws(RulesError) -> Bool? {
            guard let v = hook[key] else { return nil }
            guard let b = v.bool else { throw fail(key, "[hook] \(key) must be true or false") }
            return b
        }
        if let v = hook["on_error"] {
            guard let s = v.string, let mode = OnError(rawValue: s) else { throw fail("on_error", "[hook] on_error must be \"block\" or \"warn\"") }
            onError = mode
        }
        warnTrackedKeys = try bool("warn_tracked_keys") ?? warnTrackedKeys
        blockOnOverdueKeys = try bool("block_on_overdue_keys") ?? blockOnOverdueKeys
        // Where keywarden writes and whether it sends keys over the network are the user's decisions
        // (UserSettings), never the scanned repository's: said, and ignored.
        var warnings = [String]()
        for key in UserSettings.hookKeys where hook[key] != nil {
            warnings.append("\(place(key)): [hook] \(key) is ignored: a repository cannot choose where keywarden writes or what "
                + "it sends over the network; set it in your own \(UserSettings.configHint) instead (docs/security.md)")
        }
        if let v = hook["baseline"] {
            guard let s = v.string, !s.isEmpty else { throw fail("baseline", "[hook] baseline must be the path of a JSON report") }
            baseline = s
        }
        return warnings + hook.keys.sorted().filter { !Self.keys.contains($0) }.map {
            "\(place($0)): [hook] \($0) is not a setting keywarden knows (ignored)"
        }
    }
}

/// The `[doctor]` table of `.keywarden.toml`.
///
/// ```toml
/// [doctor]
/// required_env = ["MAINTAINX_API_KEY", "MINDTICKLE_API_KEY"]
/// environments = { prod = ".env.production", staging = ".env.staging" }
/// ```
public struct DoctorSettings: Sendable, Equatable {
    /// One environment and the dotenv file that holds its variables (relative to the work tree root).
    public struct Environment: Sendable, Equatable {
        public let name: String
        public let file: String
        public init(name: String, file: String) {
            self.name = name
            self.file = file
        }
    }

    /// Variables that must be set (and not placeholders) in every environment.
    public var requiredEnvironment: [String]
    /// Environments by name (sorted by name); empty means the process environment and `.env`.
    public var environments: [Environment]

    public init(requiredEnvironment: [String] = [], environments: [Environment] = []) {
        self.requiredEnvironment = requiredEnvironment
        self.environments = environments.sorted { $0.name < $1.name }
    }

    init(_ doctor: TOMLTable, file: String, text: String = "") throws(RulesError) {
        func fail(_ message: String) -> RulesError {
            // The key the message is about: the first word after "[doctor] " (environments.NAME: environments).
            let key = message.dropFirst("[doctor] ".count).prefix { $0 != " " && $0 != "." }
            return RulesError(file: file, line: TOMLKeyLines.line(of: String(key), inTable: "doctor", text: text), message: message)
        }
        var required: [String] = []
        if let value = doctor["required_env"] {
            guard let array = value.array else { throw fail("[doctor] required_env must be an array of variable names") }
            for element in array {
                guard let name = element.tomlValue.string, Self.isVariableName(name) else {
                    throw fail("[doctor] required_env must hold variable names like MAINTAINX_API_KEY")
                }
                if !required.contains(name) { required.append(name) }
            }
        }
        var environments: [Environment] = []
        if let value = doctor["environments"] {
            guard let envTable = value.table else {
                throw fail("[doctor] environments must be a table like { prod = \".env.production\" }")
            }
            for (name, fileValue) in envTable {
                guard let path = fileValue.tomlValue.string, !path.isEmpty else {
                    throw fail("[doctor] environments.\(name) must be a file name")
                }
                environments.append(Environment(name: name, file: path))
            }
        }
        self.init(requiredEnvironment: required, environments: environments)
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
