import Foundation
import TOMLKit

/// `.keywarden.toml` at the root of the work tree: rules and allowlists in the gitleaks schema (the
/// built-in rules are kept unless `[extend] useDefault = false`) and the hook's `[hook]` table.
enum ProjectConfig {
    static let fileName = ".keywarden.toml"

    /// The root of the work tree holding `directory` (the nearest folder with a `.git` entry), if any.
    static func workTreeRoot(from directory: String) -> String? {
        var dir = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        while true {
            if access(dir + "/.git", F_OK) == 0 { return dir }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir || parent.isEmpty { return nil }
            dir = parent
        }
    }

    /// The project config for work started in `directory`, when the file exists.
    static func path(from directory: String = FileManager.default.currentDirectoryPath) -> String? {
        guard let root = workTreeRoot(from: directory) else { return nil }
        let path = root + "/" + fileName
        return access(path, F_OK) == 0 ? path : nil
    }
}

/// The `[hook]` table of `.keywarden.toml`.
struct HookSettings: Equatable {
    enum OnError: String { case block, warn }

    /// What an internal error does: block the commit (exit 2) or let it through with a warning.
    var onError = OnError.block
    /// Warn about tracked keys that are overdue or due within their warning window.
    var warnTrackedKeys = true
    /// Block the commit (exit 1) while a tracked key is overdue or marked leaked.
    var blockOnOverdueKeys = false
    /// Where blocked commits are logged, relative to the work tree root; nil: `<git dir>/keywarden/audit.jsonl`;
    /// empty: no log.
    var auditLog: String?
    /// Ask each finding's provider whether the key is live, as `scan --verify` does (opt-in; sends the key to
    /// its own provider only).
    var verify = false

    static let keys = ["on_error", "warn_tracked_keys", "block_on_overdue_keys", "audit_log", "verify"]

    /// Reads the `[hook]` table of the config at `path`; defaults when the file has none.
    static func load(path: String) throws -> (settings: HookSettings, warnings: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("\(path): cannot read the file")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: String(decoding: data, as: UTF8.self))
        } catch let error as TOMLParseError {
            throw CommandFailure("\(path):\(error.source.begin.line): TOML syntax: \(error.description)")
        } catch {
            throw CommandFailure("\(path): TOML syntax: \(error)")
        }
        var settings = HookSettings()
        var warnings = [String]()
        guard let value = table["hook"] else { return (settings, warnings) }
        guard let hook = value.table else { throw CommandFailure("\(path): 'hook' must be a table ([hook])") }
        func bool(_ key: String) throws -> Bool? {
            guard let v = hook[key] else { return nil }
            guard let b = v.bool else { throw CommandFailure("\(path): [hook] \(key) must be true or false") }
            return b
        }
        if let v = hook["on_error"] {
            guard let s = v.string, let mode = OnError(rawValue: s) else {
                throw CommandFailure("\(path): [hook] on_error must be \"block\" or \"warn\"")
            }
            settings.onError = mode
        }
        settings.warnTrackedKeys = try bool("warn_tracked_keys") ?? settings.warnTrackedKeys
        settings.blockOnOverdueKeys = try bool("block_on_overdue_keys") ?? settings.blockOnOverdueKeys
        settings.verify = try bool("verify") ?? settings.verify
        if let v = hook["audit_log"] {
            if let s = v.string {
                settings.auditLog = s
            } else if v.bool == false {
                settings.auditLog = ""
            } else {
                throw CommandFailure("\(path): [hook] audit_log must be a path (or false for no log)")
            }
        }
        for key in hook.keys.sorted() where !keys.contains(key) {
            warnings.append("\(path): [hook] \(key) is not a setting keywarden knows (ignored)")
        }
        return (settings, warnings)
    }
}
