import Foundation
import Hashing

/// A received signature value, parsed: the digests it offers and the timestamp it carries, if any.
struct SignatureValue {
    /// Candidate HMAC-SHA256 digests (32 bytes each); a request is valid when any one matches.
    var digests: [[UInt8]]
    /// The timestamp exactly as written in the value (`t=`), when the scheme puts it there.
    var timestamp: Substring?

    /// The longest value accepted; real ones are under 300 bytes even with several `v1` entries.
    static let maximumLength = 8192
    /// The most `v1` entries accepted in one value.
    static let maximumCandidates = 16

    /// Parses `text` (already trimmed and non-empty) for `scheme`.
    static func parse(_ text: Substring, scheme: WebhookScheme, prefix: String?) -> Parsed<SignatureValue> {
        guard text.utf8.count <= maximumLength else { return .failure(.malformedHeader("the signature value is too long")) }
        switch scheme {
        case .maintainx, .maintainxURI, .stripe:
            return parseTimestampedList(text)
        case .github:
            return parsePrefixedHex(text, prefix: "sha256=", name: "sha256=<64 hex digits>")
        case .slack:
            return parsePrefixedHex(text, prefix: "v0=", name: "v0=<64 hex digits>")
        case .makini:
            return parseHexOrBase64(text).map { SignatureValue(digests: [$0]) }
        case .hmacSHA256:
            var rest = text
            if let prefix {
                guard rest.hasPrefix(prefix) else { return .failure(.malformedHeader("the signature lacks the expected prefix")) }
                rest = rest.dropFirst(prefix.count)
            }
            return parseHexOrBase64(rest).map { SignatureValue(digests: [$0]) }
        }
    }

    /// `t=<ts>,v1=<hex>[,v1=<hex>…]`; other keys (Stripe's `v0`) are ignored, spaces around elements allowed.
    private static func parseTimestampedList(_ text: Substring) -> Parsed<SignatureValue> {
        var timestamp: Substring?
        var digests: [[UInt8]] = []
        for element in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = trimmed(element)
            guard let equals = item.firstIndex(of: "=") else {
                return .failure(.malformedHeader("an element is not of the form key=value"))
            }
            let key = item[..<equals], value = item[item.index(after: equals)...]
            switch key {
            case "t":
                guard timestamp == nil else { return .failure(.malformedHeader("more than one t= element")) }
                timestamp = value
            case "v1":
                guard let digest = hexDigest(value) else { return .failure(.malformedHeader("a v1 value is not 64 hex digits")) }
                guard digests.count < maximumCandidates else { return .failure(.malformedHeader("too many v1 values")) }
                digests.append(digest)
            default:
                guard !key.isEmpty else { return .failure(.malformedHeader("an element has an empty key")) }
            }
        }
        guard let timestamp else { return .failure(.malformedHeader("no t= timestamp")) }
        guard !digests.isEmpty else { return .failure(.malformedHeader("no v1= signature")) }
        return .success(SignatureValue(digests: digests, timestamp: timestamp))
    }

    private static func parsePrefixedHex(_ text: Substring, prefix: String, name: String) -> Parsed<SignatureValue> {
        guard text.hasPrefix(prefix), let digest = hexDigest(text.dropFirst(prefix.count)) else {
            return .failure(.malformedHeader("expected " + name))
        }
        return .success(SignatureValue(digests: [digest]))
    }

    /// 64 hex digits, or base64 (either alphabet, padded or not) of exactly 32 bytes.
    private static func parseHexOrBase64(_ text: Substring) -> Parsed<[UInt8]> {
        if let digest = hexDigest(text) ?? base64Digest(text) { return .success(digest) }
        return .failure(.malformedHeader("expected 64 hex digits or the base64 of a 32-byte digest"))
    }

    /// 32 bytes from exactly 64 hex digits (either case).
    static func hexDigest(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count == 2 * Digest.sha256Length else { return nil }
        return Hex.decode(text)
    }

    /// 32 bytes from base64: 43 characters, or 44 ending in `=`; `-` and `_` read as `+` and `/`.
    static func base64Digest(_ text: Substring) -> [UInt8]? {
        var chars = Array(text.utf8)
        if chars.count == 44, chars.last == UInt8(ascii: "=") { chars.removeLast() }
        guard chars.count == 43 else { return nil }
        for (i, c) in chars.enumerated() {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"): break
            case UInt8(ascii: "-"): chars[i] = UInt8(ascii: "+")
            case UInt8(ascii: "_"): chars[i] = UInt8(ascii: "/")
            default: return nil
            }
        }
        chars.append(UInt8(ascii: "="))
        guard let data = Data(base64Encoded: Data(chars)), data.count == Digest.sha256Length else { return nil }
        return Array(data)
    }

    /// `text` without surrounding spaces, tabs, carriage returns and line feeds.
    static func trimmed(_ text: Substring) -> Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) }) else {
            return text[text.endIndex...]
        }
        return text[first...last]
    }
}

/// A parse outcome: the value, or why the request is rejected. (`Result` would need the failure to be
/// an `Error`; a rejected request is a verdict, not an error.)
enum Parsed<Value> {
    case success(Value)
    case failure(WebhookFailure)

    func map<T>(_ transform: (Value) -> T) -> Parsed<T> {
        switch self {
        case .success(let value): .success(transform(value))
        case .failure(let failure): .failure(failure)
        }
    }
}

/// Webhook timestamps: decimal Unix seconds, or milliseconds when too large to be seconds.
enum WebhookTimestamp {
    /// Values above this are milliseconds (10^11 seconds is the year 5138).
    static let millisecondThreshold: UInt64 = 100_000_000_000

    /// Seconds since 1970 for `text`: 1 to 15 ASCII digits, nothing else.
    static func seconds(_ text: Substring) -> Double? {
        guard (1...15).contains(text.utf8.count) else { return nil }
        var value: UInt64 = 0
        for c in text.utf8 {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) else { return nil }
            value = value * 10 + UInt64(c - UInt8(ascii: "0"))
        }
        return value > millisecondThreshold ? Double(value) / 1000 : Double(value)
    }
}
