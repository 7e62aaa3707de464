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
