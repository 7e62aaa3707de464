public import Foundation
public import GitRepository
public import KeyAge
public import Verification

/// What a scan produced, ready for a report writer: the findings to report (after suppression), the
/// scan's counts and notes, and what the ledger and the providers said about each finding.
public struct ScanOutcome: Sendable {
    /// Findings left after inline allows, the ignore file and the baseline.
    public var findings: [Finding]
    /// Counts, skipped inputs, errors and warnings (its `findings` are every finding before suppression).
    public var result: ScanResult
    /// How the scanned inputs are described to people.
    public var scope: String
    /// Findings suppressed by the ignore file, and by the baseline.
    public var ignored = 0
    public var baselined = 0
    /// Notes per finding, by index ("this is the tracked key `mx-prod`").
    public var notes: [Int: [String]] = [:]
    /// The tracked key a finding's secret is, by finding index: `id`, `provider`, `environment`, `owner`, `current`.
    public var trackedKeys: [Int: [String: String]] = [:]
    /// The ledger, when it was read.
    public var ledger: KeyLedger?
    /// What the provider said about a finding's key, by finding index.
    public var verifications: [Int: VerificationResult] = [:]
}

/// The one scan pipeline: inputs → scan (prefilter, confirm, judge) → suppression → ledger notes →
/// verification. Frontends build a `ScanRequest`, call `run`, and render the outcome; nothing else.
public struct ScanRunner {
    public let session: ScanSession

    public init(session: ScanSession) {
        self.session = session
    }

    /// Runs `request`. Throws only when the scan cannot start (an unreadable ignore file or baseline, a
    /// repository that cannot be opened); problems with single inputs are notes in the outcome.
    public func run(_ request: ScanRequest) throws(ScanError) -> ScanOutcome {
        var suppression = Suppression()
        if let ignoreFile = request.ignoreFile { try suppression.loadIgnoreFile(ignoreFile, today: request.today) }
        if let baseline = request.baseline { try suppression.loadBaseline(baseline) }

        var result = try scan(request)
        result.errors += session.rules.problems.map { ScanNote(.rule, $0) }
        result.warnings = request.configurationWarnings.map { ScanNote(.configuration, $0) } + result.warnings

        let (kept, ignored, baselined, oldFormat) = suppression.apply(result.findings, fingerprinter: session.fingerprinter)
        var outcome = ScanOutcome(findings: kept, result: result, scope: request.scope)
        for e in suppression.expired {
            outcome.result.warnings.append(ScanNote(.configuration, path: request.ignoreFile,
                "ignore entry \(e.fingerprint.prefix(16))… (line \(e.line)\(e.reason.isEmpty ? "" : ", \"\(e.reason)\"")) expired on "
                + "\(e.expires.map { "\($0)" } ?? "?") and no longer suppresses: renew it (keywarden ignore add FINGERPRINT --reason ... "
                + "--expires DATE) or remove it (keywarden ignore remove FINGERPRINT)"))
        }
        outcome.ignored = ignored
        outcome.baselined = baselined
        var ledgerOld = [String: String]()
        if let ledger = request.ledger, request.ledgerUse == .always || !kept.isEmpty {
            ledgerOld = annotateTrackedKeys(&outcome, ledgerPath: ledger)
        }
        handleOldFormat(oldFormat, ledger: ledgerOld, request: request, outcome: &outcome)
        outcome.result.warnings += session.fingerprinter.takeNotes().map { ScanNote(.configuration, $0) }
        if let settings = request.verification, !outcome.findings.isEmpty {
            verify(&outcome, settings: settings)
        }
        return outcome
    }

    // MARK: inputs and scanning

    private func scan(_ request: ScanRequest) throws(ScanError) -> ScanResult {
        switch request.source {
        case .paths(let roots, let useGit):
            var walker = FileWalker(options: .init(followSymlinks: request.followSymlinks))
            // Directories get git's view in a work tree; a path named that is not a directory is read as it is
            // (an ignored file, a FIFO, `/dev/stdin`), whatever git thinks of it.
            let directories = useGit ? roots.filter(FileWalker.isDirectory) : []
            var workTree = FileWalker.gitWorkTreeFiles(under: directories, recurseSubmodules: request.recurseSubmodules)
            workTree.plainRoots = roots.filter { !directories.contains($0) } + workTree.plainRoots
            let files = workTree.entries + walker.files(under: workTree.plainRoots)
            var result = session.scanFiles(files)
            result.errors = workTree.errors + walker.errors + result.errors
            result.skipped = workTree.skipped + walker.skipped + result.skipped
            return result
        case .namedFiles(let names):
            var walker = FileWalker(options: .init())
            let missing = names.filter { access($0, F_OK) != 0 }.map { ScanNote(.missing, path: $0, "no such file") }
            var result = session.scanFiles(walker.files(under: names.filter { access($0, F_OK) == 0 }))
            result.errors = missing + walker.errors + result.errors
            result.skipped = walker.skipped + result.skipped
            return result
        case .standardInput:
            let start = Date()
            var result = ScanResult()
            let scanner = BufferScanner(session.rules, fingerprinter: session.fingerprinter)
            let (content, bytes) = ScanSession.scanDescriptor(request.standardInput, InputContext(path: "<stdin>"), scanner: scanner,
                                                              options: session.options, name: "standard input")
            result.findings = content.findings
            result.skipped = content.skipped
            result.errors = content.errors
            result.warnings = content.warnings + scanner.warnings
            if content.scanned, content.errors.isEmpty || bytes > 0 {
                result.filesScanned = 1
                result.bytesScanned = bytes
            }
            result.seconds = Date().timeIntervalSince(start)
            return result
        case .staged(let paths):
            return try git { () throws(GitError) in
                if let prefetch = request.stagedPrefetch { return session.scanStaged(try prefetch.result().1) }
                return try session.scanStaged(try repository(request, at: nil), paths: paths)
            }
        case .range(let range, let path):
            return try git { () throws(GitError) in
                let repository = try repository(request, at: path)
                return session.scanCommits(repository, try repository.commits(inRange: range))
            }
        case .commits(let commits):
            guard let repository = request.repository else {
                throw ScanError(.git, "a list of commits needs the repository they belong to")
            }
            return session.scanCommits(repository, commits)
        case .history(let branch, let path):
            return try git { () throws(GitError) in
                let repository = try repository(request, at: path)
                let gitDirectory = repository.gitDirectory
                return try session.scanHistory(repository, branch: branch, cache: request.historyCache,
                                              progress: request.historyProgress) { () throws(GitError) in
                    try GitRepository.open(at: gitDirectory, environment: [:])
                }
            }
        case .nothing:
            return ScanResult()
        }
    }

    /// The request's open repository, else the one at `path` (nil: found from the current directory).
    private func repository(_ request: ScanRequest, at path: String?) throws(GitError) -> GitRepository {
        if let open = request.repository { return open }
        return try GitRepository.open(at: path)
    }

    private func git(_ body: () throws(GitError) -> ScanResult) throws(ScanError) -> ScanResult {
        do { return try body() } catch { throw ScanError(.git, error.message) }
    }

    // MARK: ledger notes and verification

    /// Names the tracked key (from the ledger) behind each finding whose fingerprint the ledger knows, in the
    /// current form or keywarden 0.1's; a ledger that cannot be read is a warning. Returns the old-format
    /// fingerprints that matched, each with its current form.
    private func annotateTrackedKeys(_ outcome: inout ScanOutcome, ledgerPath: String) -> [String: String] {
        let loaded: KeyLedger?
        do {
            loaded = try LedgerStore(path: ledgerPath).loadIfPresent()
        } catch {
            outcome.result.warnings.append(ScanNote(.configuration, "key ledger not used: \(error)"))
            return [:]
        }
        guard let keys = loaded else { return [:] }
        outcome.ledger = keys
        var old = [String: String]()
        for (i, f) in outcome.findings.enumerated() {
            var found = ([f.fingerprint] + f.relatedFingerprints).lazy.compactMap({ keys.lookup(fingerprint: $0) }).first
            if found == nil {
                for pair in Suppression.legacyPairs(of: f, session.fingerprinter) {
                    guard let info = keys.lookup(fingerprint: pair.old) else { continue }
                    old[pair.old] = pair.current
                    found = info
                    break
                }
            }
            guard let info = found else { continue }
            outcome.notes[i, default: []].append(info.summary)
            var facts = ["id": info.id, "provider": info.provider, "environment": info.environment,
                         "current": info.isCurrentValue ? "true" : "false"]
            if let owner = info.owner { facts["owner"] = owner }
            outcome.trackedKeys[i] = facts
        }
        return old
    }

    /// Old-format (keywarden 0.1) fingerprints that matched: one warning per file naming it, or, with
    /// `migrateFingerprints`, each rewritten to the salted form (a file that cannot be rewritten is a warning;
    /// its entries keep working this release).
    private func handleOldFormat(_ matches: [Suppression.OldFormatMatch], ledger: [String: String], request: ScanRequest,
                                 outcome: inout ScanOutcome) {
        var ignoreLines = Set<Int>(), ignoreMap = [String: String](), baselineMap = [String: String]()
        for m in matches {
            switch m.place {
            case .ignoreFile(let line):
                ignoreLines.insert(line)
                ignoreMap[m.old] = m.current
            case .baseline:
                baselineMap[m.old] = m.current
            }
        }
        let files: [(path: String?, map: [String: String], what: String)] = [
            (request.ignoreFile, ignoreMap, "ignore entr\(ignoreMap.count == 1 ? "y" : "ies") (line\(ignoreLines.count == 1 ? "" : "s") "
                + ignoreLines.sorted().map(String.init).joined(separator: ", ") + ")"),
            (request.baseline, baselineMap, "baseline finding\(baselineMap.count == 1 ? "" : "s")"),
            (request.ledger, ledger, "ledger fingerprint\(ledger.count == 1 ? "" : "s")"),
        ]
        for (path, map, what) in files where !map.isEmpty {
            guard let path else { continue }
            let count = "\(map.count) \(what)"
            guard request.migrateFingerprints else {
                outcome.result.warnings.append(ScanNote(.configuration, path: path,
                    "\(count) in the old fingerprint form (plain SHA-256, guessable offline) matched and still suppress in this "
                    + "release, not after: rewrite them with `keywarden scan --migrate-fingerprints` and the same arguments"))
                continue
            }
            do {
                if path == request.ledger {
                    try LedgerStore(path: path).update { (l: inout KeyLedger) throws(KeyAgeError) in l.migrateFingerprints(map) }
                } else {
                    _ = try Suppression.migrate(path, replacements: map)
                }
                outcome.result.warnings.append(ScanNote(.configuration, path: path,
                    "rewrote \(count) from the old fingerprint form to the salted one: commit the file"))
            } catch {
                outcome.result.warnings.append(ScanNote(.configuration, path: path,
                    "cannot rewrite \(count) in the old fingerprint form: \(error)"))
            }
        }
    }

    /// Asks each finding's provider whether its key is live; each distinct key once, sent only to its
    /// provider's host. Only the findings of keywarden's own rules (and pairs of them) are sent: a rule
    /// from a scanned repository's config decides what its regex captures, so it could make keywarden send
    /// any text it likes to a provider.
    private func verify(_ outcome: inout ScanOutcome, settings: VerificationSettings) {
        let rules = session.rules.ruleSet.rules
        let userRules = Set(rules.filter { !$0.isBuiltIn }.map(\.id))
        let userPairs = Set(rules.filter { !$0.isBuiltIn }.compactMap { $0.pair?.id })
        let trusted = Set(rules.filter(\.isBuiltIn).map(\.id)).subtracting(userRules)
            .union(Set(session.rules.ruleSet.pairs.map(\.id)).subtracting(userPairs).subtracting(userRules))
        var indices = [Int]()
        var credentials = [Credential]()
        for (i, f) in outcome.findings.enumerated() {
            guard trusted.contains(f.ruleID), let c = f.credential else { continue }
            indices.append(i)
            credentials.append(c)
        }
        guard !credentials.isEmpty else { return }
        let session = VerificationSession(settings: settings)
        for (i, result) in zip(indices, session.verify(credentials)) { outcome.verifications[i] = result }
    }
}

extension Finding {
    /// What to verify for this finding: nil when its rule names no verifier.
    public var credential: Credential? {
        let fingerprint = ([self.fingerprint] + relatedFingerprints).joined(separator: "+")
        switch Verifiers.coverage(verifier: verifier, unverifiable: unverifiableReason) {
        case .none:
            return nil
        case .unverifiable(let provider, let reason):
            return Credential(provider: provider, secret: secret, fingerprint: fingerprint, unverifiableReason: reason)
        case .verifier(let provider):
            return Credential(provider: provider, secret: secret, fingerprint: fingerprint, partnerSecret: partnerSecret,
                              tenant: extra["tenant"], unverifiableReason: secret.isEmpty ? "the secret is not available" : nil)
        }
    }
}
