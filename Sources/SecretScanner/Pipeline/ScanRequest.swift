public import KeyAge
public import GitRepository
public import Verification

/// What to scan and how: the one description every frontend (`scan`, `hook run`, the pre-commit
/// framework's file lists, `--ci`) builds and hands to `ScanRunner`.
public struct ScanRequest {
    /// The inputs.
    public enum Source {
        /// Files and directories (`-` is not one of them). In a git work tree, unless `useGit` is false,
        /// the files git would consider (tracked, or untracked and not ignored); elsewhere every file.
        case paths([String], useGit: Bool)
        /// Files named one by one (the pre-commit framework's list): each must exist, or it is an error.
        case namedFiles([String])
        /// Standard input, read in windows up to the size limit.
        case standardInput
        /// What is staged for commit (the index against HEAD), optionally limited to paths.
        case staged(paths: [String])
        /// The changes introduced by the commits of `A..B` in the repository at `repository` (nil: here).
        case range(String, repository: String?)
        /// The changes introduced by these commits (a pre-push hook's plan) of the request's open repository.
        case commits([CommitInfo])
        /// Every commit reachable from all references (or from `branch`), each unique blob scanned once.
        case history(branch: String?, repository: String?)
        /// Nothing (a deleted branch in CI), for the reason given.
        case nothing(String)
    }

    /// When the key ledger is read.
    public enum LedgerUse: Sendable {
        /// Only when there are findings to match against it.
        case whenFindings
        /// Always (the hook warns about tracked keys that are due even when nothing was found).
        case always
    }

    public var source: Source
    /// How the result is described to people ("staged changes", "commits A..B").
    public var scope: String
    public var options = ScanOptions()
    /// Follow symbolic links met while walking directories (paths named explicitly are read regardless).
    public var followSymlinks = false
    /// Work-tree scans: enter checked-out submodules and nested repositories (else each is a note).
    public var recurseSubmodules = false
    /// The refs a push sends (`local -> remote`), for the hook's audit log.
    public var pushedRefs: [String] = []
    /// What the settings and rule files warned about (unknown keys, unsupported features): reported with the
    /// scan's own warnings, so that they reach the JSON report too.
    public var configurationWarnings: [String] = []
    /// An already open repository (hooks); else the runner opens the one the source names.
    public var repository: GitRepository?
    /// The staged changes being read on another thread (`scan --staged`); else the runner reads them.
    public var stagedPrefetch: StagedPrefetch?
    /// `.keywardenignore` to apply; nil: none.
    public var ignoreFile: String?
    /// The day against which ignore entries' expiry dates are judged (`KEYWARDEN_TODAY` in tests).
    public var today = CalendarDate.today()
    /// A JSON report whose findings are not reported again (`--baseline`, `[hook] baseline`).
    public var baseline: String?
    /// The key ledger that findings are matched against; nil: none.
    public var ledger: String?
    public var ledgerUse = LedgerUse.whenFindings
    /// Rewrite the old-format (keywarden 0.1) fingerprints that matched findings in the ignore file, the baseline
    /// and the ledger to the salted form (`--migrate-fingerprints`); else each is a warning.
    public var migrateFingerprints = false
    /// Live verification of the findings' keys (`--verify`, `[hook] verify`); nil: not asked.
    public var verification: VerificationSettings?
    /// Where a history scan keeps what it learnt between runs (nil: `--no-cache`, a full scan that writes
    /// nothing).
    public var historyCache: HistoryCacheSettings?
    /// Progress of a history scan, about four times a second from another thread.
    public var historyProgress: (@Sendable (HistoryProgress) -> Void)?
    /// The descriptor standard input is read from (scanned in windows, up to the size limit).
    public var standardInput: Int32 = 0

    public init(_ source: Source, scope: String) {
        self.source = source
        self.scope = scope
    }
}
