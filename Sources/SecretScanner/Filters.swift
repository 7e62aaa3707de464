/// Cheap tests that tell a real secret from the things that only look like one.
public enum Filters {
    /// Shannon entropy in bits per character of `bytes`.
    public static func entropy(_ bytes: some Collection<UInt8>) -> Double {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for b in bytes { counts[Int(b)] += 1 }
        let n = Double(bytes.count)
        var h = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / n
            h -= p * log2(p)
        }
        return h
    }

    /// Comments that mark a line as a known non-secret, ours and the ones peers use.
    public static let inlineAllowMarkers = ["keywarden:allow", "gitleaks:allow", "betterleaks:allow", "pragma: allowlist secret"]

    /// True when `line` carries an inline allow marker.
    public static func hasInlineAllow(_ line: String) -> Bool {
        inlineAllowMarkers.contains { contains(line, $0) }
    }

    /// Fragments that mark a placeholder or a reference wherever they occur (long or punctuated enough that
    /// a random key practically never contains them).
    private static let placeholderFragments = [
        "example", "placeholder", "changeme", "change_me", "change-me", "redacted", "dummy", "sample", "notreal",
        "not-real", "not_a_", "lorem", "****", "...", "<", ">", "${", "{{", "}}", "$(", "%(", "process.env",
        "os.environ", "getenv", "env[", "secrets.", "vault:", "op://", "secretsmanager",
    ]

    /// Short words that mark a placeholder only as a whole segment (`mx-prod-key-here`, `YOUR_KEY`): as a
    /// substring they would also hit real random keys (a 40-character key contains "here" about once in 3,000).
    /// Not "test" or "demo": real keys carry those as fixed prefix segments (`sk_test_`).
    private static let placeholderWords: Set<String> = ["your", "here", "fake", "todo", "insert", "replace", "xxx"]

    /// Fragments that mark even a long value (a key block) as a placeholder.
    private static let longPlaceholderFragments = ["...", "<", ">", "${", "{{", "}}", "****", "xxxxxxxx"]

    /// True for placeholders, references and dummy values (`your-api-key-here`, `${VAR}`, `xxxx`,
    /// `sk_live_***`, repeated or sequential characters) that documentation and config templates use.
    public static func isPlaceholder(_ secret: String) -> Bool {
        let lower = secret.lowercased()
        if lower.utf8.count > 100 {
            // Key blocks and long tokens: their encodings hold zero runs (`AAAAAAAA`) and chance words, so
            // only structural markers count.
            return longPlaceholderFragments.contains { contains(lower, $0) } || Set(lower.utf8).count <= 3
        }
        if placeholderFragments.contains(where: { contains(lower, $0) }) { return true }
        // Runs of x in one case only: a random key holds "xXxX" about once in 25,000, "xxxxx" practically never.
        if contains(secret, "xxxxx") || contains(secret, "XXXXX") { return true }
        if lower.hasPrefix("$") { return true }
        let segments = lower.split { !($0.isLetter || $0.isNumber) }
        if segments.count > 1, segments.contains(where: { placeholderWords.contains(String($0)) }) { return true }
        let bytes = Array(lower.utf8)
        if bytes.count >= 8, Set(bytes).count <= 3 { return true }
        return hasLongSequence(bytes)
    }

    /// Byte-wise substring test. (With Foundation imported, `String.contains` of a string goes through
    /// NSString's locale-aware search, which costs a start-up hook dearly; these needles are plain ASCII.)
    static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text, needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { pattern in occurs(UnsafeRawBufferPointer(pattern), in: UnsafeRawBufferPointer(haystack)) }
        }
    }

    /// True when `needle` occurs in `haystack` as bytes (an empty needle always does).
    static func occurs(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Bool {
        guard !needle.isEmpty else { return true }
        guard let h = haystack.baseAddress, let n = needle.baseAddress, needle.count <= haystack.count else { return false }
        let first = needle[0]
        for i in 0...(haystack.count - needle.count) where haystack[i] == first {
            if memcmp(h + i, n, needle.count) == 0 { return true }
        }
        return false
    }

    /// True when the value contains a run of 8 or more consecutive ascending or descending characters
    /// (`0123456789`, `abcdefgh`) or one character repeated 8 times.
    static func hasLongSequence(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 8 else { return false }
        var up = 1, down = 1, same = 1
        for i in 1..<bytes.count {
            let a = Int(bytes[i - 1]), b = Int(bytes[i])
            up = b == a + 1 ? up + 1 : 1
            down = b == a - 1 ? down + 1 : 1
            same = b == a ? same + 1 : 1
            if up >= 8 || down >= 8 || same >= 8 { return true }
        }
        return false
    }
}

import Foundation
