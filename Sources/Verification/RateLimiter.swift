import Foundation

/// A budget of requests per window: `count` requests in any `seconds`.
public struct RateLimit: Sendable, Equatable {
    public var count: Int
    public var seconds: Double

    public init(count: Int, seconds: Double) {
        self.count = max(1, count)
        self.seconds = max(0, seconds)
    }
}

/// A sliding-window limiter shared by every request to one provider, plus a pause a provider can impose
/// (`Retry-After`, `X-Rate-Limit-Reset`). Thread-safe.
final class RateLimiter: @unchecked Sendable {  // all state is behind `lock`
    private let limit: RateLimit
    private let lock = NSLock()
    private var sent: [Double] = []
    private var pausedUntil = 0.0
    private let clock: @Sendable () -> Double
    private let sleep: @Sendable (Double) -> Void

    init(_ limit: RateLimit, clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds,
         sleep: @escaping @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.limit = limit
        self.clock = clock
        self.sleep = sleep
    }

    static let monotonicSeconds: @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Takes one request from the budget, waiting at most `maxWait` seconds for room. Returns false (and takes
    /// nothing) when room would come later than that; the second value is how long it would have been.
    func acquire(maxWait: Double) -> (Bool, Double) {
        let start = clock()
        while true {
            lock.lock()
            let now = clock()
            sent.removeAll { $0 <= now - limit.seconds }
            var wait = max(0, pausedUntil - now)
            if wait == 0, sent.count >= limit.count, let oldest = sent.first {
                wait = oldest + limit.seconds - now
            }
            if wait <= 0 {
                sent.append(now)
                lock.unlock()
                return (true, 0)
            }
            lock.unlock()
            if now + wait - start > maxWait { return (false, wait) }
            sleep(min(wait, 1))
        }
    }

    /// Holds every request back until `seconds` from now (the provider asked for it).
    func pause(for seconds: Double) {
        lock.lock()
        pausedUntil = max(pausedUntil, clock() + seconds)
        lock.unlock()
    }
}
