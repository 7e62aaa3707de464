import Foundation
import GitRepository
import Testing
import TestSupport

@Suite struct HistoryTests {
    func text(_ lines: [String]) -> String { lines.map { $0 + "\n" }.joined() }

    func blob(_ plan: HistoryPlan, _ hex: String) -> HistoryBlob? { plan.blobs.first { $0.id.hex == hex } }

    @Test func eachUniqueBlobIsListedOnceWithEveryPath() throws {
        let f = try Fixture()
        let shared = text(["shared = " + FakeKeys.alnum(30)])
        try f.commit("one", ["a.txt": shared])
        try f.commit("two", ["a.txt": text(["changed"])])
        try f.commit("three", ["copy/b.txt": shared])
        let plan = try f.open().historyPlan()
        #expect(plan.commitCount == 3)
        #expect(plan.blobs.count == 2)
        let sharedBlob = try #require(blob(plan, try f.blobID("HEAD:copy/b.txt")))
        #expect(sharedBlob.paths == ["a.txt", "copy/b.txt"])
        #expect(try f.open().blobContent(sharedBlob.id) == Array(shared.utf8))
        #expect(plan.errors.isEmpty)
        #expect(!plan.isShallow)
    }

    @Test func provenanceGivesTheFirstCommitTheCountAndWhetherTheTipHasIt() throws {
        let f = try Fixture()
        try f.commit("base", ["readme.txt": "hello\n"], date: 1_700_000_000)
        let secretFile = text(["token = " + FakeKeys.alnum(40)])
        let introducing = try f.commit("add config", ["config.env": secretFile], date: 1_700_000_100)
        try f.commit("unrelated", ["readme.txt": "hello again\n"], date: 1_700_000_200)
        try f.commit("unrelated too", ["other.txt": "x\n"], date: 1_700_000_300)
        let secretBlob = try f.blobID("HEAD:config.env")
        try f.git("rm", "-q", "config.env")
        try f.commit("remove config", date: 1_700_000_400)
        let kept = text(["kept = " + FakeKeys.alnum(40)])
        let keptCommit = try f.commit("kept", ["kept.env": kept], date: 1_700_000_500)
        let keptBlob = try f.blobID("HEAD:kept.env")

        let repo = try f.open()
        let plan = try repo.historyPlan()
        let pairs = [BlobPath(blob: try #require(ObjectID(hex: secretBlob)), path: "config.env"),
                     BlobPath(blob: try #require(ObjectID(hex: keptBlob)), path: "kept.env")]
        let provenance = try repo.provenance(of: pairs, in: plan)
        #expect(provenance.count == 2)
        let deleted = provenance[0]
        #expect(deleted.firstCommit.id.hex == introducing)
        #expect(deleted.firstCommit.summary == "add config")
        #expect(deleted.firstCommit.authorName == "Test Author")
        #expect(deleted.firstCommit.authorEmail == "author@example.com")
        #expect(deleted.firstCommit.authorTime == 1_700_000_100 && deleted.firstCommit.authorTimeZoneMinutes == 0)
        #expect(deleted.commitCount == 3)
        #expect(!deleted.isInTip)
        let present = provenance[1]
        #expect(present.firstCommit.id.hex == keptCommit)
        #expect(present.commitCount == 1)
        #expect(present.isInTip)
        _ = secretFile
    }

    @Test func allReferencesOrOneBranch() throws {
        let f = try Fixture()
        try f.commit("base", ["a.txt": "a\n"])
        try f.git("checkout", "-q", "-b", "feature")
        try f.commit("feature only", ["feature.txt": "only on the branch\n"])
        try f.git("checkout", "-q", "main")
        let featureBlob = try f.blobID("feature:feature.txt")
        let repo = try f.open()
        #expect(blob(try repo.historyPlan(), featureBlob) != nil)
        let mainOnly = try repo.historyPlan(branch: "main")
        #expect(blob(mainOnly, featureBlob) == nil)
        #expect(mainOnly.commitCount == 1)
        let error = #expect(throws: GitError.self) { try repo.historyPlan(branch: "no-such-branch") }
        #expect(error?.code == .invalidRevision)
    }

    @Test func mergesCountAlongFirstParents() throws {
        let f = try Fixture()
        try f.commit("base", ["a.txt": "a\n"])
        try f.git("checkout", "-q", "-b", "feature")
        let branchCommit = try f.commit("on branch", ["secret.env": "key = \(FakeKeys.alnum(30))\n"])
        try f.git("checkout", "-q", "main")
        try f.commit("on main", ["b.txt": "b\n"])
        try f.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
        try f.commit("after merge", ["c.txt": "c\n"])
        let secret = try #require(ObjectID(hex: try f.blobID("HEAD:secret.env")))
        let repo = try f.open()
        let plan = try repo.historyPlan()
        #expect(plan.commitCount == 5)
        let provenance = try #require(try repo.provenance(of: [BlobPath(blob: secret, path: "secret.env")], in: plan).first)
        #expect(provenance.firstCommit.id.hex == branchCommit)
        // The branch commit, the merge and the commit after it.
        #expect(provenance.commitCount == 3)
        #expect(provenance.isInTip)
    }

    @Test func aBareRepositoryWorks() throws {
        let f = try Fixture()
        try f.commit("one", ["a.txt": "a\n"])
        try f.commit("two", ["dir/b.txt": "b\n"])
        let bare = try TemporaryDirectory()
        try Run.git(["clone", "-q", "--bare", f.root, bare.path("repo.git")], in: bare.path())
        let repo = try GitRepository.open(at: bare.path("repo.git"), environment: [:])
        #expect(repo.isBare)
        let plan = try repo.historyPlan()
        #expect(plan.commitCount == 2)
        #expect(Set(plan.blobs.flatMap(\.paths)) == ["a.txt", "dir/b.txt"])
    }

    @Test func aShallowClonePlanCoversWhatItHasAndIsMarkedShallow() throws {
        let f = try Fixture()
        for i in 1...4 { try f.commit("commit \(i)", ["file\(i).txt": "content \(i)\n"]) }
        let clone = try TemporaryDirectory()
        try Run.git(["clone", "-q", "--depth", "2", "file://" + f.root, clone.path("shallow")], in: clone.path())
        let repo = try GitRepository.open(at: clone.path("shallow"), environment: [:])
        #expect(repo.isShallow)
        let plan = try repo.historyPlan()
        #expect(plan.isShallow)
        #expect(plan.commitCount == 2)
        #expect(plan.errors.isEmpty)
        // The boundary commit counts as a root: everything it holds is listed.
        #expect(Set(plan.blobs.flatMap(\.paths)) == ["file1.txt", "file2.txt", "file3.txt", "file4.txt"])
    }

    /// Path of a loose object file.
    func looseObject(_ f: Fixture, _ hex: String) -> String {
        f.directory.path(".git/objects/\(hex.prefix(2))/\(hex.dropFirst(2))")
    }

    @Test func aMissingBlobIsAnErrorForThatBlobOnly() throws {
        let f = try Fixture()
        try f.commit("one", ["a.txt": "first\n", "b.txt": "second\n"])
        let missing = try f.blobID("HEAD:a.txt")
        try FileManager.default.removeItem(atPath: looseObject(f, missing))
        let repo = try f.open()
        let plan = try repo.historyPlan()
        #expect(plan.blobs.count == 2)
        let error = #expect(throws: GitError.self) { try repo.blobContent(try #require(ObjectID(hex: missing))) }
        #expect(error?.code == .corruptObject)
        #expect(error?.message.contains(missing) == true)
        #expect(try repo.blobContent(try #require(ObjectID(hex: try f.blobID("HEAD:b.txt")))) == Array("second\n".utf8))
    }

    @Test func aMissingTreeIsListedAndTheWalkGoesOn() throws {
        let f = try Fixture()
        try f.commit("one", ["lost/a.txt": "a\n", "kept.txt": "k\n"])
        try f.commit("two", ["later.txt": "l\n"])
        let lostTree = try f.blobID("HEAD~1:lost")
        try FileManager.default.removeItem(atPath: looseObject(f, lostTree))
        let plan = try f.open().historyPlan()
        #expect(plan.errors.count == 1)
        #expect(plan.errors.first?.code == .corruptObject)
        #expect(plan.errors.first?.message.contains(lostTree) == true)
        #expect(Set(plan.blobs.flatMap(\.paths)) == ["kept.txt", "later.txt"])
    }

    @Test func packedHistoryIsReadInDeltaOrderWithTheSameContent() throws {
        let f = try Fixture()
        var lines = (1...200).map { "line \($0) " + String(repeating: "x", count: 40) }
        for i in 0..<12 {
            lines[i * 7] = "edit \(i) " + FakeKeys.alnum(20)
            try f.commit("edit \(i)", ["big.txt": text(lines)])
        }
        try f.git("gc", "-q", "--aggressive")
        let repo = try f.open()
        let plan = try repo.historyPlan()
        #expect(plan.blobs.count == 12)
        #expect(Set(plan.blobs.map(\.id)).count == 12)
        for entry in plan.blobs {
            let bytes = try repo.blobContent(entry.id)
            let viaGit = try f.git("cat-file", "blob", entry.id.hex)
            #expect(bytes == Array(viaGit.utf8))
        }
    }

    /// The tree diffs read trees straight from the packs where they can (and through libgit2 where not: loose
    /// trees written after the pack): the plan is the same as with every tree read through libgit2.
    @Test func treesReadFromThePacksGiveTheSamePlan() throws {
        let f = try Fixture()
        var files: [String: String] = [:]
        for i in 0..<40 {
            // Nested directories that change a little each commit (their trees become deltas of each other),
            // a file moved and one removed now and then.
            files["src/module\(i % 5)/file\(i % 7).txt"] = text(["version \(i)", FakeKeys.alnum(12)])
            files["docs/notes/n\(i % 3)/readme.md"] = text(["note \(i)"])
            try f.commit("commit \(i)", files)
            if i % 9 == 8 {
                try f.git("mv", "src/module\(i % 5)", "src/moved\(i)")
                try f.commit("move \(i)")
                files = files.filter { !$0.key.hasPrefix("src/module\(i % 5)/") }
            }
        }
        try f.git("gc", "-q", "--aggressive")
        for i in 0..<5 { files["late/l\(i).txt"] = text(["after the pack \(i)"]); try f.commit("late \(i)", files) }
        let repo = try f.open()
        let viaLibgit2 = try repo.historyPlan()
        let packs = PackedObjects(objectsDirectory: repo.objectsDirectory)
        var asked = 0
        let viaPacks = try repo.historyPlan(packs: { asked += 1; return packs })
        #expect(asked == 1)
        #expect(viaLibgit2.errors.isEmpty && viaPacks.errors.isEmpty)
        #expect(viaPacks.commitCount == viaLibgit2.commitCount)
        #expect(viaPacks.snapshot == viaLibgit2.snapshot)
        #expect(viaPacks.blobs.map(\.id) == viaLibgit2.blobs.map(\.id))
        #expect(viaPacks.blobs.map(\.paths) == viaLibgit2.blobs.map(\.paths))
        #expect(Set(viaPacks.blobs.flatMap(\.paths)).contains("late/l4.txt"))
        // The packed trees are readable by keywarden's own reader (so the diffs above did read them from the pack).
        let reader = try #require(PackedObjectReader(packs))
        for spec in ["HEAD~6^{tree}", "HEAD~6:src", "HEAD~20:docs/notes"] {
            let id = try #require(ObjectID(hex: try f.blobID(spec)))
            var size = -1
            #expect(reader.withObject(id, type: .tree, sizeLimit: 1 << 20) { size = $0.count } == .read, "\(spec)")
            #expect(size == Int(try f.git("cat-file", "-s", id.hex).trimmingCharacters(in: .whitespacesAndNewlines)), "\(spec)")
        }
    }

    @Test func symlinksAndSubmodulesAreNotListed() throws {
        let inner = try Fixture()
        try inner.commit("inner", ["inner.txt": "x\n"])
        let f = try Fixture()
        try f.commit("outer", ["outer.txt": "y\n"])
        try FileManager.default.createSymbolicLink(atPath: f.directory.path("link"), withDestinationPath: "outer.txt")
        try f.git("add", "link")
        try f.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", inner.root, "sub")
        try f.commit("link and submodule")
        let plan = try f.open().historyPlan()
        #expect(Set(plan.blobs.flatMap(\.paths)) == [".gitmodules", "outer.txt"])
    }

    @Test func aPlanReusingASnapshotIsTheSamePlanAndReadsOnlyNewCommits() throws {
        let f = try Fixture()
        try f.commit("base", ["a.txt": "a\n", "dir/b.txt": "b\n"], date: 1_700_000_000)
        try f.git("checkout", "-q", "-b", "feature")
        try f.commit("feature", ["dir/c.txt": "c\n"], date: 1_700_000_100)
        try f.git("checkout", "-q", "main")
        try f.commit("main", ["a.txt": "a2\n"], date: 1_700_000_200)
        let earlier = try f.open().historyPlan()
        #expect(earlier.reusedCommits == 0)

        // New commits, a merge, a deleted branch and a rewritten tip.
        try f.git("merge", "-q", "--no-ff", "-m", "merge", "feature")
        try f.commit("after", ["dir/b.txt": "b2\n", "e.txt": "e\n"], date: 1_700_000_300)
        try f.git("branch", "-q", "-D", "feature")
        try f.git("reset", "-q", "--hard", "HEAD~1")
        try f.commit("rewritten", ["dir/b.txt": "b3\n"], date: 1_700_000_400)

        let fresh = try f.open().historyPlan()
        let reused = try f.open().historyPlan(reusing: earlier.snapshot)
        #expect(reused.snapshot == fresh.snapshot)
        #expect(reused.blobs.map(\.id) == fresh.blobs.map(\.id))
        #expect(reused.blobs.map(\.paths) == fresh.blobs.map(\.paths))
        // The base, feature and main commits come from the snapshot; the merge and the rewritten tip are read.
        #expect(reused.commitCount == 5 && reused.reusedCommits == 3)
        // A snapshot of other commits changes nothing but the reuse count.
        let unrelated = try Fixture()
        try unrelated.commit("other", ["x.txt": "x\n"])
        let other = try f.open().historyPlan(reusing: try unrelated.open().historyPlan().snapshot)
        #expect(other.snapshot == fresh.snapshot && other.reusedCommits == 0)
    }
}
