public import SystemSupport

/// An error from compiling or running a pattern. Carries no matched text, so it can never leak a secret.
public struct PatternError: ModuleError {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// The pattern does not compile; `offset` is where in the pattern the compiler stopped.
        case invalidPattern(offset: Int)
        /// The backtracking limit was hit (a pattern too costly for this input).
        case matchLimit
        /// A rule used up its time budget on one input (`RegexBudget`).
        case budget
        /// A Vectorscan database could not be built, loaded or used.
        case engine
    }

    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) { (self.code, self.message) = (code, message) }
}
