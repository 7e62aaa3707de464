import ArgumentParser
import SystemSupport
import Foundation
import Hashing
import SecretRules
import SecretScanner
import Verification

extension Keywarden {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "List the rules, or check them against their own examples.",
            subcommands: [List.self, Check.self]
        )
    }
}

extension Keywarden.Rules {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the rules in use (built-in, or from --config).",
            discussion: "--format providers prints the provider table of docs/rules.md (Markdown): each provider's rules, "
                + "forms (prefixed, keyword-anchored, pair), verifier and where its format facts come from."
        )

        @OptionGroup var rules: RuleOptions

        @Option(name: .long, help: "text, json or providers (a Markdown table, one row per provider)")
        var format: String = "text"

        @Option(name: .long, help: "Only the rules of this provider (repeat, or separate with commas; case does not matter).")
        var provider: [String] = []

        func run() throws {
            let set = try rules.loadRules(try ProjectContext.current())
            guard ["text", "json", "providers"].contains(format) else {
                throw CommandFailure("unknown format '\(format)' (use text, json or providers)")
            }
            let selected = try Self.select(set.rules, providers: provider)
            switch format {
            case "json":
                let items: [[String: Any]] = selected.map {
                    var item: [String: Any] = ["id": $0.id, "provider": $0.provider, "severity": $0.severity.rawValue,
                                               "description": $0.description, "source": $0.source.description,
                                               "forms": RuleForm.of($0).map(\.rawValue)]
                    if let v = $0.verifier { item["verifier"] = v }
                    if let r = $0.reference { item["reference"] = r }
                    return item
                }
                let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            case "providers":
                print(ProviderTable.markdown(selected), terminator: "")
            default:
                // A config's rules are the repository's: ids, providers and descriptions are escaped.
                let width = selected.map { Terminal.escape($0.id).count }.max() ?? 10
                for r in selected {
                    let id = Terminal.escape(r.id).padding(toLength: width, withPad: " ", startingAt: 0)
                    Terminal.say("\(id)  \(r.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(Terminal.escape(r.provider).padding(toLength: 12, withPad: " ", startingAt: 0))  \(Terminal.escape(r.description))")
                }
                let providers = Set(selected.map(\.provider)).count
                // A note, not the output: a standard error that cannot be written loses it, never the command.
                Terminal.warn("\(selected.count) rules, \(providers) providers")
            }
        }

        /// The rules of `providers` (all rules when empty); a provider no rule has is an error that names the
        /// providers whose names contain it.
        static func select(_ rules: [Rule], providers: [String]) throws -> [Rule] {
            let wanted = providers.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.isEmpty }
            guard !wanted.isEmpty else { return rules }
            let known = Set(rules.map { $0.provider.lowercased() })
            for name in wanted where !known.contains(name) {
                let near = known.filter { $0.contains(name) || name.contains($0) }.sorted().prefix(8)
                throw CommandFailure("no rule has provider '\(name)'"
                    + (near.isEmpty ? " (keywarden rules list shows the providers)" : "; similar: \(near.joined(separator: ", "))"))
            }
            return rules.filter { wanted.contains($0.provider.lowercased()) }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Run every rule's examples (must be found) and negative examples (must not) through the real engine.",
            discussion: "Exit 0 when every rule passes, 1 when one fails, 2 when the rules cannot be loaded."
        )

        @OptionGroup var rules: RuleOptions

        @Option(name: .long, help: "Fail rules with fewer than N examples and N negative examples.")
        var requireExamples: Int = 0

        func run() throws {
            // Every pattern compiles now, so that a broken one fails the check by rule id and line.
            let compiled = try rules.compiledRules(try ProjectContext.current(), compileEverything: true)
            let session = ScanSession(rules: compiled, fingerprinter: Fingerprinter(key: nil), options: ScanOptions())
            let outcome = RuleCheck.run(compiled.ruleSet, session: session, requireExamples: requireExamples,
                                        knownVerifiers: Set(Verifiers.all.map(\.provider)))
            for line in outcome.failures { Terminal.say("FAIL \(Terminal.escape(line))") }
            for line in outcome.warnings { print("WARN \(PrintableText.escape(line))") }
            let failedRules = Set(outcome.failedRuleIDs).count + compiled.problems.count
            print("\(compiled.ruleSet.rules.count) rules, \(outcome.examples) examples, \(outcome.negatives) negative examples: "
                  + "\(compiled.ruleSet.rules.count - failedRules) passed, \(failedRules) failed")
            if failedRules > 0 { throw FindingsExit() }
        }
    }
}

