import Foundation
import SystemSupport
import Testing

/// `ProcessExit` waits for the child's exit (not just its output): once `wait()` returns the child has been
/// reaped and its status is final, for a child that exits at once and for one that outlives its output.
@Suite struct ProcessExitTests {
    func launch(_ path: String, _ arguments: [String]) throws -> (Process, ProcessExit) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        return (process, try ProcessExit(launching: process))
    }

    @Test func theStatusIsFinalOnceTheWaitReturns() throws {
        let (failing, exit) = try launch("/bin/sh", ["-c", "exit 3"])
        exit.wait()
        #expect(!failing.isRunning)
        #expect(failing.terminationStatus == 3)
    }

    @Test func aChildThatClosesItsOutputFirstIsStillWaitedFor() throws {
        let out = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // Standard output closed at once, the exit 300 ms later.
        process.arguments = ["-c", "exec 1>&-; sleep 0.3; exit 5"]
        process.standardOutput = out
        let started = Date()
        let exit = try ProcessExit(launching: process)
        _ = out.fileHandleForReading.readDataToEndOfFile()
        exit.wait()
        #expect(Date().timeIntervalSince(started) >= 0.25)
        #expect(!process.isRunning && process.terminationStatus == 5)
    }

    @Test func aProgramThatCannotStartThrows() {
        #expect(throws: (any Error).self) { _ = try launch("/nonexistent/program", []) }
    }
}
