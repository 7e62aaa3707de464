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
            abstract: "List the rules, or check them against their own examples.",
            subcommands: [List.self, Check.self]
        )
    }
}

extension Keywarden.Rules {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rules in use (built-in, or from --config).")

        @OptionGroup var rules: RuleOptions

        @Option(name: .long, help: "text or json")
        var format: String = "text"

        func run() throws {
            let set = try rules.loadRules(try ProjectContext.current())
            if format == "json" {
                let items: [[String: Any]] = set.rules.map {
                    ["id": $0.id, "provider": $0.provider, "severity": $0.severity.rawValue, "description": $0.description,
                     "source": $0.source.description]
                }
                let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            guard format == "text" else { throw CommandFailure("unknown format '\(format)' (use text or json)") }
            let width = set.rules.map(\.id.count).max() ?? 10
            for r in set.rules {
                let id = r.id.padding(toLength: width, withPad: " ", startingAt: 0)
                print("\(id)  \(r.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(r.provider.padding(toLength: 12, withPad: " ", startingAt: 0))  \(r.description)")
            }
            let providers = Set(set.rules.map(\.provider)).count
            FileHandle.standardError.write(Data("\(set.rules.count) rules, \(providers) providers\n".utf8))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
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
            for line in outcome.failures { print("FAIL \(line)") }
            for line in outcome.warnings { print("WARN \(PrintableText.escape(line))") }
            let failedRules = Set(outcome.failedRuleIDs).count + compiled.problems.count
            print("\(compiled.ruleSet.rules.count) rules, \(outcome.examples) examples, \(outcome.negatives) negative examples: "
                  + "\(compiled.ruleSet.rules.count - failedRules) passed, \(failedRules) failed")
            if failedRules > 0 { throw FindingsExit() }
        }
    }
}

