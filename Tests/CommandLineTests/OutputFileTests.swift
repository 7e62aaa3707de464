import Foundation
import Testing
@testable import keywarden

@Suite struct OutputFileTests {
    private func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kw-report-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesANewFileAndReplacesAnOldOneKeepingItsMode() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/report.json"
        try OutputFile.write("first\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")
        chmod(path, 0o600)
        try OutputFile.write("second\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        // Nothing temporary is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["report.json"])
    }

    @Test func aDeviceIsWrittenNotReplaced() throws {
        try OutputFile.write("discarded\n", to: "/dev/null")
        var info = stat()
        #expect(lstat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func aSymbolicLinkToAFileIsRefusedAndANewFileIsPrivate() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "old\n".write(toFile: dir + "/target.ics", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.ics", withDestinationPath: dir + "/target.ics")
        #expect { try OutputFile.write("new\n", to: dir + "/link.ics") } throws: { "\($0)".contains("symbolic link") }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.ics") == dir + "/target.ics")
        #expect(try String(contentsOfFile: dir + "/target.ics", encoding: .utf8) == "old\n")
        try OutputFile.write("fresh\n", to: dir + "/new.ics")
        var info = stat()
        #expect(stat(dir + "/new.ics", &info) == 0 && info.st_mode & 0o077 == 0, "created 0600 (less the umask)")
    }

    @Test func aMissingDirectoryIsAClearError() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect {
            try OutputFile.write("x", to: dir + "/no/such/dir/report.json")
        } throws: { error in
            "\(error)".contains("No such file or directory")
        }
    }
}

@Suite struct ByteSizeTests {
    @Test func readsSizesWithUnits() {
        #expect(ByteSize.parse("100M") == 100 << 20)
        #expect(ByteSize.parse(" 5k ") == 5 << 10)
        #expect(ByteSize.parse("2G") == 2 << 30)
        #expect(ByteSize.parse("12") == 12)
        #expect(ByteSize.parse("12B") == 12)
        #expect(ByteSize.parse("abc") == nil)
        #expect(ByteSize.parse("M") == nil)
        #expect(ByteSize.parse("") == nil)
    }
}
