public import Foundation
import Synchronization

/// How far a history scan has got, for a progress line.
public struct HistoryProgress: Sendable, Equatable {
    /// Commits walked (known once the plan is made; 0 while it is being made).
    public var commits: Int
    /// Unique blobs read so far, and in all.
    public var blobsDone: Int
    public var blobsTotal: Int
    /// Bytes of blob content read so far.
    public var bytes: Int
    /// Seconds since the scan started, and since the reading of blobs started (0 before).
    public var seconds: Double
    public var readingSeconds: Double

    public init(commits: Int, blobsDone: Int, blobsTotal: Int, bytes: Int, seconds: Double, readingSeconds: Double = 0) {
        self.commits = commits
        self.blobsDone = blobsDone
        self.blobsTotal = blobsTotal
        self.bytes = bytes
        self.seconds = seconds
        self.readingSeconds = readingSeconds
    }

    /// One line: "history: 20000 commits, blobs 1234/52378, 12.3 MB, 45.6 MB/s" (or "walking the history"
    /// while the plan is being made).
    public var line: String {
        guard blobsTotal > 0 else { return "history: walking commits and trees (\(Int(seconds)) s)" }
        let mb = Double(bytes) / 1_048_576
        let rate = readingSeconds > 0 ? mb / readingSeconds : 0
        return "history: \(commits) commits, blobs \(blobsDone)/\(blobsTotal), \(DecimalText.fixed(mb, 1)) MB, \(DecimalText.fixed(rate, 1)) MB/s"
    }
}

/// Calls `report` about four times a second from a thread of its own until `stop()`, with what the
/// counters say; the scan's workers only bump atomics.
final class ProgressTicker: Sendable {
    let blobsDone = Atomic<Int>(0)
    let bytes = Atomic<Int>(0)
    let commits = Atomic<Int>(0)
    let blobsTotal = Atomic<Int>(0)
    /// When the reading of blobs started (uptime nanoseconds; 0 before).
    let readingStart = Atomic<UInt64>(0)
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let start = Date()
    private let report: @Sendable (HistoryProgress) -> Void

    init(report: @escaping @Sendable (HistoryProgress) -> Void) {
        self.report = report
        let thread = Thread { [self] in
            while !stopped.load(ordering: .acquiring) {
                report(snapshot())
                usleep(250_000)
            }
            finished.signal()
        }
        thread.start()
    }

    func snapshot() -> HistoryProgress {
        let reading = readingStart.load(ordering: .relaxed)
        let now = DispatchTime.now().uptimeNanoseconds
        return HistoryProgress(commits: commits.load(ordering: .relaxed), blobsDone: blobsDone.load(ordering: .relaxed),
                               blobsTotal: blobsTotal.load(ordering: .relaxed), bytes: bytes.load(ordering: .relaxed),
                               seconds: Date().timeIntervalSince(start),
                               readingSeconds: reading > 0 && now > reading ? Double(now - reading) / 1e9 : 0)
    }

    /// Stops the thread (waiting for it) and reports the final figures once more.
    func stop() {
        stopped.store(true, ordering: .releasing)
        finished.wait()
        report(snapshot())
    }
}
