import ArgumentParser
import Foundation
import SecretRules
import SecretScanner

/// Options shared by every command that loads rules.
struct RuleOptions: ParsableArguments {
    @Option(name: .long, help: "A rules config (gitleaks/betterleaks TOML schema). Without [extend] useDefault = true it replaces the built-in rules. Default: .keywarden.toml at the work tree root, when present (built-in rules kept).")
    var config: String?

    /// Loads the rules; prints the loader's warnings to standard error.
    func loadRules() throws -> RuleSet { try Self.loadRules(config: config) }

    /// Loads and compiles the rules; reports each rule that does not compile and carries on with the rest.
    /// The built-in rules' PCRE2 patterns are compiled on first use unless `compileEverything` (rules check).
    func compiledRules(compileEverything: Bool = false) throws -> CompiledRules {
        try Self.compiledRules(config: config, compileEverything: compileEverything)
    }

    /// The rules of `config`, else of `.keywarden.toml` at the work tree root, else the built-in ones.
    static func loadRules(config: String?) throws -> RuleSet {
        do {
            let set: RuleSet
            if let config {
                set = try RuleLoader.load(configAt: config)
            } else if let project = ProjectConfig.path() {
                set = try RuleLoader.load(projectConfigAt: project)   // .keywarden.toml at the work tree root
            } else {
                set = try RuleLoader.builtIn()
            }
            for w in set.warnings { Terminal.warn("keywarden: warning: \(w)") }
            return set
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// `loadRules(config:)`, compiled (see the instance method). The matching database is cached in the
    /// same folder as the parsed rules (`RuleLoader.cacheDirectory`, set once in `Keywarden.main`).
    static func compiledRules(config: String?, compileEverything: Bool = false) throws -> CompiledRules {
        let set = try loadRules(config: config)
        do {
            let compiled = try CompiledRules(set, cacheDirectory: RuleLoader.cacheDirectory,
                                             deferBuiltInPatterns: !compileEverything)
            for p in compiled.problems { Terminal.warn("keywarden: error: \(p); that rule is skipped") }
            return compiled
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
