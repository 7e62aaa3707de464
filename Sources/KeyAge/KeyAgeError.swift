public import SystemSupport

/// The one error type of the KeyAge module: a code, a message that never holds a secret, and where the
/// problem is (ledger file and line) when that is known.
public struct KeyAgeError: ModuleError, Equatable {
    /// What went wrong, for callers that branch on it.
    public enum Code: String, Sendable {
        /// The ledger is not valid TOML, or a field has the wrong type or value.
        case malformedLedger
        /// The ledger was written by a newer keywarden (a higher `schema`).
        case unsupportedSchema
        /// The ledger or a file it depends on could not be read or written.
        case io
        /// No key with the given id.
        case unknownKey
        /// A key with the given id already exists.
        case duplicateKey
        /// The same key value is tracked elsewhere (another id, or another environment).
        case reusedKey
        /// A rotation was recorded with the key that was already tracked.
        case unchangedKey
        /// Bad input from the user (a date, an interval, a missing value).
        case invalidInput
    }

    public let code: Code
    public let message: String
    /// The ledger file the problem is in, when it is about a file.
    public let file: String?
    /// The 1-based line in `file`, when known.
    public let line: Int?

    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// `file:line: message`, or the parts of it that are known.
    public var description: String {
        switch (file, line) {
        case let (f?, l?): return "\(f):\(l): \(message)"
        case let (f?, nil): return "\(f): \(message)"
        default: return message
        }
    }
}
