import Credentials

/// Expands the templates in rule examples (`{{alnum:36}}`, `{{maintainx-jwt}}`, ...) into concrete text.
///
/// Examples are stored as templates so that the rule files hold nothing secret-shaped and keywarden can
/// scan its own repository clean; `rules check` expands them with a generator seeded from the rule id,
/// so a failure is reproducible.
public struct ExampleTemplate {
    private var rng: SplitMix64

    public init(seed: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in seed.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        rng = SplitMix64(state: h)
    }

    static let alphabets: [String: [Character]] = [
        "alnum": Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
        "upper": Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        "lower": Array("abcdefghijklmnopqrstuvwxyz"),
        "digits": Array("0123456789"),
        "hex": Array("0123456789abcdef"),
        "HEX": Array("0123456789ABCDEF"),
        "upperdigits": Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
        "lowerdigits": Array("abcdefghijklmnopqrstuvwxyz0123456789"),
        "base32": Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
        "base64": Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
        "base64url": Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"),
    ]

    /// The expansion of `text`; throws a message naming the first unknown or malformed template.
    /// With `lenient`, an unknown `{{...}}` is kept as it is (negative examples often hold `{{bearerToken}}`
    /// or `${{ secrets.X }}` on purpose).
    public mutating func expand(_ text: String, lenient: Bool = false) throws(TemplateError) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateError(message: "unclosed '{{' in example")
            }
            let spec = String(rest[open.upperBound..<close.lowerBound])
            if lenient, !isKnown(spec) {
                out += rest[open.lowerBound..<close.upperBound]
            } else {
                out += try generate(spec)
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    private func isKnown(_ spec: String) -> Bool {
        let name = spec.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return Self.alphabets[name] != nil || Self.generators.contains(name)
    }

    static let generators: Set<String> = ["uuid", "jwt", "maintainx-jwt", "maintainx-jwt-split", "github-token", "npm-token"]

    private mutating func generate(_ spec: String) throws(TemplateError) -> String {
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        let arg = parts.count > 1 ? parts[1] : nil
        if let alphabet = Self.alphabets[name] {
            guard let n = arg.flatMap({ Int($0) }), n > 0, n <= 100_000 else {
                throw TemplateError(message: "template '{{\(spec)}}' needs a length, e.g. {{\(name):32}}")
            }
            return random(alphabet, n)
        }
        switch name {
        case "uuid":
            let h = random(Self.alphabets["hex"]!, 32)
            let c = Array(h)
            return String(c[0..<8]) + "-" + String(c[8..<12]) + "-4" + String(c[13..<16]) + "-a" + String(c[17..<20]) + "-" + String(c[20..<32])
        case "jwt":
            let header = #"{"alg":"HS256","typ":"JWT"}"#
            let payload = #"{"sub":"\#(random(Self.alphabets["digits"]!, 10))","name":"\#(random(Self.alphabets["lower"]!, 8))","iat":1700000000}"#
            return jwt(header, payload)
        case "maintainx-jwt":
            let header = #"{"alg":"HS256","typ":"JWT"}"#
            let payload = #"{"userId":\#(Int(random(Self.alphabets["digits"]!, 5)) ?? 1),"organizationId":\#(Int(random(Self.alphabets["digits"]!, 6)) ?? 1),"iat":1735689600,"sub":"REST_API_AUTH","jti":"\#(try generate("uuid"))"}"#
            return jwt(header, payload)
        case "maintainx-jwt-split":
            // The C-firmware shape: "Bearer <header>." "<payload>." "<signature>"
            let parts = try generate("maintainx-jwt").split(separator: ".").map(String.init)
            return "\"Bearer \(parts[0]).\" \"\(parts[1]).\" \"\(parts[2])\""
        case "github-token":
            let prefix = arg ?? "ghp"
            let body = random(Self.alphabets["alnum"]!, 30)
            return "\(prefix)_\(body)\(Checksum.base62(Checksum.crc32(Array(body.utf8))))"
        case "npm-token":
            let body = random(Self.alphabets["alnum"]!, 30)
            return "npm_\(body)\(Checksum.base62(Checksum.crc32(Array(body.utf8))))"
        default:
            throw TemplateError(message: "unknown template '{{\(spec)}}'")
        }
    }

    private mutating func jwt(_ header: String, _ payload: String) -> String {
        let sig = (0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        return Base64.encode(Array(header.utf8), urlSafe: true) + "." + Base64.encode(Array(payload.utf8), urlSafe: true)
            + "." + Base64.encode(sig, urlSafe: true)
    }

    private mutating func random(_ alphabet: [Character], _ n: Int) -> String {
        String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }
}

/// A malformed example template.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A small, fast, seedable generator (not for cryptography: examples only).
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
