/// An HTTP/1.1 request to a verifier's base URL. `headers` may hold credentials: it is never logged.
struct HTTPRequest: Sendable {
    var method: String
    /// Path and query, starting with `/`.
    var target: String
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []

    /// The bytes on the wire.
    func serialized(for base: BaseURL, userAgent: String) -> [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(base.hostHeader)\r\nUser-Agent: \(userAgent)\r\n"
        head += "Accept: application/json\r\nConnection: close\r\n"
        for h in headers { head += "\(h.name): \(h.value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}

/// A response: status, headers (names lower-cased), body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Parses an HTTP/1.x response incrementally from bytes read off a connection. Error messages never quote
/// the server's bytes (a server could echo the credential back).
struct ResponseParser {
    static let maxHeaderBytes = 64 * 1024

    let maxBodyBytes: Int

    /// Reads a whole response with `read` (returns empty at end of stream).
    func parse(read: () throws(VerificationError) -> [UInt8]) throws(VerificationError) -> HTTPResponse {
        var buffer = [UInt8]()
        var headerEnd: Int?
        while headerEnd == nil {
            let chunk = try read()
            if chunk.isEmpty {
                throw VerificationError(.malformedResponse, buffer.isEmpty ? "the server closed the connection without answering" : "the response ended inside its headers")
            }
            let searchFrom = max(0, buffer.count - 3)
            buffer += chunk
            headerEnd = Self.find([13, 10, 13, 10], in: buffer, from: searchFrom)
            if headerEnd == nil, buffer.count > Self.maxHeaderBytes {
                throw VerificationError(.malformedResponse, "the response headers are larger than \(Self.maxHeaderBytes) bytes")
            }
        }
        guard let end = headerEnd else { throw VerificationError(.malformedResponse, "no headers") }
        let (status, headers) = try Self.head(Array(buffer[..<end]))
        var rest = Array(buffer[(end + 4)...])
        let body: [UInt8]
        if let te = headers["transfer-encoding"], te.lowercased().contains("chunked") {
            body = try chunked(&rest, read: read)
        } else if let cl = headers["content-length"] {
            guard let length = Int(cl.trimmingWhitespace), length >= 0 else {
                throw VerificationError(.malformedResponse, "the Content-Length is not a number")
            }
            guard length <= maxBodyBytes else { throw tooLarge() }
            while rest.count < length {
                let chunk = try read()
                if chunk.isEmpty { throw VerificationError(.malformedResponse, "the response body is shorter than its Content-Length") }
                rest += chunk
            }
            body = Array(rest.prefix(length))
        } else if status == 204 || status == 304 || (100..<200).contains(status) {
            body = []
        } else {
            while true {
                guard rest.count <= maxBodyBytes else { throw tooLarge() }
                let chunk = try read()
                if chunk.isEmpty { break }
                rest += chunk
            }
            body = rest
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    private func tooLarge() -> VerificationError {
        VerificationError(.malformedResponse, "the response is larger than \(maxBodyBytes) bytes")
    }

    /// Status line and headers.
    static func head(_ bytes: [UInt8]) throws(VerificationError) -> (Int, [String: String]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { throw VerificationError(.malformedResponse, "empty response") }
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]), (100...599).contains(status) else {
            throw VerificationError(.malformedResponse, "not an HTTP/1.x response")
        }
        var headers = [String: String]()
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw VerificationError(.malformedResponse, "a malformed header line")
            }
            let name = line[..<colon].lowercased()
            let value = String(line[line.index(after: colon)...]).trimmingWhitespace
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        return (status, headers)
    }

    /// Decodes a chunked body; `rest` holds the bytes already read after the headers.
    private func chunked(_ rest: inout [UInt8], read: () throws(VerificationError) -> [UInt8]) throws(VerificationError) -> [UInt8] {
        var body = [UInt8]()
        var pos = 0
        func need(_ count: Int) throws(VerificationError) {
            while rest.count - pos < count {
                let chunk = try read()
                if chunk.isEmpty { throw VerificationError(.malformedResponse, "the chunked response body is truncated") }
                rest += chunk
            }
        }
        func line() throws(VerificationError) -> String {
            while true {
                if let i = Self.find([13, 10], in: rest, from: pos) {
                    let text = String(decoding: rest[pos..<i], as: UTF8.self)
                    pos = i + 2
                    return text
                }
                guard rest.count - pos < 4096 else { throw VerificationError(.malformedResponse, "a chunk-size line is too long") }
                try need(rest.count - pos + 1)
            }
        }
        while true {
            let sizeLine = try line()
            let hex = sizeLine.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingWhitespace } ?? ""
            // Hex digits only: `Int(_:radix:)` also takes a sign, and "-1" crashed the client.
            guard !hex.isEmpty, hex.count <= 8, hex.allSatisfy(\.isHexDigit), let size = Int(hex, radix: 16), size >= 0 else {
                throw VerificationError(.malformedResponse, "a malformed chunk size")
            }
            if size == 0 {
                // Trailers, up to the empty line.
                while try !line().isEmpty {}
                return body
            }
            guard body.count + size <= maxBodyBytes else { throw tooLarge() }
            try need(size + 2)
            body += rest[pos..<(pos + size)]
            guard rest[pos + size] == 13, rest[pos + size + 1] == 10 else {
                throw VerificationError(.malformedResponse, "a chunk is not followed by CRLF")
            }
            pos += size + 2
            if pos > 1 << 16 {
                rest.removeFirst(pos)
                pos = 0
            }
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = max(0, from)
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
