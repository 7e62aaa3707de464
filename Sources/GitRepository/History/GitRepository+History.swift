internal import CLibGit2
internal import Foundation
import Synchronization
import SystemSupport

extension GitRepository {
    /// Walks every commit reachable from all references (or from `branch` only), diffing each against
    /// its first parent, and lists each unique blob once with the paths it appeared at.
    ///
    /// Bare repositories work. In a shallow clone, commits at the shallow boundary are treated as root
    /// commits and ``HistoryPlan/isShallow`` is set. A missing tree is recorded in
    /// ``HistoryPlan/errors`` and the walk goes on. Submodules and symbolic links are not listed.
    ///
    /// - Parameter previous: an earlier walk's ``HistoryPlan/snapshot``: a commit it holds is neither read
    ///   nor diffed again (its parents, tree and changes are taken from it), so only new commits cost
    ///   anything. The plan is the same as without it: same commits in the same order, same changes.
    /// - Parameter packs: the repository's packs (``PackedObjects``), asked for once the commit walk is done: the
    ///   tree diffs read trees from them directly where they can (nil: every tree through libgit2).
    public func historyPlan(branch: String? = nil, reusing previous: HistoryPlan.Snapshot? = nil,
                            packs: (() -> PackedObjects?)? = nil) throws(GitError) -> HistoryPlan {
        let tips: [ObjectID]
        let tip: ObjectID?
        if let branch {
            let id = try resolveCommit(branch)
            tips = [id]
            tip = id
        } else {
            tip = try headCommit()
            tips = (tip.map { [$0] } ?? []) + (try referenceTips())
        }
        let collector = try HistoryCollector(repository: handle)
        let shallow = shallowCommits()
        var commitIndex: [ObjectID: Int32] = [:]
        var visiting = Set<ObjectID>()
        var unreadable = Set<ObjectID>()
        var known: [ObjectID: Int32] = [:]
        if let previous {
            known.reserveCapacity(previous.commits.count)
            for (i, id) in previous.commits.enumerated() { known[id] = Int32(i) }
        }
        /// For each commit of the walk, its index in `previous` (-1: not there).
        var previousIndex: [Int32] = []

        /// A commit waiting for its parents to be emitted.
        struct Pending {
            let id: ObjectID
            let tree: ObjectID
            /// As written in the commit, and as walked (none at a shallow boundary).
            let written: [ObjectID]
            let parents: [ObjectID]
            let previous: Int32
            var next = 0
        }
        func header(_ id: ObjectID) -> Pending? {
            if unreadable.contains(id) { return nil }
            if let k = known[id], let previous {
                let written = Array(previous.parents[Int(previous.parentStart[Int(k)])..<Int(previous.parentStart[Int(k) + 1])])
                return Pending(id: id, tree: previous.trees[Int(k)], written: written,
                               parents: shallow.contains(id) ? [] : written, previous: k)
            }
            guard let h = collector.readCommitHeader(id) else { unreadable.insert(id); return nil }
            return Pending(id: id, tree: h.tree, written: h.parents, parents: shallow.contains(id) ? [] : h.parents, previous: -1)
        }

        // Depth first, emitting a commit once all its parents are emitted: parents before children.
        var stack: [Pending] = []
        for start in tips where commitIndex[start] == nil && !visiting.contains(start) {
            guard let first = header(start) else { continue }
            stack.append(first); visiting.insert(start)
            while !stack.isEmpty {
                let top = stack.count - 1
                if stack[top].next < stack[top].parents.count {
                    let parent = stack[top].parents[stack[top].next]
                    stack[top].next += 1
                    if commitIndex[parent] == nil, !visiting.contains(parent), let pending = header(parent) {
                        stack.append(pending); visiting.insert(parent)
                    }
                    continue
                }
                let done = stack.removeLast()
                visiting.remove(done.id)
                commitIndex[done.id] = Int32(collector.commitIDs.count)
                collector.commitIDs.append(done.id)
                collector.trees.append(done.tree)
                collector.parents += done.written
                collector.parentStart.append(Int32(collector.parents.count))
                // A parent that is missing (or beyond a shallow boundary) makes this a root commit.
                collector.firstParent.append(done.parents.first.flatMap { commitIndex[$0] } ?? -1)
                previousIndex.append(done.previous)
            }
        }
        PhaseClock.mark("history: commits walked")
        // A known commit keeps its changes when it is diffed against the same parent as before.
        var reuse = [Bool](repeating: false, count: previousIndex.count)
        var pending: [Int] = []
        for c in previousIndex.indices {
            let k = Int(previousIndex[c])
            if k >= 0, let previous {
                let now = collector.firstParent[c], then = previous.firstParent[k]
                let nowID = now >= 0 ? collector.commitIDs[Int(now)] : nil
                let thenID = then >= 0 ? previous.commits[Int(then)] : nil
                if nowID == thenID { reuse[c] = true; continue }
            }
            pending.append(c)
        }
        // Each worker's output in commit order, consumed (and freed) as the log is recorded: concatenating
        // them first held every change twice.
        var diffed = try findChanges(pending, treeIDs: collector.trees, firstParent: collector.firstParent,
                                     packs: pending.isEmpty ? nil : packs?())
        PhaseClock.mark("history: trees diffed")
        for output in diffed { collector.errors += output.errors }
        var run = 0, next = 0
        // The plan's number of each path of the current run (-1: not looked up yet).
        var runPaths = [Int32](repeating: -1, count: diffed.first?.paths.count ?? 0)
        for c in reuse.indices {
            collector.currentCommit = Int32(c)
            if reuse[c], let previous {
                let k = Int(previousIndex[c])
                for j in Int(previous.changeStart[k])..<Int(previous.changeStart[k + 1]) {
                    collector.record(previousPath: previous.changePath[j], previousBlob: previous.changeBlob[j], in: previous)
                }
            } else {
                while run < diffed.count {
                    if next >= diffed[run].changes.count {
                        diffed[run].changes = []
                        diffed[run].paths = []
                        run += 1; next = 0
                        runPaths = [Int32](repeating: -1, count: run < diffed.count ? diffed[run].paths.count : 0)
                        continue
                    }
                    let change = diffed[run].changes[next]
                    guard change.commit == Int32(c) else { break }
                    var p = runPaths[Int(change.path)]
                    if p < 0 { p = collector.pathNumber(diffed[run].paths[Int(change.path)]); runPaths[Int(change.path)] = p }
                    collector.record(path: p, change.blob)
                    next += 1
                }
            }
            collector.changeStart.append(Int32(collector.changePath.count))
        }
        defer { PhaseClock.mark("history: plan made") }
        return collector.plan(tip: tip, isShallow: isShallow, objectsDirectory: objectsDirectory,
                              reused: reuse.count - pending.count)
    }

    /// Diffs the commits `which` (indices in walk order, increasing) against their first parents on
    /// parallel workers (contiguous runs, each worker with its own object database), and returns each
    /// run's changes, the runs in commit order.
    private func findChanges(_ which: [Int], treeIDs: [ObjectID], firstParent: [Int32],
                             packs: PackedObjects?) throws(GitError) -> [TreeDiffer.Output] {
        let count = which.count
        guard count > 0 else { return [] }
        let pool = WorkerPool(threads: count < 256 ? 1 : min(8, WorkerPool.processorCount))
        let chunkCount = pool.workers == 1 ? 1 : pool.workers * 4
        let chunkSize = (count + chunkCount - 1) / max(chunkCount, 1)
        // Keyed by each run's first position in `which`.
        let results = Mutex<[Int: TreeDiffer.Output]>([:])
        let objects = self.objectsDirectory
        let mainODB = try objectDatabase()
        defer { kw_git_odb_free(mainODB) }
        // Only worker 0 touches it, while this thread waits in the pool.
        nonisolated(unsafe) let sharedODB = mainODB
        pool.run(count: count, chunk: chunkSize) { worker, claim in
            // Worker 0 uses this repository's object database; the others open their own. libgit2 shares
            // one open pack file (with its locks and delta-base cache) between every handle that names it by
            // the same path, which serialised the workers; a differently spelled path ("objects/./.") gets a
            // pack of its own. Measured on the bench history: tree diffs 1.2–1.3 s before, 0.85–0.93 s after.
            var own: OpaquePointer?
            var odb = sharedODB
            if worker > 0 {
                let spelled = objects + String(repeating: "/.", count: worker)
                if kw_git_odb_open(&own, spelled) == 0, let own { odb = own }
            }
            defer { if let own { kw_git_odb_free(own) } }
            let differ = TreeDiffer(odb: odb, packs: packs)
            while let run = claim() {
                let output = differ.run(commits: which[run], treeIDs: treeIDs, firstParent: firstParent)
                results.withLock { $0[run.lowerBound] = output }
            }
        }
        var outputs = results.withLock { $0 }
        results.withLock { $0 = [:] }
        return outputs.keys.sorted().compactMap { outputs.removeValue(forKey: $0) }
    }

    private func objectDatabase() throws(GitError) -> OpaquePointer {
        var odb: OpaquePointer?
        try LibGit2.check(kw_git_repository_odb(&odb, handle), "cannot open the object database")
        guard let odb else { throw GitError(.io, "cannot open the object database") }
        return odb
    }

    /// The commits all references point to (tags peeled), sorted by reference name.
    func referenceTips() throws(GitError) -> [ObjectID] {
        var iterator: OpaquePointer?
        try LibGit2.check(kw_git_reference_iterator_new(&iterator, handle), "cannot list the references")
        guard let iterator else { return [] }
        defer { kw_git_reference_iterator_free(iterator) }
        var named: [(String, ObjectID)] = []
        var reference: OpaquePointer?
        while kw_git_reference_next(&reference, iterator) == 0, let ref = reference {
            defer { kw_git_reference_free(ref) }
            let name = kw_git_reference_name(ref).map { String(cString: $0) } ?? ""
            var peeled: OpaquePointer?
            guard kw_git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT) == 0, let peeled else { continue }
            defer { kw_git_object_free(peeled) }
            guard let id = kw_git_object_id(peeled) else { continue }
            named.append((name, ObjectID(id.pointee)))
        }
        return named.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The commits listed in `shallow` (the boundary of a shallow clone), whose parents are absent.
    func shallowCommits() -> Set<ObjectID> {
        let common = commonDirectory + "/"
        guard let text = try? String(contentsOfFile: PathUtilities.trimmingTrailingSlash(common) + "/shallow", encoding: .utf8)
        else { return [] }
        return Set(text.split(separator: "\n").compactMap { ObjectID(hex: String($0)) })
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
        defer { if let tipTree { kw_git_tree_free(tipTree) } }
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
                defer { kw_git_commit_free(handle) }
                info = try CommitInfo(commit: handle)
                commitCache[first] = info
            }
            let inTip = tipTree.map { Self.tree($0, has: pair.blob, at: pair.path) } ?? false
            result.append(Provenance(blob: pair.blob, path: pair.path, firstCommit: info, firstCommitPosition: Int(first),
                                     commitCount: counts[key] ?? 0, isInTip: inTip))
        }
        return result
    }
}

