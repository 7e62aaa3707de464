internal import CLibGit2
internal import Foundation

/// A sparse index (`index.sparse=true`, the `sdir` extension) for libgit2, which refuses it ("unsupported
/// mandatory extension"): the file is read with ``IndexFile``, each sparse directory entry is expanded
/// into the files of the tree it names, and the result is handed to libgit2 as an in-memory index. The
/// repository then uses it everywhere it would use its index (staged diffs, the work-tree listing,
/// `isTracked`); nothing is written back.
extension GitRepository {
    /// The in-memory, expanded copy of the sparse index at `path`; nil when `path` is not a sparse
    /// index keywarden can read (the caller then reports libgit2's own error). The caller owns it.
    static func expandedSparseIndex(at path: String, repository: OpaquePointer) throws(GitError) -> OpaquePointer? {
        guard let parsed = IndexFile(contentsOf: path), parsed.isSparse else { return nil }
        var created: OpaquePointer?
        try LibGit2.check(kw_git_index_new(&created), "cannot create an index in memory")
        guard let index = created else { throw GitError(.io, "cannot create an index in memory") }
        do {
            for entry in parsed.entries where !entry.intentToAdd {
                let name = String(decoding: parsed.path(entry), as: UTF8.self)
                if entry.isSparseDirectory {
                    try addTree(entry.id, prefix: name, to: index, repository: repository)
                } else {
                    try add(name, id: entry.id, mode: entry.mode, stage: entry.stage, to: index)
                }
            }
        } catch {
            kw_git_index_free(index)
            throw error
        }
        return index
    }

    private static func add(_ path: String, id: ObjectID, mode: UInt32, stage: Int, to index: OpaquePointer) throws(GitError) {
        var entry = git_index_entry()
        entry.mode = mode
        entry.id = id.oid
        entry.flags = UInt16((stage & 3) << Int(GIT_INDEX_ENTRY_STAGESHIFT))
        let result = path.withCString { cPath -> Int32 in
            entry.path = cPath
            return kw_git_index_add(index, &entry)
        }
        try LibGit2.check(result, "cannot read the sparse index entry \(path)")
    }

    /// Adds every file of tree `id` under `prefix` (which ends in `/`).
    private static func addTree(_ id: ObjectID, prefix: String, to index: OpaquePointer,
                                repository: OpaquePointer) throws(GitError) {
        var oid = id.oid
        var tree: OpaquePointer?
        try LibGit2.check(kw_git_tree_lookup(&tree, repository, &oid),
                          "cannot read the tree \(id.hex) of the sparse directory \(prefix)", notFound: .corruptObject)
        guard let tree else { throw GitError(.corruptObject, "cannot read the tree \(id.hex) of \(prefix)") }
        defer { kw_git_tree_free(tree) }
        for i in 0..<kw_git_tree_entrycount(tree) {
            guard let entry = kw_git_tree_entry_byindex(tree, i), let cName = kw_git_tree_entry_name(entry),
                  let entryID = kw_git_tree_entry_id(entry) else { continue }
            let name = prefix + String(cString: cName)
            let mode = kw_git_tree_entry_filemode(entry).rawValue
            if mode == GIT_FILEMODE_TREE.rawValue {
                try addTree(ObjectID(entryID.pointee), prefix: name + "/", to: index, repository: repository)
            } else {
                try add(name, id: ObjectID(entryID.pointee), mode: mode, stage: 0, to: index)
            }
        }
    }
}
