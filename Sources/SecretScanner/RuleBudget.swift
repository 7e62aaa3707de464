import Foundation
import PatternMatching

/// How much a rule may spend on one input (issue 14). PCRE2's match limit bounds one match attempt and
/// starts again at every start position, so a catastrophic pattern (`(?:(a|aa)+;|!)` took 8.1 s on an
/// 8.7 KB file) needs a cumulative budget per rule and input as well. A rule from a config gets lower
/// limits than keywarden's own rules, whose patterns are benchmarked.
enum RuleBudget {
    /// PCRE2 limits for config rules (built-in rules: 2,000,000 and 100,000, `MatchScratch`'s defaults).
    static let userMatchLimit: UInt32 = 200_000
    static let userDepthLimit: UInt32 = 20_000

    /// CPU seconds per input: a base plus an amount per MiB of the input.
    static let builtInSeconds = (base: 2.0, perMiB: 2.0)
    static let userSeconds = (base: 0.25, perMiB: 0.25)

    /// Start positions per PCRE2 call: with the match limit, the most one call can cost before the budget
    /// is looked at again.
    static let builtInStartsPerCall = 4096
    static let userStartsPerCall = 64

    /// `KEYWARDEN_RULE_BUDGET_SCALE` multiplies every budget (0.1 shows how close the built-in rules come).
    static let scale: Double = {
        guard let text = ProcessInfo.processInfo.environment["KEYWARDEN_RULE_BUDGET_SCALE"], let value = Double(text),
              value > 0, value.isFinite else { return 1 }
        return value
    }()

    static func seconds(builtIn: Bool, inputBytes: Int) -> Double {
        let (base, perMiB) = builtIn ? builtInSeconds : userSeconds
        return (base + perMiB * Double(inputBytes) / 1_048_576) * scale
    }

    static func make(builtIn: Bool, inputBytes: Int) -> RegexBudget {
        RegexBudget(seconds: seconds(builtIn: builtIn, inputBytes: inputBytes),
                    startsPerCall: builtIn ? builtInStartsPerCall : userStartsPerCall)
    }

    static func describe(_ seconds: Double) -> String {
        seconds >= 1 ? String(format: "%.1f s", seconds) : String(format: "%.0f ms", seconds * 1000)
    }
}
