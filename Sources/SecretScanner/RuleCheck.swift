public import SecretRules

/// Runs rule examples through the engine.
public enum RuleCheck {
    public struct Outcome: Sendable {
        public var failures: [String] = []
        public var failedRuleIDs: [String] = []
        public var examples = 0
        public var negatives = 0
    }

    /// Runs every example (must be found by its rule) and negative example (must not be) of `set`.
    public static func run(_ set: RuleSet, session: ScanSession, requireExamples: Int) -> Outcome {
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
