public import SecretRules

/// Runs rule examples through the engine.
public enum RuleCheck {
    public struct Outcome: Sendable {
        public var failures: [String] = []
        /// Lint findings that do not fail the check (nested quantifiers).
        public var warnings: [String] = []
        public var failedRuleIDs: [String] = []
        public var examples = 0
        public var negatives = 0
    }

    /// Runs every example (must be found by its rule) and negative example (must not be) of `set`, and
    /// checks the rules' provider data: each `verifier` is one that `knownVerifiers` holds, each `pair`
    /// names a `[[pairs]]` entry, and each pair has a rule for both of its halves.
    public static func run(_ set: RuleSet, session: ScanSession, requireExamples: Int,
                           knownVerifiers: Set<String>) -> Outcome {
        var out = Outcome()
        let pairs = Dictionary(set.pairs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for pair in set.pairs {
            for role in PairMembership.Role.allCases
            where !set.rules.contains(where: { $0.pair == PairMembership(id: pair.id, role: role) }) {
                out.failures.append("pair \(pair.id) (\(pair.source.file)): no rule finds its \(role.rawValue) half")
                out.failedRuleIDs.append(pair.id)
            }
            if let v = pair.verifier, !knownVerifiers.contains(v) {
                out.failures.append("pair \(pair.id) (\(pair.source.file)): verifier '\(v)' is not one keywarden has")
                out.failedRuleIDs.append(pair.id)
            }
        }
        for rule in set.rules {
            var template = ExampleTemplate(seed: rule.id)
            func fail(_ why: String) {
                out.failures.append("\(rule.id) (\(rule.source)): \(why)")
                out.failedRuleIDs.append(rule.id)
            }
            if rule.examples.count < requireExamples || rule.negativeExamples.count < requireExamples {
                fail("has \(rule.examples.count) examples and \(rule.negativeExamples.count) negative examples; \(requireExamples) of each required")
            }
            if let v = rule.verifier, !knownVerifiers.contains(v) {
                fail("verifier '\(v)' is not one keywarden has (\(knownVerifiers.sorted().joined(separator: ", ")))")
            }
            if let p = rule.pair, pairs[p.id] == nil { fail("pair '\(p.id)' is not defined by a [[pairs]] entry") }
            if let regex = rule.regex, let problem = RegexLint.nestedQuantifier(in: regex) {
                out.warnings.append("\(rule.id) (\(rule.source)): \(problem)")
            }
            let path = rule.examplePath ?? (rule.path == nil ? "example.txt" : nil)
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
