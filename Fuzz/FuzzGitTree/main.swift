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
    // The same tree with one byte changed (where the first byte says): skipping the entries both share at
    // their start lands both cursors on one entry boundary of the original, at or before the change.
    guard raw.count > 1 else { return }
    var changed = Array(bytes)
    let at = Int(changed[0]) % changed.count
    changed[at] &+= 1
    changed.withUnsafeBytes { other in
        var a = TreeCursor(raw), b = TreeCursor(other)
        a.skipSharedStart(with: &b)
        guard let ea = a.next() else { return }
        precondition(ea.start <= at, "skipped past the change")
        if let eb = b.next() { precondition(eb.start == ea.start, "the cursors stopped apart") }
        var check = TreeCursor(raw)
        var boundary = false
        while let e = check.next() { if e.start == ea.start { boundary = true; break }; if e.start > ea.start { break } }
        precondition(boundary, "stopped inside an entry")
    }
}

FuzzSupport.run(fuzzOne)
