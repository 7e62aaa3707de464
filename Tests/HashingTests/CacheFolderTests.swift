import Foundation
@testable import Hashing
import Testing

/// The cache folder is used only when it can be trusted, and every file in it is authenticated.
@Suite struct CacheFolderTests {
    private func place() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("kw-cache-\(UUID().uuidString)").path
    }

    @Test func createsAPrivateFolderAndReadsBackWhatItWrote() throws {
        let dir = place()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = try #require(CacheFolder.trusted(dir + "/keywarden"))
        var info = stat()
        #expect(stat(dir + "/keywarden", &info) == 0 && info.st_mode & 0o777 == 0o700)
        cache.write("rules.bin", Array("payload".utf8))
        #expect(cache.read("rules.bin") == Array("payload".utf8))
        #expect(stat(dir + "/keywarden/rules.bin", &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(dir + "/keywarden/.key", &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    /// Sets `file`'s modification time to `daysAgo` days before now.
    private func age(_ file: String, daysAgo: Int) {
        var times = [timespec(tv_sec: time(nil) - daysAgo * 86_400, tv_nsec: 0), timespec(tv_sec: time(nil) - daysAgo * 86_400, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, file, &times, 0) == 0)
    }

    private func modified(_ file: String) -> Int {
        var info = stat()
        return stat(file, &info) == 0 ? Int(info.st_mtim.tv_sec) : -1
    }

    /// Each rule change leaves a prefilter database of about 2 MB: a write removes the files not used for 30 days
    /// (never the key, a writer's temporary or the file just written), and a read marks an old file as used.
    @Test func aWriteRemovesFilesNotUsedForAMonthAndAReadKeepsOneInUse() throws {
        let dir = place()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = try #require(CacheFolder.trusted(dir))
        for name in ["prefilter-0a1d.db", "rules-0a1d-v6.bin", "prefilter-05ed.db", "prefilter-0ece.db"] {
            cache.write(name, Array(name.utf8))
        }
        FileManager.default.createFile(atPath: dir + "/.rules-other.bin.keywarden-x.tmp", contents: Data("partial".utf8))
        // Files keywarden did not write (KEYWARDEN_CACHE_DIR may name a folder that holds others) are never removed,
        // whatever their age: other names, or a keywarden name without keywarden's mode.
        for name in ["notes.txt", "prefilter-zz.db", "rules-0a1d-v6.bin.orig"] {
            FileManager.default.createFile(atPath: dir + "/" + name, contents: Data("mine".utf8), attributes: [.posixPermissions: 0o600])
        }
        FileManager.default.createFile(atPath: dir + "/prefilter-0b.db", contents: Data("mine".utf8), attributes: [.posixPermissions: 0o644])
        for name in ["prefilter-0a1d.db", "rules-0a1d-v6.bin", "prefilter-05ed.db", ".key", ".rules-other.bin.keywarden-x.tmp",
                     "notes.txt", "prefilter-zz.db", "rules-0a1d-v6.bin.orig", "prefilter-0b.db"] {
            age(dir + "/" + name, daysAgo: 40)
        }
        age(dir + "/prefilter-0ece.db", daysAgo: 10)
        // Read 40 days after its last use: marked as used now.
        #expect(cache.read("prefilter-05ed.db") == Array("prefilter-05ed.db".utf8))
        #expect(time(nil) - modified(dir + "/prefilter-05ed.db") < 60)
        cache.write("prefilter-0e0.db", Array("new".utf8))
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        #expect(left == [".key", ".rules-other.bin.keywarden-x.tmp", "prefilter-05ed.db", "prefilter-0ece.db", "prefilter-0e0.db",
                         "notes.txt", "prefilter-zz.db", "rules-0a1d-v6.bin.orig", "prefilter-0b.db"])
        #expect(cache.read("prefilter-0ece.db") == Array("prefilter-0ece.db".utf8))
    }

    /// Over the size limit, the least recently used files go first, until the rest fit; the file just written stays.
    @Test func overTheSizeLimitTheLeastRecentlyUsedGoFirst() throws {
        let dir = place()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = try #require(CacheFolder.trusted(dir))
        let payload = [UInt8](repeating: 7, count: 1000)
        for (n, days) in [(1, 5), (2, 3), (3, 1), (4, 2)] {
            cache.write("prefilter-0\(n).db", payload)
            age(dir + "/prefilter-0\(n).db", daysAgo: days)
        }
        cache.write("prefilter-05.db", payload)
        // Five files of 1,032 bytes (payload and tag) with room for three: the two least recently used go.
        let removed = cache.prune(keeping: "prefilter-05.db", sizeLimit: 3 * 1032)
        #expect(removed.sorted() == ["prefilter-01.db", "prefilter-02.db"])
        #expect(cache.read("prefilter-03.db") == payload && cache.read("prefilter-04.db") == payload && cache.read("prefilter-05.db") == payload)
        #expect(cache.prune(keeping: "prefilter-05.db", sizeLimit: 3 * 1032).isEmpty)
    }

    @Test func onlyKeywardensOwnNamesAreCacheFiles() {
        for name in ["prefilter-0f3a.db", "prefilter-for-00990fe5bf278da83de6b70edc76557d", "rules-7ff087752751a75-v6.bin",
                     "plan-5be2c1d9a04e7f3b6c8d0e1f2a3b4c5d-v1.bin"] {
            #expect(CacheFolder.isCacheFileName(name), "\(name)")
        }
        for name in [".key", "prefilter-.db", "prefilter-XY.db", "prefilter-0f3a.db.tmp", "prefilter-for-", "rules-7ff0-v.bin",
                     "rules-7ff0-6.bin", "rules--v6.bin", "notes.txt", "rules-7ff0-v6.bin.bak",
                     "plan-7ff0.bin", "plan-7ff0-v.bin", "plan-XY-v1.bin"] {
            #expect(!CacheFolder.isCacheFileName(name), "\(name)")
        }
    }

    /// A file whose HMAC checked out is recorded by its stamp (device, inode, size, modification and change
    /// times) once its change time is over a second old; later reads of that very file skip the HMAC. Changing
    /// its bytes in place (even with the modification time set back), replacing it, or a tampered list brings
    /// the full check back, and a changed file whose HMAC fails is not used.
    @Test func aFileCheckedBeforeIsKnownByItsStampAndAnyChangeIsCheckedInFull() throws {
        let dir = place()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = try #require(CacheFolder.trusted(dir))
        // (The temporary folder is on a file system that keeps change times here; elsewhere there is nothing to test.)
        try #require(cache.keepsChangeTimes, "the temporary folder's file system is not one that keeps change times")
        let payload = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        cache.write("rules-0a1b-v6.bin", payload)
        // Too fresh to record: a change within the same clock tick would keep the same change time.
        #expect(cache.readTelling("rules-0a1b-v6.bin") == (payload, true))
        #expect(cache.readTelling("rules-0a1b-v6.bin") == (payload, true))
        usleep(1_100_000)
        #expect(cache.readTelling("rules-0a1b-v6.bin") == (payload, true))   // checked, now recorded
        #expect(cache.readTelling("rules-0a1b-v6.bin") == (payload, false))
        // Another process reads the list from the folder.
        #expect(FileManager.default.fileExists(atPath: dir + "/.verified"))
        #expect(!CacheFolder.isCacheFileName(".verified"))

        // The same size, one byte changed, the modification time set back: the change time gives it away.
        let file = dir + "/rules-0a1b-v6.bin"
        var before = stat()
        #expect(stat(file, &before) == 0)
        usleep(20_000)
        let fd = open(file, O_WRONLY)
        #expect(fd >= 0)
        var byte: UInt8 = 0x55
        #expect(pwrite(fd, &byte, 1, 100) == 1)
        var times = [before.st_atim, before.st_mtim]
        #expect(futimens(fd, &times) == 0)
        close(fd)
        #expect(cache.readTelling("rules-0a1b-v6.bin") == (nil, true))

        // Rewritten whole (a new inode): checked in full, then recorded again.
        cache.write("rules-0a1b-v6.bin", payload)
        #expect(cache.readTelling("rules-0a1b-v6.bin") == (payload, true))

        // A list written without the key is not used.
        usleep(1_100_000)
        #expect(cache.readTelling("rules-0a1b-v6.bin") == (payload, true))
        var list = try Data(contentsOf: URL(fileURLWithPath: dir + "/.verified"))
        list[0] ^= 0x01
        try list.write(to: URL(fileURLWithPath: dir + "/.verified"))
        let other = try #require(CacheFolder.trusted(dir))
        other.forgetVerified()
        #expect(other.readTelling("rules-0a1b-v6.bin") == (payload, true))
    }

    /// Hundreds of files in the list (a folder that kept the value probes of many rule sets): each name still gets
    /// its own stamp, also a name that begins another (`prefilter-for-0a`, `prefilter-for-0a0b`); a list changed
    /// anywhere is refused; an entry whose file was removed is dropped when the list is next written.
    @Test func aLongListGivesEachNameItsStamp() throws {
        let dir = place()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = try #require(CacheFolder.trusted(dir))
        try #require(cache.keepsChangeTimes, "the temporary folder's file system is not one that keeps change times")
        let names = (0..<300).map { String(format: "prefilter-%04x.db", $0) } + ["prefilter-for-0a", "prefilter-for-0a0b", "prefilter-for-0a0"]
        for name in names { cache.write(name, Array(name.utf8)) }
        usleep(1_100_000)
        for name in names { #expect(cache.readTelling(name) == (Array(name.utf8), true), "\(name)") }
        // As another process finds it.
        cache.forgetVerified()
        let list = cache.verifiedList()
        #expect(list.entries.count == names.count)
        for name in names {
            #expect(list.stamp(of: name) == CacheFolder.FileStamp(path: dir + "/" + name), "\(name)")
            #expect(list.entries[name] == CacheFolder.FileStamp(path: dir + "/" + name), "\(name)")
            #expect(cache.readTelling(name) == (Array(name.utf8), false), "\(name)")
        }
        #expect(list.stamp(of: "prefilter-for-0") == nil && list.stamp(of: "prefilter-0000.d") == nil && list.stamp(of: "") == nil)

        // Files removed, then another file recorded: their entries go, the others stay.
        for name in names.prefix(100) { unlink(dir + "/" + name) }
        cache.write("rules-0a1b-v6.bin", [1, 2, 3])
        usleep(1_100_000)
        #expect(cache.readTelling("rules-0a1b-v6.bin") == ([1, 2, 3], true))
        cache.forgetVerified()
        let kept = cache.verifiedList().entries
        #expect(Set(kept.keys) == Set(names.dropFirst(100) + ["rules-0a1b-v6.bin"]))
        #expect(cache.readTelling("prefilter-012b.db") == (Array("prefilter-012b.db".utf8), false))

        // One digit changed in the middle of the list (a stamp made to fit a changed file): the whole list is refused.
        let listFile = dir + "/.verified"
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: listFile)))
        let middle = try #require(bytes.indices.dropFirst(bytes.count / 2).first { bytes[$0] >= 0x30 && bytes[$0] <= 0x38 })
        bytes[middle] += 1
        try Data(bytes).write(to: URL(fileURLWithPath: listFile))
        cache.forgetVerified()
        #expect(cache.verifiedList().entries.isEmpty)
        #expect(cache.readTelling("prefilter-012b.db") == (Array("prefilter-012b.db".utf8), true))
    }

    /// The list read in bytes: the last line of a name wins, lines without a tab or a readable stamp are skipped, and
    /// a stamp is read as `UInt64(_:)`/`Int64(_:)` read its numbers (signs, leading zeros, runs of spaces, overflow).
    @Test func theListIsReadAsItWasWritten() {
        func stamp(_ text: String) -> CacheFolder.FileStamp? {
            Array(text.utf8).withUnsafeBytes { CacheFolder.FileStamp(line: $0) }
        }
        /// How the list was read before it was read in bytes.
        func reference(_ text: String) -> [Int64]? {
            let f = text.split(separator: " ")
            guard f.count == 5, let d = UInt64(f[0]), let i = UInt64(f[1]), let s = Int64(f[2]), let m = Int64(f[3]), let c = Int64(f[4])
            else { return nil }
            return [Int64(bitPattern: d), Int64(bitPattern: i), s, m, c]
        }
        let samples = ["1 2 3 4 5", " 1  2 3 4 5 ", "+1 -0 -3 +4 -5", "18446744073709551615 0 9223372036854775807 -9223372036854775808 0",
                       "18446744073709551616 0 0 0 0", "0 0 9223372036854775808 0 0", "0 0 0 -9223372036854775809 0", "-1 0 0 0 0",
                       "1 2 3 4", "1 2 3 4 5 6", "1 2 3 4 5x", "1 2 3 4 +", "1 2 - 4 5", "1\t2 3 4 5", "", " ", "0001 02 3 4 5",
                       "1 2 3 4 5\r", "١ 2 3 4 5"]
        for text in samples {
            let read = stamp(text).map { [Int64(bitPattern: $0.device), Int64(bitPattern: $0.inode), $0.size, $0.modified, $0.changed] }
            #expect(read == reference(text), "\(text.debugDescription)")
        }
        let list = CacheFolder.VerifiedList(text: Array("""
            a\t1 2 3 4 5
            b\t1 2 3 4 5

            no tab 1 2 3 4 5
            a\t6 7 8 9 10
            b\tbroken
            c\td\t1 2 3 4 5
            a b\t11 12 13 14 15
            last\t16 17 18 19 20
            """.utf8))
        #expect(list.stamp(of: "a").map(\.size) == 8 && list.entries["a"]?.size == 8)
        #expect(list.stamp(of: "b").map(\.size) == 3 && list.entries["b"]?.size == 3)
        #expect(list.stamp(of: "a b").map(\.size) == 13 && list.stamp(of: "last").map(\.size) == 18)
        #expect(list.stamp(of: "c") == nil && list.stamp(of: "c\td") == nil && list.stamp(of: "no tab 1") == nil)
        #expect(Set(list.entries.keys) == ["a", "b", "a b", "last"])
    }

    @Test func aLargeFileReadsBackWhole() throws {
        let dir = place()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = try #require(CacheFolder.trusted(dir))
        // Past the size from which the buffer is populated before the read, and not a whole number of pages.
        let payload = (0..<(CacheFolder.prefaultFrom * 3 + 123)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        cache.write("big.bin", payload)
        #expect(cache.read("big.bin") == payload)
    }

    @Test func aSwappedOrTamperedFileIsNotTrusted() throws {
        let dir = place()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = try #require(CacheFolder.trusted(dir))
        cache.write("rules.bin", Array("payload".utf8))
        // 16 bytes dropped in place of the file (the review's attack), a flipped bit, a file renamed to
        // another name: all read as absent, so the caller rebuilds.
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: dir + "/rules.bin")))
        try Data(repeating: 0, count: 16).write(to: URL(fileURLWithPath: dir + "/rules.bin"))
        #expect(cache.read("rules.bin") == nil)
        bytes[0] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/rules.bin"))
        #expect(cache.read("rules.bin") == nil)
        cache.write("a.bin", Array("one".utf8))
        try FileManager.default.copyItem(atPath: dir + "/a.bin", toPath: dir + "/b.bin")
        #expect(cache.read("b.bin") == nil)
        // A link in place of a file is never followed.
        cache.write("real.bin", Array("x".utf8))
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.bin", withDestinationPath: dir + "/real.bin")
        #expect(cache.read("link.bin") == nil)
    }

    @Test func aFolderOthersCanWriteOrALinkIsRefused() throws {
        let dir = place()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/open", withIntermediateDirectories: true)
        chmod(dir + "/open", 0o777)
        guard case .failure(let why) = CacheFolder.open(dir + "/open") else {
            Issue.record("a world-writable cache folder was trusted")
            return
        }
        #expect(why.description.contains("write"))
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/real")
        guard case .failure = CacheFolder.open(dir + "/link") else {
            Issue.record("a cache folder that is a symbolic link was trusted")
            return
        }
    }
}
