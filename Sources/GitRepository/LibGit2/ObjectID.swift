internal import CLibGit2

/// A git object id (SHA-1), as a Swift value.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 20 raw bytes, big-endian in three words so that hashing and comparing stay cheap.
    let high: UInt64, middle: UInt64, low: UInt32

    init(_ oid: git_oid) {
        var h: UInt64 = 0, m: UInt64 = 0, l: UInt32 = 0
        withUnsafeBytes(of: oid.id) { raw in
            for i in 0..<8 { h = h << 8 | UInt64(raw[i]) }
            for i in 8..<16 { m = m << 8 | UInt64(raw[i]) }
            for i in 16..<20 { l = l << 8 | UInt32(raw[i]) }
        }
        high = h; middle = m; low = l
    }

    /// The id a libgit2 accessor returned; throws instead of reading through a null pointer.
    init(_ oid: UnsafePointer<git_oid>?, of what: @autoclosure () -> String) throws(GitError) {
        guard let oid else { throw GitError(.corruptObject, "libgit2 returned no object id for \(what())") }
        self.init(oid.pointee)
    }

    init(bytes raw: UnsafeRawBufferPointer) {
        var h: UInt64 = 0, m: UInt64 = 0, l: UInt32 = 0
        for i in 0..<8 { h = h << 8 | UInt64(raw[i]) }
        for i in 8..<16 { m = m << 8 | UInt64(raw[i]) }
        for i in 16..<20 { l = l << 8 | UInt32(raw[i]) }
        high = h; middle = m; low = l
    }

    /// Equal ids have equal first words; ids are uniformly distributed, so one word is as good a hash
    /// as all three and costs a third (history plans hash hundreds of thousands of ids).
    public func hash(into hasher: inout Hasher) { hasher.combine(high) }

    /// The id whose 20 raw bytes start `raw` (which must hold at least 20).
    public init(rawBytes raw: UnsafeRawBufferPointer) {
        precondition(raw.count >= 20, "an object id is 20 bytes")
        self.init(bytes: raw)
    }

    /// Appends the 20 raw bytes to `out` (no allocation of their own).
    public func appendRaw(to out: inout [UInt8]) {
        withUnsafeBytes(of: high.bigEndian) { out += $0 }
        withUnsafeBytes(of: middle.bigEndian) { out += $0 }
        withUnsafeBytes(of: low.bigEndian) { out += $0 }
    }

    /// Parses 40 hexadecimal digits; nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 40 else { return nil }
        guard let id = digits.withUnsafeBytes({ ObjectID(hexDigits: $0) }) else { return nil }
        self = id
    }

    /// Parses the 40 hexadecimal digits at the start of `digits` (as found in raw commit objects).
    init?(hexDigits digits: UnsafeRawBufferPointer) {
        guard digits.count >= 40 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 {
            guard let a = Self.nibble(digits[2 * i]), let b = Self.nibble(digits[2 * i + 1]) else { return nil }
            bytes[i] = a << 4 | b
        }
        self = bytes.withUnsafeBytes { ObjectID(bytes: $0) }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }

    /// The 20 raw bytes.
    public var bytes: [UInt8] {
        var out = [UInt8](); out.reserveCapacity(20)
        for i in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: high >> (8 * UInt64(i)))) }
        for i in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: middle >> (8 * UInt64(i)))) }
        for i in (0..<4).reversed() { out.append(UInt8(truncatingIfNeeded: low >> (8 * UInt32(i)))) }
        return out
    }

    /// 40 lowercase hexadecimal digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](); out.reserveCapacity(40)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    /// The libgit2 form of this id.
    var oid: git_oid {
        var oid = git_oid()
        let b = bytes
        withUnsafeMutableBytes(of: &oid.id) { raw in for i in 0..<20 { raw[i] = b[i] } }
        return oid
    }

    public static func < (a: ObjectID, b: ObjectID) -> Bool {
        (a.high, a.middle, a.low) < (b.high, b.middle, b.low)
    }
}
