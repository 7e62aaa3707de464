internal import CLibGit2

extension GitRepository {
    /// The commits in a range, oldest first (parents before children), like `git log --reverse --topo-order`.
    ///
    /// - Parameter range: `A..B` (reachable from B, not from A), `A...B` (from either, not from both),
    ///   `A..` (A to HEAD), or a single revision (it and all its ancestors).
    /// - Throws: `.invalidRevision` for a revision that does not resolve.
    public func commits(inRange range: String) throws(GitError) -> [CommitInfo] {
        var spec = git_revspec()
        try LibGit2.check(kw_git_revparse(&spec, handle, range), "unknown revision or range '\(range)'",
                          notFound: .invalidRevision)
        defer {
            if let from = spec.from { kw_git_object_free(from) }
            if let to = spec.to { kw_git_object_free(to) }
        }
        let isRange = spec.flags & UInt32(GIT_REVSPEC_RANGE.rawValue) != 0
        let from = try spec.from.map { (o) throws(GitError) in try peelToCommit(o, range) }
        let to = try spec.to.map { (o) throws(GitError) in try peelToCommit(o, range) }
        if isShallow {
            // libgit2's revwalk fails on the first parent it cannot read, and in a shallow clone the
            // boundary commits' parents are absent: walk what the clone holds instead.
            let symmetric = spec.flags & UInt32(GIT_REVSPEC_MERGE_BASE.rawValue) != 0
            guard let from else { throw GitError(.invalidRevision, "incomplete range '\(range)'") }
            if !isRange { return try commitInfos(shallowWalk(include: [from], exclude: [])) }
            guard let to else { throw GitError(.invalidRevision, "incomplete range '\(range)'") }
            if symmetric { return try commitInfos(shallowWalk(include: [from, to], exclude: [], symmetric: true)) }
            return try commitInfos(shallowWalk(include: [to], exclude: [from]))
        }
        let walker = try RevisionWalker(handle)
        if isRange {
            guard let from, let to else { throw GitError(.invalidRevision, "incomplete range '\(range)'") }
            try walker.push(to)
            if spec.flags & UInt32(GIT_REVSPEC_MERGE_BASE.rawValue) != 0 {
                try walker.push(from)
                var base = git_oid()
                var a = from.oid, b = to.oid
                if kw_git_merge_base(&base, try handle, &a, &b) == 0 { try walker.hide(ObjectID(base)) }
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
            defer { kw_git_commit_free(commit) }
            result.append(try CommitInfo(commit: commit))
        }
        return result
    }

    /// The commits of `ids`, with their metadata.
    func commitInfos(_ ids: [ObjectID]) throws(GitError) -> [CommitInfo] {
        var result: [CommitInfo] = []
        result.reserveCapacity(ids.count)
        for id in ids {
            let commit = try lookupCommit(id)
            defer { kw_git_commit_free(commit) }
            result.append(try CommitInfo(commit: commit))
        }
        return result
    }

    /// A walk of a shallow clone, parents before children: the commits reachable from `include` and not
    /// from `exclude` (with `symmetric`, those reachable from exactly one of the two `include` tips, as
    /// `A...B`). A commit at the shallow boundary (listed in `shallow`) counts as a root; a parent that is
    /// not in the repository ends that line of the walk.
    func shallowWalk(include: [ObjectID], exclude: [ObjectID], symmetric: Bool = false) -> [ObjectID] {
        let boundary = shallowCommits()
        var parentsOf: [ObjectID: [ObjectID]] = [:]
        func parents(_ id: ObjectID) -> [ObjectID]? {
            if let known = parentsOf[id] { return known }
            var oid = id.oid
            var commit: OpaquePointer?
            guard let handle = try? handle, kw_git_commit_lookup(&commit, handle, &oid) == 0, let commit else { return nil }
            defer { kw_git_commit_free(commit) }
            var list: [ObjectID] = []
            if !boundary.contains(id) {
                for i in 0..<kw_git_commit_parentcount(commit) {
                    if let p = kw_git_commit_parent_id(commit, i) { list.append(ObjectID(p.pointee)) }
                }
            }
            parentsOf[id] = list
            return list
        }
        func reachable(_ tips: [ObjectID]) -> Set<ObjectID> {
            var seen = Set<ObjectID>()
            var stack = tips
            while let id = stack.popLast() {
                guard !seen.contains(id), let ps = parents(id) else { continue }
                seen.insert(id)
                stack.append(contentsOf: ps)
            }
            return seen
        }
        let wanted: Set<ObjectID>
        if symmetric, include.count == 2 {
            let a = reachable([include[0]]), b = reachable([include[1]])
            wanted = a.symmetricDifference(b)
        } else {
            wanted = reachable(include).subtracting(reachable(exclude))
        }
        // Depth first from the tips, emitting a commit after its parents: parents before children.
        var order: [ObjectID] = []
        var done = Set<ObjectID>()
        for tip in include where wanted.contains(tip) && !done.contains(tip) {
            var stack: [(id: ObjectID, next: Int)] = [(tip, 0)]
            done.insert(tip)
            while !stack.isEmpty {
                let top = stack.count - 1
                let ps = parentsOf[stack[top].id] ?? []
                if stack[top].next < ps.count {
                    let p = ps[stack[top].next]
                    stack[top].next += 1
                    if wanted.contains(p), !done.contains(p) { done.insert(p); stack.append((p, 0)) }
                    continue
                }
                order.append(stack.removeLast().id)
            }
        }
        return order
    }

    private func peelToCommit(_ object: OpaquePointer, _ range: String) throws(GitError) -> ObjectID {
        var commit: OpaquePointer?
        try LibGit2.check(kw_git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "'\(range)' does not name commits",
                          notFound: .invalidRevision)
        guard let commit else { throw GitError(.invalidRevision, "'\(range)' does not name commits") }
        defer { kw_git_object_free(commit) }
        return try ObjectID(kw_git_object_id(commit), of: "'\(range)'")
    }
}

/// Owns a `git_revwalk`, sorted oldest first.
final class RevisionWalker {
    private let walk: OpaquePointer

    init(_ repository: OpaquePointer, sort: UInt32 = GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue) throws(GitError) {
        var walk: OpaquePointer?
        try LibGit2.check(kw_git_revwalk_new(&walk, repository), "cannot walk the commits")
        guard let walk else { throw GitError(.io, "cannot walk the commits") }
        self.walk = walk
        kw_git_revwalk_sorting(walk, sort)
    }

    deinit { kw_git_revwalk_free(walk) }

    func push(_ id: ObjectID) throws(GitError) {
        var oid = id.oid
        try LibGit2.check(kw_git_revwalk_push(walk, &oid), "cannot walk from commit \(id.hex)", notFound: .corruptObject)
    }

    func hide(_ id: ObjectID) throws(GitError) {
        var oid = id.oid
        try LibGit2.check(kw_git_revwalk_hide(walk, &oid), "cannot exclude commit \(id.hex)", notFound: .corruptObject)
    }

    /// Hides every commit reachable from the references matching `glob` (e.g. `refs/remotes/origin/*`);
    /// a glob that matches nothing hides nothing.
    func hide(referencesMatching glob: String) throws(GitError) {
        try LibGit2.check(kw_git_revwalk_hide_glob(walk, glob), "cannot exclude the references '\(glob)'")
    }

    /// The next commit id, or nil at the end.
    func next() throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let result = kw_git_revwalk_next(&oid, walk)
        if result == GIT_ITEROVER.rawValue { return nil }
        try LibGit2.check(result, "cannot walk the commits", notFound: .corruptObject)
        return ObjectID(oid)
    }
}
