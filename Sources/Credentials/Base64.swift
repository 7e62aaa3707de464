/// Base64 in both alphabets, with or without padding, without Foundation's strictness about either.
public enum Base64 {
    private static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let url = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let table: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, c) in standard.enumerated() { t[Int(c)] = Int8(i) }
        t[Int(UInt8(ascii: "-"))] = 62
        t[Int(UInt8(ascii: "_"))] = 63
        return t
    }()

    /// The 6-bit value of a character of either alphabet, or -1 for any other byte.
    private static func sextet(_ c: UInt8) -> Int8 { table[Int(c)] }

    /// Encodes `bytes`; `urlSafe` picks the base64url alphabet (and then no padding is written).
    public static func encode(_ bytes: some Collection<UInt8>, urlSafe: Bool = false) -> String {
        let alphabet = urlSafe ? url : standard
        let b = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity((b.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < b.count {
            let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = b.count - i
        if rest > 0 {
            let n = UInt32(b[i]) << 16 | (rest == 2 ? UInt32(b[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            if rest == 2 { out.append(alphabet[Int(n >> 6 & 63)]) }
            if !urlSafe { out += Array(repeating: UInt8(ascii: "="), count: 3 - rest) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes either alphabet, padded or not; nil on any character outside them or a bad length.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        Array(text.utf8).withUnsafeBytes { decode($0) { _ in true } }
    }

    /// How many bytes `chars` decode to (trailing `=` dropped), or nil for a length no base64 text has.
    public static func decodedCount(_ chars: UnsafeRawBufferPointer) -> Int? {
        let n = unpaddedCount(chars)
        return n % 4 == 1 ? nil : n * 6 / 8
    }

    /// Decodes `chars` as `decode(_:)` does, handing each byte to `accept` as it comes: nil as soon as `accept`
    /// says no (a caller judging the decoded bytes stops there, without decoding the rest).
    public static func decode(_ chars: UnsafeRawBufferPointer, accepting accept: (UInt8) -> Bool) -> [UInt8]? {
        let n = unpaddedCount(chars)
        guard n % 4 != 1 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(n * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in chars[0..<n] {
            let v = sextet(c)
            guard v >= 0 else { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                let b = UInt8(truncatingIfNeeded: acc >> UInt32(bits))
                guard accept(b) else { return nil }
                out.append(b)
            }
        }
        return out
    }

    /// The length of `chars` without its trailing `=`.
    private static func unpaddedCount(_ chars: UnsafeRawBufferPointer) -> Int {
        var n = chars.count
        while n > 0, chars[n - 1] == UInt8(ascii: "=") { n -= 1 }
        return n
    }
}
