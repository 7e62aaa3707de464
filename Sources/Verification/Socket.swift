import Foundation
import SystemSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time on the monotonic clock, for deadlines.
struct Deadline: Sendable {
    let uptimeNanoseconds: UInt64

    init(secondsFromNow seconds: Double) {
        uptimeNanoseconds = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9)
    }

    /// Milliseconds left (0 when passed), for `poll`.
    var remainingMilliseconds: Int32 {
        let now = DispatchTime.now().uptimeNanoseconds
        guard uptimeNanoseconds > now else { return 0 }
        return Int32(min(UInt64(Int32.max), (uptimeNanoseconds - now) / 1_000_000 + 1))
    }

    var hasPassed: Bool { DispatchTime.now().uptimeNanoseconds >= uptimeNanoseconds }
}

/// A connected, non-blocking TCP socket; every wait is bounded by a deadline. Closed on deinit.
final class Socket {
    let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Resolves `host` and connects to the first address that accepts, within `deadline`.
    static func connect(host: String, port: Int, deadline: Deadline) throws(VerificationError) -> Socket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_flags = AI_NUMERICSERV
        let (rc, list) = try Resolver.resolve(host, port: port, hints: hints, deadline: deadline)
        guard rc == 0, let first = list else {
            let reason = rc == 0 ? "no address" : (gai_strerror(rc).map { String(cString: $0) } ?? "error \(rc)")
            throw VerificationError(.connect, "cannot resolve \(host): \(reason)")
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let ai = entry {
            entry = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd < 0 {
                lastError = SystemError.reason(errno)
                continue
            }
            let sock = Socket(fd: fd)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            let flags = fcntl(fd, F_GETFL)
            guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
                lastError = SystemError.reason(errno)
                continue
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            #if canImport(Glibc)
            let result = Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen)
            #else
            let result = Darwin.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen)
            #endif
            if result == 0 { return sock }
            let err = errno
            guard err == EINPROGRESS else {
                lastError = SystemError.reason(err)
                continue
            }
            guard try sock.wait(for: Int16(POLLOUT), deadline: deadline, what: "connecting to \(host)") else { continue }
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len) == 0 else {
                lastError = SystemError.reason(errno)
                continue
            }
            if soError == 0 { return sock }
            lastError = SystemError.reason(soError)
        }
        throw VerificationError(.connect, "cannot connect to \(host):\(port): \(lastError)")
    }

    /// Waits until the socket is ready for `events`; throws on timeout. False when poll reports an error state.
    @discardableResult
    func wait(for events: Int16, deadline: Deadline, what: String) throws(VerificationError) -> Bool {
        while true {
            let ms = deadline.remainingMilliseconds
            if ms == 0 { throw VerificationError(.timeout, "timed out \(what)") }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&p, 1, ms)
            if n < 0 {
                if errno == EINTR { continue }
                throw VerificationError(.io, "poll failed \(what): \(SystemError.reason(errno))")
            }
            if n == 0 { continue }
            return p.revents & (events | Int16(POLLHUP)) != 0 || p.revents & Int16(POLLERR) == 0
        }
    }

    /// Writes all of `bytes` (plain TCP).
    func writeAll(_ bytes: [UInt8], deadline: Deadline) throws(VerificationError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                raw.baseAddress.map { send(fd, $0 + sent, raw.count - sent, Int32(MSG_NOSIGNAL)) } ?? -1
            }
            if n > 0 {
                sent += n
                continue
            }
            let err = errno
            if n < 0, err == EAGAIN || err == EWOULDBLOCK || err == EINTR {
                try wait(for: Int16(POLLOUT), deadline: deadline, what: "sending the request")
                continue
            }
            throw VerificationError(.io, "cannot send the request: \(SystemError.reason(err))")
        }
    }

    /// Reads up to `max` bytes (plain TCP); an empty result means the peer closed.
    func read(max: Int, deadline: Deadline) throws(VerificationError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n >= 0 { return Array(buffer.prefix(n)) }
            let err = errno
            if err == EAGAIN || err == EWOULDBLOCK || err == EINTR {
                try wait(for: Int16(POLLIN), deadline: deadline, what: "waiting for the response")
                continue
            }
            throw VerificationError(.io, "cannot read the response: \(SystemError.reason(err))")
        }
    }
}

/// `getaddrinfo` under the verification's deadline: it cannot be interrupted, so it runs on a thread of
/// its own and the caller stops waiting when the deadline passes (a slow or hostile resolver cannot hold
/// a scan). A result that arrives after the caller gave up is freed by that thread.
enum Resolver {
    private final class Pending: @unchecked Sendable {
        let lock = NSLock()
        let done = DispatchSemaphore(value: 0)
        var rc: Int32 = 0
        var list: UnsafeMutablePointer<addrinfo>?
        var finished = false
        var abandoned = false
        var hints: addrinfo
        init(hints: addrinfo) { self.hints = hints }
    }

    /// The name lookup itself: `getaddrinfo`, or in tests a stand-in (a resolver that never answers in time).
    typealias Lookup = @Sendable (String, Int, addrinfo) -> (Int32, UnsafeMutablePointer<addrinfo>?)

    static let system: Lookup = { host, port, hints in
        var hints = hints
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        return (rc, list)
    }

    static func resolve(_ host: String, port: Int, hints: addrinfo, deadline: Deadline,
                        lookup: @escaping Lookup = system) throws(VerificationError) -> (Int32, UnsafeMutablePointer<addrinfo>?) {
        let pending = Pending(hints: hints)
        let thread = Thread {
            let (rc, list) = lookup(host, port, pending.hints)
            pending.lock.lock()
            if pending.abandoned {
                if let list { freeaddrinfo(list) }
            } else {
                pending.rc = rc
                pending.list = list
                pending.finished = true
            }
            pending.lock.unlock()
            pending.done.signal()
        }
        thread.start()
        _ = pending.done.wait(timeout: .now() + .milliseconds(Int(deadline.remainingMilliseconds)))
        pending.lock.lock()
        defer { pending.lock.unlock() }
        guard pending.finished else {
            pending.abandoned = true
            throw VerificationError(.timeout, "resolving \(host) took longer than the deadline")
        }
        return (pending.rc, pending.list)
    }
}
