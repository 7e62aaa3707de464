internal import CLibGit2

extension GitRepository {
    /// The commits reachable from `tip` but from none of `hidden` and from no reference matching
    /// `hiddenReferences`, oldest first (parents before children): what a push of `tip` would send to a
    /// remote that has `hidden` and the branches behind `refs/remotes/<remote>/*`.
    ///
    /// - Parameters:
    ///   - hidden: revisions the remote has (its old tip); one that does not resolve here (a remote commit
    ///     not fetched yet) is passed over, so the result can only grow, never miss a commit.
    ///   - hiddenReferences: reference globs such as `refs/remotes/origin/*`.
    /// - Throws: `.invalidRevision` when `tip` does not name a commit.
    public func commits(reachableFrom tip: String, hiding hidden: [String] = [],
                        hidingReferences hiddenReferences: [String] = []) throws(GitError) -> [CommitInfo] {
        let start = try resolveCommit(tip)
        let walker = try RevisionWalker(handle)
        try walker.push(start)
        for revision in hidden {
            guard let id = try? resolveCommit(revision) else { continue }
            try walker.hide(id)
        }
        for glob in hiddenReferences { try walker.hide(referencesMatching: glob) }
        return try commitInfos(walking: walker)
    }
}
