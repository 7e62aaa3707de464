/// One unique blob in history, with every path it was committed at.
public struct HistoryBlob: Sendable {
    public let id: ObjectID
    /// The paths this blob appeared at, in the order they were first seen.
    public let paths: [String]
}

/// A blob at a path: what a history finding is attached to.
public struct BlobPath: Sendable, Hashable {
    public let blob: ObjectID
    public let path: String

    public init(blob: ObjectID, path: String) {
        self.blob = blob
        self.path = path
    }
}

/// Where a blob at a path came from.
public struct Provenance: Sendable {
    public let blob: ObjectID
    public let path: String
    /// The first commit (parents before children) whose change introduced the blob at the path.
    public let firstCommit: CommitInfo
    /// That commit's position in the walk (0 = the first commit walked): the earlier of two
    /// provenances has the smaller position.
    public let firstCommitPosition: Int
    /// How many commits of the scanned history have this blob at this path in their tree.
    public let commitCount: Int
    /// Whether the tip (`HEAD`, or the `branch` tip) still has this blob at this path. A finding whose
    /// blob is not in the tip is reported as "no longer in HEAD" (although the secret may still be in
    /// another blob at the tip).
    public let isInTip: Bool
}

/// The unique blobs of a history walk, and what is needed to work out provenance afterwards.
///
/// Built by ``GitRepository/historyPlan(branch:reusing:)``. It holds no libgit2 handle: it is a plain
/// value and can be shared between workers, each reading blobs through its own ``GitRepository``.
/// Memory grows with the number of commits, unique blobs, paths and changes, not with tree sizes.
public struct HistoryPlan: Sendable {
    /// Every unique blob, once, in the order the walk first met it. Read them in
    /// ``readingOrder(_:packs:)``: a delta's base is then in the reader's cache.
    public let blobs: [HistoryBlob]
    /// Commits walked.
    public var commitCount: Int { commitIDs.count }
    /// Whether the repository is a shallow clone (history before the shallow boundary is absent).
    public let isShallow: Bool
    /// The commit "in HEAD" refers to: `HEAD`, or the branch tip; nil when HEAD is unborn.
    public let tip: ObjectID?
    /// Missing or unreadable commits and trees met during the walk; the walk went on without them.
    public let errors: [GitError]
    /// How many commits were taken from the `reusing` snapshot instead of being read and diffed.
    public let reusedCommits: Int

    // The change log, in walk order (parents first).
    let commitIDs: [ObjectID]
    let trees: [ObjectID]
    /// Each commit's parents as written in the commit (`parents[parentStart[c]..<parentStart[c + 1]]`).
    let parentStart: [Int32]
    let parents: [ObjectID]
    let firstParent: [Int32]
    let changeStart: [Int32]
    let changePath: [Int32]
    let changeBlob: [Int32]
    let paths: [String]
    let blobIndex: [ObjectID: Int32]
    let pathIndex: [String: Int32]
    /// (path id << 32 | blob id) → index of the first commit that introduced it.
    let firstIntroduction: [UInt64: Int32]
    let objectsDirectory: String

    /// The indices of `indices` (into ``blobs``) reordered for reading: depth first over each pack's delta
    /// forest, each delta before its base, then loose objects. A pack whose index could not be used
    /// (`packs.notes`) is not in the order; its blobs are still read, in plain order.
    public func readingOrder(_ indices: [Int], packs: PackedObjects) -> [Int] {
        let order = PackOrder(packs: packs)
        return order.readingOrder(indices.map { blobs[$0].id }).map { indices[$0] }
    }

    /// What a later walk needs to skip the commits of this one (see ``Snapshot``).
    public var snapshot: Snapshot {
        Snapshot(commits: commitIDs, trees: trees, parentStart: parentStart, parents: parents,
                 firstParent: firstParent, changeStart: changeStart, changePath: changePath, changeBlob: changeBlob,
                 paths: paths, blobs: blobs.map(\.id))
    }

    /// The commits of a walk with their trees, parents and changes against their first parent, as plain
    /// arrays (indices into `paths` and `blobs`): what ``GitRepository/historyPlan(branch:reusing:)`` needs
    /// to walk again without reading or diffing a commit it already knows. It holds ids and paths only.
    public struct Snapshot: Sendable, Equatable {
        public var commits: [ObjectID]
        public var trees: [ObjectID]
        /// `parents[parentStart[c]..<parentStart[c + 1]]` are commit `c`'s parents, in order.
        public var parentStart: [Int32]
        public var parents: [ObjectID]
        /// The index (into `commits`) of the parent commit `c` was diffed against; -1: none (a root commit,
        /// a shallow boundary or a missing parent).
        public var firstParent: [Int32]
        /// `changePath[changeStart[c]..<changeStart[c + 1]]` (with `changeBlob`, -1 for a removal) are
        /// commit `c`'s changes.
        public var changeStart: [Int32]
        public var changePath: [Int32]
        public var changeBlob: [Int32]
        public var paths: [String]
        public var blobs: [ObjectID]

        public init(commits: [ObjectID], trees: [ObjectID], parentStart: [Int32], parents: [ObjectID], firstParent: [Int32],
                    changeStart: [Int32], changePath: [Int32], changeBlob: [Int32], paths: [String], blobs: [ObjectID]) {
            self.commits = commits
            self.trees = trees
            self.parentStart = parentStart
            self.parents = parents
            self.firstParent = firstParent
            self.changeStart = changeStart
            self.changePath = changePath
            self.changeBlob = changeBlob
            self.paths = paths
            self.blobs = blobs
        }

        /// Whether the arrays fit together (a decoded snapshot is checked before use): every index in
        /// range, every run in order.
        public var isConsistent: Bool {
            let n = commits.count
            guard trees.count == n, firstParent.count == n, parentStart.count == n + 1, changeStart.count == n + 1,
                  parentStart.first == 0, changeStart.first == 0, Int(parentStart[n]) == parents.count,
                  Int(changeStart[n]) == changePath.count, changePath.count == changeBlob.count else { return false }
            for c in 0..<n {
                guard parentStart[c] <= parentStart[c + 1], changeStart[c] <= changeStart[c + 1],
                      firstParent[c] >= -1, Int(firstParent[c]) < c else { return false }
            }
            let pathCount = Int32(paths.count), blobCount = Int32(blobs.count)
            return changePath.allSatisfy { $0 >= 0 && $0 < pathCount } && changeBlob.allSatisfy { $0 >= -1 && $0 < blobCount }
        }
    }
}
