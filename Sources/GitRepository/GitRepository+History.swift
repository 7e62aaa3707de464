internal import CLibGit2

extension GitRepository {
    /// Walks every commit reachable from all references (or from `branch` only), diffing each against
    /// its first parent, and lists each unique blob once with the paths it appeared at.
    ///
    /// Bare repositories work. In a shallow clone, commits at the shallow boundary are treated as root
    /// commits and ``HistoryPlan/isShallow`` is set. A missing tree is recorded in
    /// ``HistoryPlan/errors`` and the walk goes on. Submodules and symbolic links are not listed.
    public func historyPlan(branch: String? = nil) throws(GitError) -> HistoryPlan {
        let walker = try RevisionWalker(handle)
        let tip: ObjectID?
        if let branch {
            let id = try resolveCommit(branch)
            try walker.push(id)
            tip = id
        } else {
            try walker.pushGlob("refs")
            tip = try headCommit()
            if tip != nil { try walker.pushHead() }
        }
        let collector = try HistoryCollector(repository: handle)
        var commitIndex: [ObjectID: Int32] = [:]
        var treeIDs: [ObjectID?] = []
        while let id = try walker.next() {
            let index = Int32(collector.commitIDs.count)
            commitIndex[id] = index
            collector.commitIDs.append(id)
            collector.currentCommit = index
            guard let header = collector.readCommitHeader(id) else {
                collector.firstParent.append(-1); treeIDs.append(nil)
                collector.changeStart.append(Int32(collector.changePath.count))
                continue
            }
            // A parent outside the walk (a shallow boundary) makes this a root commit.
            let parent = header.firstParent.flatMap { commitIndex[$0] } ?? -1
            collector.firstParent.append(parent)
            treeIDs.append(header.tree)
            let parentTree = parent >= 0 ? treeIDs[Int(parent)] : nil
            if parentTree != header.tree {
                collector.diff(old: parentTree.flatMap { collector.readTree($0, "") },
                               new: collector.readTree(header.tree, ""), prefix: "")
            }
            collector.changeStart.append(Int32(collector.changePath.count))
        }
        return collector.plan(tip: tip, isShallow: isShallow, objectsDirectory: objectsDirectory)
    }

    /// Where each blob-at-path came from: its first commit, how many commits carry it, whether the tip
    /// still has it. Pairs the plan never saw are left out of the result.
    public func provenance(of pairs: [BlobPath], in plan: HistoryPlan) throws(GitError) -> [Provenance] {
        // Group the requests by path.
        var wanted: [Int32: Set<Int32>] = [:]
        for pair in pairs {
            guard let p = plan.pathIndex[pair.path], let b = plan.blobIndex[pair.blob] else { continue }
            wanted[p, default: []].insert(b)
        }
        // Changes of the wanted paths, in commit order.
        var events: [Int32: [(commit: Int32, blob: Int32)]] = [:]
        var commit = 0
        for i in 0..<plan.changePath.count {
            while Int(plan.changeStart[commit + 1]) <= i { commit += 1 }
            let p = plan.changePath[i]
            if wanted[p] != nil { events[p, default: []].append((Int32(commit), plan.changeBlob[i])) }
        }
        // Propagate each path's content along first parents and count the commits that carry each blob.
        var counts: [UInt64: Int] = [:]
        var state = [Int32](repeating: -1, count: plan.commitCount)
        for (p, blobs) in wanted {
            let list = events[p] ?? []
            var next = 0
            for c in 0..<plan.commitCount {
                let parent = plan.firstParent[c]
                var value: Int32 = parent >= 0 ? state[Int(parent)] : -1
                while next < list.count, list[next].commit == Int32(c) { value = list[next].blob; next += 1 }
                state[c] = value
                if value >= 0, blobs.contains(value) { counts[UInt64(UInt32(p)) << 32 | UInt64(UInt32(value)), default: 0] += 1 }
            }
        }
        let tipTree = try plan.tip.map { (id) throws(GitError) in try tree(ofCommit: id) }
        defer { if let tipTree { git_tree_free(tipTree) } }
        var result: [Provenance] = []
        var commitCache: [Int32: CommitInfo] = [:]
        for pair in pairs {
            guard let p = plan.pathIndex[pair.path], let b = plan.blobIndex[pair.blob] else { continue }
            let key = UInt64(UInt32(p)) << 32 | UInt64(UInt32(b))
            guard let first = plan.firstIntroduction[key] else { continue }
            let info: CommitInfo
            if let cached = commitCache[first] {
                info = cached
            } else {
                let handle = try lookupCommit(plan.commitIDs[Int(first)])
                info = CommitInfo(commit: handle)
                git_commit_free(handle)
                commitCache[first] = info
            }
            let inTip = tipTree.map { Self.tree($0, has: pair.blob, at: pair.path) } ?? false
            result.append(Provenance(blob: pair.blob, path: pair.path, firstCommit: info,
                                     commitCount: counts[key] ?? 0, isInTip: inTip))
        }
        return result
    }

    /// The object directory (shared by linked work trees).
    var objectsDirectory: String {
        let common = git_repository_commondir(handle).map { String(cString: $0) } ?? gitDirectory + "/"
        return PathUtilities.trimmingTrailingSlash(common) + "/objects"
    }
}

