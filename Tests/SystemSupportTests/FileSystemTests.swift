import Foundation
import SystemSupport
import Testing

/// `FileSystem.type(of:)` gives statfs's type number, as `stat -f` prints it.
@Suite struct FileSystemTests {
    @Test func theTypeIsTheOneStatPrints() throws {
        let folder = FileManager.default.temporaryDirectory.path
        let out = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/stat")
        process.arguments = ["-f", "-c", "%t", folder]
        process.standardOutput = out
        let exit = try ProcessExit(launching: process)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        exit.wait()
        try #require(process.terminationStatus == 0)
        let printed = try #require(Int64(text.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16))
        #expect(FileSystem.type(of: folder) == printed)
        #expect(FileSystem.type(of: "/nonexistent/folder") == nil)
    }
}
