import Credentials

/// Finds base64-encoded text in a buffer, cheaply: one pass with a lookup table, then a decode only for
/// runs long enough to hide a credential, and a printable-text test on the result.
enum Base64Runs {
    /// Runs shorter than this are not decoded (24 bytes of text at least).
    static let minimumLength = 32
    /// Longer runs are certificates and images; not decoded.
    static let maximumLength = 64 * 1024
    /// At most this many runs are decoded per input.
    static let maximumRuns = 2_000

    private static let table: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8 { t[Int(c)] = true }
        return t
    }()

    /// Byte ranges of base64 runs (padding included) delimited by non-base64 bytes.
    static func find(in buffer: UnsafeRawBufferPointer) -> [Range<Int>] {
        var out = [Range<Int>]()
        let n = buffer.count
        var i = 0
        table.withUnsafeBufferPointer { isB64 in
            while i < n && out.count < maximumRuns {
                guard isB64[Int(buffer[i])] else {
                    i += 1
                    continue
                }
                let start = i
                while i < n && isB64[Int(buffer[i])] { i += 1 }
                var end = i
                while end < n && end - i < 2 && buffer[end] == UInt8(ascii: "=") { end += 1 }
                let length = end - start
                // A run that continues into word characters (`-`, `_`, `.`) is an identifier or URL, not base64.
                let next = end < n ? buffer[end] : 0x20
                let delimited = !(next == UInt8(ascii: "-") || next == UInt8(ascii: "_") || next == UInt8(ascii: "."))
                if length >= minimumLength && length <= maximumLength && delimited && length % 4 != 1 {
                    out.append(start..<end)
                }
                i = max(end, i)
            }
        }
        return out
    }

    /// The decoded bytes when they are text (at least 95% printable ASCII or whitespace, no NUL); else nil.
    static func decodeText(_ run: UnsafeRawBufferPointer) -> [UInt8]? {
        // Mixed case, digits: real base64. All-lowercase or hex runs are identifiers and digests.
        var upper = false, lower = false
        for c in run {
            if c >= 65 && c <= 90 { upper = true } else if c >= 97 && c <= 122 { lower = true }
            if upper && lower { break }
        }
        guard upper && lower else { return nil }
        guard let bytes = Base64.decode(String(decoding: run, as: UTF8.self)), bytes.count >= 16 else { return nil }
        var printable = 0
        for b in bytes {
            if b == 0 { return nil }
            if (b >= 0x20 && b < 0x7F) || b == 0x09 || b == 0x0A || b == 0x0D { printable += 1 }
        }
        return printable * 100 >= bytes.count * 95 ? bytes : nil
    }
}
