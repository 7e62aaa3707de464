import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A request the loopback server received.
struct RecordedRequest: Sendable {
    var method: String
    var target: String
    var headers: [String: String]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers[name.lowercased()] }
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What the server answers.
struct ScriptedResponse: Sendable {
    var status: Int = 200
    var headers: [(String, String)] = [("Content-Type", "application/json")]
    var body: String = ""
    /// Seconds to wait before answering.
    var delay: Double = 0
    /// Bytes sent instead of a well-formed response (malformed answers).
    var raw: [UInt8]?
    /// Send the body chunked.
    var chunked = false

    static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }

    var bytes: [UInt8] {
        if let raw { return raw }
        var head = "HTTP/1.1 \(status) Status\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        var payload = Array(body.utf8)
        if chunked {
            head += "Transfer-Encoding: chunked\r\n"
            var encoded = [UInt8]()
            var rest = payload[...]
            while !rest.isEmpty {
                let piece = rest.prefix(7)
                rest = rest.dropFirst(7)
                encoded += Array("\(String(piece.count, radix: 16))\r\n".utf8) + piece + [13, 10]
            }
            payload = encoded + Array("0\r\n\r\n".utf8)
        } else {
            head += "Content-Length: \(payload.count)\r\n"
        }
        head += "Connection: close\r\n\r\n"
        return Array(head.utf8) + payload
    }
}

/// An HTTP server on 127.0.0.1 (port chosen by the system) for tests: a thread per connection, scripted
/// answers, every request recorded. It serves at most `maxConnections` connections and stops by itself
/// after `lifetime` seconds (or when released).
final class LoopbackServer: @unchecked Sendable {  // mutable state is behind `lock`
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var recorded: [RecordedRequest] = []
    private var inFlight = 0
    private(set) var maxInFlight = 0
    private var stopped = false
    private let script: @Sendable (RecordedRequest, Int) -> ScriptedResponse
    /// Bytes sent as soon as a connection is accepted, before anything is read (a server that talks first,
    /// such as a plain-text server where the client expects TLS); the connection then closes.
    private let greeting: [UInt8]?

    /// `script` gets each request and its 0-based number.
    init(maxConnections: Int = 32, lifetime: Double = 20, greeting: [UInt8]? = nil,
         script: @escaping @Sendable (RecordedRequest, Int) -> ScriptedResponse) throws {
        self.script = script
        self.greeting = greeting
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket failed") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw ServerError("bind/listen failed")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listener = fd
        let deadline = Date().addingTimeInterval(lifetime)
        Thread.detachNewThread { [self] in acceptLoop(maxConnections: maxConnections, deadline: deadline) }
    }

    deinit { stop() }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The requests received so far.
    var requests: [RecordedRequest] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        if !wasStopped { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func acceptLoop(maxConnections: Int, deadline: Date) {
        defer { close(listener) }
        var served = 0
        while served < maxConnections, !isStopped {
            let ms = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            if ms == 0 { break }
            var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, min(ms, 200)) > 0 else { continue }
            let client = accept(listener, nil, nil)
            if client < 0 { continue }
            served += 1
            Thread.detachNewThread { [self] in serve(client, deadline: deadline) }
        }
    }

    private func serve(_ fd: Int32, deadline: Date) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let greeting {
            _ = greeting.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            shutdown(fd, Int32(SHUT_WR))
            var sink = [UInt8](repeating: 0, count: 1024)
            while sink.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, 0) }) > 0 {}
            return
        }
        guard let request = readRequest(fd) else { return }
        // In flight: from the request read to just before the answer is sent (a client cannot start its next
        // request before then, so this counts the client's concurrency exactly).
        lock.lock()
        let number = recorded.count
        recorded.append(request)
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
        lock.unlock()
        let response = script(request, number)
        if response.delay > 0 { Thread.sleep(forTimeInterval: min(response.delay, max(0, deadline.timeIntervalSinceNow))) }
        lock.lock()
        inFlight -= 1
        lock.unlock()
        let bytes = response.bytes
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in raw.baseAddress.map { send(fd, $0 + sent, raw.count - sent, Int32(MSG_NOSIGNAL)) } ?? -1 }
            if n <= 0 { return }
            sent += n
        }
        shutdown(fd, Int32(SHUT_WR))
        // Drain until the client closes, so it never sees a reset before reading the answer.
        var sink = [UInt8](repeating: 0, count: 1024)
        while sink.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, 0) }) > 0 {}
    }

    private func readRequest(_ fd: Int32) -> RecordedRequest? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        func fill() -> Bool {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return false }
            buffer += chunk.prefix(n)
            return buffer.count < 1 << 20
        }
        var headerEnd: Int?
        while headerEnd == nil {
            guard fill() else { return nil }
            headerEnd = find([13, 10, 13, 10], in: buffer)
        }
        guard let end = headerEnd else { return nil }
        let lines = String(decoding: buffer[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let first = lines[0].split(separator: " ")
        guard first.count == 3 else { return nil }
        var headers = [String: String]()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count - (end + 4) < length { guard fill() else { return nil } }
        let body = Array(buffer[(end + 4)..<(end + 4 + length)])
        return RecordedRequest(method: String(first[0]), target: String(first[1]), headers: headers, body: body)
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
