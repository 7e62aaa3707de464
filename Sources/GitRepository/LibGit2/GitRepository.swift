internal import CLibGit2
internal import Dispatch
internal import Foundation
import SystemSupport

/// An open git repository: its locations, and the one owner of its libgit2 repository handle.
///
/// In the common case (see ``GitLayout``) the repository is found and its staged changes read without
/// libgit2, which is then loaded only when something needs it: the first use of ``handle`` opens the
/// repository through libgit2 from the same starting point, as ``open(at:environment:currentDirectory:)``
/// would have.
///
/// - Important: a `GitRepository` is confined to one thread (or one task) at a time: libgit2 handles are
///   not safe to share, and its last error is thread-local. To read objects in parallel, open one
///   repository per worker with ``open(at:environment:)``.
public final class GitRepository {
    /// The `git_repository *` this object owns once opened; freed in `deinit`.
    private var openedHandle: OpaquePointer?
    /// How to open it through libgit2 later (nil once open).
    private let deferredOpen: (() throws(GitError) -> Opened)?
    /// The layout found without libgit2 (nil when libgit2 found the repository).
    let layout: GitLayout?

    /// The libgit2 handle, opened (and libgit2 loaded) on first use.
    var handle: OpaquePointer {
        get throws(GitError) {
            if let openedHandle { return openedHandle }
            guard let deferredOpen else { throw GitError(.unavailable, "the repository \(gitDirectory) has no libgit2 handle") }
            try SpecialFiles.refuse(gitDirectory: gitDirectory, commonDirectory: commonDirectory)
            let opened = try deferredOpen()
            // The same repository, or libgit2 and keywarden disagree about which one this is: say so.
            guard PathUtilities.canonical(opened.gitDirectory) == PathUtilities.canonical(gitDirectory),
                  opened.workTreeRoot.map(PathUtilities.canonical) == workTreeRoot.map(PathUtilities.canonical) else {
                kw_git_repository_free(opened.handle)
                throw GitError(.io, "libgit2 opened \(opened.gitDirectory) where keywarden found \(gitDirectory): "
                               + "the repository changed while it was being read")
            }
            openedHandle = opened.handle
            return opened.handle
        }
    }

    /// Whether libgit2 has been loaded for this repository.
    var usesLibgit2: Bool { openedHandle != nil }

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

    /// The git directory shared by linked work trees (the repository's own git directory otherwise), without
    /// a trailing slash.
    public let commonDirectory: String

    /// The object directory (shared by linked work trees), where ``PackedObjects`` finds the packs.
    public var objectsDirectory: String { commonDirectory + "/objects" }

    /// The absolute, symlink-free top of the work tree; nil for a bare repository.
    public let workTreeRoot: String?

    /// The index, loaded on first use and owned (freed) by this object.
    var cachedIndex: OpaquePointer?

    /// True when the repository has no work tree.
    public var isBare: Bool { workTreeRoot == nil }

    /// True for a shallow clone: some commits' parents are not in the repository.
    public var isShallow: Bool {
        if let openedHandle { return kw_git_repository_is_shallow(openedHandle) == 1 }
        var info = stat()
        return stat(commonDirectory + "/shallow", &info) == 0 && info.st_size > 0
    }

    /// The index file this repository reads (`GIT_INDEX_FILE`, or `index` in the git directory).
    let indexPath: String

    /// What libgit2's open gives.
    struct Opened {
        let handle: OpaquePointer
        let gitDirectory: String
        let commonDirectory: String
        let workTreeRoot: String?
        let indexPath: String
    }

    private init(_ opened: Opened) {
        openedHandle = opened.handle
        deferredOpen = nil
        layout = nil
        gitDirectory = opened.gitDirectory
        commonDirectory = opened.commonDirectory
        workTreeRoot = opened.workTreeRoot
        indexPath = opened.indexPath
    }

    private init(_ layout: GitLayout, indexPath: String, open: @escaping () throws(GitError) -> Opened) {
        self.layout = layout
        deferredOpen = open
        gitDirectory = layout.gitDirectory
        commonDirectory = layout.commonDirectory
        workTreeRoot = layout.workTreeRoot
        self.indexPath = indexPath
    }

    deinit {
        if let cachedIndex { kw_git_index_free(cachedIndex) }
        if let openedHandle { kw_git_repository_free(openedHandle) }
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
        try open(at: path, environment: environment, currentDirectory: currentDirectory, withoutLibgit2: true)
    }

    /// `open(at:environment:currentDirectory:)`, with the shortcut without libgit2 allowed or not (tests
    /// compare the two).
    static func open(at path: String?, environment: [String: String]?, currentDirectory: String?,
                     withoutLibgit2: Bool) throws(GitError) -> GitRepository {
        let env = environment ?? ProcessInfo.processInfo.environment
        let cwd = currentDirectory ?? FileManager.default.currentDirectoryPath
        // (`GitLayout` gives nil when GIT_DIR or another discovery variable is set.)
        if withoutLibgit2, let layout = GitLayout.discover(from: searchStart(path, cwd), environment: env) {
            var indexPath = layout.gitDirectory + "/index"
            if let indexFile = env["GIT_INDEX_FILE"], !indexFile.isEmpty {
                indexPath = PathUtilities.absolute(indexFile, relativeTo: cwd)
                try checkIndexFile(indexPath)
            }
            return GitRepository(layout, indexPath: indexPath) { () throws(GitError) -> Opened in
                try openWithLibgit2(at: path, environment: env, currentDirectory: cwd)
            }
        }
        let opened = try openWithLibgit2(at: path, environment: env, currentDirectory: cwd)
        // Found by libgit2 (a discovery variable is set): looked through once it says where the repository is.
        do {
            try SpecialFiles.refuse(gitDirectory: opened.gitDirectory, commonDirectory: opened.commonDirectory)
        } catch {
            kw_git_repository_free(opened.handle)
            throw error
        }
        return GitRepository(opened)
    }

    /// Where discovery starts: `path` (the current directory when nil) made absolute, or the folder holding it
    /// when it is a file.
    private static func searchStart(_ path: String?, _ cwd: String) -> String {
        let start = PathUtilities.absolute(path ?? ".", relativeTo: cwd)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: start, isDirectory: &isDirectory), !isDirectory.boolValue else { return start }
        return (start as NSString).deletingLastPathComponent
    }

    /// Says what is wrong with the file `GIT_INDEX_FILE` names, if anything (libgit2 opens a missing index as
    /// an empty one, which would make every staged file look deleted).
    private static func checkIndexFile(_ absolute: String) throws(GitError) {
        var st = stat()
        if stat(absolute, &st) != 0 {
            throw GitError(.io, "GIT_INDEX_FILE names \(absolute): \(errno == ENOENT ? "no such file" : SystemError.reason(errno))")
        }
        if st.st_mode & S_IFMT == S_IFDIR { throw GitError(.io, "GIT_INDEX_FILE names \(absolute), a directory, not an index file") }
        if st.st_mode & S_IFMT != S_IFREG {
            let kind = RegularFile.notRegularKind(absolute).flatMap { $0 == "a symbolic link" ? nil : $0 } ?? "not a regular file"
            throw GitError(.io, "GIT_INDEX_FILE names \(absolute), \(kind), not an index file")
        }
        if st.st_size == 0 { throw GitError(.io, "GIT_INDEX_FILE names \(absolute), an empty file, not an index file") }
    }

    /// Finds and opens the repository with libgit2 (loading it), by git's rules as described above.
    private static func openWithLibgit2(at path: String?, environment env: [String: String],
                                        currentDirectory cwd: String) throws(GitError) -> Opened {
        try LibGit2.ensureInitialized()
        let gitDirVariable = env["GIT_DIR"].flatMap { $0.isEmpty ? nil : $0 }

        var start: String
        var flags: UInt32 = 0
        if let gitDirVariable {
            start = PathUtilities.absolute(gitDirVariable, relativeTo: cwd)
            flags |= GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
        } else {
            start = searchStart(path, cwd)
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
            try checkIndexFile(absolute)
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
        let common = kw_git_repository_commondir(repository).map { PathUtilities.trimmingTrailingSlash(String(cString: $0)) } ?? gitDir
        owner.release()
        return Opened(handle: repository, gitDirectory: gitDir, commonDirectory: common, workTreeRoot: workTree,
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
        if openedHandle == nil, let layout {
            switch layout.head() {
            case .commit(let id): return id
            case .unborn: return nil
            case .unknown: break
            }
        }
        var oid = git_oid()
        let result = kw_git_reference_name_to_id(&oid, try handle, "HEAD")
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
