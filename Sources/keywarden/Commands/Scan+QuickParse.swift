import ArgumentParser

/// `keywarden scan` is what hooks and CI run, often on one small file, and argument-parser spends several
/// milliseconds building its command tree (reflection over every option) before it reads a single argument.
/// This reads the plain spellings of scan's options directly. Anything it does not know for certain (help,
/// an unknown or repeated option, a value that looks like an option, `--`) returns nil, and the caller
/// falls back to argument-parser, which then gives its usual answer or message. A test compares the
/// result with argument-parser's for every option, so the two cannot drift apart silently.
extension Keywarden.Scan {
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

    /// Sets option `name` (`--format`, `-o`): a flag from nothing, any other from `inline` (`--name=value`) or
    /// else from `next()` (the next argument). False when `name` is not one of scan's, a flag is given a
    /// value, a value is missing or a number is not one.
    /// (A switch, not a table of key paths: making the table's key paths cost a one-file scan about half a
    /// millisecond of start-up.)
    private static func set(_ name: String, inline: String?, next: () -> String?, in values: inout QuickValues) -> Bool {
        func flag(_ value: inout Bool) -> Bool {
            guard inline == nil else { return false }
            value = true
            return true
        }
        func text(_ value: inout String?) -> Bool {
            guard let given = inline ?? next() else { return false }
            value = given
            return true
        }
        func number(_ value: inout Int?) -> Bool {
            guard let given = inline ?? next(), let n = Int(given) else { return false }
            value = n
            return true
        }
        switch name {
        case "--no-git": return flag(&values.noGit)
        case "--show-secrets": return flag(&values.showSecrets)
        case "--include-binary": return flag(&values.includeBinary)
        case "--follow-symlinks": return flag(&values.followSymlinks)
        case "--verify": return flag(&values.verify)
        case "--staged": return flag(&values.staged)
        case "--history": return flag(&values.history)
        case "--ci": return flag(&values.ci)
        case "--recurse-submodules": return flag(&values.recurseSubmodules)
        case "--no-archives": return flag(&values.noArchives)
        case "--no-cache": return flag(&values.noCache)
        case "--migrate-fingerprints": return flag(&values.migrateFingerprints)
        case "--archive-depth": return number(&values.archiveDepth)
        case "--exit-code": return number(&values.exitCode)
        case "--threads": return number(&values.threads)
        case "--max-archive-size": return text(&values.maxArchiveSize)
        case "--format": return text(&values.format)
        case "--output", "-o": return text(&values.output)
        case "--baseline": return text(&values.baseline)
        case "--ignore-file": return text(&values.ignoreFile)
        case "--max-file-size": return text(&values.maxFileSize)
        case "--ledger": return text(&values.ledger)
        case "--range": return text(&values.range)
        case "--since": return text(&values.since)
        case "--branch": return text(&values.branch)
        case "--config": return text(&values.config)
        default: return false
        }
    }

    /// The scan command for `arguments` (those after `scan`), or nil when argument-parser must decide.
    static func quickParse(_ arguments: [String]) -> Keywarden.Scan? {
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
            guard seen.insert(name == "-o" ? "--output" : name).inserted else { return nil }
            let next = { () -> String? in
                guard index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
                index += 1
                return arguments[index - 1]
            }
            guard Self.set(name, inline: inline, next: next, in: &values) else { return nil }
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
