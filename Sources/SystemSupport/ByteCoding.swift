/// Little-endian writing of a cache file's fields (the rule cache, the history cache, the prefilter plan): fixed-size
/// integers, and strings as a 32-bit length followed by their UTF-8 bytes.
public struct ByteWriter {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func byte(_ v: UInt8) { bytes.append(v) }
    public mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    public mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    public mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    public mutating func i32s(_ a: [Int32]) {
        bytes.reserveCapacity(bytes.count + a.count * 4)
        for v in a { i32(v) }
    }
    public mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        bytes += s.utf8
    }
    /// A count, then each string.
    public mutating func strings(_ a: [String]) {
        u32(UInt32(a.count))
        for s in a { string(s) }
    }
    /// A byte 0 for nil, else 1 and the string.
    public mutating func optional(_ s: String?) {
        byte(s == nil ? 0 : 1)
        if let s { string(s) }
    }
}

/// Reads what `ByteWriter` wrote; any shortfall sets `failed` and yields zeros and empty values, so a caller
/// reads a whole record and checks `failed` (or `atEnd`) once.
public struct ByteReader {
    public let bytes: [UInt8]
    public var at: Int
    public var failed = false

    public init(_ bytes: [UInt8], at: Int = 0) {
        self.bytes = bytes
        self.at = at
    }

    /// Everything was read, and read whole.
    public var atEnd: Bool { !failed && at == bytes.count }

    /// The next `n` bytes, or nil (and `failed`) when fewer are left.
    public mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
        guard !failed, n >= 0, n <= bytes.count - at else { failed = true; return nil }
        defer { at += n }
        return bytes[at..<(at + n)]
    }

    public mutating func byte() -> UInt8 {
        guard !failed, at < bytes.count else { failed = true; return 0 }
        defer { at += 1 }
        return bytes[at]
    }

    public mutating func u32() -> UInt32 {
        guard !failed, at + 4 <= bytes.count else { failed = true; return 0 }
        defer { at += 4 }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    public mutating func u64() -> UInt64 {
        guard !failed, at + 8 <= bytes.count else { failed = true; return 0 }
        defer { at += 8 }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
        return v
    }

    public mutating func i32() -> Int32 { Int32(bitPattern: u32()) }

    /// `n` 32-bit integers.
    public mutating func i32s(_ n: Int) -> [Int32] {
        guard !failed, n >= 0, n <= (bytes.count - at) / 4 else { failed = true; return [] }
        var out = [Int32](repeating: 0, count: n)
        bytes.withUnsafeBytes { raw in
            for i in 0..<n {
                let o = at + 4 * i
                out[i] = Int32(bitPattern: UInt32(raw[o]) | UInt32(raw[o + 1]) << 8 | UInt32(raw[o + 2]) << 16 | UInt32(raw[o + 3]) << 24)
            }
        }
        at += 4 * n
        return out
    }

    public mutating func string() -> String {
        let n = Int(u32())
        guard let slice = take(n) else { return "" }
        return String(decoding: slice, as: UTF8.self)
    }

    /// A count, then each string; a count the bytes left cannot hold fails before anything is allocated.
    public mutating func strings() -> [String] {
        let n = Int(u32())
        guard !failed, n <= (bytes.count - at) / 4 else { failed = true; return [] }
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            let s = string()
            if failed { return [] }
            out.append(s)
        }
        return out
    }

    public mutating func optional() -> String? {
        byte() == 0 ? nil : string()
    }
}
