import ArgumentParser
import Foundation
import Hashing
import SecretRules
import SecretScanner

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
            let set = try rules.loadRules()
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
            let environment = ProcessInfo.processInfo.environment
            let compiled = try rules.compiledRules(environment: environment)
            let session = ScanSession(rules: compiled, fingerprinter: Fingerprinter(key: nil), options: ScanOptions())
            let outcome = RuleCheck.run(compiled.ruleSet, session: session, requireExamples: requireExamples)
            for line in outcome.failures { print("FAIL \(line)") }
            let failedRules = Set(outcome.failedRuleIDs).count + compiled.problems.count
            print("\(compiled.ruleSet.rules.count) rules, \(outcome.examples) examples, \(outcome.negatives) negative examples: "
                  + "\(compiled.ruleSet.rules.count - failedRules) passed, \(failedRules) failed")
            if failedRules > 0 { throw FindingsExit() }
        }
    }
}

/// Runs rule examples through the engine.
enum RuleCheck {
    struct Outcome {
        var failures: [String] = []
        var failedRuleIDs: [String] = []
        var examples = 0
        var negatives = 0
    }

    static func run(_ set: RuleSet, session: ScanSession, requireExamples: Int) -> Outcome {
        var out = Outcome()
        for rule in set.rules {
            var template = ExampleTemplate(seed: rule.id)
            func fail(_ why: String) {
                out.failures.append("\(rule.id) (\(rule.source)): \(why)")
                out.failedRuleIDs.append(rule.id)
            }
            if rule.examples.count < requireExamples || rule.negativeExamples.count < requireExamples {
                fail("has \(rule.examples.count) examples and \(rule.negativeExamples.count) negative examples; \(requireExamples) of each required")
            }
            let path = rule.path == nil ? "example.txt" : nil
            for (n, example) in rule.examples.enumerated() {
                out.examples += 1
                do {
                    let text = try template.expand(example)
                    let found = try session.scanBytes(Array(text.utf8), context: InputContext(path: path ?? text), postprocess: false)
                    if !found.contains(where: { $0.ruleID == rule.id }) { fail("example \(n + 1) was not found") }
                } catch {
                    fail("example \(n + 1): \(error)")
                }
            }
            for (n, example) in rule.negativeExamples.enumerated() {
                out.negatives += 1
                do {
                    let text = try template.expand(example, lenient: true)
                    let found = try session.scanBytes(Array(text.utf8), context: InputContext(path: path ?? text), postprocess: false)
                    if found.contains(where: { $0.ruleID == rule.id }) { fail("negative example \(n + 1) was found") }
                } catch {
                    fail("negative example \(n + 1): \(error)")
                }
            }
        }
        return out
    }
}
