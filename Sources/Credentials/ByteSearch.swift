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
