public import Foundation
public import GitRepository
public import SecretRules
public import SystemSupport

/// Where a command runs and what the project says: the work tree root, found once, and `.keywarden.toml`
/// from that root, parsed once. The ignore file, the key ledger and the hook's audit log and baseline are
/// resolved from the root wherever in the work tree the command was started, so `keywarden ignore add` in
/// a subfolder writes the file the hook reads.
public struct ProjectContext: Sendable {
    /// The ignore file's name, at the work tree root.
    public static let ignoreFileName = ".keywardenignore"

    /// The folder the command was started in.
    public let workingDirectory: String
    /// The root of the git work tree, when the command runs inside one.
    public let workTreeRoot: String?
    /// The git directory, when a repository was opened to find the root (hooks).
    public let gitDirectory: String?
    /// `.keywarden.toml` at the root (defaults when there is none).
    public let settings: ProjectSettings
    /// Where compiled rules are cached (`KEYWARDEN_CACHE_DIR`, `XDG_CACHE_HOME`, `~/.cache`); nil: no cache.
    public let cacheDirectory: URL?
    /// The process environment the command runs with.
    public let environment: [String: String]

    /// The folder project files are resolved against: the work tree root, else the working directory.
    public var root: String { workTreeRoot ?? workingDirectory }
    /// `.keywardenignore` at the root.
    public var ignoreFile: String { join(root, Self.ignoreFileName) }
    /// The key ledger, `.keywarden/keys.toml` at the root.
    public var ledgerFile: String { join(root, ".keywarden/keys.toml") }
    /// Where the audit log goes: a path the user chose, or a path inside a folder keywarden chose.
    public struct AuditLog: Sendable, Equatable, CustomStringConvertible {
        /// The user's own choice (absolute); links are followed.
        public var path: String
        /// Set for the default: `path` is `relative` inside this folder (the git directory), opened with no
        /// symbolic link anywhere below it.
        public var folder: String?
        public var relative: String?
        public var description: String { path }
    }

    /// The hook's audit log: the user's `[hook] audit_log` (their own config file or `KEYWARDEN_AUDIT_LOG`),
    /// else `<git dir>/keywarden/audit.jsonl`; nil when the setting is `false` or there is no git directory.
    /// A repository's `.keywarden.toml` never chooses it.
    public var auditLog: AuditLog? { auditLog(for: settings.hook) }
    /// The hook's baseline report (`[hook] baseline`, relative to the root, inside the work tree with no
    /// symbolic link on the way).
    public func hookBaseline() throws(SystemError) -> String? {
        guard let baseline = settings.hook.baseline else { return nil }
        return try ContainedPath.resolve(baseline, under: root)
    }

    /// The audit log that `hook` settings choose (defaults when the project's settings could not be read).
    public func auditLog(for hook: HookSettings) -> AuditLog? {
        guard let configured = hook.auditLog, configured.hasPrefix("/") || configured.isEmpty else {
            return gitDirectory.map { AuditLog(path: join($0, "keywarden/audit.jsonl"), folder: $0, relative: "keywarden/audit.jsonl") }
        }
        return configured.isEmpty ? nil : AuditLog(path: configured, folder: nil, relative: nil)
    }

    /// `path` as given when absolute, else relative to the root.
    public func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : join(root, path) }

    /// The context of a command started in `directory`: the work tree found by walking up to the nearest
    /// `.git`, its `.keywarden.toml` read (a malformed one is an error naming file and line).
    public static func discover(from directory: String = FileManager.default.currentDirectoryPath,
                                environment: [String: String]) throws(RulesError) -> ProjectContext {
        try ProjectContext(workingDirectory: directory, workTreeRoot: GitRepository.enclosingWorkTree(of: directory),
                           gitDirectory: nil, environment: environment)
    }

    /// The context of an open repository (a hook): its own work tree root and git directory.
    public static func of(_ repository: GitRepository, environment: [String: String]) throws(RulesError) -> ProjectContext {
        let cwd = FileManager.default.currentDirectoryPath
        return try ProjectContext(workingDirectory: cwd, workTreeRoot: repository.workTreeRoot, gitDirectory: repository.gitDirectory,
                                  environment: environment)
    }

    /// The same place with default settings: what a hook still knows when `.keywarden.toml` is broken.
    public static func withoutSettings(_ repository: GitRepository, environment: [String: String]) -> ProjectContext {
        var settings = ProjectSettings()
        if let user = try? UserSettings.load(environment: environment) { settings.hook.auditLog = user.auditLog }
        return ProjectContext(workingDirectory: FileManager.default.currentDirectoryPath, workTreeRoot: repository.workTreeRoot,
                              gitDirectory: repository.gitDirectory, settings: settings, environment: environment)
    }

    private init(workingDirectory: String, workTreeRoot: String?, gitDirectory: String?,
                 environment: [String: String]) throws(RulesError) {
        let root = workTreeRoot ?? workingDirectory
        let file = root + "/" + ProjectSettings.fileName
        // The files keywarden reads (and, for the ledger, writes) by fixed name in the repository: a
        // committed link must not take it outside (`.keywardenignore -> ~/.ssh/id_ed25519`).
        for name in [ProjectSettings.fileName, Self.ignoreFileName, ".keywarden/keys.toml"] {
            do {
                _ = try ContainedPath.resolve(name, under: root)
            } catch {
                throw RulesError(file: error.path, line: nil,
                                 message: "refused: \(error.message) (a repository's files are untrusted input; see docs/security.md)")
            }
        }
        var settings = access(file, F_OK) == 0 ? try ProjectSettings.load(path: file) : ProjectSettings()
        // Where keywarden writes and what it sends come from the user, never from the repository.
        let user = try UserSettings.load(environment: environment)
        settings.hook.auditLog = user.auditLog
        settings.hook.verify = user.verify
        settings.warnings += user.warnings
        self.init(workingDirectory: workingDirectory, workTreeRoot: workTreeRoot, gitDirectory: gitDirectory,
                  settings: settings, environment: environment)
    }

    /// A context with explicit parts (tests, and the constructors above).
    public init(workingDirectory: String, workTreeRoot: String?, gitDirectory: String?, settings: ProjectSettings,
                environment: [String: String]) {
        self.workingDirectory = workingDirectory
        self.workTreeRoot = workTreeRoot
        self.gitDirectory = gitDirectory
        self.settings = settings
        self.environment = environment
        cacheDirectory = CompiledRules.defaultCacheDirectory(environment: environment)
    }

    private func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
