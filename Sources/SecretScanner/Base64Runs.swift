import CByteScan
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

    /// 1 for the base64 alphabet, 0 otherwise; allocated once, read through a raw pointer in the hot loop.
    // Written once before any read, never freed: immutable after initialisation.
    nonisolated(unsafe) private static let table: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        t.initialize(repeating: 0, count: 256)
        for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8 { t[Int(c)] = 1 }
        return UnsafePointer(t)
    }()

    /// Byte ranges of base64 runs (padding included) delimited by non-base64 bytes.
    ///
    /// Runs shorter than `minimumLength` are the common case (identifiers, words). A run long enough holds at
    /// least `minimumLength` - 2 characters of the alphabet (its length counts up to two `=`): CByteScan finds
    /// such runs 16 bytes at a time with vector compares, and only those are walked here. (The byte-by-byte
    /// probe this replaced walked every identifier it landed in: a twentieth of a directory scan's time.)
    static func find(in buffer: UnsafeRawBufferPointer) -> [Range<Int>] {
        var out = [Range<Int>]()
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count >= minimumLength else { return out }
        let n = buffer.count
        let t = table
        var from = 0                    // nothing before this offset belongs to an unseen run
        while from < n && out.count < maximumRuns {
            let start = keywarden_next_base64_run(base, n, from, minimumLength - 2)
            guard start < n else { break }
            var stop = start
            while stop < n && t[Int(base[stop])] != 0 { stop += 1 }
            var end = stop
            while end < n && end - stop < 2 && base[end] == UInt8(ascii: "=") { end += 1 }
            let length = end - start
            // A run that continues into word characters (`-`, `_`, `.`) is an identifier or URL, not base64.
            let next = end < n ? base[end] : 0x20
            let delimited = next != UInt8(ascii: "-") && next != UInt8(ascii: "_") && next != UInt8(ascii: ".")
            if length >= minimumLength && length <= maximumLength && delimited && length % 4 != 1 {
                out.append(start..<end)
            }
            from = end                  // a run may start right at `end` (after padding)
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
        // Decoded and judged in one pass, which stops at a NUL or once more bytes than 5% of the whole are not
        // text: most long runs of source code are identifiers or binary data, and their decoding ends within a
        // few bytes.
        guard let total = Base64.decodedCount(run), total >= 16 else { return nil }
        let allowed = total * 5 / 100
        var other = 0
        return Base64.decode(run) { b in
            if b == 0 { return false }
            if !((b >= 0x20 && b < 0x7F) || b == 0x09 || b == 0x0A || b == 0x0D) {
                other += 1
                return other <= allowed
            }
            return true
        }
    }
}
