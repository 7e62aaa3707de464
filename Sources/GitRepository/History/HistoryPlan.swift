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
/// Built by ``GitRepository/historyPlan(branch:)``. It holds no libgit2 handle: it is a plain value and
/// can be shared between workers, each reading blobs through its own ``GitRepository``.
/// Memory grows with the number of commits, unique blobs, paths and changes, not with tree sizes.
public struct HistoryPlan: Sendable {
    /// Every unique blob to scan once, sorted in pack order (read them in this order: a delta's base is
    /// then in libgit2's cache).
    public let blobs: [HistoryBlob]
    /// Commits walked.
    public var commitCount: Int { commitIDs.count }
    /// Whether the repository is a shallow clone (history before the shallow boundary is absent).
    public let isShallow: Bool
    /// The commit "in HEAD" refers to: `HEAD`, or the branch tip; nil when HEAD is unborn.
    public let tip: ObjectID?
    /// Missing or unreadable commits and trees met during the walk; the walk went on without them.
    public let errors: [GitError]

    // The change log, in walk order (parents first).
    let commitIDs: [ObjectID]
    let firstParent: [Int32]
    let changeStart: [Int32]
    let changePath: [Int32]
    let changeBlob: [Int32]
    let paths: [String]
    let blobIndex: [ObjectID: Int32]
    let pathIndex: [String: Int32]
    /// (path id << 32 | blob id) → index of the first commit that introduced it.
    let firstIntroduction: [UInt64: Int32]
}
