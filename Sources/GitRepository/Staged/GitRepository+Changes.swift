internal import CLibGit2
internal import Foundation
internal import SystemSupport

extension GitRepository {
    /// What is about to be committed: the index's blobs against `HEAD`, not the work tree.
    ///
    /// With partial staging (`git add -p`) the staged version is listed and the unstaged edit is not.
    /// The index is the one named by `GIT_INDEX_FILE` when the repository was opened with it. With no
    /// commits yet every staged file is added; during a merge every file the merge stages is listed.
    /// Renames are detected (git's default 50% similarity), so a renamed file's unchanged lines are not
    /// added lines. Deleted files and files with no added lines are left out; binary files, submodules,
    /// symbolic links, Git LFS pointers and unresolved conflicts are listed in `skipped`.
    ///
    /// - Parameters:
    ///   - paths: limit to these files or directories (absolute, or relative to `currentDirectory`).
    ///   - maxBlobSize: a blob larger than this (by its object header) is listed in `skipped` as
    ///     `.tooLarge` without being inflated.
    /// - Throws: `.bareRepository` for a repository without a work tree; `.outsideWorkTree` for a path
    ///   outside it; libgit2 failures reading `HEAD` or the index.
    public func stagedChanges(paths: [String] = [], currentDirectory: String? = nil,
                              maxBlobSize: Int = .max) throws(GitError) -> StagedChanges {
        guard workTreeRoot != nil else {
            throw GitError(.bareRepository, "\(gitDirectory) is a bare repository: there is no index to scan")
        }
        var pathspec: [String] = []
        for path in paths {
            let relative = try relativePath(path, currentDirectory: currentDirectory)
            if relative.isEmpty { pathspec = []; break }
            pathspec.append(relative)
        }
        // An index that is a FIFO or a device would block libgit2's read of it: an error instead.
        if let kind = RegularFile.blockingKind(indexPath) {
            throw GitError(.io, "the index \(indexPath) is \(kind), not an index file")
        }
        if let fast = try stagedFast(pathspec: pathspec, maxBlobSize: maxBlobSize) {
            return StagedChanges(files: fast.files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) },
                                 skipped: fast.skipped.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) },
                                 errors: fast.errors)
        }
        return try stagedChangesWithLibgit2(pathspec: pathspec, maxBlobSize: maxBlobSize)
    }

    /// The general staged path: libgit2's tree-to-index diff with rename detection.
    func stagedChangesWithLibgit2(pathspec: [String], maxBlobSize: Int = .max) throws(GitError) -> StagedChanges {
        let index = try repositoryIndex()
        let headTree = try headCommit().map { (id) throws(GitError) in try tree(ofCommit: id) }
        defer { if let headTree { kw_git_tree_free(headTree) } }
        let diff = try DiffOptions.with(pathspec: pathspec) { (options) throws(GitError) -> OpaquePointer in
            var diff: OpaquePointer?
            try LibGit2.check(kw_git_diff_tree_to_index(&diff, handle, headTree, index, options),
                              "cannot compare the index with HEAD")
            guard let diff else { throw GitError(.io, "cannot compare the index with HEAD") }
            return diff
        }
        defer { kw_git_diff_free(diff) }
        try findRenames(diff, maxBlobSize: maxBlobSize)
        let collected = collectChanges(diff, otherParentTrees: [], maxBlobSize: maxBlobSize)
        return StagedChanges(files: collected.files, skipped: collected.skipped, errors: collected.errors)
    }

    /// What `commit` introduced relative to its first parent (a root commit: everything it holds).
    ///
    /// For a merge, a file whose new version equals the version in another parent came from that parent
    /// and is left out, so only what the merge itself introduced (conflict resolutions, evil merges)
    /// is listed. A blob over `maxBlobSize` (by its object header) is skipped without being inflated.
    public func changes(in commit: ObjectID, paths: [String] = [], maxBlobSize: Int = .max) throws(GitError) -> CommitChanges {
        let commitHandle = try lookupCommit(commit)
        defer { kw_git_commit_free(commitHandle) }
        let info = try CommitInfo(commit: commitHandle)
        let newTree = try tree(ofCommit: commit)
        defer { kw_git_tree_free(newTree) }
        var parentTrees: [OpaquePointer] = []
        defer { for t in parentTrees { kw_git_tree_free(t) } }
        // At the boundary of a shallow clone the parents are not here: the commit is compared with nothing.
        let atBoundary = kw_git_commit_parentcount(commitHandle) > 0 && isShallow && shallowCommits().contains(commit)
        for i in 0..<(atBoundary ? 0 : kw_git_commit_parentcount(commitHandle)) {
            guard let parentID = kw_git_commit_parent_id(commitHandle, i) else { continue }
            parentTrees.append(try tree(ofCommit: ObjectID(parentID.pointee)))
        }
        let diff = try DiffOptions.with(pathspec: paths) { (options) throws(GitError) -> OpaquePointer in
            var diff: OpaquePointer?
            try LibGit2.check(kw_git_diff_tree_to_tree(&diff, handle, parentTrees.first, newTree, options),
                              "cannot diff commit \(commit.hex) against its parent")
            guard let diff else { throw GitError(.io, "cannot diff commit \(commit.hex)") }
            return diff
        }
        defer { kw_git_diff_free(diff) }
        try findRenames(diff, maxBlobSize: maxBlobSize)
        let collected = collectChanges(diff, otherParentTrees: Array(parentTrees.dropFirst()), maxBlobSize: maxBlobSize)
        return CommitChanges(commit: info, files: collected.files, skipped: collected.skipped, errors: collected.errors,
                             isShallowBoundary: atBoundary)
    }

    // MARK: - Shared pieces

    func lookupCommit(_ id: ObjectID) throws(GitError) -> OpaquePointer {
        var oid = id.oid
        var commit: OpaquePointer?
        try LibGit2.check(kw_git_commit_lookup(&commit, handle, &oid), "cannot read commit \(id.hex)",
                          notFound: .corruptObject)
        guard let commit else { throw GitError(.corruptObject, "cannot read commit \(id.hex)") }
        return commit
    }

    /// The root tree of a commit; the caller frees it.
    func tree(ofCommit id: ObjectID) throws(GitError) -> OpaquePointer {
        let commit = try lookupCommit(id)
        defer { kw_git_commit_free(commit) }
        var tree: OpaquePointer?
        try LibGit2.check(kw_git_commit_tree(&tree, commit), "cannot read the tree of commit \(id.hex)",
                          notFound: .corruptObject)
        guard let tree else { throw GitError(.corruptObject, "cannot read the tree of commit \(id.hex)") }
        return tree
    }

    /// Rename detection for `diff`. libgit2 reads every added and deleted blob whole to compare them; when
    /// one of them is over `maxBlobSize` (by its header) only exact renames are detected (ids compared, no
    /// content read), so an edited rename then counts as an addition: more lines scanned, none lost.
    func findRenames(_ diff: OpaquePointer, maxBlobSize: Int) throws(GitError) {
        var exactOnly = false
        if maxBlobSize < .max {
            let blobMode = UInt16(GIT_FILEMODE_BLOB.rawValue), executableMode = UInt16(GIT_FILEMODE_BLOB_EXECUTABLE.rawValue)
            for i in 0..<kw_git_diff_num_deltas(diff) {
                guard let delta = kw_git_diff_get_delta(diff, i)?.pointee else { continue }
                let file: git_diff_file
                switch delta.status {
                case GIT_DELTA_ADDED: file = delta.new_file
                case GIT_DELTA_DELETED: file = delta.old_file
                default: continue
                }
                guard file.mode == blobMode || file.mode == executableMode else { continue }
                if ((try? oversized(ObjectID(file.id), maxBlobSize)) ?? nil) != nil { exactOnly = true; break }
            }
        }
        try DiffOptions.findRenames(diff, exactOnly: exactOnly)
    }

    /// The size of blob `id` from its object header when it is over `limit` (nil when within it);
    /// nothing is inflated.
    func oversized(_ id: ObjectID, _ limit: Int) throws(GitError) -> Int? {
        guard limit < .max else { return nil }
        let size = try blobSize(id)
        return size > limit ? size : nil
    }

    /// A blob's bytes, copied out.
    public func blobContent(_ id: ObjectID) throws(GitError) -> [UInt8] {
        try withBlob(id) { Array($0) }
    }

    /// Lends a blob's bytes to `body`; they must not escape it.
    public func withBlob<R>(_ id: ObjectID, _ body: (UnsafeRawBufferPointer) throws(GitError) -> R) throws(GitError) -> R {
        var oid = id.oid
        var blob: OpaquePointer?
        try LibGit2.check(kw_git_blob_lookup(&blob, handle, &oid), "cannot read blob \(id.hex)", notFound: .corruptObject)
        guard let blob else { throw GitError(.corruptObject, "cannot read blob \(id.hex)") }
        defer { kw_git_blob_free(blob) }
        let size = Int(kw_git_blob_rawsize(blob))
        let content = kw_git_blob_rawcontent(blob)
        guard content != nil || size == 0 else { throw GitError(.corruptObject, "blob \(id.hex) has no readable data") }
        return try body(UnsafeRawBufferPointer(start: content, count: size))
    }

    private func collectChanges(_ diff: OpaquePointer, otherParentTrees: [OpaquePointer], maxBlobSize: Int)
        -> (files: [ChangedFile], skipped: [SkippedFile], errors: [GitError]) {
        var files: [ChangedFile] = []
        var skipped: [SkippedFile] = []
        var errors: [GitError] = []
        let blobMode = UInt16(GIT_FILEMODE_BLOB.rawValue), executableMode = UInt16(GIT_FILEMODE_BLOB_EXECUTABLE.rawValue)
        for i in 0..<kw_git_diff_num_deltas(diff) {
            guard let delta = kw_git_diff_get_delta(diff, i)?.pointee, let cPath = delta.new_file.path else { continue }
            let path = String(cString: cPath)
            let kind: ChangedFile.Kind
            switch delta.status {
            case GIT_DELTA_ADDED: kind = .added
            case GIT_DELTA_MODIFIED: kind = .modified
            case GIT_DELTA_RENAMED: kind = .renamed
            case GIT_DELTA_COPIED: kind = .copied
            case GIT_DELTA_TYPECHANGE: kind = .typeChanged
            case GIT_DELTA_CONFLICTED:
                skipped.append(SkippedFile(path: path, reason: .conflict)); continue
            default: continue
            }
            let newMode = delta.new_file.mode
            if newMode == UInt16(GIT_FILEMODE_COMMIT.rawValue) {
                skipped.append(SkippedFile(path: path, reason: .submodule)); continue
            }
            if newMode == UInt16(GIT_FILEMODE_LINK.rawValue) {
                skipped.append(SkippedFile(path: path, reason: .symlink)); continue
            }
            guard newMode == blobMode || newMode == executableMode else { continue }
            let blob = ObjectID(delta.new_file.id)
            // In a merge, a version taken whole from another parent was introduced there, not here.
            if otherParentTrees.contains(where: { Self.tree($0, has: blob, at: path) }) { continue }
            let content: [UInt8]
            do {
                if let size = try oversized(blob, maxBlobSize) { skipped.append(SkippedFile(path: path, reason: .tooLarge(size))); continue }
                content = try blobContent(blob)
            } catch { errors.append(error); continue }
            if let reason = BlobContent.skipReason(content) {
                skipped.append(SkippedFile(path: path, reason: reason)); continue
            }
            let oldMode = delta.old_file.mode
            let oldWasText = oldMode == blobMode || oldMode == executableMode
            var added: [ClosedRange<Int>] = []
            // An old version over the limit is not inflated for a line diff: every line counts as added.
            let oldTooLarge = oldWasText && ((try? oversized(ObjectID(delta.old_file.id), maxBlobSize)) ?? nil) != nil
            if kind == .added || kind == .typeChanged || !oldWasText || oldTooLarge {
                let lines = BlobContent.lineCount(content)
                if lines > 0 { added = [1...lines] }
            } else {
                guard let ranges = lineChanges(from: ObjectID(delta.old_file.id), to: blob) else {
                    errors.append(GitError(.corruptObject, "cannot compare the versions of \(path)")); continue
                }
                added = ranges
            }
            if added.isEmpty { continue }
            let oldPath = (kind == .renamed || kind == .copied) ? delta.old_file.path.map { String(cString: $0) } : nil
            files.append(ChangedFile(path: path, oldPath: oldPath, kind: kind, blob: blob, content: content, addedLines: added))
        }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        skipped.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return (files, skipped, errors)
    }

    /// The new-side line ranges of a patch's hunks, merged when adjacent.
    static func hunkRanges(_ patch: OpaquePointer) -> [ClosedRange<Int>] {
        var ranges: [ClosedRange<Int>] = []
        for h in 0..<kw_git_patch_num_hunks(patch) {
            var hunk: UnsafePointer<git_diff_hunk>?
            var count = 0
            guard kw_git_patch_get_hunk(&hunk, &count, patch, h) == 0, let hunk else { continue }
            let start = Int(hunk.pointee.new_start), length = Int(hunk.pointee.new_lines)
            guard length > 0 else { continue }
            let range = start...(start + length - 1)
            if let last = ranges.last, last.upperBound + 1 >= range.lowerBound {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        return ranges
    }

    /// Whether `tree` holds blob `blob` at `path`.
    static func tree(_ tree: OpaquePointer, has blob: ObjectID, at path: String) -> Bool {
        var entry: OpaquePointer?
        guard kw_git_tree_entry_bypath(&entry, tree, path) == 0, let entry else { return false }
        defer { kw_git_tree_entry_free(entry) }
        guard let id = kw_git_tree_entry_id(entry) else { return false }
        return ObjectID(id.pointee) == blob
    }
}

/// Builds `git_diff_options` for scanning: no context lines, text forced (binary is judged by content),
/// type changes kept as one entry, literal pathspecs.
enum DiffOptions {
    static func with<R>(pathspec: [String], _ body: (UnsafePointer<git_diff_options>) throws(GitError) -> R) throws(GitError) -> R {
        var options = git_diff_options()
        kw_git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        options.context_lines = 0
        options.interhunk_lines = 0
        options.flags = GIT_DIFF_FORCE_TEXT.rawValue | GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
            | GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
        let cStrings = pathspec.map { strdup($0) }
        defer { for s in cStrings { free(s) } }
        var pointers = cStrings
        return try pointers.withUnsafeMutableBufferPointer { (buffer) throws(GitError) -> R in
            options.pathspec = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return try withUnsafePointer(to: &options) { (pointer) throws(GitError) -> R in try body(pointer) }
        }
    }

    /// Turns add/delete pairs into renames (git's default threshold; exact renames are cheap).
    /// - Parameter exactOnly: only pairs with the same blob id (no blob is read).
    static func findRenames(_ diff: OpaquePointer, exactOnly: Bool = false) throws(GitError) {
        var find = git_diff_find_options()
        kw_git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION))
        find.flags = GIT_DIFF_FIND_RENAMES.rawValue | (exactOnly ? GIT_DIFF_FIND_EXACT_MATCH_ONLY.rawValue : 0)
        try LibGit2.check(kw_git_diff_find_similar(diff, &find), "cannot detect renames")
    }
}
