/// What placeholders, references and dummy values look like (`your-api-key-here`, `${VAR}`, `xxxx`,
/// `sk_live_***`, repeated or sequential characters): the knowledge the scanner's filters and the
/// doctor's environment check share.
public enum Placeholder {
    /// Fragments that mark a placeholder or a reference wherever they occur (long or punctuated enough that
    /// a random key practically never contains them).
    private static let fragments = [
        "example", "placeholder", "changeme", "change_me", "change-me", "redacted", "dummy", "sample", "notreal",
        "not-real", "not_a_", "lorem", "****", "...", "<", ">", "${", "{{", "}}", "$(", "%(", "process.env",
        "os.environ", "getenv", "env[", "secrets.", "vault:", "op://", "secretsmanager",
    ]

    /// Short words that mark a placeholder only as a whole segment (`mx-prod-key-here`, `YOUR_KEY`,
    /// `duffel_test_abc123`): as a substring they would also hit real random keys (a 40-character key contains
    /// "here" about once in 3,000). Not "test" or "demo": real keys carry those as fixed prefix segments (`sk_test_`).
    private static let words: Set<String> = ["your", "here", "fake", "todo", "insert", "replace", "xxx", "abc123"]

    /// Fragments that mark even a long value (a key block) as a placeholder.
    private static let longFragments = ["...", "<", ">", "${", "{{", "}}", "****", "xxxxxxxx"]

    /// The lists above, each searched for in one pass.
    private static let fragmentNeedles = ByteNeedles(fragments)
    private static let longFragmentNeedles = ByteNeedles(longFragments)
    private static let wordNeedles = ByteNeedles(Array(words))

    /// True for placeholders, references and dummy values that documentation and config templates use.
    public static func isPlaceholder(_ secret: String) -> Bool {
        let lower = secret.lowercased()
        if lower.utf8.count > 100 {
            // Key blocks and long tokens: their encodings hold zero runs (`AAAAAAAA`) and chance words, so
            // only structural markers count.
            return longFragmentNeedles.occur(in: lower) || distinctBytes(Array(lower.utf8), atMost: 3)
        }
        if fragmentNeedles.occur(in: lower) { return true }
        // Runs of x in one case only: a random key holds "xXxX" about once in 25,000, "xxxxx" practically never.
        if ByteSearch.contains(secret, "xxxxx") || ByteSearch.contains(secret, "XXXXX") { return true }
        if lower.hasPrefix("$") { return true }
        // (Split into words only when one of the words occurs at all: an ASCII value without them has no such segment.)
        if !lower.utf8.allSatisfy({ $0 < 0x80 }) || wordNeedles.occur(in: lower) {
            let segments = Words.lowercased(lower)
            if segments.count > 1, segments.contains(where: words.contains) { return true }
        }
        let bytes = Array(lower.utf8)
        if bytes.count >= 8, distinctBytes(bytes, atMost: 3) { return true }
        return hasLongSequence(bytes)
    }

    /// True when `bytes` holds at most `limit` distinct byte values.
    static func distinctBytes(_ bytes: [UInt8], atMost limit: Int) -> Bool {
        var seen = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var count = 0
        for b in bytes {
            let bit = UInt64(1) << UInt64(b & 63)
            let fresh: Bool
            switch b >> 6 {
            case 0: fresh = seen.0 & bit == 0; seen.0 |= bit
            case 1: fresh = seen.1 & bit == 0; seen.1 |= bit
            case 2: fresh = seen.2 & bit == 0; seen.2 |= bit
            default: fresh = seen.3 & bit == 0; seen.3 |= bit
            }
            if fresh { count += 1; if count > limit { return false } }
        }
        return true
    }

    /// True when the value contains a run of 8 or more consecutive ascending or descending characters
    /// (`0123456789`, `abcdefgh`), one character repeated 8 times, or two ascending sequences interleaved
    /// over 10 characters or more, separators aside (`1a2b3c4d5e`, `a1b2-c3d4-e5f6`): in a random key each
    /// character continues such a pattern about once in 36, so 8 in a row practically never happen.
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
        return hasInterleavedSequence(bytes) || isMostlyStepwise(bytes)
    }

    /// Values of 16 characters or more whose letters, taken alone, and whose digits, taken alone, each run in
    /// order for at least three steps in four (`z` to `a` and `9` to `0` count as steps), with 12 such
    /// characters at least: the hand-typed dummies `abc123def456ghi789`, `ABCD1234EFGH5678`, `aB1cD2eF3gH4`
    /// (folded to lower case by the caller), `abcdefabcdef`. In a random key a letter follows the one before
    /// it about once in 26 (a hex digit once in 6), so three steps in four practically never happen.
    static func isMostlyStepwise(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 16 else { return false }
        var counted = 0
        for (low, high) in [(UInt8(ascii: "a"), UInt8(ascii: "z")), (UInt8(ascii: "0"), UInt8(ascii: "9"))] {
            var members = 0, steps = 0
            var previous: UInt8?
            for b in bytes where b >= low && b <= high {
                if let p = previous, b == p + 1 || (p == high && b == low) { steps += 1 }
                previous = b
                members += 1
            }
            guard members >= 4 else { continue }
            if steps * 4 < (members - 1) * 3 { return false }
            counted += members
        }
        return counted >= 12
    }

    /// Two ascending sequences interleaved (`1a2b3c4d5e`): 8 characters in a row, separators (`-`, `_`, `.`)
    /// skipped, each one more than the character two before it, after two that start the pattern.
    static func hasInterleavedSequence(_ bytes: [UInt8]) -> Bool {
        var previous: (Int, Int) = (-10, -10)
        var run = 0
        for byte in bytes where byte != 45 && byte != 95 && byte != 46 {
            let b = Int(byte)
            run = b == previous.0 + 1 ? run + 1 : 0
            if run >= 8 { return true }
            previous = (previous.1, b)
        }
        return false
    }
}
