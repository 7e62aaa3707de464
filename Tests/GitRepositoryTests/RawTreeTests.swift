@testable import GitRepository
import Testing

/// Two versions of a tree share their first entries byte for byte: the diff skips them by parsing one tree only,
/// and lands both cursors on the first entry that can differ, or leaves them at the start when the shared part
/// cannot be parsed.
@Suite struct RawTreeTests {
    static func entry(_ mode: String, _ name: String, id: UInt8) -> [UInt8] {
        Array("\(mode) \(name)".utf8) + [0] + [UInt8](repeating: id, count: 20)
    }

    static func tree(_ entries: [[UInt8]]) -> [UInt8] { entries.flatMap { $0 } }

    /// Names of the entries a cursor gives from where it stands.
    static func rest(_ cursor: inout TreeCursor) -> [String] {
        var names: [String] = []
        while let e = cursor.next() { names.append(e.name(cursor.bytes)) }
        return names
    }

    @Test func sharedEntriesAtTheStartAreSkippedInBoth() {
        let old = Self.tree([Self.entry("100644", "a.txt", id: 1), Self.entry("100644", "b.txt", id: 2),
                             Self.entry("40000", "dir", id: 3), Self.entry("100644", "z.txt", id: 4)])
        // b.txt changed (its id's last byte) and a file added at the end.
        var newEntries = [Self.entry("100644", "a.txt", id: 1), Self.entry("100644", "b.txt", id: 2),
                          Self.entry("40000", "dir", id: 3), Self.entry("100644", "z.txt", id: 4), Self.entry("100644", "zz.txt", id: 5)]
        newEntries[1][newEntries[1].count - 1] = 9
        let new = Self.tree(newEntries)
        old.withUnsafeBytes { o in
            new.withUnsafeBytes { n in
                var a = TreeCursor(o), b = TreeCursor(n)
                a.skipSharedStart(with: &b)
                #expect(Self.rest(&a) == ["b.txt", "dir", "z.txt"])
                #expect(Self.rest(&b) == ["b.txt", "dir", "z.txt", "zz.txt"])
                #expect(!a.malformed && !b.malformed)
            }
        }
        // Only a change in the first entry: nothing is skipped.
        var first = old
        first[first.count / 8] ^= 0x01
        old.withUnsafeBytes { o in
            first.withUnsafeBytes { f in
                var a = TreeCursor(o), b = TreeCursor(f)
                a.skipSharedStart(with: &b)
                #expect(Self.rest(&a) == ["a.txt", "b.txt", "dir", "z.txt"])
            }
        }
    }

    @Test func aMalformedEntryInTheSharedPartIsStillReported() {
        let good = Self.entry("100644", "a.txt", id: 1)
        // The second entry has a mode digit 9 (not octal) in both trees; they differ only after it.
        let broken = Array("100944 b.txt".utf8) + [0] + [UInt8](repeating: 2, count: 20)
        let old = good + broken + Self.entry("100644", "c.txt", id: 3)
        let new = good + broken + Self.entry("100644", "c.txt", id: 4)
        old.withUnsafeBytes { o in
            new.withUnsafeBytes { n in
                var a = TreeCursor(o), b = TreeCursor(n)
                a.skipSharedStart(with: &b)
                #expect(Self.rest(&a) == [] && a.malformed)
                #expect(Self.rest(&b) == [] && b.malformed)
            }
        }
    }
}
