import FuzzSupport
import Foundation
@testable import GitRepository

/// The raw tree reader the history scan diffs trees with: every entry, its name and id, and git's
/// tree order between neighbours.
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) {
    let raw = UnsafeRawBufferPointer(bytes)
    var cursor = TreeCursor(raw)
    var previous: TreeEntry?
    while let entry = cursor.next() {
        precondition(entry.start < entry.nameStart && entry.nameEnd + 21 <= raw.count, "entry outside the tree")
        _ = entry.name(raw)
        _ = entry.id(raw)
        if let previous {
            _ = TreeEntry.compare(previous, raw, entry, raw)
            _ = entry.sameRecord(as: previous, raw, raw)
        }
        previous = entry
    }
}

FuzzSupport.run(fuzzOne)
