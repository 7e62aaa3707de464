internal import CLibGit2
internal import Foundation

/// An object read raw from the object database; frees it in `deinit`.
final class RawObject {
    /// The libgit2 object that holds `bytes`, or nil when they are a copy of this object's own.
    private let object: OpaquePointer?
    let bytes: UnsafeRawBufferPointer

    /// Nil (the caller keeps ownership) when libgit2 hands out no data for a non-empty object.
    init?(_ object: OpaquePointer) {
        let size = kw_git_odb_object_size(object)
        let data = kw_git_odb_object_data(object)
        guard data != nil || size == 0 else { return nil }
        self.object = object
        bytes = UnsafeRawBufferPointer(start: data, count: size)
    }

    /// A copy of `content` (an object read by ``PackedObjectReader``, whose buffer lasts only for the read).
    init(copying content: UnsafeRawBufferPointer) {
        object = nil
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(content.count, 1), alignment: 1)
        if let base = content.baseAddress, content.count > 0 { copy.baseAddress!.copyMemory(from: base, byteCount: content.count) }
        bytes = UnsafeRawBufferPointer(start: copy.baseAddress, count: content.count)
    }

    deinit {
        if let object { kw_git_odb_object_free(object) } else { bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() } }
    }

    /// Reads object `id` of `type` from `odb`; the error names `what` and the id.
    static func read(_ odb: OpaquePointer, _ id: ObjectID, _ type: git_object_t,
                     _ what: @autoclosure () -> String) -> Result<RawObject, GitError> {
        var oid = id.oid
        var object: OpaquePointer?
        let result = kw_git_odb_read(&object, odb, &oid)
        guard result >= 0, let object else {
            let error = LibGit2.error(result, "cannot read \(what()) \(id.hex)", notFound: .corruptObject)
            return .failure(GitError(.corruptObject, error.message))
        }
        guard kw_git_odb_object_type(object) == type else {
            kw_git_odb_object_free(object)
            return .failure(GitError(.corruptObject, "\(what()) \(id.hex) has the wrong object type"))
        }
        guard let raw = RawObject(object) else {
            kw_git_odb_object_free(object)
            return .failure(GitError(.corruptObject, "\(what()) \(id.hex) has no readable data"))
        }
        return .success(raw)
    }
}

/// Accumulates the change log of a history walk: which blob each commit put at which path (or removed),
/// relative to its first parent. Trees and commits are read raw and compared entry by entry, so
/// unchanged subtrees cost one comparison and nothing is parsed twice.
final class HistoryCollector {
    private let odb: OpaquePointer
    var commitIDs: [ObjectID] = []
    var trees: [ObjectID] = []
    var parentStart: [Int32] = [0]
    var parents: [ObjectID] = []
    var firstParent: [Int32] = []
    var changeStart: [Int32] = [0]
    var changePath: [Int32] = []
    var changeBlob: [Int32] = []
    var paths: [String] = []
    var pathIndex: [String: Int32] = [:]
    var blobs: [ObjectID] = []
    var blobIndex: [ObjectID: Int32] = [:]
    var blobPaths: [[Int32]] = []
    var firstIntroduction: [UInt64: Int32] = [:]
    var errors: [GitError] = []
    var currentCommit: Int32 = 0

    init(repository: OpaquePointer) throws(GitError) {
        var odb: OpaquePointer?
        try LibGit2.check(kw_git_repository_odb(&odb, repository), "cannot open the object database")
        guard let odb else { throw GitError(.io, "cannot open the object database") }
        self.odb = odb
    }

    deinit { kw_git_odb_free(odb) }

    private func read(_ id: ObjectID, _ type: git_object_t, _ what: @autoclosure () -> String) -> RawObject? {
        switch RawObject.read(odb, id, type, what()) {
        case .success(let object): return object
        case .failure(let error): errors.append(error); return nil
        }
    }

    /// The tree and parents of a commit, or nil (error recorded) when it cannot be read.
    func readCommitHeader(_ id: ObjectID) -> (tree: ObjectID, parents: [ObjectID])? {
        guard let raw = read(id, GIT_OBJECT_COMMIT, "commit") else { return nil }
        let b = raw.bytes
        // "tree <40 hex>\n" then zero or more "parent <40 hex>\n" lines.
        guard b.count >= 46, b.starts(with: "tree ".utf8), let tree = ObjectID(hexDigits: UnsafeRawBufferPointer(rebasing: b[5...])) else {
            errors.append(GitError(.corruptObject, "commit \(id.hex) cannot be parsed"))
            return nil
        }
        var parents: [ObjectID] = []
        var at = 46
        while at + 48 <= b.count, b[at...].starts(with: "parent ".utf8), let parent = ObjectID(hexDigits: UnsafeRawBufferPointer(rebasing: b[(at + 7)...])) {
            parents.append(parent)
            at += 48
        }
        return (tree, parents)
    }

    /// Records a change of the path numbered `path` (``pathNumber(_:)``).
    func record(path: Int32, _ blob: ObjectID?) {
        record(path, blob.map { index(blob: $0) } ?? -1)
    }

    /// The number of `path` in the plan (given on first sight).
    func pathNumber(_ path: String) -> Int32 { index(path: path) }

    /// Records a change taken from an earlier walk's snapshot, translating its path and blob numbers.
    func record(previousPath: Int32, previousBlob: Int32, in previous: HistoryPlan.Snapshot) {
        if pathMap.isEmpty { pathMap = [Int32](repeating: -1, count: previous.paths.count) }
        if blobMap.isEmpty { blobMap = [Int32](repeating: -1, count: previous.blobs.count) }
        var p = pathMap[Int(previousPath)]
        if p < 0 { p = index(path: previous.paths[Int(previousPath)]); pathMap[Int(previousPath)] = p }
        var b: Int32 = -1
        if previousBlob >= 0 {
            b = blobMap[Int(previousBlob)]
            if b < 0 { b = index(blob: previous.blobs[Int(previousBlob)]); blobMap[Int(previousBlob)] = b }
        }
        record(p, b)
    }

    private var pathMap: [Int32] = []
    private var blobMap: [Int32] = []

    private func index(path: String) -> Int32 {
        if let known = pathIndex[path] { return known }
        let p = Int32(paths.count); paths.append(path); pathIndex[path] = p
        return p
    }

    private func index(blob: ObjectID) -> Int32 {
        if let known = blobIndex[blob] { return known }
        let b = Int32(blobs.count); blobs.append(blob); blobIndex[blob] = b; blobPaths.append([])
        return b
    }

    private func record(_ p: Int32, _ b: Int32) {
        if b >= 0 {
            let key = UInt64(UInt32(p)) << 32 | UInt64(UInt32(b))
            if firstIntroduction[key] == nil {
                firstIntroduction[key] = currentCommit
                blobPaths[Int(b)].append(p)
            }
        }
        changePath.append(p)
        changeBlob.append(b)
    }

    func plan(tip: ObjectID?, isShallow: Bool, objectsDirectory: String, reused: Int) -> HistoryPlan {
        let list = blobs.indices.map { i in HistoryBlob(id: blobs[i], paths: blobPaths[i].map { paths[Int($0)] }) }
        return HistoryPlan(blobs: list, isShallow: isShallow, tip: tip, errors: errors, reusedCommits: reused,
                           commitIDs: commitIDs, trees: trees, parentStart: parentStart, parents: parents,
                           firstParent: firstParent, changeStart: changeStart,
                           changePath: changePath, changeBlob: changeBlob, paths: paths,
                           blobIndex: blobIndex, pathIndex: pathIndex, firstIntroduction: firstIntroduction,
                           objectsDirectory: objectsDirectory)
    }
}
