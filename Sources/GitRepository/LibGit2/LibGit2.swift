internal import CLibGit2
import SystemSupport

/// The one place that initialises libgit2 and turns its return codes into `GitError`s.
enum LibGit2 {
    /// libgit2 is loaded (dlopen) and `git_libgit2_init()` run once, the first time any repository is
    /// opened; it is never shut down. Nil when ready, else why libgit2 could not be loaded.
    private static let failure: String? = {
        if let why = keywarden_git_load() { return String(cString: why) }
        _ = kw_git_libgit2_init()
        // Scanning reads every blob once; re-hashing each one (SHA-1 with collision detection) costs
        // more than inflating it. git does not verify hashes on read either.
        _ = keywarden_git_set_strict_hash_verification(0)
        // History walks keep their own small cache of recent trees; libgit2's cache, left to fill with
        // every tree and commit, spends its time evicting (scanning its whole table each time).
        _ = keywarden_git_set_cache_object_limit(GIT_OBJECT_TREE, 0)
        _ = keywarden_git_set_cache_object_limit(GIT_OBJECT_COMMIT, 0)
        // Pack files are mapped in windows; a history scan touches every page of every pack once, so
        // without a limit the whole pack stays mapped (and counted in memory) per open repository.
        // Small windows and a mapped-bytes cap keep memory flat whatever the repository's size.
        _ = keywarden_git_set_mwindow_size(Self.packWindowBytes)
        _ = keywarden_git_set_mwindow_mapped_limit(Self.packMappedLimitBytes)
        PhaseClock.mark("libgit2 loaded")
        return nil
    }()

    static let packWindowBytes = 8 << 20
    static let packMappedLimitBytes = 64 << 20

    /// How many CA-certificate loads libgit2 asked of mbedTLS that keywarden's stand-ins answered without
    /// loading anything (CLibGit2's ca_bundle.c): at least 1 once libgit2 built on mbedTLS is initialised.
    static var skippedCertificateLoads: Int { Int(keywarden_git_skipped_ca_loads()) }

    /// Loads and sets up libgit2 (once); throws when it cannot be loaded.
    static func ensureInitialized() throws(GitError) {
        if let failure { throw GitError(.unavailable, failure) }
    }

    /// Throws a `GitError` when `result` is negative, with libgit2's last error message read at once.
    ///
    /// Must be called right after the C call, on the same thread: libgit2's last error is thread-local.
    @inline(__always)
    static func check(_ result: Int32, _ context: @autoclosure () -> String,
                      notFound: GitError.Code = .notFound) throws(GitError) {
        if result < 0 { throw error(result, context(), notFound: notFound) }
    }

    /// The `GitError` for a failed call: libgit2's last error is copied out immediately.
    static func error(_ result: Int32, _ context: String, notFound: GitError.Code = .notFound) -> GitError {
        var detail = ""
        if let last = kw_git_error_last(), let text = last.pointee.message {
            detail = String(cString: text)
        }
        let code: GitError.Code
        switch result {
        case GIT_ENOTFOUND.rawValue: code = notFound
        case GIT_EINVALIDSPEC.rawValue, GIT_EAMBIGUOUS.rawValue: code = .invalidRevision
        case GIT_EBAREREPO.rawValue: code = .bareRepository
        default: code = .libgit2(result)
        }
        return GitError(code, detail.isEmpty ? context : "\(context): \(detail)")
    }
}
