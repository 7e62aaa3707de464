import FuzzSupport
import Foundation
@testable import GitRepository

/// The `.git/index` reader of the staged fast path (versions 2 to 4, the cached-tree extension).
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let index = IndexFile(bytes: Array(bytes)) else { return }
    for entry in index.entries { _ = index.path(entry).count }
    var pending = index.cachedTree.map { [$0] } ?? []
    while let node = pending.popLast() {
        _ = node.child(node.name[...])
        let children = node.children
        // Every direct child is found again by its name (the lookup skips whole subtrees).
        for c in children where node.child(c.name) == nil { fatalError("a cached tree's child is not found by its name") }
        pending += children
    }
}

FuzzSupport.run(fuzzOne)
