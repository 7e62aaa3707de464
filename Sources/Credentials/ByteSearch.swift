#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Byte-wise substring search. (With Foundation imported, `String.contains` of a string goes through
/// NSString's locale-aware search, which costs a start-up hook dearly; the needles here are plain ASCII.)
public enum ByteSearch {
    /// True when `needle` occurs in `text`, compared as UTF-8 bytes.
    public static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text, needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { pattern in occurs(UnsafeRawBufferPointer(pattern), in: UnsafeRawBufferPointer(haystack)) }
        }
    }

    /// True when `needle` occurs in `haystack` as bytes (an empty needle always does).
    public static func occurs(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Bool {
        guard !needle.isEmpty else { return true }
        guard let h = haystack.baseAddress, let n = needle.baseAddress, needle.count <= haystack.count else { return false }
        let first = needle[0]
        for i in 0...(haystack.count - needle.count) where haystack[i] == first {
            if memcmp(h + i, n, needle.count) == 0 { return true }
        }
        return false
    }
}

/// Several needles searched for in one pass over the text: the placeholder and masking checks ask for a
/// few dozen fragments in every value judged, and a pass per fragment was most of their cost.
public struct ByteNeedles: Sendable {
    /// The needles by their first byte.
    private let byFirst: [[[UInt8]]]
    private let anyEmpty: Bool

    public init(_ needles: [String]) {
        var byFirst = [[[UInt8]]](repeating: [], count: 256)
        for n in needles where !n.isEmpty { byFirst[Int(n.utf8.first!)].append(Array(n.utf8)) }
        self.byFirst = byFirst
        anyEmpty = needles.contains { $0.isEmpty }
    }

    /// True when one of the needles occurs in `text` as bytes (as `ByteSearch.contains` of each would say).
    public func occur(in text: String) -> Bool {
        if anyEmpty { return true }
        var text = text
        return text.withUTF8 { h in
            let n = h.count
            var i = 0
            while i < n {
                let list = byFirst[Int(h[i])]
                if !list.isEmpty {
                    for needle in list where i + needle.count <= n {
                        var k = 1
                        while k < needle.count, h[i + k] == needle[k] { k += 1 }
                        if k == needle.count { return true }
                    }
                }
                i += 1
            }
            return false
        }
    }
}
