internal import Foundation
import Synchronization

/// A fixed number of worker threads that share out the indices `0..<count` through one atomic counter:
/// each worker claims the next chunk when it is done with its last, so a slow input holds up one worker,
/// not the others. Workers keep their own scratch state and merge it once at the end.
public struct WorkerPool: Sendable {
    /// How many workers `run` starts (at least one).
    public let workers: Int

    /// `threads` workers (0: one per core), but never more than `limit`.
    public init(threads: Int = 0, atMost limit: Int = .max) {
        let wanted = threads > 0 ? threads : Self.processorCount
        workers = max(1, min(wanted, limit))
    }

    /// The cores this process may use.
    public static var processorCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Calls `body` once on each worker and returns when every call has returned. With one worker the call
    /// runs on the calling thread: a hook's single file or a small change is scanned faster than a thread
    /// pool starts.
    ///
    /// - Parameters:
    ///   - count: the number of indices to share out.
    ///   - chunk: how many consecutive indices one claim hands out.
    ///   - body: gets the worker's number (`0..<workers`) and `claim`, which returns the next range of
    ///     indices, or nil when none are left.
    public func run(count: Int, chunk: Int = 1,
                    _ body: @Sendable (_ worker: Int, _ claim: () -> Range<Int>?) -> Void) {
        let next = ClaimCounter()
        let step = max(1, chunk)
        let claim: @Sendable () -> Range<Int>? = {
            let first = next.value.add(step, ordering: .relaxed).oldValue
            return first < count ? first..<min(first + step, count) : nil
        }
        if workers == 1 {
            body(0, claim)
        } else {
            // Threads of their own, started on the other cores (SpreadThreads), rather than Dispatch's workers,
            // which could start a tick late and leave the caller doing all the work alone. Every thread
            // has returned when `run` does, so `body` does not outlive this call.
            withoutActuallyEscaping(body) { body in
                SpreadThreads.run(workers) { worker in body(worker, claim) }
            }
        }
    }
}

/// The next index to hand out, shared by the workers of one `run`.
private final class ClaimCounter: Sendable {
    let value = Atomic<Int>(0)
}
