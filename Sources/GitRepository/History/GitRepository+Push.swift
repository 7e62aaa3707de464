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
        if isShallow {
            // libgit2's revwalk fails at the shallow boundary (a CI checkout with --depth): walk what exists.
            var exclude = hidden.compactMap { try? resolveCommit($0) }
            for glob in hiddenReferences { exclude += try referenceTips(matching: glob) }
            return try commitInfos(shallowWalk(include: [start], exclude: exclude))
        }
        let walker = try RevisionWalker(handle)
        try walker.push(start)
        for revision in hidden {
            guard let id = try? resolveCommit(revision) else { continue }
            try walker.hide(id)
        }
        for glob in hiddenReferences { try walker.hide(referencesMatching: glob) }
        return try commitInfos(walking: walker)
    }

    /// The commits the references matching `glob` point to (tags peeled; others passed over).
    func referenceTips(matching glob: String) throws(GitError) -> [ObjectID] {
        var iterator: OpaquePointer?
        try LibGit2.check(kw_git_reference_iterator_glob_new(&iterator, handle, glob), "cannot list the references '\(glob)'")
        guard let iterator else { return [] }
        defer { kw_git_reference_iterator_free(iterator) }
        var tips: [ObjectID] = []
        var reference: OpaquePointer?
        while kw_git_reference_next(&reference, iterator) == 0, let ref = reference {
            defer { kw_git_reference_free(ref) }
            var peeled: OpaquePointer?
            guard kw_git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT) == 0, let peeled else { continue }
            defer { kw_git_object_free(peeled) }
            if let id = kw_git_object_id(peeled) { tips.append(ObjectID(id.pointee)) }
        }
        return tips
    }
}
