import Foundation

/// A JSON Web Token split into its parts, with header and payload decoded (the signature is not checked:
/// keywarden never holds the signing key).
public struct JSONWebToken: Sendable {
    /// The decoded header object.
    public let header: [String: JSONValue]
    /// The decoded payload (claims) object.
    public let payload: [String: JSONValue]
    /// The payload's keys in the order they appear in the token.
    public let payloadKeyOrder: [String]
    /// The raw signature bytes.
    public let signature: [UInt8]

    /// Parses `token` (three base64url segments separated by dots); nil when it is not a JWT.
    public init?(_ token: some StringProtocol) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let h = Base64.decode(parts[0]), let p = Base64.decode(parts[1]), let s = Base64.decode(parts[2]),
              case .object(let header, _)? = JSONValue.parse(h),
              case .object(let payload, let order)? = JSONValue.parse(p)
        else { return nil }
        self.header = header
        self.payload = payload
        self.payloadKeyOrder = order
        self.signature = s
    }
}

/// A decoded JSON value, kept small and `Sendable`.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// An object with its keys in document order.
    case object([String: JSONValue], [String])

    /// The string value, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The integer value, if this is a whole number.
    public var integerValue: Int64? { if case .integer(let i) = self { return i } else { return nil } }

    /// Parses UTF-8 JSON text; nil when it is not valid JSON.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        var p = Parser(bytes: bytes)
        guard let v = p.value() else { return nil }
        p.skipSpace()
        return p.index == bytes.count ? v : nil
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var depth = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value() -> JSONValue? {
            skipSpace()
            guard index < bytes.count, depth < 64 else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object()
            case UInt8(ascii: "["): return array()
            case UInt8(ascii: "\""): return string().map { .string($0) }
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default: return number()
            }
        }

        mutating func literal(_ word: String, _ v: JSONValue) -> JSONValue? {
            let w = Array(word.utf8)
            guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else { return nil }
            index += w.count
            return v
        }

        mutating func number() -> JSONValue? {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            guard index > start, let text = String(bytes: bytes[start..<index], encoding: .utf8) else { return nil }
            if let i = Int64(text) { return .integer(i) }
            return Double(text).map { .number($0) }
        }

        mutating func string() -> String? {
            index += 1
            var out = [UInt8]()
            while index < bytes.count {
                let c = bytes[index]
                index += 1
                if c == UInt8(ascii: "\"") { return String(bytes: out, encoding: .utf8) }
                if c == UInt8(ascii: "\\") {
                    guard index < bytes.count else { return nil }
                    let e = bytes[index]
                    index += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count,
                              let s = String(bytes: bytes[index..<index + 4], encoding: .utf8),
                              let code = UInt32(s, radix: 16) else { return nil }
                        index += 4
                        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                        out += Array(String(Character(scalar)).utf8)
                    default: out.append(e)
                    }
                } else {
                    out.append(c)
                }
            }
            return nil
        }

        mutating func array() -> JSONValue? {
            index += 1
            depth += 1
            defer { depth -= 1 }
            var items = [JSONValue]()
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                guard let v = value() else { return nil }
                items.append(v)
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                return nil
            }
        }

        mutating func object() -> JSONValue? {
            index += 1
            depth += 1
            defer { depth -= 1 }
            var dict = [String: JSONValue]()
            var order = [String]()
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(dict, order) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let v = value() else { return nil }
                if dict[key] == nil { order.append(key) }
                dict[key] = v
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(dict, order) }
                return nil
            }
        }
    }
}
