import Foundation
import Testing
import TestSupport

/// A history scan reads packed blobs with keywarden's own pack reader and loose ones through libgit2: the
/// report is the same whether the history is loose, packed with offset deltas or with reference deltas.
@Suite struct PackedHistoryTests {
    func report(_ dir: TemporaryDirectory, cache: String) throws -> (findings: [String], skipped: [String]) {
        let run = try Run.keywarden(["scan", "--history", "--no-cache", "--format", "json", "--max-file-size", "4K"],
                                    in: dir.path(), environment: ["KEYWARDEN_CACHE_DIR": cache])
        #expect(run.status == 1, "\(run.stderr.suffix(400))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]]).map { f in
            ["rule", "path", "line", "fingerprint", "commit", "occurrences", "in_head"].map { "\(f[$0] ?? "-")" }.joined(separator: " ")
        }
        let summary = try #require(json["summary"] as? [String: Any])
        return (findings.sorted(), try #require(summary["skipped"] as? [String]).sorted())
    }

    @Test func looseOffsetDeltaAndReferenceDeltaHistoriesGiveTheSameReport() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-packed-history")
        let cache = try TemporaryDirectory(prefix: "keywarden-packed-history-cache")
        try Run.git(["init", "-q", "-b", "main", "."], in: dir.path())
        // A config edited line by line (delta chains), a key that comes and goes, and a file that grows past
        // the size limit.
        var lines = (1...60).map { "setting_\($0) = " + FakeKeys.alnum(12) }
        var big = ""
        for i in 0..<16 {
            lines[(i * 7) % lines.count] = "setting_edit_\(i) = " + FakeKeys.alnum(12)
            if i == 3 { lines.insert("MX_API_KEY=" + FakeKeys.maintainX(userID: 100 + i), at: 10) }
            if i == 11 { lines.remove(at: 10) }
            big += String(repeating: "filler \(i) ", count: 40) + "\n"
            try dir.write("app.env", lines.joined(separator: "\n") + "\n")
            try dir.write("notes/big.txt", big)
            try Run.git(["add", "-A"], in: dir.path())
            try Run.git(["commit", "-q", "-m", "edit \(i)"], in: dir.path())
        }
        let loose = try report(dir, cache: cache.path())
        #expect(loose.findings.count == 1, "\(loose.findings)")
        #expect(loose.skipped.contains { $0.hasPrefix("notes/big.txt (blob ") && $0.contains("larger than the size limit") }, "\(loose.skipped)")
        for offsetDeltas in [true, false] {
            try Run.git(["-c", "repack.useDeltaBaseOffset=\(offsetDeltas)", "repack", "-adf", "-q", "--depth=30"], in: dir.path())
            let packed = try Run.git(["count-objects", "-v"], in: dir.path()).stdout
            #expect(packed.contains("count: 0"), "loose objects left: \(packed)")
            let again = try report(dir, cache: cache.path())
            #expect(again.findings == loose.findings, "offset deltas \(offsetDeltas)")
            #expect(again.skipped == loose.skipped, "offset deltas \(offsetDeltas)")
        }
    }
}
