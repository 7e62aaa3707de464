/// A minimal HTTP/1.1 client: one request per connection, HTTPS through libssl (plain HTTP only for loopback
/// test URLs), deadlines on every wait, redirects never followed, bodies capped.
struct HTTPClient: Sendable {
    let settings: VerificationSettings
    var userAgent = "keywarden-verify/1"

    /// Sends `request` to `host`'s base URL (the provider's fixed host, or its test URL). Refuses any URL the
    /// settings do not permit for that host before opening a connection.
    func send(_ request: HTTPRequest, to host: ProviderHost) throws(VerificationError) -> HTTPResponse {
        try send(request, to: settings.resolve(host), for: host)
    }

    /// Sends `request` to `base`, which must be permitted for `host`.
    func send(_ request: HTTPRequest, to base: BaseURL, for host: ProviderHost) throws(VerificationError) -> HTTPResponse {
        guard settings.permits(base, for: host) else {
            throw VerificationError(.refused, "refusing \(base): only https://\(host.host) may be called for \(host.key)")
        }
        guard base.scheme == .https || base.isLoopback else {
            throw VerificationError(.refused, "refusing \(base): plain HTTP is allowed only for loopback test URLs")
        }
        // A header value with CR, LF or NUL would write headers of its own (`\r\nX-Injected:`): refused before
        // any connection. Values may hold a key, so the error names the header only.
        for h in request.headers where (h.name + h.value).utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) {
            throw VerificationError(.refused, "refusing a request whose \(h.name.filter { $0.isLetter || $0 == "-" }) header holds CR, LF or NUL")
        }
        guard !request.target.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw VerificationError(.refused, "refusing a request target with control characters or spaces")
        }
        let deadline = Deadline(secondsFromNow: settings.requestTimeout)
        let connectDeadline = Deadline(secondsFromNow: min(settings.connectTimeout, settings.requestTimeout))
        let socket = try Socket.connect(host: base.host, port: base.port, deadline: connectDeadline)
        let parser = ResponseParser(maxBodyBytes: settings.maxResponseBytes)
        let wire = request.serialized(for: base, userAgent: userAgent)
        switch base.scheme {
        case .https:
            let tls = try TLS(socket: socket, host: base.host, deadline: deadline)
            try tls.writeAll(wire, deadline: deadline)
            return try parser.parse { () throws(VerificationError) in try tls.read(max: 16 * 1024, deadline: deadline) }
        case .http:
            try socket.writeAll(wire, deadline: deadline)
            return try parser.parse { () throws(VerificationError) in try socket.read(max: 16 * 1024, deadline: deadline) }
        }
    }
}
