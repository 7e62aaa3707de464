import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Verifies keys for one run: at most `settings.concurrency` requests in flight, each provider within its
/// budget, and each distinct key (by fingerprint, partner and tenant) asked once however often it was found.
///
/// Requests run on threads the session starts, with `SIGPIPE` blocked on them (a peer closing a TLS
/// connection must not end the process).
public final class VerificationSession: @unchecked Sendable {  // mutable state is behind `lock`
    public let settings: VerificationSettings
    private let client: HTTPClient
    private let limiters: [String: RateLimiter]
    private let lock = NSLock()
    private var cache: [String: VerificationResult] = [:]

    public init(settings: VerificationSettings = VerificationSettings()) {
        self.settings = settings
        client = HTTPClient(settings: settings)
        var limiters = [String: RateLimiter]()
        for v in Verifiers.all { limiters[v.provider] = RateLimiter(settings.rateLimits[v.provider] ?? v.rateLimit) }
        self.limiters = limiters
    }

    /// Verifies one key (on a worker thread).
    public func verify(_ credential: Credential) -> VerificationResult {
        verify([credential])[0]
    }

    /// Verifies `credentials`, returning one result per credential in the same order.
    public func verify(_ credentials: [Credential]) -> [VerificationResult] {
        var unique: [String] = []
        var firstOf: [String: Credential] = [:]
        for c in credentials where firstOf[c.cacheKey] == nil {
            lock.lock()
            let known = cache[c.cacheKey] != nil
            lock.unlock()
            if !known {
                firstOf[c.cacheKey] = c
                unique.append(c.cacheKey)
            }
        }
        if !unique.isEmpty {
            let work = unique.compactMap { firstOf[$0] }
            runConcurrently(work.count) { i in
                let result = self.check(work[i])
                self.lock.lock()
                self.cache[work[i].cacheKey] = result
                self.lock.unlock()
            }
        }
        lock.lock()
        defer { lock.unlock() }
        return credentials.map { cache[$0.cacheKey] ?? VerificationResult(.unknown, detail: "not checked") }
    }

    /// Runs one credential's check (no cache).
    private func check(_ credential: Credential) -> VerificationResult {
        if let reason = credential.unverifiableReason { return VerificationResult(.unverifiable, detail: reason) }
        guard let verifier = Verifiers.named(credential.provider), let limiter = limiters[verifier.provider] else {
            return VerificationResult(.unverifiable, detail: "no verifier for provider \(credential.provider)")
        }
        let exchange = Exchange(client: client, limiter: limiter, hosts: verifier.hosts, maxWait: settings.maxRateLimitWait)
        return Self.scrubbed(verifier.check(credential, exchange), of: credential)
    }

    /// The result with its detail withheld when it quotes any 12 characters of the secret (or its partner):
    /// a detail quotes provider-supplied names and redirect hosts, and a server could echo the key there.
    static func scrubbed(_ result: VerificationResult, of credential: Credential) -> VerificationResult {
        let window = 12
        let detail = Array(result.detail.utf8)
        for secret in [credential.secret, credential.partnerSecret ?? ""] {
            let bytes = Array(secret.utf8)
            guard bytes.count >= window, detail.count >= window else { continue }
            let pieces = Set((0...(bytes.count - window)).map { bytes[$0..<($0 + window)] })
            for i in 0...(detail.count - window) where pieces.contains(detail[i..<(i + window)]) {
                var hidden = result
                hidden.detail = "(detail withheld: the answer quoted the key)"
                return hidden
            }
        }
        return result
    }

    /// Runs `body(0..<count)` on at most `settings.concurrency` threads and waits for all of them.
    private func runConcurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let workers = max(1, min(settings.concurrency, count))
        let next = Counter()
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<workers {
            let thread = Thread {
                Self.blockSIGPIPE()
                while let i = next.take(below: count) { body(i) }
                done.signal()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        for _ in 0..<workers { done.wait() }
    }

    private static func blockSIGPIPE() {
        #if canImport(Glibc)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        #endif
    }
}

/// A shared work index.
private final class Counter: @unchecked Sendable {  // `value` is behind `lock`
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
