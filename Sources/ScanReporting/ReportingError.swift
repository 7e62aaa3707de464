public import SystemSupport

/// An error writing a report somewhere other than standard output (the GitHub job summary).
public struct ReportingError: ModuleError {
    public enum Code: String, Sendable {
        /// A file could not be opened or written.
        case cannotWrite
    }

    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) { (self.code, self.message) = (code, message) }
}
