public import SystemSupport

/// The one error type of the Hygiene module: a code and a message that names the file (never a value).
public struct HygieneError: ModuleError, Equatable {
    public enum Code: String, Sendable {
        /// The path is not inside a git work tree (or is a bare repository).
        case notAWorkTree
        /// `.keywarden.toml` is not valid TOML, or its `[doctor]` table has a wrong value.
        case badConfiguration
        /// A file could not be read or written.
        case io
        /// git (libgit2) failed.
        case git
    }

    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) { (self.code, self.message) = (code, message) }
}
