#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// UTF-16 text (a Windows `.env`, a PowerShell script): with a byte-order mark, or without one when every
/// other byte of its start is NUL. Such a file looks binary to git's NUL test, so it is recognised first and
/// scanned as UTF-8; each UTF-16 line break becomes one UTF-8 line break, so line numbers stay those of the
/// original file.
public enum UTF16Text {
    public enum Order { case little, big }

    /// The byte order of `buffer` when it is UTF-16 text; nil otherwise.
    public static func order(of buffer: UnsafeRawBufferPointer) -> Order? {
        if buffer.count >= 2 {
            if buffer[0] == 0xFF, buffer[1] == 0xFE { return .little }
            if buffer[0] == 0xFE, buffer[1] == 0xFF { return .big }
        }
        // No mark: ASCII-range text in UTF-16 has a NUL in every other byte and (almost) none in the others.
        let n = min(buffer.count, 8000) & ~1
        guard n >= 16, let base = buffer.baseAddress else { return nil }
        // Text without a NUL in the bytes looked at (nearly every file) has no zero side: the loop below would
        // answer no after a tenth of them, one byte at a time (1% of a history scan, asked twice per blob).
        if memchr(base, 0, n) == nil { return nil }
        var evenZeros = 0, oddZeros = 0
        let pairs = n / 2
        // Either order allows at most a tenth of its zero side to be non-zero: once both sides have more, the
        // answer is no (ordinary text gets there within its first few hundred bytes).
        let allowed = pairs / 10
        for i in stride(from: 0, to: n, by: 2) {
            if buffer[i] == 0 { evenZeros += 1 }
            if buffer[i + 1] == 0 { oddZeros += 1 }
            let seen = i / 2 + 1
            if seen - evenZeros > allowed, seen - oddZeros > allowed { return nil }
        }
        if oddZeros * 10 >= pairs * 9, evenZeros * 10 <= pairs { return .little }
        if evenZeros * 10 >= pairs * 9, oddZeros * 10 <= pairs { return .big }
        return nil
    }

    /// `buffer` decoded from UTF-16 to UTF-8 (a leading byte-order mark dropped; invalid units replaced);
    /// nil when it is not UTF-16 text.
    public static func decode(_ buffer: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let order = order(of: buffer) else { return nil }
        var units = [UInt16]()
        units.reserveCapacity(buffer.count / 2)
        var i = 0
        while i + 1 < buffer.count {
            let a = UInt16(buffer[i]), b = UInt16(buffer[i + 1])
            units.append(order == .little ? a | b << 8 : a << 8 | b)
            i += 2
        }
        if units.first == 0xFEFF { units.removeFirst() }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
