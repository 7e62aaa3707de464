internal import CLibGit2
internal import Foundation
import Synchronization
import SystemSupport

/// The commits of a history walk still to diff against their first parents, handed to the tree-diff workers in
/// batches as the walk emits them (parents before children), so that diffing starts while the walk still runs
/// on its one thread; and each batch's changes. Workers take batches in the order they were pushed; the outputs
/// come back in that order, which is commit order.
final class DiffQueue: Sendable {
    /// One commit to diff: its number in the walk, its first parent's tree (nil: a root commit) and its own.
    typealias Item = (commit: Int32, old: ObjectID?, new: ObjectID)

    private struct State {
        var batches: [[Item]] = []
        var next = 0
        var closed = false
        var outputs: [Int: TreeDiffer.Output] = [:]
        var packs: PackedObjects?? = nil
    }
    private let state = Mutex(State())
    /// Signalled once per batch pushed and once per consumer at the close.
    private let available = DispatchSemaphore(value: 0)
    private let packs: (@Sendable () -> PackedObjects?)?
    private let objectsDirectory: String

    /// `packs`: the repository's packs, asked for once, by the first worker that starts (nil: every tree read
    /// through libgit2).
    init(objectsDirectory: String, packs: (@Sendable () -> PackedObjects?)?) {
        self.objectsDirectory = objectsDirectory
        self.packs = packs
    }

    func push(_ batch: [Item]) {
        state.withLock { $0.batches.append(batch) }
        available.signal()
    }

    /// No more batches: each of `consumers` (every thread that runs ``work(worker:odb:)``) gets nil once the
    /// batches are gone.
    func close(consumers: Int) {
        state.withLock { $0.closed = true }
        for _ in 0..<consumers { available.signal() }
    }

    private func pop() -> (number: Int, items: [Item])? {
        while true {
            available.wait()
            let taken: (Int, [Item])?? = state.withLock { s in
                if s.next < s.batches.count {
                    let n = s.next
                    s.next += 1
                    defer { s.batches[n] = [] }
                    return .some((n, s.batches[n]))
                }
                return s.closed ? .some(nil) : nil
            }
            if let taken { return taken }
        }
    }

    private func sharedPacks() -> PackedObjects? {
        state.withLock { s in
            if let known = s.packs { return known }
            let opened = packs?()
            s.packs = .some(opened)
            return opened
        }
    }

    /// Diffs batches until the queue is closed and empty. Worker 0 uses `odb` (the caller's); the others open
    /// an object database of their own: libgit2 shares one open pack file (its locks and delta-base cache)
    /// between every handle that names it by the same path, which serialised the workers, so each spells the
    /// path differently (`objects/./.`) to get its own. A worker that cannot open one takes no batch.
    func work(worker: Int, odb shared: OpaquePointer?) {
        var own: OpaquePointer?
        if worker > 0 {
            let spelled = objectsDirectory + String(repeating: "/.", count: worker)
            guard kw_git_odb_open(&own, spelled) == 0, own != nil else { return }
        }
        defer { if let own { kw_git_odb_free(own) } }
        guard let odb = own ?? shared else { return }
        let differ = TreeDiffer(odb: odb, packs: sharedPacks())
        while let (number, items) = pop() {
            let output = differ.run(items)
            state.withLock { $0.outputs[number] = output }
        }
    }

    /// The batches' outputs in the order they were pushed (taken: the queue keeps none of them).
    func takeOutputs() -> [TreeDiffer.Output] {
        state.withLock { s in
            let outputs = s.outputs.keys.sorted().compactMap { s.outputs[$0] }
            s.outputs = [:]
            return outputs
        }
    }
}
