import Foundation
import SystemSupport
import Testing

/// Paths a scanned repository names stay inside the folder keywarden chose, with no link on the way.
@Suite struct ContainedPathTests {
    private func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kw-contained-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/root/sub", withIntermediateDirectories: true)
        return path
    }

    @Test func refusesAbsolutePathsClimbingAndLinks() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = dir + "/root"
        #expect(try ContainedPath.resolve("sub/report.json", under: root) == root + "/sub/report.json")
        #expect(try ContainedPath.resolve("new/folder/file", under: root) == root + "/new/folder/file")
        #expect(throws: SystemError.self) { try ContainedPath.resolve("/etc/passwd", under: root) }
        #expect(throws: SystemError.self) { try ContainedPath.resolve("../outside", under: root) }
        #expect(throws: SystemError.self) { try ContainedPath.resolve("sub/../../outside", under: root) }
        try FileManager.default.createSymbolicLink(atPath: root + "/out", withDestinationPath: dir)
        #expect(throws: SystemError.self) { try ContainedPath.resolve("out/file", under: root) }
        #expect(throws: SystemError.self) { try ContainedPath.resolve("out", under: root) }
    }

    @Test func appendsOnlyBelowTheFolderCreatingPrivateFiles() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = dir + "/root"
        let fd = try ContainedPath.openForAppending("keywarden/audit.jsonl", under: root)
        close(fd)
        var info = stat()
        #expect(stat(root + "/keywarden/audit.jsonl", &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(root + "/keywarden", &info) == 0 && info.st_mode & 0o777 == 0o700)
        // A link as the folder or as the file: refused, nothing written outside.
        try FileManager.default.createSymbolicLink(atPath: root + "/linked", withDestinationPath: dir)
        #expect(throws: SystemError.self) { try ContainedPath.openForAppending("linked/audit.jsonl", under: root) }
        #expect(!FileManager.default.fileExists(atPath: dir + "/audit.jsonl"))
        FileManager.default.createFile(atPath: dir + "/victim", contents: Data("v\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: root + "/sub/log", withDestinationPath: dir + "/victim")
        #expect(throws: SystemError.self) { try ContainedPath.openForAppending("sub/log", under: root) }
        #expect(try String(contentsOfFile: dir + "/victim", encoding: .utf8) == "v\n")
        #expect(throws: SystemError.self) { try ContainedPath.openForAppending("../escape", under: root) }
    }

    @Test func newOutputFilesArePrivate() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write(Array("{}".utf8), to: dir + "/report.json",
                             options: .init(writesThroughSpecialFiles: true, newFileMode: 0o600))
        var info = stat()
        #expect(stat(dir + "/report.json", &info) == 0 && info.st_mode & 0o077 == 0)
    }
}
