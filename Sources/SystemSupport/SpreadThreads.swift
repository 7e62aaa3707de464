internal import CThreadStart
#if canImport(Glibc)
internal import Glibc
#endif

/// Threads started on a core other than the caller's (`keywarden_thread_start`): a thread created while its
/// creator keeps running otherwise waited on the creator's core for the scheduler's next balancing tick,
/// 1.5 to 3.8 ms on the two-core virtual machines these benchmarks run on, where it started in about 0.1 ms
/// this way. Used for the start-up work done beside the main thread (`BackgroundResult`) and for the workers
/// of `WorkerPool`.
enum SpreadThreads {
    /// Starts `body` on a new thread; its id, or nil when no thread could be made (`body` is not run).
    static func start(_ body: @escaping @Sendable () -> Void, detached: Bool) -> pthread_t? {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        guard keywarden_thread_start(threadEntry, box, detached ? 1 : 0, &thread) == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(box).release()
            return nil
        }
        return thread
    }

    /// The calling thread's allowed cores (the raw bytes of its CPU set; empty when they cannot be read).
    static func allowedCores() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 1024)
        let n = keywarden_thread_allowed_cores(&bytes, bytes.count)
        return n > 0 ? Array(bytes.prefix(n)) : []
    }

    /// Calls `work(i)` for each `i` in `0..<count`: 0 on this thread, the others each on a thread of its own;
    /// returns when every call has returned. A call whose thread could not be made runs here, after the
    /// others have started.
    static func run(_ count: Int, _ work: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { work(0) }
            return
        }
        var started: [pthread_t] = []
        var here: [Int] = [0]
        for i in 1..<count {
            if let thread = start({ work(i) }, detached: false) { started.append(thread) } else { here.append(i) }
        }
        for i in here { work(i) }
        for thread in started { pthread_join(thread, nil) }
    }
}

/// What a started thread runs, handed over retained.
private final class ThreadBody: @unchecked Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

private func threadEntry(_ raw: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let raw else { return nil }
    Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue().body()
    return nil
}
