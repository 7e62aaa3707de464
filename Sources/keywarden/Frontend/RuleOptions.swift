import ArgumentParser
import Foundation
import Hashing
import SecretRules
import SecretScanner
import SystemSupport

/// Options shared by every command that loads rules.
struct RuleOptions: ParsableArguments {
    @Option(name: .long, help: "A rules config (gitleaks/betterleaks TOML schema). Without [extend] useDefault = true it replaces the built-in rules. Default: .keywarden.toml at the work tree root, when present (built-in rules kept).")
    var config: String?

    /// Loads the rules; prints the loader's warnings to standard error.
    func loadRules(_ context: ProjectContext) throws -> RuleSet { try Self.loadRules(config: config, context: context) }

    /// Loads and compiles the rules; reports each rule that does not compile and carries on with the rest.
    /// The built-in rules' PCRE2 patterns are compiled on first use unless `compileEverything` (rules check).
    func compiledRules(_ context: ProjectContext, compileEverything: Bool = false) throws -> CompiledRules {
        try Self.compiledRules(config: config, context: context, compileEverything: compileEverything)
    }

    /// The rules of `config`, else of the project's `.keywarden.toml` (built-in rules kept), else the built-in ones.
    static func loadRules(config: String?, context: ProjectContext, printWarnings: Bool = true) throws -> RuleSet {
        do {
            let set: RuleSet
            if let config {
                set = try RuleLoader.load(configAt: config, cacheDirectory: context.cacheDirectory)
            } else {
                set = try RuleLoader.load(context.settings, cacheDirectory: context.cacheDirectory)
            }
            if printWarnings { for w in set.warnings { Terminal.warn("keywarden: warning: \(w)") } }
            return set
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// `loadRules(config:context:)`, compiled (see the instance method). The matching database is cached in
    /// the context's cache folder, beside the parsed built-in rules.
    /// - Parameter printWarnings: false when the loader's warnings go into the scan's own report instead.
    static func compiledRules(config: String?, context: ProjectContext, compileEverything: Bool = false,
                              printWarnings: Bool = true) throws -> CompiledRules {
        // The matching database these rules used last time loads on another thread while they load here.
        let source = config.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 } ?? context.settings.path ?? ""
        let prefetch = PrefilterPrefetch.start(cacheDirectory: context.cacheDirectory, rules: source)
        let set = try loadRules(config: config, context: context, printWarnings: printWarnings)
        PhaseClock.mark("rules loaded")
        guard !set.rules.isEmpty else {
            throw CommandFailure("\(config ?? context.settings.path ?? "the rules"): no rule is active, so a scan would find nothing "
                                 + "(a config without [extend] useDefault = true replaces the built-in rules)")
        }
        do {
            let line = CompileProgressLine()
            let built = Result { try CompiledRules(set, cacheDirectory: context.cacheDirectory, deferBuiltInPatterns: !compileEverything,
                                                   progress: line?.progress, prefetched: prefetch) }
            line?.finish()
            let compiled = try built.get()
            for p in compiled.problems { Terminal.warn("keywarden: error: \(p); that rule is skipped") }
            return compiled
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}

extension ProjectContext {
    /// The context of this run, from the current directory; a malformed `.keywarden.toml` is an error (exit 2).
    /// - Parameter printWarnings: false when the settings' warnings go into a scan's own report instead.
    static func current(printWarnings: Bool = true) throws -> ProjectContext {
        let context: ProjectContext
        do { context = try ProjectContext.discover(environment: Terminal.environment) } catch { throw CommandFailure("\(error)") }
        if printWarnings { for w in context.settings.warnings { Terminal.warn("keywarden: warning: \(w)") } }
        return context
    }

    /// What the project's settings and the loaded rules warned about, for a scan's report (the summary on
    /// standard error and the JSON report's `summary.warnings`).
    /// The cache folder's warnings (not trusted, cannot be written) are taken here, so they are reported once.
    func configurationWarnings(_ rules: CompiledRules) -> [String] {
        settings.warnings + rules.ruleSet.warnings + CacheFolder.takeWarnings()
    }
}

/// A progress line on standard error while rules compile, shown only on a terminal and only once
/// compiling has taken more than a second (a cached rule set never shows it); cleared when done.
final class CompileProgressLine: @unchecked Sendable {
    let progress = CompileProgress()
    private let done = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    /// Nil when standard error is not a terminal.
    init?() {
        guard Terminal.stderrIsTTY else { return nil }
        let thread = Thread { [self] in
            let start = Date()
            var drawn = false
            // Nothing for the first second, then four times a second until `finish`.
            var wait = DispatchTime.now() + 1.0
            while done.wait(timeout: wait) == .timedOut {
                Terminal.rewriteLine(progress.line(seconds: Int(Date().timeIntervalSince(start))))
                drawn = true
                wait = DispatchTime.now() + 0.25
            }
            if drawn { Terminal.rewriteLine("") }
            stopped.signal()
        }
        thread.start()
    }

    /// Stops the line and clears it; returns once it is cleared.
    func finish() {
        done.signal()
        stopped.wait()
    }
}
