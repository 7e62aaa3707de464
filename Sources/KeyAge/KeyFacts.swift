public import Hashing
internal import Credentials
internal import Foundation

/// What keywarden keeps of a key value it is handed: its fingerprint and the non-secret facts a MaintainX
/// key carries. The value itself is not stored.
public struct KeyFacts: Sendable, Equatable, CustomStringConvertible {
    /// The fingerprint (same function as the scanner's).
    public let fingerprint: String
    /// The keywarden 0.1 fingerprint (plain SHA-256), to recognise ledger entries written before salted
    /// fingerprints; never stored anew.
    public let legacyFingerprint: String
    /// The provider recognised from the value's shape (`maintainx`), if any.
    public let recognisedProvider: String?
    /// A MaintainX key's creation date (UTC) from its `iat` claim.
    public let issued: CalendarDate?
    /// A MaintainX key's `iat` claim, Unix seconds.
    public let issuedAtUnixSeconds: Int64?
    /// A MaintainX key's id (`jti`), which is not secret.
    public let keyID: String?
    /// The last four characters: key material, so only stored when asked for.
    public let last4: String

    /// Reads `secret` (surrounding whitespace and a `Bearer ` prefix removed) and keeps only the facts.
    public init(secret: String, fingerprinter: Fingerprinter) throws(KeyAgeError) {
        let value = Self.normalise(secret)
        guard !value.isEmpty else { throw KeyAgeError(.invalidInput, "the key value is empty") }
        fingerprint = fingerprinter.fingerprint(value)
        legacyFingerprint = fingerprinter.legacyFingerprint(value)
        last4 = String(value.suffix(4))
        if let mx = MaintainXKey(token: value) {
            recognisedProvider = "maintainx"
            issuedAtUnixSeconds = mx.issuedAt
            issued = CalendarDate(unixSeconds: mx.issuedAt)
            keyID = mx.keyID
        } else {
            recognisedProvider = nil
            issuedAtUnixSeconds = nil
            issued = nil
            keyID = nil
        }
    }

    /// The fingerprint and MaintainX facts; never `last4`.
    public var description: String {
        "KeyFacts(fingerprint: \(fingerprint)" + (keyID.map { ", jti: \($0)" } ?? "") + (issued.map { ", issued: \($0)" } ?? "") + ")"
    }

    /// The key as the scanner would capture it: trimmed, without a `Bearer ` prefix.
    static func normalise(_ secret: String) -> String {
        var s = Substring(secret)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        if s.hasPrefix("Bearer ") { s = s.dropFirst(7) }
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        return String(s)
    }
}

/// Reads one variable from a dotenv file (`KEY=value`, `export KEY=value`, quotes, comments).
public enum DotEnv {
    /// The value of `name` in the dotenv text; nil when it is not set there.
    public static func value(of name: String, in text: String) -> String? {
        var found: String?
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7).drop { $0 == " " || $0 == "\t" } }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingSpaces
            guard key == name else { continue }
            var v = line[line.index(after: eq)...].trimmingSpaces
            if let q = v.first, q == "\"" || q == "'" {
                v = v.dropFirst()
                if let end = v.firstIndex(of: q) { v = v[..<end] }
                found = q == "\"" ? v.replacingEscapes : String(v)
            } else {
                if let hash = v.range(of: " #") { v = v[..<hash.lowerBound] }
                found = String(v.trimmingSpaces)
            }
        }
        return found
    }
}

private extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s = s.dropLast() }
        return s
    }

    var replacingEscapes: String {
        var out = "", escaped = false
        for c in self {
            if escaped {
                out.append(c == "n" ? "\n" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
