internal import CLibGit2

/// The staged fast path: the index file read directly, compared with `HEAD` directory by directory,
/// skipping every directory whose cached tree id (the index's `TREE` extension) equals `HEAD`'s.
///
/// After `git add` of a few files only the directories on their paths are invalidated, so a
/// 27,000-entry index costs a parse and a handful of tree reads instead of libgit2's full index load
/// (with checksum) and full tree-to-index diff. Objects are read by keywarden's own reader
/// (``ObjectFiles``) and the added lines found by its own line diff (``LineDiff``), so a repository opened
/// without libgit2 (``GitLayout``) is read without loading it; an object that reader cannot read exactly
/// is read through libgit2. Anything unusual returns nil and the caller takes the libgit2 path:
/// conflicts, split indexes, a sparse directory entry that differs from `HEAD`, both additions and
/// deletions (renames need libgit2's similarity detection), unreadable objects.
extension GitRepository {
    struct StagedEntry {
        let path: String
        let oldID: ObjectID?
        let oldMode: UInt32
        let newID: ObjectID
        let newMode: UInt32
    }

    /// Throws only for an object file a reader would block on (``ObjectFiles/Outcome/damaged(_:)``), which the
    /// libgit2 path must not be given either.
    func stagedFast(pathspec: [String], maxBlobSize: Int = .max) throws(GitError) -> StagedChanges? {
        let objects = StagedObjects(self)
        let staged = stagedFast(pathspec: pathspec, objects: objects, maxBlobSize: maxBlobSize)
        if let damage = objects.damage { throw damage }
        return staged
    }

    private func stagedFast(pathspec: [String], objects: StagedObjects, maxBlobSize: Int) -> StagedChanges? {
        guard let index = IndexFile(contentsOf: indexPath), !index.hasConflicts else { return nil }
        let head: ObjectID?
        do { head = try headCommit() } catch { return nil }
        var walker = StagedWalker(index: index, objects: objects)
        var headTree: ObjectID?
        if let head {
            guard let commit = walker.readCommitTree(head) else { return nil }
            headTree = commit
        }
        guard walker.compare(tree: headTree, cached: index.cachedTree, range: 0..<index.entries.count, prefix: 0),
              !(walker.sawDeletion && walker.changes.contains { $0.oldID == nil }) else { return nil }
        let selected = walker.changes.filter { change in
            pathspec.isEmpty || pathspec.contains { change.path == $0 || change.path.hasPrefix($0 + "/") }
        }
        return buildStaged(selected, objects: objects, maxBlobSize: maxBlobSize)
    }

    private func buildStaged(_ entries: [StagedEntry], objects: StagedObjects, maxBlobSize: Int) -> StagedChanges? {
        var files: [ChangedFile] = []
        var skipped: [SkippedFile] = []
        var errors: [GitError] = []
        for e in entries {
            if e.newMode == 0o160000 { skipped.append(SkippedFile(path: e.path, reason: .submodule)); continue }
            if e.newMode == 0o120000 { skipped.append(SkippedFile(path: e.path, reason: .symlink)); continue }
            guard e.newMode == 0o100644 || e.newMode == 0o100755 else { continue }
            if e.oldID == e.newID { continue }   // a mode change only
            let content: [UInt8]
            switch Result(catching: { () throws(GitError) in try objects.read(e.newID, .blob, sizeLimit: maxBlobSize) }) {
            case .success(.tooLarge(let size)): skipped.append(SkippedFile(path: e.path, reason: .tooLarge(size))); continue
            case .success(.read(let bytes)): content = bytes
            case .success(.unavailable), .success(.damaged): errors.append(GitError(.corruptObject, "cannot read blob \(e.newID.hex)")); continue
            case .failure(let error): errors.append(error); continue
            }
            if let reason = BlobContent.skipReason(content) { skipped.append(SkippedFile(path: e.path, reason: reason)); continue }
            let oldIsFile = e.oldMode == 0o100644 || e.oldMode == 0o100755
            let kind: ChangedFile.Kind = e.oldID == nil ? .added : (oldIsFile ? .modified : .typeChanged)
            var added: [ClosedRange<Int>]?
            if let oldID = e.oldID, oldIsFile {
                switch try? objects.read(oldID, .blob, sizeLimit: maxBlobSize) {
                case .read(let oldContent)?:
                    let ranges = oldContent.withUnsafeBytes { o in content.withUnsafeBytes { n in LineDiff.addedLines(old: o, new: n) } }
                    guard let ranges = ranges ?? lineChanges(from: oldID, to: e.newID) else { return nil }
                    added = ranges
                case .tooLarge?: break   // not inflated for a line diff: every line counts as added
                default: return nil      // the old version cannot be read: the general path says why
                }
            }
            if added == nil {
                let lines = BlobContent.lineCount(content)
                added = lines > 0 ? [1...lines] : []
            }
            guard let added, !added.isEmpty else { continue }
            files.append(ChangedFile(path: e.path, kind: kind, blob: e.newID, content: content, addedLines: added))
        }
        return StagedChanges(files: files, skipped: skipped, errors: errors)
    }

    /// The added line ranges between two blobs (no context), by libgit2, or nil when it cannot compute them.
    func lineChanges(from oldID: ObjectID, to newID: ObjectID) -> [ClosedRange<Int>]? {
        var oldOID = oldID.oid, newOID = newID.oid
        var oldBlob: OpaquePointer?, newBlob: OpaquePointer?
        guard let handle = try? handle else { return nil }
        guard kw_git_blob_lookup(&oldBlob, handle, &oldOID) == 0, kw_git_blob_lookup(&newBlob, handle, &newOID) == 0 else {
            if let oldBlob { kw_git_blob_free(oldBlob) }
            return nil
        }
        defer { kw_git_blob_free(oldBlob); kw_git_blob_free(newBlob) }
        do {
            return try DiffOptions.with(pathspec: []) { (options) throws(GitError) -> [ClosedRange<Int>]? in
                var patch: OpaquePointer?
                // Empty "as" paths: with none, libgit2 names both sides "file" and looks up its diff
                // driver in .gitattributes, which loads the whole index (~55 ms on 27,000 entries).
                guard kw_git_patch_from_blobs(&patch, oldBlob, "", newBlob, "", options) == 0, let patch else { return nil }
                defer { kw_git_patch_free(patch) }
                return Self.hunkRanges(patch)
            }
        } catch { return nil }
    }
}

/// The objects of one staged read: keywarden's own reader first (when the repository was found without
/// libgit2), libgit2's object database (loaded then) for whatever that reader cannot read exactly.
final class StagedObjects {
    private let repository: GitRepository
    private let files: ObjectFiles?
    private var odb: OpaquePointer?
    /// The first object found damaged (a FIFO or device where its file should be): the read fails with it.
    private(set) var damage: GitError?

    init(_ repository: GitRepository) {
        self.repository = repository
        files = repository.layout != nil ? ObjectFiles(objectsDirectory: repository.objectsDirectory) : nil
    }

    deinit { if let odb { kw_git_odb_free(odb) } }

    /// Object `id` of `type`: its content, or its size when that is over `sizeLimit` (nothing inflated).
    /// Never `.unavailable` or `.damaged`: what neither reader can read throws.
    func read(_ id: ObjectID, _ type: PackedObjectReader.ObjectType, sizeLimit: Int = .max) throws(GitError) -> ObjectFiles.Outcome {
        if let files {
            let outcome = files.readObject(id, type: type, sizeLimit: sizeLimit)
            switch outcome {
            case .unavailable: break
            case .damaged(let why):
                let error = GitError(.corruptObject, why)
                damage = damage ?? error
                throw error
            case .read, .tooLarge: return outcome
            }
        }
        if odb == nil {
            var opened: OpaquePointer?
            try LibGit2.check(kw_git_repository_odb(&opened, try repository.handle), "cannot open the object database")
            odb = opened
        }
        guard let odb else { throw GitError(.corruptObject, "cannot open the object database") }
        let gitType: git_object_t
        switch type {
        case .commit: gitType = GIT_OBJECT_COMMIT
        case .tree: gitType = GIT_OBJECT_TREE
        case .blob: gitType = GIT_OBJECT_BLOB
        case .tag: gitType = GIT_OBJECT_TAG
        }
        if sizeLimit < .max {
            let size = try GitRepository.objectSize(odb, id, gitType, type.name)
            if size > sizeLimit { return .tooLarge(size) }
        }
        switch RawObject.read(odb, id, gitType, "object") {
        case .success(let raw): return .read(Array(raw.bytes))
        case .failure(let error): throw error
        }
    }
}

/// Compares `HEAD`'s trees with the index entries, directory by directory.
private struct StagedWalker {
    let index: IndexFile
    let objects: StagedObjects
    var changes: [GitRepository.StagedEntry] = []
    var sawDeletion = false

    init(index: IndexFile, objects: StagedObjects) {
        self.index = index
        self.objects = objects
    }

    private func read(_ id: ObjectID, _ type: PackedObjectReader.ObjectType) -> RawObject? {
        guard case .read(let bytes)? = try? objects.read(id, type) else { return nil }
        return bytes.withUnsafeBytes { RawObject(copying: $0) }
    }

    func readCommitTree(_ id: ObjectID) -> ObjectID? {
        guard let raw = read(id, .commit), raw.bytes.count >= 45, raw.bytes.starts(with: "tree ".utf8) else { return nil }
        return ObjectID(hexDigits: UnsafeRawBufferPointer(rebasing: raw.bytes[5..<45]))
    }

    /// The name component of entry `i` after `prefix` bytes, and whether more path follows (a directory).
    private func component(_ i: Int, _ prefix: Int) -> (name: ArraySlice<UInt8>, isDirectory: Bool) {
        let path = index.path(index.entries[i])
        let rest = path.dropFirst(prefix)
        if let slash = rest.firstIndex(of: 47) { return (rest[rest.startIndex..<slash], true) }
        return (rest, false)
    }

    /// Walks tree `tree` against index entries `range` (all under the same `prefix` bytes).
    /// Returns false when the fast path must give up.
    mutating func compare(tree: ObjectID?, cached: IndexFile.CachedTree?, range: Range<Int>, prefix: Int) -> Bool {
        if let cached, cached.entryCount >= 0, let id = cached.id, id == tree { return true }
        var raw: RawObject?
        if let tree {
            guard let object = read(tree, .tree) else { return false }
            raw = object
        }
        var cursor = TreeCursor(raw?.bytes)
        let bytes = cursor.bytes
        var treeEntry = cursor.next()
        var i = range.lowerBound
        while treeEntry != nil || i < range.upperBound {
            // The next index item: one file, or a directory group.
            var group = i..<i
            var itemName: ArraySlice<UInt8> = []
            var itemIsDirectory = false
            if i < range.upperBound {
                let (name, isDirectory) = component(i, prefix)
                itemName = name; itemIsDirectory = isDirectory
                var j = i + 1
                // A directory whose cached tree is valid covers exactly its entry count: no need to look at each
                // of its entries (the root of a 27,000-entry index is always invalidated by a staged change, and
                // grouping its entries one by one was most of the walk).
                if isDirectory, let known = cached?.child(name), known.entryCount > 0, i + known.entryCount <= range.upperBound,
                   case let last = component(i + known.entryCount - 1, prefix), last.isDirectory, last.name == name,
                   i + known.entryCount == range.upperBound || component(i + known.entryCount, prefix).name != name {
                    j = i + known.entryCount
                } else if isDirectory {
                    while j < range.upperBound {
                        let next = component(j, prefix)
                        guard next.isDirectory, next.name == name else { break }
                        j += 1
                    }
                }
                group = i..<j
            }
            let order: Int
            if let t = treeEntry, !group.isEmpty {
                order = Self.compareNames(bytes, t, itemName, itemIsDirectory)
            } else {
                order = treeEntry == nil ? 1 : -1
            }
            if order < 0, let t = treeEntry {            // only in HEAD: deleted
                sawDeletion = true
                _ = t
                treeEntry = cursor.next()
                continue
            }
            if order > 0 {                               // only in the index: added
                guard addAll(group) else { return false }
                i = group.upperBound
                continue
            }
            guard let t = treeEntry else { return false }
            let path = Array(index.path(index.entries[i]).prefix(prefix)) + Array(itemName)
            if itemIsDirectory, group.count == 1, index.entries[i].isSparseDirectory {
                // A sparse directory entry (a whole tree outside the sparse cone): unchanged when it names
                // HEAD's tree; anything else is left to the general path, which expands it.
                guard t.isTree, t.id(bytes) == index.entries[i].id else { return false }
            } else if t.isTree && itemIsDirectory {
                let child = cached?.child(itemName)
                guard compare(tree: t.id(bytes), cached: child, range: group, prefix: path.count + 1) else { return false }
            } else if !t.isTree && !itemIsDirectory {
                let entry = index.entries[i]
                if entry.intentToAdd { i = group.upperBound; treeEntry = cursor.next(); continue }
                let oldID = t.id(bytes)
                if oldID != entry.id || t.mode != entry.mode {
                    changes.append(.init(path: String(decoding: path, as: UTF8.self), oldID: oldID, oldMode: t.mode,
                                         newID: entry.id, newMode: entry.mode))
                }
            } else {
                // A file became a directory or the other way round.
                sawDeletion = true
                guard addAll(group) else { return false }
            }
            i = group.upperBound
            treeEntry = cursor.next()
        }
        return !cursor.malformed
    }

    private mutating func addAll(_ group: Range<Int>) -> Bool {
        for k in group {
            let entry = index.entries[k]
            if entry.intentToAdd { continue }
            if entry.isSparseDirectory { return false }   // a whole tree added: the general path expands it
            changes.append(.init(path: String(decoding: index.path(entry), as: UTF8.self), oldID: nil, oldMode: 0,
                                 newID: entry.id, newMode: entry.mode))
        }
        return true
    }

    /// git's order between a tree entry and an index item (directories compare as if followed by `/`).
    private static func compareNames(_ bytes: UnsafeRawBufferPointer, _ t: TreeEntry,
                                     _ name: ArraySlice<UInt8>, _ isDirectory: Bool) -> Int {
        let a = UnsafeRawBufferPointer(rebasing: bytes[t.nameStart..<t.nameEnd])
        var k = 0
        var ib = name.startIndex
        while k < a.count, ib < name.endIndex {
            if a[k] != name[ib] { return Int(a[k]) - Int(name[ib]) }
            k += 1; ib += 1
        }
        let ca: Int = k < a.count ? Int(a[k]) : (t.isTree ? 47 : 0)
        let cb: Int = ib < name.endIndex ? Int(name[ib]) : (isDirectory ? 47 : 0)
        return ca - cb
    }
}
