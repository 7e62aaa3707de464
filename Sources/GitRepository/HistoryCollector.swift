internal import CLibGit2
internal import Foundation

/// An object read raw from the object database; frees it in `deinit`.
final class RawObject {
    private let object: OpaquePointer
    let bytes: UnsafeRawBufferPointer

    init(_ object: OpaquePointer) {
        self.object = object
        bytes = UnsafeRawBufferPointer(start: git_odb_object_data(object), count: git_odb_object_size(object))
    }

    deinit { git_odb_object_free(object) }

    /// Reads object `id` of `type` from `odb`; the error names `what` and the id.
    static func read(_ odb: OpaquePointer, _ id: ObjectID, _ type: git_object_t,
                     _ what: @autoclosure () -> String) -> Result<RawObject, GitError> {
        var oid = id.oid
        var object: OpaquePointer?
        let result = git_odb_read(&object, odb, &oid)
        guard result >= 0, let object else {
            let error = LibGit2.error(result, "cannot read \(what()) \(id.hex)", notFound: .corruptObject)
            return .failure(GitError(.corruptObject, error.message))
        }
        guard git_odb_object_type(object) == type else {
            git_odb_object_free(object)
            return .failure(GitError(.corruptObject, "\(what()) \(id.hex) has the wrong object type"))
        }
        return .success(RawObject(object))
    }
}

/// Accumulates the change log of a history walk: which blob each commit put at which path (or removed),
/// relative to its first parent. Trees and commits are read raw and compared entry by entry, so
/// unchanged subtrees cost one comparison and nothing is parsed twice.
final class HistoryCollector {
    private let odb: OpaquePointer
    var commitIDs: [ObjectID] = []
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
        try LibGit2.check(git_repository_odb(&odb, repository), "cannot open the object database")
        guard let odb else { throw GitError(.io, "cannot open the object database") }
        self.odb = odb
    }

    deinit { git_odb_free(odb) }

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

    func record(_ path: String, _ blob: ObjectID?) {
        let p: Int32
        if let known = pathIndex[path] { p = known } else {
            p = Int32(paths.count); paths.append(path); pathIndex[path] = p
        }
        var b: Int32 = -1
        if let blob {
            if let known = blobIndex[blob] { b = known } else {
                b = Int32(blobs.count); blobs.append(blob); blobIndex[blob] = b; blobPaths.append([])
            }
            let key = UInt64(UInt32(p)) << 32 | UInt64(UInt32(b))
            if firstIntroduction[key] == nil {
                firstIntroduction[key] = currentCommit
                blobPaths[Int(b)].append(p)
            }
        }
        changePath.append(p)
        changeBlob.append(b)
    }

    /// Records a worker's changes, commit by commit, in order.
    func append(_ output: TreeDiffer.Output) {
        var k = 0
        for commit in output.commits {
            currentCommit = Int32(commit)
            while k < output.changes.count, output.changes[k].commit == commit {
                record(output.changes[k].path, output.changes[k].blob)
                k += 1
            }
            changeStart.append(Int32(changePath.count))
        }
        errors += output.errors
    }

    func plan(tip: ObjectID?, isShallow: Bool, objectsDirectory: String) -> HistoryPlan {
        let order = PackOrder(objectsDirectory: objectsDirectory)
        let sorted = order.readingOrder(blobs)
        let list = sorted.map { i in HistoryBlob(id: blobs[i], paths: blobPaths[i].map { paths[Int($0)] }) }
        return HistoryPlan(blobs: list, isShallow: isShallow, tip: tip, errors: errors,
                           commitIDs: commitIDs, firstParent: firstParent, changeStart: changeStart,
                           changePath: changePath, changeBlob: changeBlob, paths: paths,
                           blobIndex: blobIndex, pathIndex: pathIndex, firstIntroduction: firstIntroduction)
    }
}

/// Finds what each commit changed relative to its first parent, on one worker: trees are read raw
/// and compared entry by entry, so an unchanged subtree costs one comparison.
final class TreeDiffer {
    struct Output: Sendable {
        var commits: Range<Int> = 0..<0
        var changes: [(commit: Int, path: String, blob: ObjectID?)] = []
        var errors: [GitError] = []
    }

    private let odb: OpaquePointer
    private var output = Output()
    private var currentCommit = 0

    init(odb: OpaquePointer) { self.odb = odb }

    func run(commits: Range<Int>, treeIDs: [ObjectID], firstParent: [Int32]) -> Output {
        output = Output(commits: commits)
        for c in commits {
            currentCommit = c
            let parent = Int(firstParent[c])
            let parentTree = parent >= 0 ? treeIDs[parent] : nil
            if parentTree != treeIDs[c] {
                diff(old: parentTree.flatMap { readTree($0, "") }, new: readTree(treeIDs[c], ""), prefix: "")
            }
        }
        return output
    }

    private func record(_ path: String, _ blob: ObjectID?) {
        output.changes.append((currentCommit, path, blob))
    }

    /// Recently read trees, in two generations: a commit's trees are read again as its child's
    /// parent trees, usually a few commits later. Bounded: at most 2 × `treeCacheLimit` trees.
    private var recentTrees: [ObjectID: RawObject] = [:]
    private var olderTrees: [ObjectID: RawObject] = [:]
    private let treeCacheLimit = 4096

    func readTree(_ id: ObjectID, _ path: String) -> RawObject? {
        if let tree = recentTrees[id] { return tree }
        if let tree = olderTrees[id] { recentTrees[id] = tree; return tree }
        let tree: RawObject
        switch RawObject.read(odb, id, GIT_OBJECT_TREE, path.isEmpty ? "root tree" : "tree '\(path)'") {
        case .success(let object): tree = object
        case .failure(let error): output.errors.append(error); return nil
        }
        if recentTrees.count >= treeCacheLimit {
            olderTrees = recentTrees
            recentTrees = [:]
        }
        recentTrees[id] = tree
        return tree
    }

    /// Records what changed from tree `old` to tree `new` (either may be nil).
    func diff(old: RawObject?, new: RawObject?, prefix: String) {
        var a = TreeCursor(old?.bytes), b = TreeCursor(new?.bytes)
        var x = a.next(), y = b.next()
        while x != nil || y != nil {
            if let ex = x, let ey = y {
                if ex.sameRecord(as: ey, a.bytes, b.bytes) { x = a.next(); y = b.next(); continue }
                let order = TreeEntry.compare(ex, a.bytes, ey, b.bytes)
                if order == 0 {
                    changed(ex, a.bytes, ey, b.bytes, prefix)
                    x = a.next(); y = b.next()
                } else if order < 0 {
                    removed(ex, a.bytes, prefix); x = a.next()
                } else {
                    added(ey, b.bytes, prefix); y = b.next()
                }
            } else if let ex = x {
                removed(ex, a.bytes, prefix); x = a.next()
            } else if let ey = y {
                added(ey, b.bytes, prefix); y = b.next()
            }
        }
        if a.malformed || b.malformed {
            output.errors.append(GitError(.corruptObject, "a tree under '\(prefix)' cannot be parsed"))
        }
    }

    private func added(_ e: TreeEntry, _ bytes: UnsafeRawBufferPointer, _ prefix: String) {
        let path = prefix + e.name(bytes)
        if e.isTree {
            diff(old: nil, new: readTree(e.id(bytes), path), prefix: path + "/")
        } else if e.isFile {
            record(path, e.id(bytes))
        }
    }

    private func removed(_ e: TreeEntry, _ bytes: UnsafeRawBufferPointer, _ prefix: String) {
        let path = prefix + e.name(bytes)
        if e.isTree {
            diff(old: readTree(e.id(bytes), path), new: nil, prefix: path + "/")
        } else if e.isFile {
            record(path, nil)
        }
    }

    private func changed(_ old: TreeEntry, _ oldBytes: UnsafeRawBufferPointer,
                         _ new: TreeEntry, _ newBytes: UnsafeRawBufferPointer, _ prefix: String) {
        let path = prefix + new.name(newBytes)
        let newID = new.id(newBytes), oldID = old.id(oldBytes)
        if new.isTree {
            if old.isTree {
                if oldID != newID { diff(old: readTree(oldID, path), new: readTree(newID, path), prefix: path + "/") }
            } else {
                if old.isFile { record(path, nil) }
                diff(old: nil, new: readTree(newID, path), prefix: path + "/")
            }
        } else {
            if old.isTree { diff(old: readTree(oldID, path), new: nil, prefix: path + "/") }
            if new.isFile {
                if !(old.isFile && oldID == newID) { record(path, newID) }
            } else if old.isFile || old.isTree {
                // A symbolic link or submodule replaces what was there; it is not scanned.
                record(path, nil)
            }
        }
    }

}

/// One entry of a raw tree object: `<octal mode> <name>\0<20-byte id>`, by offsets into its bytes.
struct TreeEntry {
    let start: Int
    let mode: UInt32
    let nameStart: Int
    let nameEnd: Int
    var end: Int { nameEnd + 21 }

    var isTree: Bool { mode == 0o040000 }
    var isFile: Bool { mode == 0o100644 || mode == 0o100755 || mode == 0o100664 }

    func name(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd]), as: UTF8.self)
    }

    func id(_ bytes: UnsafeRawBufferPointer) -> ObjectID {
        ObjectID(bytes: UnsafeRawBufferPointer(rebasing: bytes[(nameEnd + 1)..<(nameEnd + 21)]))
    }

    /// Same mode, name and id: the whole record is byte-identical.
    func sameRecord(as other: TreeEntry, _ mine: UnsafeRawBufferPointer, _ theirs: UnsafeRawBufferPointer) -> Bool {
        let length = end - start
        guard other.end - other.start == length, let p = mine.baseAddress, let q = theirs.baseAddress else { return false }
        return memcmp(p + start, q + other.start, length) == 0
    }

    /// git's tree order: names compared bytewise, a tree's name as if followed by `/`.
    static func compare(_ a: TreeEntry, _ ab: UnsafeRawBufferPointer, _ b: TreeEntry, _ bb: UnsafeRawBufferPointer) -> Int {
        let la = a.nameEnd - a.nameStart, lb = b.nameEnd - b.nameStart
        let common = min(la, lb)
        if common > 0, let p = ab.baseAddress, let q = bb.baseAddress {
            let c = memcmp(p + a.nameStart, q + b.nameStart, common)
            if c != 0 { return Int(c) }
        }
        let ca: UInt8 = la > common ? ab[a.nameStart + common] : (a.isTree ? 47 : 0)
        let cb: UInt8 = lb > common ? bb[b.nameStart + common] : (b.isTree ? 47 : 0)
        return Int(ca) - Int(cb)
    }
}

/// Walks the entries of a raw tree.
struct TreeCursor {
    let bytes: UnsafeRawBufferPointer
    private var position = 0
    private(set) var malformed = false

    init(_ bytes: UnsafeRawBufferPointer?) { self.bytes = bytes ?? UnsafeRawBufferPointer(start: nil, count: 0) }

    mutating func next() -> TreeEntry? {
        let start = position
        guard start < bytes.count else { return nil }
        var i = start
        var mode: UInt32 = 0
        while i < bytes.count, bytes[i] != 32 {
            let d = bytes[i]
            guard d >= 48, d <= 55 else { malformed = true; position = bytes.count; return nil }
            mode = mode << 3 | UInt32(d - 48); i += 1
        }
        let nameStart = i + 1
        guard nameStart < bytes.count, let base = bytes.baseAddress,
              let nul = memchr(base + nameStart, 0, bytes.count - nameStart) else {
            malformed = true; position = bytes.count; return nil
        }
        let j = base.distance(to: UnsafeRawPointer(nul))
        guard j + 21 <= bytes.count else { malformed = true; position = bytes.count; return nil }
        position = j + 21
        return TreeEntry(start: start, mode: mode, nameStart: nameStart, nameEnd: j)
    }
}
