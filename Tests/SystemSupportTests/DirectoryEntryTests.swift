import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SystemSupport
import Testing

/// `readdir`'s last record in its buffer may be shorter than a whole `dirent` and end right before an unmapped page.
@Suite struct DirectoryEntryTests {
    /// A record for a short name laid out as the last thing before a page nobody may read: the name is read up to
    /// its NUL. (Copying the whole 256-byte `d_name` first, as the readers did before, faults on the guard page.)
    @Test func aShortNameAtTheEndOfItsBufferIsReadWithoutTouchingThePageAfterIt() throws {
        let page = Int(getpagesize())
        let mapped = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        #expect(mapped != MAP_FAILED)
        defer { munmap(mapped, 2 * page) }
        #expect(mprotect(mapped + page, page, PROT_NONE) == 0)
        let name = Array("abc".utf8) + [0]
        let record = mapped + page - DirectoryEntry.nameOffset - name.count
        for (i, byte) in name.enumerated() { record.storeBytes(of: byte, toByteOffset: DirectoryEntry.nameOffset + i, as: UInt8.self) }
        #expect(DirectoryEntry.name(UnsafeRawPointer(record)) == "abc")
    }

    /// The names of a real directory come back whole, long and short, through `readdir`.
    @Test func namesFromReaddirAreTheFilesNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-direntry-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let names = ["a", String(repeating: "n", count: 255), "ünïcode-name.txt"]
        for n in names { close(open(folder + "/" + n, O_CREAT | O_WRONLY, 0o600)) }
        let dir = try #require(opendir(folder))
        defer { closedir(dir) }
        var seen: [String] = []
        while let entry = readdir(dir) {
            let n = DirectoryEntry.name(UnsafeRawPointer(entry))
            if n != "." && n != ".." { seen.append(n) }
        }
        #expect(seen.sorted() == names.sorted())
    }
}
