internal import CLibGit2

extension GitRepository {
    /// The commits in a range, oldest first (parents before children), like `git log --reverse --topo-order`.
    ///
    /// - Parameter range: `A..B` (reachable from B, not from A), `A...B` (from either, not from both),
    ///   `A..` (A to HEAD), or a single revision (it and all its ancestors).
    /// - Throws: `.invalidRevision` for a revision that does not resolve.
    public func commits(inRange range: String) throws(GitError) -> [CommitInfo] {
        var spec = git_revspec()
        try LibGit2.check(git_revparse(&spec, handle, range), "unknown revision or range '\(range)'",
                          notFound: .invalidRevision)
        defer {
            if let from = spec.from { git_object_free(from) }
            if let to = spec.to { git_object_free(to) }
        }
        let walker = try RevisionWalker(handle)
        let isRange = spec.flags & UInt32(GIT_REVSPEC_RANGE.rawValue) != 0
        let from = try spec.from.map { (o) throws(GitError) in try peelToCommit(o, range) }
        let to = try spec.to.map { (o) throws(GitError) in try peelToCommit(o, range) }
        if isRange {
            guard let from, let to else { throw GitError(.invalidRevision, "incomplete range '\(range)'") }
            try walker.push(to)
            if spec.flags & UInt32(GIT_REVSPEC_MERGE_BASE.rawValue) != 0 {
                try walker.push(from)
                var base = git_oid()
                var a = from.oid, b = to.oid
                if git_merge_base(&base, handle, &a, &b) == 0 { try walker.hide(ObjectID(base)) }
            } else {
                try walker.hide(from)
            }
        } else if let from {
            try walker.push(from)
        }
        return try commitInfos(walking: walker)
    }

    /// The commits after `revision` up to `HEAD` (`revision..HEAD`), oldest first.
    public func commits(since revision: String) throws(GitError) -> [CommitInfo] {
        try commits(inRange: "\(revision)..HEAD")
    }

    /// Every commit `walker` yields, in its order, with its metadata.
    func commitInfos(walking walker: RevisionWalker) throws(GitError) -> [CommitInfo] {
        var result: [CommitInfo] = []
        while let id = try walker.next() {
            let commit = try lookupCommit(id)
            defer { git_commit_free(commit) }
            result.append(try CommitInfo(commit: commit))
        }
        return result
    }

    private func peelToCommit(_ object: OpaquePointer, _ range: String) throws(GitError) -> ObjectID {
        var commit: OpaquePointer?
        try LibGit2.check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "'\(range)' does not name commits",
                          notFound: .invalidRevision)
        guard let commit else { throw GitError(.invalidRevision, "'\(range)' does not name commits") }
        defer { git_object_free(commit) }
        return try ObjectID(git_object_id(commit), of: "'\(range)'")
    }
}

/// Owns a `git_revwalk`, sorted oldest first.
final class RevisionWalker {
    private let walk: OpaquePointer

    init(_ repository: OpaquePointer, sort: UInt32 = GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue) throws(GitError) {
        var walk: OpaquePointer?
        try LibGit2.check(git_revwalk_new(&walk, repository), "cannot walk the commits")
        guard let walk else { throw GitError(.io, "cannot walk the commits") }
        self.walk = walk
        git_revwalk_sorting(walk, sort)
    }

    deinit { git_revwalk_free(walk) }

    func push(_ id: ObjectID) throws(GitError) {
        var oid = id.oid
        try LibGit2.check(git_revwalk_push(walk, &oid), "cannot walk from commit \(id.hex)", notFound: .corruptObject)
    }

    func hide(_ id: ObjectID) throws(GitError) {
        var oid = id.oid
        try LibGit2.check(git_revwalk_hide(walk, &oid), "cannot exclude commit \(id.hex)", notFound: .corruptObject)
    }

    /// Hides every commit reachable from the references matching `glob` (e.g. `refs/remotes/origin/*`);
    /// a glob that matches nothing hides nothing.
    func hide(referencesMatching glob: String) throws(GitError) {
        try LibGit2.check(git_revwalk_hide_glob(walk, glob), "cannot exclude the references '\(glob)'")
    }

    /// The next commit id, or nil at the end.
    func next() throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let result = git_revwalk_next(&oid, walk)
        if result == GIT_ITEROVER.rawValue { return nil }
        try LibGit2.check(result, "cannot walk the commits", notFound: .corruptObject)
        return ObjectID(oid)
    }
}
