import Hashing
import SecretScanner

extension ProjectContext {
    /// `.keywarden-salt` at the root.
    var saltFile: String { root + "/" + FingerprintSalt.fileName }

    /// The fingerprinter of this project: the salt in `.keywarden-salt` at the root (a file that cannot be read
    /// or parsed is an error, exit 2, and nothing is written). Without one, `create` lets the first fingerprint
    /// create it where `.keywardenignore` goes (a run that finds nothing writes nothing); without `create`
    /// (read-only commands), fingerprints use no repository salt (docs/security.md).
    func fingerprinter(create: Bool = true) throws -> Fingerprinter {
        let salt: FingerprintSalt?
        do { salt = try FingerprintSalt.load(path: saltFile) } catch { throw CommandFailure(error.message) }
        if let salt { return Fingerprinter(environment: environment, salt: salt) }
        if create { return Fingerprinter(environment: environment, creatingSaltAt: saltFile) }
        return Fingerprinter(environment: environment)
    }
}

extension Fingerprinter {
    /// Prints what happened to the salt file (created, or could not be) on standard error.
    func printNotes() {
        for note in takeNotes() { Terminal.warn("keywarden: note: \(Terminal.escape(note))") }
    }
}
