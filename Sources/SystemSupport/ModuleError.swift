/// What every module's one error type shares: a code to branch on and a message that names what failed
/// (paths, hosts, rule ids, object ids) and why, never a secret. Printing the error prints its message.
///
/// Each module keeps its own conforming struct (`GitError`, `PatternError`, ...), so a caller still
/// knows from the type which layer failed; only the boilerplate lives here.
public protocol ModuleError: Error, Sendable, CustomStringConvertible {
    associatedtype Code: Sendable
    /// The kind of failure, for callers that branch on it.
    var code: Code { get }
    /// A sentence naming what failed and why; never holds a secret.
    var message: String { get }
}

extension ModuleError {
    /// The message.
    public var description: String { message }
}
