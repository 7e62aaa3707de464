internal import CLibGit2
internal import Dispatch
internal import Foundation
import SystemSupport

/// An open git repository: the one owner of a libgit2 repository handle.
///
/// - Important: a `GitRepository` is confined to one thread (or one task) at a time: libgit2 handles are
///   not safe to share, and its last error is thread-local. To read objects in parallel, open one
///   repository per worker with ``open(at:environment:)``.
public final class GitRepository {
    /// The `git_repository *` this object owns; freed in `deinit`.
    let handle: OpaquePointer

    /// Whether the library named `soname` would serve as libgit2 (nil) or why not; loads nothing for later use.
    public static func probeLibrary(_ soname: String) -> String? {
        failureMessage { keywarden_git_probe(soname, $0, $1) == 1 }
    }

    /// Starts loading libgit2 and its one-time set-up on another thread and returns at once. Loading maps
    /// libgit2 and the libraries it needs, and the set-up reads and parses the system's CA certificates
    /// (libgit2 does it whether or not anything is fetched): about 5 ms in all, so a
    /// command that will open a repository calls this first and does its own start-up work (loading the
    /// rules) meanwhile; the first `open` waits for the set-up if it is not done.
    public static func startLibrarySetUp() {
        DispatchQueue.global(qos: .userInitiated).async { try? LibGit2.ensureInitialized() }
    }

    /// The repository's git directory (`.../.git` or the bare repository), without a trailing slash.
    public let gitDirectory: String

    /// The absolute, symlink-free top of the work tree; nil for a bare repository.
    public let workTreeRoot: String?

    /// The index, loaded on first use and owned (freed) by this object.
    var cachedIndex: OpaquePointer?

    /// True when the repository has no work tree.
    public var isBare: Bool { workTreeRoot == nil }

    /// True for a shallow clone: some commits' parents are not in the repository.
    public var isShallow: Bool { kw_git_repository_is_shallow(handle) == 1 }

    /// The index file this repository reads (`GIT_INDEX_FILE`, or `index` in the git directory).
    let indexPath: String

    private init(handle: OpaquePointer, gitDirectory: String, workTreeRoot: String?, indexPath: String) {
        self.handle = handle
        self.gitDirectory = gitDirectory
        self.workTreeRoot = workTreeRoot
        self.indexPath = indexPath
    }

    deinit {
        if let cachedIndex { kw_git_index_free(cachedIndex) }
        kw_git_repository_free(handle)
    }

    /// Opens the repository containing `path` (a file or directory; the current directory when nil),
    /// honouring git's environment like the git command does.
    ///
    /// - `GIT_DIR`: the repository to open; no discovery. Relative to the current directory.
    /// - `GIT_WORK_TREE`: the work tree. Without it, a `GIT_DIR` repository that is not bare and has no
    ///   `core.worktree` uses the current directory as its work tree, as git does.
    /// - `GIT_INDEX_FILE`: the index to use instead of `$GIT_DIR/index` (git sets it for `commit -a`,
    ///   `commit <paths>` and `--amend`).
    /// - `GIT_CEILING_DIRECTORIES`: colon-separated directories discovery does not climb above.
    ///
    /// Linked work trees (`git worktree add`) and `.git` files (submodules) are followed.
    ///
    /// - Parameters:
    ///   - path: where to start looking; relative paths are taken from `currentDirectory`.
    ///   - environment: the variables to honour; nil means this process's environment.
    ///   - currentDirectory: nil means this process's current directory.
    /// - Throws: `GitError` with code `.notARepository` when no repository is found.
    public static func open(at path: String? = nil, environment: [String: String]? = nil,
                            currentDirectory: String? = nil) throws(GitError) -> GitRepository {
        try LibGit2.ensureInitialized()
        let env = environment ?? ProcessInfo.processInfo.environment
        let cwd = currentDirectory ?? FileManager.default.currentDirectoryPath
        let gitDirVariable = env["GIT_DIR"].flatMap { $0.isEmpty ? nil : $0 }

        var start: String
        var flags: UInt32 = 0
        if let gitDirVariable {
            start = PathUtilities.absolute(gitDirVariable, relativeTo: cwd)
            flags |= GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
        } else {
            start = PathUtilities.absolute(path ?? ".", relativeTo: cwd)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: start, isDirectory: &isDirectory), !isDirectory.boolValue {
                start = (start as NSString).deletingLastPathComponent
            }
        }
        let ceilings = env["GIT_CEILING_DIRECTORIES"].flatMap { $0.isEmpty ? nil : $0 }

        var raw: OpaquePointer?
        let result = kw_git_repository_open_ext(&raw, start, flags, ceilings)
        guard result >= 0, let repository = raw else {
            let failure = LibGit2.error(result, "not a git repository (or any parent directory): \(start)",
                                        notFound: .notARepository)
            if result == GIT_ENOTFOUND.rawValue {
                throw GitError(.notARepository, "not a git repository (or any parent directory): \(start)")
            }
            throw failure
        }
        // From here on `owner` frees the handle if anything below throws.
        let owner = HandleOwner(repository)

        // The work tree, by git's rules.
        if let workTree = env["GIT_WORK_TREE"], !workTree.isEmpty {
            let absolute = PathUtilities.absolute(workTree, relativeTo: cwd)
            try LibGit2.check(kw_git_repository_set_workdir(repository, absolute, 0),
                              "cannot use GIT_WORK_TREE \(absolute)")
        } else if gitDirVariable != nil, kw_git_repository_is_bare(repository) == 0,
                  !(try Self.hasConfigEntry(repository, "core.worktree")) {
            try LibGit2.check(kw_git_repository_set_workdir(repository, cwd, 0),
                              "cannot use \(cwd) as the work tree")
        }

        // An alternative index file.
        var indexPath: String?
        if let indexFile = env["GIT_INDEX_FILE"], !indexFile.isEmpty {
            let absolute = PathUtilities.absolute(indexFile, relativeTo: cwd)
            indexPath = absolute
            // libgit2 opens a missing index as an empty one, which would make every staged file look deleted:
            // say what is wrong with the file instead.
            var st = stat()
            if stat(absolute, &st) != 0 {
                throw GitError(.io, "GIT_INDEX_FILE names \(absolute): \(errno == ENOENT ? "no such file" : SystemError.reason(errno))")
            }
            if st.st_mode & S_IFMT == S_IFDIR { throw GitError(.io, "GIT_INDEX_FILE names \(absolute), a directory, not an index file") }
            if st.st_size == 0 { throw GitError(.io, "GIT_INDEX_FILE names \(absolute), an empty file, not an index file") }
            var index: OpaquePointer?
            let opened = kw_git_index_open(&index, absolute)
            if opened < 0, let expanded = try expandedSparseIndex(at: absolute, repository: repository) {
                index = expanded   // a sparse index, which libgit2 refuses: expanded in memory
            } else {
                try LibGit2.check(opened, "cannot read GIT_INDEX_FILE \(absolute)")
            }
            guard let index else { throw GitError(.io, "cannot read GIT_INDEX_FILE \(absolute)") }
            defer { kw_git_index_free(index) }
            kw_git_repository_set_index(repository, index)
        }

        guard let cGitDir = kw_git_repository_path(repository) else { throw GitError(.notARepository, "libgit2 gave no path for the repository") }
        let gitDir = PathUtilities.trimmingTrailingSlash(String(cString: cGitDir))
        var workTree: String?
        if kw_git_repository_is_bare(repository) == 0, let workdir = kw_git_repository_workdir(repository) {
            workTree = PathUtilities.canonical(PathUtilities.trimmingTrailingSlash(String(cString: workdir)))
        }
        owner.release()
        return GitRepository(handle: repository, gitDirectory: gitDir, workTreeRoot: workTree,
                             indexPath: indexPath ?? gitDir + "/index")
    }

    private static func hasConfigEntry(_ repository: OpaquePointer, _ name: String) throws(GitError) -> Bool {
        var config: OpaquePointer?
        try LibGit2.check(kw_git_repository_config_snapshot(&config, repository), "cannot read the repository's config")
        guard let config else { return false }
        defer { kw_git_config_free(config) }
        var entry: UnsafeMutablePointer<git_config_entry>?
        let result = kw_git_config_get_entry(&entry, config, name)
        if let entry { kw_git_config_entry_free(entry) }
        return result == 0
    }

    /// The commit `HEAD` points to; nil when `HEAD` is unborn (no commits yet).
    public func headCommit() throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let result = kw_git_reference_name_to_id(&oid, handle, "HEAD")
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EUNBORNBRANCH.rawValue { return nil }
        try LibGit2.check(result, "cannot resolve HEAD")
        return ObjectID(oid)
    }

    /// Resolves a revision expression (`main`, `HEAD~2`, a sha, `v1.0^{commit}`) to a commit id.
    public func resolveCommit(_ revision: String) throws(GitError) -> ObjectID {
        var object: OpaquePointer?
        try LibGit2.check(kw_git_revparse_single(&object, handle, revision), "unknown revision '\(revision)'",
                          notFound: .invalidRevision)
        guard let object else { throw GitError(.invalidRevision, "unknown revision '\(revision)'") }
        defer { kw_git_object_free(object) }
        var commit: OpaquePointer?
        try LibGit2.check(kw_git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "'\(revision)' is not a commit",
                          notFound: .invalidRevision)
        guard let commit else { throw GitError(.invalidRevision, "'\(revision)' is not a commit") }
        defer { kw_git_object_free(commit) }
        return try ObjectID(kw_git_object_id(commit), of: "'\(revision)'")
    }
}

/// Frees a repository handle unless ownership is handed on with `release()`.
private final class HandleOwner {
    private var handle: OpaquePointer?
    init(_ handle: OpaquePointer) { self.handle = handle }
    func release() { handle = nil }
    deinit { if let handle { kw_git_repository_free(handle) } }
}
