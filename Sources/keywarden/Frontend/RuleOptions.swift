import ArgumentParser
import Foundation
import SecretRules
import SecretScanner

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
        let set = try loadRules(config: config, context: context, printWarnings: printWarnings)
        guard !set.rules.isEmpty else {
            throw CommandFailure("\(config ?? context.settings.path ?? "the rules"): no rule is active, so a scan would find nothing "
                                 + "(a config without [extend] useDefault = true replaces the built-in rules)")
        }
        do {
            let compiled = try CompiledRules(set, cacheDirectory: context.cacheDirectory, deferBuiltInPatterns: !compileEverything)
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
    func configurationWarnings(_ rules: CompiledRules) -> [String] { settings.warnings + rules.ruleSet.warnings }
}
