import Synchronization
import Testing
@testable import SecretScanner

@Suite struct HistoryProgressTests {
    @Test func lineBeforeAndDuringReading() {
        let walking = HistoryProgress(commits: 0, blobsDone: 0, blobsTotal: 0, bytes: 0, seconds: 2.7)
        #expect(walking.line == "history: walking commits and trees (2 s)")
        let reading = HistoryProgress(commits: 20_000, blobsDone: 1_234, blobsTotal: 52_378, bytes: 12_897_485,
                                      seconds: 3, readingSeconds: 2)
        #expect(reading.line == "history: 20000 commits, blobs 1234/52378, 12.3 MB, 6.2 MB/s")
        let justStarted = HistoryProgress(commits: 5, blobsDone: 0, blobsTotal: 9, bytes: 0, seconds: 1)
        #expect(justStarted.line == "history: 5 commits, blobs 0/9, 0.0 MB, 0.0 MB/s")
    }

    @Test func tickerReportsTheFinalCountsWhenStopped() {
        let last = Mutex<HistoryProgress?>(nil)
        let ticker = ProgressTicker { p in last.withLock { $0 = p } }
        ticker.commits.store(3, ordering: .relaxed)
        ticker.blobsTotal.store(2, ordering: .relaxed)
        ticker.blobsDone.add(2, ordering: .relaxed)
        ticker.bytes.add(10, ordering: .relaxed)
        ticker.stop()
        let final = last.withLock { $0 }
        #expect(final?.commits == 3 && final?.blobsDone == 2 && final?.blobsTotal == 2 && final?.bytes == 10)
    }
}
