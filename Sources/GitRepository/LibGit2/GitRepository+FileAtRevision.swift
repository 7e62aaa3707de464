internal import CLibGit2

extension GitRepository {
    /// The bytes of `path` (relative to the repository root) in the tree of `revision`; nil when that tree
    /// has no such file (or it is not a file). Used by `--ci` to read the project's settings as the base
    /// commit had them, not as the pull request changed them.
    public func fileContent(_ path: String, at revision: String) throws(GitError) -> [UInt8]? {
        let commit = try resolveCommit(revision)
        var object: OpaquePointer?
        let result = kw_git_revparse_single(&object, try handle, "\(commit.hex):\(path)")
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(result, "cannot read \(path) at \(revision)", notFound: .invalidRevision)
        guard let object else { return nil }
        defer { kw_git_object_free(object) }
        guard kw_git_object_type(object) == GIT_OBJECT_BLOB else { return nil }
        return try blobContent(try ObjectID(kw_git_object_id(object), of: "\(path) at \(revision)"))
    }
}

extension GitRepository {
    /// A blob's size from its object header, without inflating it (for a packed delta, the size its
    /// delta header declares): a zlib or delta bomb is refused before it takes any memory.
    public func blobSize(_ id: ObjectID) throws(GitError) -> Int {
        var odb: OpaquePointer?
        try LibGit2.check(kw_git_repository_odb(&odb, handle), "cannot open the object database")
        guard let odb else { throw GitError(.corruptObject, "cannot open the object database") }
        defer { kw_git_odb_free(odb) }
        return try Self.objectSize(odb, id, GIT_OBJECT_BLOB, "blob")
    }

    /// The size of object `id` of `type` in `odb`, from its header (nothing inflated); `what` names it in errors.
    static func objectSize(_ odb: OpaquePointer, _ id: ObjectID, _ type: git_object_t, _ what: String) throws(GitError) -> Int {
        var oid = id.oid
        var size = 0
        var found = GIT_OBJECT_INVALID
        try LibGit2.check(kw_git_odb_read_header(&size, &found, odb, &oid), "cannot read the header of \(what) \(id.hex)",
                          notFound: .corruptObject)
        guard found == type else { throw GitError(.corruptObject, "\(id.hex) is not a \(what)") }
        return size
    }
}
