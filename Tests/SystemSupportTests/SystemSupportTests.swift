import Foundation
import Synchronization
@testable import SystemSupport
import Testing

private func scratch() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("kw-support-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func mode(_ path: String) -> mode_t {
    var info = stat()
    return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
}

@Suite struct AtomicFileTests {
    @Test func replacesKeepingTheModeAndLeavesNothingBehind() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.txt"
        try AtomicFile.write(Array("one\n".utf8), to: path)
        chmod(path, 0o640)
        try AtomicFile.write(Array("two\n".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two\n")
        #expect(mode(path) == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.txt"])
    }

    @Test func setsAnExactModeOrACreateMode() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write(Array("#!/bin/sh\n".utf8), to: dir + "/hook", options: .init(mode: .exactly(0o755)))
        #expect(mode(dir + "/hook") == 0o755)
        try AtomicFile.write(Array("x".utf8), to: dir + "/ledger", options: .init(mode: .create(0o600), durable: true))
        chmod(dir + "/ledger", 0o644)
        try AtomicFile.write(Array("y".utf8), to: dir + "/ledger", options: .init(mode: .create(0o600), durable: true))
        #expect(mode(dir + "/ledger") == 0o600)
    }

    @Test func refusesASymbolicLinkToAFileAndWritesDevicesInPlace() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write(Array("old".utf8), to: dir + "/target")
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/target")
        #expect(throws: SystemError.self) {
            try AtomicFile.write(Array("new".utf8), to: dir + "/link", options: .init(writesThroughSpecialFiles: true))
        }
        #expect(try String(contentsOfFile: dir + "/target", encoding: .utf8) == "old", "the link's target is untouched")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link") == dir + "/target")
        // A character device (and a link to one, like /dev/stdout) is still written in place.
        try AtomicFile.write(Array("x".utf8), to: "/dev/null", options: .init(writesThroughSpecialFiles: true))
        try FileManager.default.createSymbolicLink(atPath: dir + "/null", withDestinationPath: "/dev/null")
        try AtomicFile.write(Array("x".utf8), to: dir + "/null", options: .init(writesThroughSpecialFiles: true))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/null") == "/dev/null")
    }

    @Test func aMissingFolderNamesTheStepAndTheReason() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect {
            try AtomicFile.write(Array("x".utf8), to: dir + "/no/such/file")
        } throws: { error in
            guard let e = error as? SystemError else { return false }
            return e.code == .io && e.number == ENOENT && "\(e)" == "cannot create: " + e.reason
        }
    }
}

@Suite struct WorkerPoolTests {
    @Test(arguments: [1, 3, 8]) func everyIndexIsClaimedOnce(threads: Int) {
        let seen = Mutex<[Int]>([])
        WorkerPool(threads: threads).run(count: 1000, chunk: 7) { _, claim in
            var local: [Int] = []
            while let range = claim() { local += range }
            seen.withLock { $0 += local }
        }
        #expect(seen.withLock { $0.sorted() } == Array(0..<1000))
    }

    @Test func workersAreBoundedAndAtLeastOne() {
        #expect(WorkerPool(threads: 8, atMost: 3).workers == 3)
        #expect(WorkerPool(threads: 8, atMost: 0).workers == 1)
        #expect(WorkerPool(threads: 0).workers == WorkerPool.processorCount)
    }

    @Test func oneWorkerRunsOnTheCallingThread() {
        let caller = pthread_self()
        let same = Mutex(false)
        WorkerPool(threads: 4, atMost: 1).run(count: 1) { worker, _ in
            same.withLock { $0 = worker == 0 && pthread_equal(pthread_self(), caller) != 0 }
        }
        #expect(same.withLock { $0 })
    }
}

@Suite struct DirectoryWalkerTests {
    @Test func walksInNameOrderEnteringWhatTheCallerAllows() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for folder in ["b", "a/deep", "skip"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + folder, withIntermediateDirectories: true)
        }
        for file in ["z.txt", "b/1", "a/deep/2", "skip/3"] { _ = FileManager.default.createFile(atPath: dir + "/" + file, contents: Data()) }
        var files: [String] = []
        DirectoryWalker.walk(dir + "/", sorted: true, visit: { entry in
            if entry.kind == .regular { files.append(entry.relative) }
            return entry.kind == .directory && entry.name != "skip" ? .enter : .skip
        }, cannotList: { _, _ in })
        #expect(files == ["a/deep/2", "b/1", "z.txt"])
    }

    @Test func aFolderThatCannotBeListedGoesToTheCaller() throws {
        var failed: [String] = []
        DirectoryWalker.walk("/no/such/folder", sorted: false, visit: { _ in .skip }, cannotList: { path, error in
            failed.append("\(path): \(error.reason)")
        })
        #expect(failed == ["/no/such/folder: No such file or directory"])
    }
}

@Suite struct TerminalStyleTests {
    @Test func appliesOnlyWhenEnabled() {
        #expect(TerminalStyle.red.apply("x", enabled: true) == "\u{1B}[31mx\u{1B}[0m")
        #expect((TerminalStyle.bold + .yellow).apply("!", enabled: true) == "\u{1B}[1;33m!\u{1B}[0m")
        #expect(TerminalStyle.dim.apply("x", enabled: false) == "x")
    }
}

/// Populating fresh memory only faults its pages in: what is already there stays, whatever the size and alignment.
@Suite struct FreshMemoryTests {
    @Test(arguments: [FreshMemory.populateFrom - 1, FreshMemory.populateFrom, FreshMemory.populateFrom * 4 + 123])
    func populatingKeepsTheContents(_ size: Int) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size + 1, alignment: 1)
        defer { raw.deallocate() }
        // One byte in: the buffer does not start on a page boundary.
        let base = raw + 1
        for i in 0..<size { base.storeBytes(of: UInt8(truncatingIfNeeded: i &* 31 &+ i >> 9), toByteOffset: i, as: UInt8.self) }
        FreshMemory.populate(base, size)
        var same = true
        for i in 0..<size where base.load(fromByteOffset: i, as: UInt8.self) != UInt8(truncatingIfNeeded: i &* 31 &+ i >> 9) { same = false }
        #expect(same)
    }
}

@Suite struct PhaseClockTests {
    @Test func theLineGivesEachMarkSinceTheFirstInMilliseconds() {
        let line = PhaseClock.line([("main", 10.0), ("parsed", 10.0004), ("rules loaded", 10.0123), ("scanned", 10.02)])
        #expect(line == "ms since main: parsed 0.4, rules loaded 12.3, scanned 20.0")
        #expect(PhaseClock.line([]) == nil)
        #expect(PhaseClock.line([("main", 1.0)]) == "ms since main:")
    }
}

/// Threads started on another core than their creator's, then allowed back on every core the process may use.
@Suite struct SpreadThreadsTests {
    static func allowedCores() -> [UInt8] { SpreadThreads.allowedCores() }

    @Test(arguments: [1, 2, 5]) func everyCallRunsOnceEachOnItsOwnThreadButTheFirst(count: Int) {
        let caller = pthread_self()
        let calls = Mutex<[(index: Int, onCaller: Bool)]>([])
        SpreadThreads.run(count) { i in
            let here = pthread_equal(pthread_self(), caller) != 0
            calls.withLock { $0.append((i, here)) }
        }
        let made = calls.withLock { $0 }
        #expect(made.map(\.index).sorted() == Array(0..<count))
        #expect(made.filter(\.onCaller).map(\.index) == [0])
    }

    @Test func aStartedThreadEndsUpAllowedOnTheCallersCores() {
        let expected = Self.allowedCores()
        #expect(!expected.isEmpty)
        let seen = Mutex<[[UInt8]]>([])
        SpreadThreads.run(3) { i in
            guard i > 0 else { return }
            seen.withLock { $0.append(Self.allowedCores()) }
        }
        let masks = seen.withLock { $0 }
        #expect(masks.count == 2)
        #expect(masks.allSatisfy { $0 == expected }, "a worker kept a narrowed set of cores")
    }

    @Test func aBackgroundResultIsComputedOnAnotherThread() throws {
        let caller = pthread_self()
        let result = BackgroundResult<Bool, Never> { pthread_equal(pthread_self(), caller) == 0 }
        #expect(result.result())
        #expect(result.result(), "a second call returns the same value")
    }
}
