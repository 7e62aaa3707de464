import Foundation
import SystemSupport
import Testing

/// `BuildIdentity` reads the running program's GNU build id from its mapped image: the same id `readelf` reads
/// from the program's file on disk.
@Suite struct BuildIdentityTests {
    @Test func theBuildIDIsTheOneWrittenInTheProgramFile() throws {
        let program = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let out = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["readelf", "-n", program]
        process.standardOutput = out
        let exit = try ProcessExit(launching: process)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        exit.wait()
        try #require(process.terminationStatus == 0)
        let line = try #require(text.split(separator: "\n").first { $0.contains("Build ID:") })
        let fromFile = line.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) }
        let current = try #require(BuildIdentity.current)
        #expect(current.count >= 16)
        #expect(current == fromFile)
    }
}
