import ArgumentParser
import Foundation
import GitRepository
import Hashing
import KeyAge
import ScanReporting
import SecretScanner
import SystemSupport

extension Keywarden {
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan",
            abstract: "Scan files for secrets.",
            discussion: """
                Without PATH, scans the current directory. Use '-' to read standard input.
                Exit codes: 0 nothing found, 1 findings (or the --exit-code value), 2 error (unreadable input, broken rule, bad usage).
                """
        )

        @Argument(help: "Files or directories to scan ('-' for standard input).")
        var paths: [String] = []

        @Flag(name: .long, help: "Scan every file under PATH, ignoring git (tracked/ignored status).")
        var noGit = false

        @OptionGroup var git: GitSourceOptions

        @OptionGroup var rules: RuleOptions

        @Option(name: .long, help: "Output format: text, json, jsonl, sarif, github, junit or gitlab (see docs/ci.md).")
        var format: String = "text"

        @Option(name: .long, help: "Exit code when there are findings (default 1; 0 reports without failing; 2 is kept for errors).")
        var exitCode: Int = 1

        @Option(name: .shortAndLong, help: "Write the report to FILE instead of standard output (`-`: standard output).")
        var output: String?

        @Flag(name: .long, help: "Show secrets in full in the text and json reports (redacted by default; the CI formats, jsonl included, always redact).")
        var showSecrets = false

        @Option(name: .long, help: "Don't report findings already in this earlier JSON report (matched by rule and fingerprint).")
        var baseline: String?

        @Option(name: .long, help: "Fingerprints to ignore (default: .keywardenignore in the current directory).")
        var ignoreFile: String?

        @Flag(name: .long, help: "Rewrite the old-format (keywarden 0.1, plain SHA-256) fingerprints that matched findings in the ignore file, baseline and ledger to the salted form.")
        var migrateFingerprints = false

        @Option(name: .long, help: "Skip files larger than this (bytes; K, M, G suffixes). Default 100M.")
        var maxFileSize: String = "100M"

        @Flag(name: .long, help: "With --history: neither use nor update the history cache in the repository's .git/keywarden (a full scan).")
        var noCache = false

        @Flag(name: .long, help: "Scan binary files too.")
        var includeBinary = false

        @Flag(name: .long, help: "Don't open archives (zip, jar, tar, tar.gz, gz, image tarballs): scan them as binary files.")
        var noArchives = false

        @Option(name: .long, help: "Open archives nested up to this many levels (default 3; the outer archive is level 1).")
        var archiveDepth: Int = 3

        @Option(name: .long, help: "Stop reading an archive once it has expanded to this much in all (K, M, G suffixes). Default 1G.")
        var maxArchiveSize: String = "1G"

        @Flag(name: .long, help: "Follow symbolic links.")
        var followSymlinks = false

        @Flag(name: .long, help: "In a work tree, scan checked-out submodules and nested git repositories too (without it each is listed as not scanned).")
        var recurseSubmodules = false

        @Option(name: .long, help: "Worker threads (default: one per core).")
        var threads: Int = 0

        @Option(name: .long, help: "The key ledger whose keys findings are matched against (default: .keywarden/keys.toml at the work tree root).")
        var ledger: String?

        @Flag(name: .long, help: "Ask each provider whether found keys are live (sends them to the provider's own API; see docs/verify.md).")
        var verify = false

        func validate() throws {
            try git.validate(paths: paths)
            if recurseSubmodules, noGit || git.staged || git.history || git.ci || git.range != nil || git.since != nil {
                throw ValidationError("--recurse-submodules goes with a work-tree scan only, not with --no-git, --staged, --range, --since, --history or --ci "
                                      + "(a staged or committed submodule is a commit id: its own repository's hook scans what it commits)")
            }
            if migrateFingerprints, git.ci {
                throw ValidationError("--migrate-fingerprints rewrites the work tree's files; --ci reads the base commit's (run it locally)")
            }
            guard ReportFormat(rawValue: format) != nil else {
                throw ValidationError("unknown format '\(format)' (use \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard (0...255).contains(exitCode), exitCode != 2 else {
                throw ValidationError("--exit-code: \(exitCode) is not allowed (use 0, 1 or 3 to 255; 2 means an error)")
            }
            guard ByteSize.parse(maxFileSize) != nil else {
                throw ValidationError("--max-file-size: '\(maxFileSize)' is not a size (e.g. 500K, 100M, 1G)")
            }
            guard ByteSize.parse(maxArchiveSize) != nil else {
                throw ValidationError("--max-archive-size: '\(maxArchiveSize)' is not a size (e.g. 500M, 1G)")
            }
            guard (1...20).contains(archiveDepth) else {
                throw ValidationError("--archive-depth: \(archiveDepth) is not between 1 and 20 (--no-archives turns archives off)")
            }
        }

        func run() throws {
            var context = try ProjectContext.current(printWarnings: false)
            PhaseClock.mark("project settings read")
            let environment = context.environment
            var request = try self.request(environment: environment)
            // --ci on a range: the settings of the base commit, and a finding for each change to them.
            var ciBase: CIBaseSettings?
            if git.ci, case .range(let range, let repository) = request.source {
                ciBase = try CIBaseSettings.load(range: range, repository: repository, context: context)
                context = ciBase?.context ?? context
            }
            defer { if let ciBase { unlink(ciBase.ignoreFile) } }
            var options = ScanOptions()
            options.maxFileSize = ByteSize.parse(maxFileSize) ?? options.maxFileSize
            options.includeBinary = includeBinary
            options.archives.depth = noArchives ? 0 : archiveDepth
            options.archives.totalBytes = ByteSize.parse(maxArchiveSize) ?? options.archives.totalBytes
            options.threads = threads
            // While the rules load: the staged changes are read, or libgit2 is loaded and set up, on another thread.
            switch request.source {
            case .staged(let paths): request.stagedPrefetch = StagedPrefetch(paths: paths, maxBlobSize: options.sizeLimit)
            case .range, .commits, .history: GitRepository.startLibrarySetUp()
            case .paths, .namedFiles, .standardInput, .nothing: break
            }
            let compiled = try RuleOptions.compiledRules(config: rules.config, context: context, printWarnings: false)
            // Kept until the process exits: freeing a thousand compiled rules one by one at the end of the run
            // cost a one-file scan about 0.7 ms, and the process's exit frees them at once.
            _ = Unmanaged.passRetained(compiled)
            PhaseClock.mark("rules ready")
            // In CI a missing salt is not made: a new random one in every job would change every fingerprint
            // (and each code-scanning alert) from run to run, and the checkout is not the place to write.
            let ciWithoutSalt = git.ci && access(context.saltFile, F_OK) != 0
            if ciWithoutSalt {
                Terminal.warn("keywarden: note: --ci: no \(FingerprintSalt.fileName) in the repository: fingerprints use no repository salt "
                              + "(the same in every run) and none is created here; commit the one a local scan creates to salt them")
            }
            let session = ScanSession(rules: compiled, fingerprinter: try context.fingerprinter(create: !ciWithoutSalt), options: options)
            PhaseClock.mark("fingerprint salt read")

            request.options = options
            request.followSymlinks = followSymlinks
            request.recurseSubmodules = recurseSubmodules
            request.configurationWarnings = context.configurationWarnings(compiled)
            // A file named on the command line must exist (the defaults at the work tree root may not).
            for (option, path) in [("--ignore-file", ignoreFile), ("--ledger", ledger), ("--baseline", baseline)] {
                if let path, access(path, F_OK) != 0 { throw CommandFailure("\(option) \(path): no such file") }
            }
            request.ignoreFile = ignoreFile ?? ciBase?.ignoreFile ?? context.ignoreFile
            if let text = environment["KEYWARDEN_TODAY"], let day = CalendarDate(text) { request.today = day }
            request.baseline = baseline
            request.migrateFingerprints = migrateFingerprints
            request.ledger = ledger ?? context.ledgerFile
            if verify, let settings = try verificationSettings() { request.verification = settings }
            if case .history = request.source, !noCache {
                request.historyCache = Self.historyCacheSettings(context: context)
            }
            if case .history = request.source, Terminal.stderrIsTTY {
                // A progress line on a terminal only, rewritten in place and cleared at the end.
                request.historyProgress = { (p: HistoryProgress) in Terminal.rewriteLine("keywarden: " + p.line) }
            }
            var outcome: ScanOutcome
            do {
                outcome = try ScanRunner(session: session).run(request)
                outcome.findings += ciBase?.changes ?? []
            } catch {
                if request.historyProgress != nil { Terminal.rewriteLine("") }
                throw CommandFailure(error.message)
            }
            if request.historyProgress != nil { Terminal.rewriteLine("") }
            PhaseClock.mark("scanned")
            try finish(outcome, environment: environment, prefilter: (compiled.prefilterOrigin, compiled.prefilterSeconds))
        }

        /// The history cache's settings: sealed with a key derived from `KEYWARDEN_CACHE_KEY` when it is set (CI,
        /// where the per-user key would be new on every runner), else with the cache folder's per-user key; nil
        /// (no cache) when neither is available.
        static func historyCacheSettings(context: ProjectContext) -> HistoryCacheSettings? {
            if let secret = context.environment["KEYWARDEN_CACHE_KEY"], !secret.isEmpty {
                return HistoryCacheSettings(seal: CacheSeal(secret: Array(secret.utf8)), toolVersion: Keywarden.version)
            }
            guard let directory = context.cacheDirectory, let folder = CacheFolder.trusted(directory.path) else { return nil }
            return HistoryCacheSettings(seal: folder.seal, toolVersion: Keywarden.version)
        }

        /// What the arguments ask to scan.
        func request(environment: [String: String]) throws -> ScanRequest {
            if let mode = try git.resolvedMode(environment: environment) {
                switch mode {
                case .staged: return ScanRequest(.staged(paths: paths), scope: mode.scope)
                case .range(let r): return ScanRequest(.range(r, repository: paths.first), scope: mode.scope)
                case .history(let branch): return ScanRequest(.history(branch: branch, repository: paths.first), scope: mode.scope)
                case .nothing(let why): return ScanRequest(.nothing(why), scope: mode.scope)
                }
            }
            let roots = paths.isEmpty ? ["."] : paths
            if roots.contains("-") {
                guard roots == ["-"] else { throw CommandFailure("'-' (standard input) cannot be combined with other paths") }
                return ScanRequest(.standardInput, scope: "standard input")
            }
            return ScanRequest(.paths(roots, useGit: !noGit), scope: "files")
        }

        /// Writes the report, prints the summary, and exits with the right code.
        func finish(_ outcome: ScanOutcome, environment: [String: String], prefilter: (String, Double)? = nil) throws {
            var report = Report(outcome, toolVersion: Keywarden.version)
            report.prefilter = prefilter.map { (origin: $0.0, seconds: $0.1) }
            report.showSecrets = showSecrets
            report.revision = environment["CI_COMMIT_SHA"] ?? environment["GITHUB_SHA"]
            // Whatever `--ci` scans has reached the CI server: the advice is to rotate, not only to edit.
            report.keysLeftMachine = git.ci
            if verify { announceVerification(report) }
            let fmt = ReportFormat(rawValue: format) ?? .text
            // `--output -` is standard output, as for most command-line tools (not a file named "-").
            let output = self.output == "-" ? nil : self.output
            let colour = output == nil && Terminal.colourEnabled()
            let rendered = fmt.render(report, colour: colour)
            if let output {
                do {
                    try OutputFile.write(rendered, to: output)
                } catch {
                    throw CommandFailure("cannot write the report to \(output): \(error)")
                }
            } else {
                do { try Terminal.write(rendered, to: STDOUT_FILENO) } catch {
                    throw CommandFailure("cannot write the report to standard output: \(error.message)")
                }
            }
            if fmt == .github, let summary = environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
                do {
                    try GitHubReport.appendSummary(report, toFile: summary)
                } catch {
                    report.result.warnings.append(ScanNote(.other, "\(error)"))
                }
            }
            PhaseClock.mark("report written")
            Summary.print(report)
            if let timing = PhaseClock.report() { Terminal.warn("keywarden: timing: " + timing) }
            // A rule that gave up on part of a file leaves the scan incomplete: not a clean result.
            if !report.result.errors.isEmpty || report.result.isIncomplete { throw ExitCode(2) }
            if !report.findings.isEmpty { throw exitCode == 1 ? FindingsExit() : ExitCode(Int32(exitCode)) }
        }
    }
}

/// Parses sizes such as `100M`.
enum ByteSize {
    static func parse(_ text: String) -> Int? {
        // Plain ASCII work: Foundation's trimming and case mapping cost more at start-up than the scan of a small file.
        var t = Substring(text)
        while t.first == " " || t.first == "\t" { t.removeFirst() }
        while t.last == " " || t.last == "\t" { t.removeLast() }
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = t.last, let mult = units[Character(last.uppercased())] {
            // A size that does not fit in 64 bits is not a size (no overflow trap).
            guard let n = Int(t.dropLast()), n >= 0 else { return nil }
            let (bytes, overflow) = n.multipliedReportingOverflow(by: mult)
            return overflow ? nil : bytes
        }
        if t.last == "B" || t.last == "b" { t.removeLast() }
        return Int(t)
    }
}

/// The summary keywarden writes to standard error after a scan.
enum Summary {

    static func print(_ report: Report) {
        let r = report.result
        let colour = Terminal.colourEnabled(forStdout: false)
        var lines = [String]()
        // Binary files are expected and many: counted, not listed. Other skips are listed (the JSON report has all).
        let binary = r.skipped.filter { $0.reason == .binary }
        let other = r.skipped.filter { $0.reason != .binary }
        for s in other.prefix(20) { lines.append("keywarden: skipped \(s)") }
        if other.count > 20 { lines.append("keywarden: ... and \(other.count - 20) more skipped (the JSON report lists all)") }
        if !binary.isEmpty { lines.append("keywarden: skipped \(binary.count) binary file\(binary.count == 1 ? "" : "s") (scan them with --include-binary)") }
        for w in r.warnings { lines.append("keywarden: warning: \(w)") }
        for e in r.errors { lines.append(Style.red.apply("keywarden: error: \(e)", enabled: colour)) }
        if let cache = r.historyCache { lines.append("keywarden: \(cache)") }
        let mb = Double(r.bytesScanned) / 1_048_576
        var summary = "keywarden: \(report.findings.count) finding\(report.findings.count == 1 ? "" : "s") in \(r.filesScanned) file\(r.filesScanned == 1 ? "" : "s") (\(DecimalText.fixed(mb, 1)) MB) in \(DecimalText.fixed(r.seconds, 2)) s"
        if report.ignored > 0 { summary += ", \(report.ignored) ignored" }
        if report.baselined > 0 { summary += ", \(report.baselined) in baseline" }
        if !r.skipped.isEmpty { summary += ", \(r.skipped.count) skipped" }
        if !r.errors.isEmpty { summary += ", \(r.errors.count) error\(r.errors.count == 1 ? "" : "s")" }
        if r.isIncomplete { summary += ", incomplete (a rule gave up on part of a file)" }
        let style: Style = !r.errors.isEmpty || r.isIncomplete || !report.findings.isEmpty ? .red : .green
        lines.append(style.apply(summary, enabled: colour))
        Terminal.warn(lines.joined(separator: "\n"))
    }
}
