/// CRC32 (IEEE 802.3, as zlib) and base62, for tokens that carry a checksum (GitHub, npm).
public enum Checksum {
    private static let table: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC32 of `bytes`.
    public static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    private static let base62Digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// `value` in base62, left-padded with "0" to `width` characters.
    public static func base62(_ value: UInt32, width: Int = 6) -> String {
        var v = value
        var out = [Character]()
        repeat {
            out.append(base62Digits[Int(v % 62)])
            v /= 62
        } while v > 0
        while out.count < width { out.append("0") }
        return String(out.reversed())
    }

    /// True when the last six characters of `body` are the base62 CRC32 of the characters before them
    /// (the checksum GitHub and npm put in their tokens, the prefix excluded).
    public static func hasTrailingBase62CRC(_ body: some StringProtocol) -> Bool {
        let u = Array(body.utf8)
        guard u.count > 6 else { return false }
        let payload = u[..<(u.count - 6)]
        return base62(crc32(payload)) == String(decoding: u[(u.count - 6)...], as: UTF8.self)
    }
}
