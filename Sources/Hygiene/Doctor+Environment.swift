internal import Foundation
import SystemSupport
import Hashing
import KeyAge
import Credentials
import GitRepository

extension Doctor {
    /// Where one environment's variables come from.
    struct EnvironmentSource {
        let name: String
        /// The dotenv file (relative to the root), nil for the process environment (+ `.env`).
        let file: String?
        /// The file's text, nil when it could not be read.
        let text: String?
    }

    /// Values that are placeholders as a whole, beyond what the scanner's placeholder filter knows.
    static let placeholderValues: Set<String> = [
        "todo", "tbd", "fixme", "xxx", "none", "null", "nil", "undefined", "secret", "password", "apikey", "api_key",
        "key", "token", "value", "test", "changeit", "replace", "fake", "dummy", "-", "?",
    ]

    /// True for an empty value, a scanner placeholder (`your-api-key-here`, `${VAR}`, `xxxx`) or a bare word
    /// like `TODO`.
    public static func isPlaceholder(_ value: String) -> Bool {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return true }
        return placeholderValues.contains(trimmed.lowercased()) || Placeholder.isPlaceholder(trimmed)
    }

    /// The configured environments, or one source (the process environment, then `.env`) when none is.
    func environmentSources() -> [EnvironmentSource] {
        if configuration.environments.isEmpty {
            let text = FileAccess.contents(root + "/.env").map { String(decoding: $0, as: UTF8.self) }
            return [EnvironmentSource(name: "local", file: nil, text: text)]
        }
        return configuration.environments.map { env in
            // The repository names these files: only inside the work tree, with no link on the way.
            let path = try? ContainedPath.resolve(env.file, under: root)
            return EnvironmentSource(name: env.name, file: env.file,
                                     text: path.flatMap { FileAccess.contents($0) }.map { String(decoding: $0, as: UTF8.self) })
        }
    }

    /// The value of `variable` in `source`; nil when it is not set. For the process source the process
    /// environment wins over `.env`, as dotenv loaders do.
    func value(of variable: String, in source: EnvironmentSource) -> String? {
        if source.file == nil, let v = options.environment[variable] { return v }
        return source.text.flatMap { DotEnv.value(of: variable, in: $0) }
    }

    func sourceLabel(_ source: EnvironmentSource) -> String {
        if let file = source.file { return "\(source.name) (\(file))" }
        return source.text == nil ? "the environment" : "the environment or .env"
    }

    /// `required-env` and `env-distinct`.
    func checkEnvironment() -> [CheckResult] {
        let required = configuration.requiredEnvironment
        guard !required.isEmpty else {
            return [.skip(.requiredEnvironment, "no required_env in the [doctor] table of \(DoctorConfiguration.fileName)"),
                    .skip(.environmentsDistinct, "no required_env in the [doctor] table of \(DoctorConfiguration.fileName)")]
        }
        let sources = environmentSources()
        var problems: [String] = [], fix: [String] = []
        for source in sources {
            if let file = source.file, source.text == nil {
                problems.append("\(file) (\(source.name)) cannot be read")
                fix.append("create \(file) with \(required.joined(separator: ", ")) for \(source.name)")
                continue
            }
            for variable in required {
                let label = sourceLabel(source)
                guard let v = value(of: variable, in: source) else {
                    problems.append("\(variable) is not set in \(label)")
                    fix.append(source.file.map { "set \(variable) in \($0)" } ?? "export \(variable) (or set it in .env)")
                    continue
                }
                if Self.isPlaceholder(v) {
                    problems.append("\(variable) in \(label) is \(v.trimmingCharacters(in: .whitespaces).isEmpty ? "empty" : "a placeholder")")
                    fix.append("put the real \(variable) in " + (source.file ?? "the environment or .env"))
                }
            }
        }
        let scope = sources.count == 1 && sources[0].file == nil ? "" : " in \(sources.count) environment\(sources.count == 1 ? "" : "s")"
        let requiredResult: CheckResult = problems.isEmpty
            ? .pass(.requiredEnvironment, "\(required.count) required variable\(required.count == 1 ? "" : "s") set\(scope)")
            : .fail(.requiredEnvironment, "\(problems.count) problem\(problems.count == 1 ? "" : "s") with required variables",
                    details: problems, fix: fix)
        return [requiredResult, checkDistinct(required, sources)]
    }

    /// Values are compared by fingerprint: no value is kept, printed or written.
    private func checkDistinct(_ required: [String], _ sources: [EnvironmentSource]) -> CheckResult {
        guard sources.count >= 2 else {
            return .skip(.environmentsDistinct, "fewer than two environments configured ([doctor] environments)")
        }
        let fingerprinter = Fingerprinter(environment: options.environment)
        var problems: [String] = [], fix: [String] = []
        for variable in required {
            var byFingerprint: [String: [EnvironmentSource]] = [:]
            var order: [String] = []
            for source in sources {
                guard let v = value(of: variable, in: source), !Self.isPlaceholder(v) else { continue }
                let fp = fingerprinter.fingerprint(v.trimmingCharacters(in: .whitespacesAndNewlines))
                if byFingerprint[fp] == nil { order.append(fp) }
                byFingerprint[fp, default: []].append(source)
            }
            for fp in order {
                guard let shared = byFingerprint[fp], shared.count > 1 else { continue }
                problems.append("\(variable) has the same value in " + shared.map(sourceLabel).joined(separator: " and "))
                for s in shared.dropFirst() {
                    fix.append("make a separate \(variable) for \(s.name) and put it in \(s.file ?? ".env")")
                }
            }
        }
        if problems.isEmpty {
            return .pass(.environmentsDistinct, "each required variable differs across \(sources.map(\.name).joined(separator: ", "))")
        }
        return .fail(.environmentsDistinct, "\(problems.count) variable\(problems.count == 1 ? " is" : "s are") shared between environments",
                     details: problems, fix: fix)
    }

    /// Folders the `.env` search does not enter: git's own folder and installed dependencies (their files
    /// are not the team's). Nested repositories are not entered either: they have their own doctor run.
    static let unsearchedFolders: Set<String> = [".git", "node_modules"]

    /// True for a dotenv file name that is not a template (`.env`, `.env.production`, not `.env.example`).
    static func isDotenvName(_ name: String) -> Bool {
        name == ".env" || (name.hasPrefix(".env.") && !SecretFileNames.templates.contains(name))
    }

    /// Every `.env` and `.env.*` file in the work tree (templates apart), relative to the root, in path
    /// order; found by walking the folders (ignored ones included), without following symbolic links.
    func dotenvFiles() -> [String] {
        var found: [String] = []
        DirectoryWalker.walk(root, sorted: true, visit: { (entry: DirectoryWalker.Entry) -> DirectoryWalker.Step in
            switch entry.kind {
            case .directory:
                if Self.unsearchedFolders.contains(entry.name) { return .skip }
                // A nested repository (or submodule): its own work tree, checked on its own.
                if FileAccess.exists(entry.path + "/.git") { return .skip }
                return .enter
            case .regular:
                if Self.isDotenvName(entry.name) { found.append(entry.relative) }
                return .skip
            case .symbolicLink, .other:
                return .skip
            }
        }, cannotList: { (_: String, _: SystemError) in })
        return found
    }

    /// The work tree's `.env` files (templates apart, nested folders included) and the configured
    /// environment files.
    func environmentFiles() -> [String] {
        var files = dotenvFiles()
        for env in configuration.environments where !files.contains(env.file) {
            files.append(env.file)
        }
        return files.filter { FileAccess.isRegularFile($0.hasPrefix("/") ? $0 : root + "/" + $0) }
    }

    /// `.env` files that git would commit with `git add .`: neither ignored nor already tracked (tracked
    /// ones fail `tracked-secrets`).
    func unignoredDotenvFiles() throws(HygieneError) -> [String] {
        var open: [String] = []
        for file in dotenvFiles() {
            let path = root + "/" + file
            let ignored = try git { () throws(GitError) in try repository.isIgnored(path) }
            if ignored { continue }
            let tracked = try git { () throws(GitError) in try repository.isTracked(path) }
            if !tracked { open.append(file) }
        }
        return open
    }

    /// The `.gitignore` line that ignores one file at `relative` (anchored at the root, special characters escaped).
    static func ignoreLine(for relative: String) -> String {
        var line = "/"
        for c in relative {
            if "*?[\\!# ".contains(c) { line.append("\\") }
            line.append(c)
        }
        return line
    }

    func checkDotenvIgnored() throws(HygieneError) -> CheckResult {
        let files = dotenvFiles()
        if files.isEmpty { return .skip(.environmentFilesIgnored, "no .env files in the work tree") }
        let open = try unignoredDotenvFiles()
        if open.isEmpty {
            return .pass(.environmentFilesIgnored, "\(files.count) .env file\(files.count == 1 ? "" : "s"), each ignored by git or already tracked")
        }
        return .fail(.environmentFilesIgnored, "\(open.count) .env file\(open.count == 1 ? " is" : "s are") not ignored: `git add .` would commit \(open.count == 1 ? "it" : "them")",
                     details: open.map { "\($0) is not ignored by git" },
                     fix: ["append to .gitignore (or run `keywarden doctor --fix`):"] + open.map { "    " + Self.ignoreLine(for: $0) })
    }

    func checkEnvironmentFilePermissions() -> CheckResult {
        let files = environmentFiles()
        if files.isEmpty { return .skip(.environmentFilePermissions, "no .env files") }
        var open: [String] = []
        for file in files {
            let path = file.hasPrefix("/") ? file : root + "/" + file
            if let mode = FileAccess.permissions(path), mode & 0o044 != 0 {
                open.append(file + " (mode " + String(mode, radix: 8) + ")")
            }
        }
        if open.isEmpty {
            return .pass(.environmentFilePermissions, "\(files.count) .env file\(files.count == 1 ? "" : "s"), none readable by group or others")
        }
        let names = files.filter { f in open.contains { $0.hasPrefix(f + " (") } }
        return .fail(.environmentFilePermissions, "\(open.count) .env file\(open.count == 1 ? " is" : "s are") readable by other users",
                     details: open.map { $0 + " is readable by group or others" },
                     fix: ["chmod 600 " + names.map(Self.shellQuoted).joined(separator: " ")])
    }
}
