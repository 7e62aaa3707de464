import ArgumentParser

/// `keywarden scan` is what hooks and CI run, often on one small file, and argument-parser spends several
/// milliseconds building its command tree (reflection over every option) before it reads a single argument.
/// This reads the plain spellings of scan's options directly. Anything it does not know for certain (help,
/// an unknown or repeated option, a value that looks like an option, `--`) returns nil, and the caller
/// falls back to argument-parser, which then gives its usual answer or message. A test compares the
/// result with argument-parser's for every option, so the two cannot drift apart silently.
extension Keywarden.Scan {
    private enum Slot { case flag(WritableKeyPath<QuickValues, Bool>), text(WritableKeyPath<QuickValues, String?>), number(WritableKeyPath<QuickValues, Int?>) }

    /// Every value `scan` takes, before defaults are applied.
    struct QuickValues {
        var paths: [String] = []
        var noGit = false, showSecrets = false, includeBinary = false, followSymlinks = false, verify = false, noArchives = false
        var recurseSubmodules = false
        var staged = false, history = false, ci = false, noCache = false, migrateFingerprints = false
        var format: String?, output: String?, baseline: String?, ignoreFile: String?, maxFileSize: String?
        var ledger: String?, range: String?, since: String?, branch: String?, config: String?, maxArchiveSize: String?
        var exitCode: Int?, threads: Int?, archiveDepth: Int?
    }

    private static var slots: [String: Slot] { [
        "--no-git": .flag(\.noGit), "--show-secrets": .flag(\.showSecrets), "--include-binary": .flag(\.includeBinary),
        "--follow-symlinks": .flag(\.followSymlinks), "--verify": .flag(\.verify), "--staged": .flag(\.staged),
        "--history": .flag(\.history), "--ci": .flag(\.ci), "--recurse-submodules": .flag(\.recurseSubmodules), "--no-archives": .flag(\.noArchives),
        "--archive-depth": .number(\.archiveDepth), "--max-archive-size": .text(\.maxArchiveSize), "--no-cache": .flag(\.noCache),
        "--migrate-fingerprints": .flag(\.migrateFingerprints),
        "--format": .text(\.format), "--output": .text(\.output), "-o": .text(\.output), "--baseline": .text(\.baseline),
        "--ignore-file": .text(\.ignoreFile), "--max-file-size": .text(\.maxFileSize), "--ledger": .text(\.ledger),
        "--range": .text(\.range), "--since": .text(\.since), "--branch": .text(\.branch), "--config": .text(\.config),
        "--exit-code": .number(\.exitCode), "--threads": .number(\.threads),
    ] }

    /// The scan command for `arguments` (those after `scan`), or nil when argument-parser must decide.
    static func quickParse(_ arguments: [String]) -> Keywarden.Scan? {
        let slots = Self.slots
        var values = QuickValues()
        var seen = Set<String>()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("-"), argument != "-" else {
                if argument == "help" { return nil }   // argument-parser's help word, not a path
                values.paths.append(argument)
                continue
            }
            // `--name=value` is one argument; a short option takes its value from the next one only.
            var name = argument
            var inline: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            let canonical = name == "-o" ? "--output" : name
            guard let slot = slots[name], seen.insert(canonical).inserted else { return nil }
            switch slot {
            case .flag(let key):
                guard inline == nil else { return nil }
                values[keyPath: key] = true
            case .text, .number:
                let value: String
                if let inline {
                    value = inline
                } else {
                    guard index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
                    value = arguments[index]
                    index += 1
                }
                switch slot {
                case .text(let key): values[keyPath: key] = value
                case .number(let key):
                    guard let number = Int(value) else { return nil }
                    values[keyPath: key] = number
                case .flag: return nil
                }
            }
        }
        return Keywarden.Scan(values)
    }

    /// A scan command with every property set, as argument-parser would set it (a property left unset
    /// would stop the program when read, and the equivalence test would see it).
    private init(_ values: QuickValues) {
        self.init()
        paths = values.paths
        noGit = values.noGit
        var git = GitSourceOptions()
        git.staged = values.staged
        git.range = values.range
        git.since = values.since
        git.history = values.history
        git.branch = values.branch
        git.ci = values.ci
        self.git = git
        var rules = RuleOptions()
        rules.config = values.config
        self.rules = rules
        format = values.format ?? "text"
        exitCode = values.exitCode ?? 1
        output = values.output
        showSecrets = values.showSecrets
        baseline = values.baseline
        ignoreFile = values.ignoreFile
        maxFileSize = values.maxFileSize ?? "100M"
        includeBinary = values.includeBinary
        noArchives = values.noArchives
        archiveDepth = values.archiveDepth ?? 3
        maxArchiveSize = values.maxArchiveSize ?? "1G"
        noCache = values.noCache
        migrateFingerprints = values.migrateFingerprints
        followSymlinks = values.followSymlinks
        recurseSubmodules = values.recurseSubmodules
        threads = values.threads ?? 0
        ledger = values.ledger
        verify = values.verify
    }
}
