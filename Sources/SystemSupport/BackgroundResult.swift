internal import Dispatch

/// A value computed on another thread while the caller does other start-up work (the prefilter while the
/// rules compile, the staged changes while the rules load); `result` waits for it. The value is handed
/// over once computed: the computing thread no longer touches it.
public final class BackgroundResult<Value, Failure: Error>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    // Written once by the computing thread before `finished` is signalled; read only after waiting for it.
    private var outcome: Result<Value, Failure>?

    /// Starts `work` on another thread and returns at once.
    public init(_ work: @escaping @Sendable () throws(Failure) -> Value) {
        let body: @Sendable () -> Void = { [self] in
            do throws(Failure) { outcome = .success(try work()) } catch { outcome = .failure(error) }
            finished.signal()
        }
        // A thread of its own, started on another core (`SpreadThreads`), rather than Dispatch's global queue,
        // whose worker started 1.5 ms or more after the call in a one-file scan's start-up.
        if SpreadThreads.start(body, detached: true) == nil { DispatchQueue.global(qos: .userInitiated).async(execute: body) }
    }

    /// The value, or the error `work` threw (waits for it; a second call returns at once).
    public func result() throws(Failure) -> Value {
        finished.wait()
        finished.signal()
        return try outcome!.get()
    }
}
