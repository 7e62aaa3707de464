/// The ledger file on disk: reads it, and changes it under an advisory lock with an atomic rewrite, so that
/// concurrent `keywarden keys` runs lose nothing and a reader never sees half a file.
public struct LedgerStore: Sendable {
    /// The ledger file.
    public let path: String

    /// The lock file beside the ledger (`keys.toml.lock`), held across read-modify-write.
    public var lockPath: String { path + ".lock" }

    public init(path: String) { self.path = path }

    /// True when the ledger file exists.
    public var exists: Bool { FileSystem.exists(path) }

    /// Reads and parses the ledger. A missing file is an error (`.io`) naming it.
    public func load() throws(KeyAgeError) -> KeyLedger {
        guard let ledger = try loadIfPresent() else {
            throw KeyAgeError(.io, "no key ledger here; start one with `keywarden keys add`", file: path)
        }
        return ledger
    }

    /// Reads and parses the ledger; nil when the file does not exist.
    public func loadIfPresent() throws(KeyAgeError) -> KeyLedger? {
        guard let bytes = try FileSystem.contents(path: path) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw KeyAgeError(.malformedLedger, "not UTF-8 text", file: path)
        }
        return try KeyLedger.parse(text, file: path)
    }

    /// Locks the ledger, reads it (an empty ledger when there is none yet), lets `change` modify it, and
    /// writes the result back atomically. When `change` or the parse throws, the file is left untouched.
    /// When the ledger comes back unchanged, nothing is written.
    @discardableResult
    public func update<R>(_ change: (inout KeyLedger) throws(KeyAgeError) -> R) throws(KeyAgeError) -> R {
        try FileSystem.makeDirectories(FileSystem.directory(of: path))
        return try FileSystem.withExclusiveLock(path: lockPath) { () throws(KeyAgeError) -> R in
            let before = try loadIfPresent()
            var ledger = before ?? KeyLedger()
            let result = try change(&ledger)
            if ledger != before {
                ledger.schema = KeyLedger.currentSchema
                try FileSystem.writeAtomically(Array(ledger.tomlText.utf8), to: path)
            }
            return result
        }
    }
}
