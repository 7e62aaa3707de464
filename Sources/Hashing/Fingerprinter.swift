internal import Synchronization
internal import SystemSupport

/// Turns a secret into its fingerprint: the identity keywarden uses for a secret everywhere
/// (ignore files, baselines, the key ledger, reports), so that the secret itself is never stored.
///
/// A fingerprint is the lowercase hex PBKDF2-HMAC-SHA256 of the secret's UTF-8 bytes, 10,000 rounds, under a
/// salt made of a fixed label and the repository's salt (`.keywarden-salt`, see `FingerprintSalt`), then
/// HMAC-SHA256-keyed with `KEYWARDEN_FINGERPRINT_KEY` when that variable is set. Slow and salted, so that a
/// committed fingerprint of a weak password costs 10,000 rounds per guess and per repository; keyed, so that
/// without the key no guess can be checked at all (docs/security.md).
///
/// The fingerprints of keywarden 0.1 (plain SHA-256, or HMAC-SHA256 with the key) are `legacyFingerprint`:
/// entries written by 0.1 still match for one release, as old-format entries to migrate.
///
/// Each distinct secret is derived once per run: copies of a fingerprinter share one cache, keyed by the
/// secret's SHA-256 (in memory only, never written).
public struct Fingerprinter: Sendable {
    /// The environment variable that holds the optional HMAC key.
    public static let keyVariable = "KEYWARDEN_FINGERPRINT_KEY"
    /// PBKDF2 rounds per fingerprint.
    public static let iterations = 10_000
    /// The fixed start of every salt: names the scheme, so its outputs never collide with another use of PBKDF2.
    static let label = Array("keywarden fingerprint v2".utf8) + [0]

    private let key: [UInt8]?
    private let shared: Shared

    /// A fingerprinter with an explicit key (`nil`: none) and repository salt (`nil`: the label alone, for
    /// places with no repository).
    public init(key: [UInt8]?, salt: FingerprintSalt? = nil) {
        self.key = (key?.isEmpty ?? true) ? nil : key
        shared = Shared(.known(salt))
    }

    /// A fingerprinter configured from `environment` (normally the process environment).
    public init(environment: [String: String], salt: FingerprintSalt? = nil) {
        self.init(key: Self.key(environment), salt: salt)
    }

    /// A fingerprinter for a repository that has no salt file yet: the first fingerprint creates `saltFile`
    /// (a run that finds nothing writes nothing). When it cannot be created, fingerprints use no repository
    /// salt and `takeNotes` says so.
    public init(environment: [String: String], creatingSaltAt saltFile: String) {
        key = Self.key(environment).flatMap { $0.isEmpty ? nil : $0 }
        shared = Shared(.pending(saltFile))
    }

    private static func key(_ environment: [String: String]) -> [UInt8]? { environment[keyVariable].map { Array($0.utf8) } }

    /// True when fingerprints are keyed (HMAC) rather than only salted.
    public var isKeyed: Bool { key != nil }

    /// The fingerprint of `secret`.
    public func fingerprint(_ secret: some StringProtocol) -> String {
        fingerprint(bytes: Array(secret.utf8))
    }

    /// The fingerprint of raw secret bytes.
    public func fingerprint(bytes: [UInt8]) -> String {
        let id = Digest.sha256(bytes)
        if let known = shared.state.withLock({ $0.cache[id] }) { return known }
        return derive([bytes], ids: [id])[0]
    }

    /// Derives the fingerprints of `secrets` (whose SHA-256 digests are `ids`) together and caches them.
    private func derive(_ secrets: [[UInt8]], ids: [[UInt8]]) -> [String] {
        let salt = shared.salt()
        let derived = Digest.pbkdf2SHA256(passwords: secrets, salt: Self.label + (salt?.bytes ?? []), iterations: Self.iterations)
        let out = derived.map { bytes in Hex.encode(key.map { Digest.hmacSHA256(key: $0, message: bytes) } ?? bytes) }
        shared.state.withLock { state in for (id, fingerprint) in zip(ids, out) { state.cache[id] = fingerprint } }
        return out
    }

    /// Derives the fingerprints of those `secrets` not derived yet, so that a buffer holding several secrets
    /// does not wait for each derivation in turn (a pre-commit hook's file with seven keys spent about 7 ms in
    /// them, one after the other): two at a time side by side on one core (`Digest.pbkdf2SHA256(passwords:…)`),
    /// and the pairs on every core (with `onEveryCore` false, on this thread only: the caller is one of several
    /// workers already). Later `fingerprint` calls find them in the cache.
    public func prepare(_ secrets: some Sequence<String>, onEveryCore: Bool = true) {
        var seen = Set<[UInt8]>()
        var pending: [(bytes: [UInt8], id: [UInt8])] = []
        shared.state.withLock { state in
            for secret in secrets {
                let bytes = Array(secret.utf8)
                let id = Digest.sha256(bytes)
                if state.cache[id] == nil, seen.insert(id).inserted { pending.append((bytes, id)) }
            }
        }
        guard !pending.isEmpty else { return }
        let work = pending, pair = 2
        // One worker runs on this thread (WorkerPool), still two derivations side by side.
        WorkerPool(threads: onEveryCore ? 0 : 1, atMost: (work.count + pair - 1) / pair).run(count: work.count, chunk: pair) { _, claim in
            while let range = claim() { _ = derive(work[range].map(\.bytes), ids: work[range].map(\.id)) }
        }
    }

    /// The keywarden 0.1 fingerprint of `secret`: plain SHA-256, or HMAC-SHA256 with the key. Only for
    /// matching entries written before salted fingerprints; never written anew.
    public func legacyFingerprint(_ secret: some StringProtocol) -> String {
        let bytes = Array(secret.utf8)
        if let key { return Hex.encode(Digest.hmacSHA256(key: key, message: bytes)) }
        return Hex.encode(Digest.sha256(bytes))
    }

    /// What happened to the salt file since the last call: "created" or "could not be created" notes.
    public func takeNotes() -> [String] {
        shared.state.withLock { state in
            defer { state.notes = [] }
            return state.notes
        }
    }

    /// True when `text` has the shape of a fingerprint (64 lowercase hex digits).
    public static func isFingerprint(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// State every copy of one fingerprinter shares.
    private final class Shared: Sendable {
        enum Salt { case known(FingerprintSalt?), pending(String) }
        struct State {
            var salt: Salt
            var cache: [[UInt8]: String] = [:]
            var notes: [String] = []
        }
        let state: Mutex<State>

        init(_ salt: Salt) { state = Mutex(State(salt: salt)) }

        /// The repository salt, creating the pending file on first use.
        func salt() -> FingerprintSalt? {
            state.withLock { (state: inout State) -> FingerprintSalt? in
                switch state.salt {
                case .known(let salt):
                    return salt
                case .pending(let path):
                    var resolved: FingerprintSalt?
                    do {
                        let (salt, created) = try FingerprintSalt.create(path: path)
                        resolved = salt
                        if created {
                            state.notes.append("created \(path), the salt of this repository's fingerprints: commit it with .keywardenignore "
                                               + "(without it, others compute other fingerprints)")
                        }
                    } catch {
                        state.notes.append("\(error); this run's fingerprints use no repository salt")
                    }
                    state.salt = .known(resolved)
                    return resolved
                }
            }
        }
    }
}
