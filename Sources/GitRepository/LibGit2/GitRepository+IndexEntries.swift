internal import CLibGit2
internal import Foundation

/// One entry of the index: a path git tracks, with the blob staged for it.
public struct IndexEntry: Sendable, Hashable {
    /// What kind of object the entry records.
    public enum Kind: Sendable, Hashable {
        case file, executable, symbolicLink, submodule
    }

    /// The path relative to the work tree root, with `/` separators.
    public let path: String
    /// The staged object (a blob, or a commit for a submodule).
    public let id: ObjectID
    public let kind: Kind
    /// The merge stage: 0 normally, 1–3 during a conflicted merge.
    public let stage: Int
}

extension GitRepository {
    /// Every entry of the index, in index order (path bytes, then stage); `git ls-files --stage`.
    ///
    /// Honours `GIT_INDEX_FILE` when the repository was opened with it.
    /// - Throws: `.bareRepository` for a bare repository; libgit2 failures reading the index.
    public func indexEntries() throws(GitError) -> [IndexEntry] {
        guard !isBare else {
            throw GitError(.bareRepository, "\(gitDirectory) is a bare repository: it has no index")
        }
        let index = try repositoryIndex()
        let count = kw_git_index_entrycount(index)
        var result: [IndexEntry] = []
        result.reserveCapacity(count)
        for i in 0..<count {
            guard let entry = kw_git_index_get_byindex(index, i), let cPath = entry.pointee.path else { continue }
            let kind: IndexEntry.Kind
            switch entry.pointee.mode {
            case GIT_FILEMODE_BLOB_EXECUTABLE.rawValue: kind = .executable
            case GIT_FILEMODE_LINK.rawValue: kind = .symbolicLink
            case GIT_FILEMODE_COMMIT.rawValue: kind = .submodule
            default: kind = .file
            }
            result.append(IndexEntry(path: String(cString: cPath), id: ObjectID(entry.pointee.id), kind: kind,
                                     stage: Int(kw_git_index_entry_stage(entry))))
        }
        return result
    }

    /// A configuration value as git reads it (repository, global and system files); nil when unset.
    ///
    /// - Parameter path: true to expand a leading `~/` as git does for path-valued settings.
    public func configValue(_ name: String, path: Bool = false) throws(GitError) -> String? {
        var config: OpaquePointer?
        try LibGit2.check(kw_git_repository_config_snapshot(&config, handle), "cannot read the repository's config")
        guard let config else { return nil }
        defer { kw_git_config_free(config) }
        var buffer = git_buf()
        defer { kw_git_buf_dispose(&buffer) }
        let result = path ? kw_git_config_get_path(&buffer, config, name) : kw_git_config_get_string_buf(&buffer, config, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(result, "cannot read \(name) from the repository's config")
        guard let text = buffer.ptr else { return nil }
        return String(cString: text)
    }

    /// The directory git runs hooks from: `core.hooksPath` when set (relative to the work tree root, or
    /// to the git directory in a bare repository, as git takes it), else `hooks` in the common git
    /// directory (shared by linked work trees). Absolute, without a trailing slash; it may not exist.
    public func hooksDirectory() throws(GitError) -> String {
        if let configured = try configValue("core.hooksPath", path: true), !configured.isEmpty {
            let base = workTreeRoot ?? gitDirectory
            return PathUtilities.trimmingTrailingSlash(PathUtilities.absolute(configured, relativeTo: base))
        }
        return commonDirectory + "/hooks"
    }
}
