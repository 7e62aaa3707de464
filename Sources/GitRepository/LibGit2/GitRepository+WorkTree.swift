internal import CLibGit2
internal import Foundation
import SystemSupport

/// A file in the work tree that git would consider: tracked, or untracked and not ignored.
public struct WorkTreeFile: Sendable, Hashable {
    /// The path relative to the work tree root, with `/` separators (git's spelling).
    public let path: String
    /// The absolute path (the work tree root joined with `path`).
    public let absolutePath: String
    /// True when the file is in the index.
    public let isTracked: Bool

    public init(path: String, absolutePath: String, isTracked: Bool) {
        self.path = path
        self.absolutePath = absolutePath
        self.isTracked = isTracked
    }
}

/// A repository inside a work tree that a listing does not enter: a submodule (a gitlink in the index)
/// or a nested repository (an untracked, not ignored directory with its own `.git`).
public struct InnerRepository: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case submodule, nestedRepository }
    /// The path relative to the work tree root, with `/` separators.
    public let path: String
    /// The absolute path (the work tree root joined with `path`).
    public let absolutePath: String
    public let kind: Kind
    /// False for a submodule whose directory holds no `.git` (`git submodule update --init` not run).
    public let isCheckedOut: Bool

    public init(path: String, absolutePath: String, kind: Kind, isCheckedOut: Bool) {
        self.path = path
        self.absolutePath = absolutePath
        self.kind = kind
        self.isCheckedOut = isCheckedOut
    }
}

/// The files git would consider under some paths, and the repositories inside them that were not entered.
public struct WorkTreeListing: Sendable {
    /// Sorted by `path` (byte order).
    public var files: [WorkTreeFile]
    /// Sorted by `path` (byte order).
    public var repositories: [InnerRepository]
}

extension GitRepository {
    /// Whether git's ignore rules (`.gitignore` files, `.git/info/exclude`, `core.excludesFile`) ignore
    /// `path`, or a directory above it. Tracked files can still be ignored by pattern; see ``isTracked(_:)``.
    ///
    /// - Parameter path: absolute, or relative to `currentDirectory` (the process's when nil).
    public func isIgnored(_ path: String, currentDirectory: String? = nil) throws(GitError) -> Bool {
        let relative = try relativePath(path, currentDirectory: currentDirectory)
        if relative.isEmpty { return false }
        var info = stat()
        let isDirectory = lstat(workTreeRoot.map { $0 + "/" + relative } ?? relative, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        return try ignoreRules().isIgnored(relative, isDirectory: isDirectory)
    }

    /// git's ignore rules for this work tree (see ``IgnoreRules``: libgit2's own ignore check disagrees
    /// with git on nested negations, and a scanner must not skip a file git would commit).
    public func ignoreRules() throws(GitError) -> IgnoreRules {
        guard let root = workTreeRoot else {
            throw GitError(.bareRepository, "\(gitDirectory) is a bare repository: it has no work tree")
        }
        let common = commonDirectory + "/"
        return IgnoreRules(root: root, commonGitDirectory: common, excludesFile: try configValue("core.excludesFile", path: true),
                           environment: ProcessInfo.processInfo.environment)
    }

    /// Whether `path` is in the index (any stage).
    public func isTracked(_ path: String, currentDirectory: String? = nil) throws(GitError) -> Bool {
        let relative = try relativePath(path, currentDirectory: currentDirectory)
        let index = try repositoryIndex()
        var position = 0
        return kw_git_index_find(&position, index, relative) == 0
    }

    /// The files git would consider under `paths`: tracked files that exist, plus untracked files that no
    /// ignore rule excludes (`git ls-files --cached --others --exclude-standard`, minus deleted files).
    ///
    /// Only regular files are listed: symbolic links, submodules and nested repositories are left out,
    /// and `.git` is never entered. A path named in `paths` that is itself a file is listed even when it
    /// is ignored or untracked, because the user asked for it (unless `includeNamedFiles` is false).
    /// The result is sorted by `path` (byte order), so it is the same on every run.
    ///
    /// - Parameters:
    ///   - paths: files or directories, absolute or relative to `currentDirectory`; empty means the
    ///     whole work tree.
    ///   - currentDirectory: nil means the process's current directory.
    /// - Throws: `.bareRepository` without a work tree; `.outsideWorkTree` for a path outside it;
    ///   `.io` for a path that does not exist.
    public func workTreeFiles(under paths: [String] = [], includeNamedFiles: Bool = true,
                              currentDirectory: String? = nil) throws(GitError) -> [WorkTreeFile] {
        try workTreeListing(under: paths, includeNamedFiles: includeNamedFiles, currentDirectory: currentDirectory).files
    }

    /// ``workTreeFiles(under:includeNamedFiles:currentDirectory:)``, with the submodules and nested
    /// repositories met under `paths` that were not entered (a caller says what was not scanned, or opens
    /// each one as a repository of its own). A submodule whose directory is missing is not listed.
    public func workTreeListing(under paths: [String] = [], includeNamedFiles: Bool = true,
                                currentDirectory: String? = nil) throws(GitError) -> WorkTreeListing {
        guard let root = workTreeRoot else {
            throw GitError(.bareRepository, "\(gitDirectory) is a bare repository: it has no work tree")
        }
        let tracked = try trackedPaths()
        var walker = WorkTreeWalker(rules: try ignoreRules(), root: root, tracked: tracked)
        let starts = try paths.isEmpty ? [""] : paths.map { (p) throws(GitError) in
            try relativePath(p, currentDirectory: currentDirectory)
        }
        for start in Set(starts).sorted() {
            try walker.visit(start, named: includeNamedFiles)
        }
        // Tracked files come out in index order, which is byte order; the few untracked ones are merged in.
        var result: [WorkTreeFile] = []
        result.reserveCapacity(walker.found.count)
        for path in tracked.orderedFiles where walker.found[path] == true {
            result.append(WorkTreeFile(path: path, absolutePath: root + "/" + path, isTracked: true))
        }
        let untracked = walker.found.compactMap { $0.value ? nil : Array($0.key.utf8) }.sorted(by: Self.bytesPrecede)
        if !untracked.isEmpty {
            let extra = untracked.map { bytes -> WorkTreeFile in
                let path = String(decoding: bytes, as: UTF8.self)
                return WorkTreeFile(path: path, absolutePath: root + "/" + path, isTracked: false)
            }
            result = Self.merge(result, extra)
        }
        let inner = walker.repositories.sorted { Self.bytesPrecede(Array($0.key.utf8), Array($1.key.utf8)) }.map { path, kind in
            let absolute = root + "/" + path
            var info = stat()
            return InnerRepository(path: path, absolutePath: absolute, kind: kind, isCheckedOut: lstat(absolute + "/.git", &info) == 0)
        }
        return WorkTreeListing(files: result, repositories: inner)
    }

    static func bytesPrecede(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.lexicographicallyPrecedes(b)
    }

    /// Merges two lists sorted by path bytes.
    static func merge(_ a: [WorkTreeFile], _ b: [WorkTreeFile]) -> [WorkTreeFile] {
        var out: [WorkTreeFile] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if bytesPrecede(Array(b[j].path.utf8), Array(a[i].path.utf8)) { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// The paths in the index: regular files and directories holding them; gitlinks apart.
    func trackedPaths() throws(GitError) -> TrackedPaths {
        let index = try repositoryIndex()
        var result = TrackedPaths()
        let count = kw_git_index_entrycount(index)
        result.files.reserveCapacity(count)
        for i in 0..<count {
            guard let entry = kw_git_index_get_byindex(index, i), let cPath = entry.pointee.path else { continue }
            let path = String(cString: cPath)
            let mode = entry.pointee.mode
            if mode == GIT_FILEMODE_COMMIT.rawValue {
                result.gitlinks.insert(path)
            } else if mode == GIT_FILEMODE_BLOB.rawValue || mode == GIT_FILEMODE_BLOB_EXECUTABLE.rawValue {
                if kw_git_index_entry_stage(entry) > 0, result.files.contains(path) { continue }
                result.files.insert(path)
            } else {
                result.other.insert(path)
                continue
            }
            result.orderedFiles.append(path)
            var utf8 = Substring(path).utf8
            while let slash = utf8.lastIndex(of: UInt8(ascii: "/")) {
                utf8 = utf8[..<slash]
                if !result.directories.insert(String(Substring(utf8))).inserted { break }
            }
        }
        return result
    }

    /// The repository's index (honouring `GIT_INDEX_FILE` when the repository was opened with it).
    /// Owned by the repository; not to be freed.
    func repositoryIndex() throws(GitError) -> OpaquePointer {
        if let cachedIndex { return cachedIndex }
        var index: OpaquePointer?
        let handle = try handle
        let result = kw_git_repository_index(&index, handle)
        if result < 0, let expanded = try Self.expandedSparseIndex(at: indexPath, repository: handle) {
            // libgit2 refuses a sparse index: it gets the expanded copy, for its own lookups too.
            try LibGit2.check(kw_git_repository_set_index(handle, expanded), "cannot use the sparse index of \(gitDirectory)")
            cachedIndex = expanded
            return expanded
        }
        try LibGit2.check(result, "cannot read the index of \(gitDirectory)")
        guard let index else { throw GitError(.io, "cannot read the index of \(gitDirectory)") }
        cachedIndex = index
        return index
    }

    /// `path` relative to the work tree root ("" for the root itself).
    func relativePath(_ path: String, currentDirectory: String?) throws(GitError) -> String {
        guard let root = workTreeRoot else {
            throw GitError(.bareRepository, "\(gitDirectory) is a bare repository: it has no work tree")
        }
        let cwd = currentDirectory ?? FileManager.default.currentDirectoryPath
        let absolute = PathUtilities.absolute(path, relativeTo: cwd)
        // Resolve symlinks in the directory part only, so a named symlink stays itself.
        let parent = (absolute as NSString).deletingLastPathComponent
        let name = (absolute as NSString).lastPathComponent
        let resolvedParent = PathUtilities.canonical(parent)
        let resolved = absolute == "/" ? "/" : (resolvedParent == "/" ? "/" + name : resolvedParent + "/" + name)
        let full = PathUtilities.canonical(resolved) == root ? root : resolved
        if full == root { return "" }
        guard full.hasPrefix(root + "/") else {
            throw GitError(.outsideWorkTree, "\(path) is outside the work tree \(root)")
        }
        return String(full.dropFirst(root.count + 1))
    }
}

/// What the index tracks, by kind.
struct TrackedPaths {
    /// Regular files in index order (byte order), each once.
    var orderedFiles: [String] = []
    var files = Set<String>()
    var directories = Set<String>()
    var gitlinks = Set<String>()
    var other = Set<String>()
}

/// Walks the work tree with `readdir`, asking git's ignore rules only about untracked entries.
private struct WorkTreeWalker {
    let rules: IgnoreRules
    let root: String
    let tracked: TrackedPaths
    var found: [String: Bool] = [:]
    /// Submodules and nested repositories met and not entered.
    var repositories: [String: InnerRepository.Kind] = [:]

    init(rules: IgnoreRules, root: String, tracked: TrackedPaths) {
        self.rules = rules
        self.root = root
        self.tracked = tracked
    }

    mutating func visit(_ start: String, named: Bool) throws(GitError) {
        let absolute = start.isEmpty ? root : root + "/" + start
        var info = stat()
        guard lstat(absolute, &info) == 0 else {
            throw GitError(.io, "\(absolute): \(SystemError.reason(errno))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            if start.isEmpty || tracked.directories.contains(start) {
                try walk(start)
            } else if tracked.gitlinks.contains(start) {
                repositories[start] = .submodule
            } else if Self.isNestedRepository(absolute) {
                repositories[start] = .nestedRepository   // named on the command line: noted even if ignored
            } else if !ignored(start + "/") {
                try walk(start)
            }
        case S_IFREG:
            if tracked.files.contains(start) {
                found[start] = true
            } else if named {
                found[start] = false
            } else if !ignored(start) {
                found[start] = false
            }
        default:
            return
        }
    }

    /// Whether git ignores `relative`; a trailing `/` marks a folder.
    private func ignored(_ relative: String) -> Bool {
        if relative.hasSuffix("/") { return rules.isIgnored(String(relative.dropLast()), isDirectory: true) }
        return rules.isIgnored(relative, isDirectory: false)
    }

    private static func isNestedRepository(_ absolute: String) -> Bool {
        var info = stat()
        return lstat(absolute + "/.git", &info) == 0
    }

    /// Lists `directory` (relative; "" for the root) and everything below it that git would consider,
    /// with the shared ``DirectoryWalker``: tracked directories are entered, untracked ones unless an
    /// ignore rule excludes them; `.git`, submodules and nested repositories are not (the last two are
    /// recorded in `repositories`, a nested repository only when no ignore rule excludes it).
    private mutating func walk(_ directory: String) throws(GitError) {
        let absolute = directory.isEmpty ? root : root + "/" + directory
        try DirectoryWalker.walk(absolute, relative: directory, sorted: false, visit: { (entry) throws(GitError) -> DirectoryWalker.Step in
            if entry.name == ".git" { return .skip }
            let relative = entry.relative
            switch entry.kind {
            case .directory:
                if tracked.directories.contains(relative) { return .enter }
                if tracked.gitlinks.contains(relative) { repositories[relative] = .submodule; return .skip }
                if ignored(relative + "/") { return .skip }
                if Self.isNestedRepository(entry.path) { repositories[relative] = .nestedRepository; return .skip }
                return .enter
            case .regular:
                if tracked.files.contains(relative) {
                    found[relative] = true
                } else if !ignored(relative) {
                    found[relative] = false
                }
                return .skip
            case .symbolicLink, .other:
                return .skip
            }
        }, cannotList: { (path, error) throws(GitError) in
            throw GitError(.io, "cannot list \(path): \(error.reason)")
        })
    }
}
