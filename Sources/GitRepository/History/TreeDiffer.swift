internal import CLibGit2
internal import Foundation

/// Finds what each commit changed relative to its first parent, on one worker: trees are read raw
/// and compared entry by entry, so an unchanged subtree costs one comparison.
final class TreeDiffer {
    struct Output: Sendable {
        /// Each change with its path as a number into `paths`: on a large history (git/git's merges, diffed
        /// against their first parents, bring millions of changes) a string per change was most of the plan's
        /// memory.
        var changes: [(commit: Int32, path: Int32, blob: ObjectID?)] = []
        var paths: [String] = []
        var errors: [GitError] = []
    }

    private let odb: OpaquePointer
    /// Reads trees from the packs without libgit2 (libdeflate, no copy of libgit2's own, no pack windows to map
    /// and unmap): on git/git, libgit2's reading of trees (zlib, its allocations, unmapping) was more than half of
    /// the tree diffs' time. A tree it cannot read exactly (loose, or over `treeLimit`) is read through libgit2.
    private let packed: PackedObjectReader?
    private var output = Output()
    private var currentCommit = 0

    /// Trees larger than this are left to libgit2 (as every tree was before the packs were read directly).
    static let treeLimit = 1 << 30
    /// The bound of the pack reader's cache of rebuilt delta bases, per worker.
    static let baseCacheBytes = 16 << 20

    init(odb: OpaquePointer, packs: PackedObjects? = nil) {
        self.odb = odb
        packed = packs.flatMap { PackedObjectReader($0, cacheLimit: Self.baseCacheBytes) }
    }

    func run(commits: ArraySlice<Int>, treeIDs: [ObjectID], firstParent: [Int32]) -> Output {
        output = Output()
        defer { pathNumbers = [:] }   // (each run numbers its own paths)
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
        let number = pathNumbers[path] ?? {
            let n = Int32(output.paths.count)
            output.paths.append(path)
            pathNumbers[path] = n
            return n
        }()
        output.changes.append((Int32(currentCommit), number, blob))
    }

    /// The numbers of this run's paths (`Output.paths`).
    private var pathNumbers: [String: Int32] = [:]

    /// Recently read trees, in two generations: a commit's trees are read again as its child's
    /// parent trees, usually a few commits later. Bounded by count and by bytes: a generation ends at
    /// `treeCacheLimit` trees or `treeCacheBytes`. With the count alone, a git/git history plan (large trees,
    /// read most) held 447 MB of memory at its end, 181 MB with the byte bound too; the bytes alone let a
    /// history of small trees keep more than the count did.
    private var recentTrees: [ObjectID: RawObject] = [:]
    private var olderTrees: [ObjectID: RawObject] = [:]
    private var recentBytes = 0
    static let treeCacheBytes = 16 << 20
    static let treeCacheLimit = 4096

    func readTree(_ id: ObjectID, _ path: String) -> RawObject? {
        if let tree = recentTrees[id] { return tree }
        if let tree = olderTrees[id] { recentTrees[id] = tree; return tree }
        let tree: RawObject
        if let fromPack = packedTree(id) {
            tree = fromPack
        } else {
            switch RawObject.read(odb, id, GIT_OBJECT_TREE, path.isEmpty ? "root tree" : "tree '\(path)'") {
            case .success(let object): tree = object
            case .failure(let error): output.errors.append(error); return nil
            }
        }
        if recentBytes >= Self.treeCacheBytes || recentTrees.count >= Self.treeCacheLimit {
            olderTrees = recentTrees
            recentTrees = [:]
            recentBytes = 0
        }
        recentTrees[id] = tree
        recentBytes += tree.bytes.count
        return tree
    }

    /// Tree `id` as the pack reader reads it, copied (its buffer lasts only for the read); nil when it cannot.
    private func packedTree(_ id: ObjectID) -> RawObject? {
        var tree: RawObject?
        guard let packed, packed.withObject(id, type: .tree, sizeLimit: Self.treeLimit, { tree = RawObject(copying: $0) }) == .read
        else { return nil }
        return tree
    }

    /// Records what changed from tree `old` to tree `new` (either may be nil).
    func diff(old: RawObject?, new: RawObject?, prefix: String) {
        var a = TreeCursor(old?.bytes), b = TreeCursor(new?.bytes)
        if old != nil, new != nil { a.skipSharedStart(with: &b) }
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
