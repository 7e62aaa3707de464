/// ``BufferScanner/secretWords`` ready for a pass over a buffer: per byte, which words start with it (any
/// case), and each word as one 8-byte integer, so that where a word may start costs a table look-up, a load
/// and a compare or two, instead of a loop over the words and their bytes (the passes over large files that
/// only their path sent to the named-value layer, and the words looked for near a vendor's name).
enum SecretWordTable {
    /// Per byte: bit `j` set when word `j` starts with that byte in either case.
    // Written once before any read, never freed: immutable after initialisation.
    nonisolated(unsafe) private static let first: UnsafePointer<UInt16> = {
        let t = UnsafeMutablePointer<UInt16>.allocate(capacity: 256)
        t.initialize(repeating: 0, count: 256)
        for (j, w) in BufferScanner.secretWords.enumerated() {
            t[Int(w[0])] |= 1 << j
            t[Int(w[0] & ~0x20)] |= 1 << j
        }
        return UnsafePointer(t)
    }()

    /// Per word: its lowercase bytes as a little-endian integer, the mask of its length, and its length.
    nonisolated(unsafe) private static let packed: UnsafePointer<UInt64> = {
        let words = BufferScanner.secretWords
        precondition(words.count <= 16 && words.allSatisfy { $0.count <= 8 })
        let t = UnsafeMutablePointer<UInt64>.allocate(capacity: 3 * words.count)
        for (j, w) in words.enumerated() {
            var value: UInt64 = 0
            for (k, c) in w.enumerated() { value |= UInt64(c) << (8 * UInt64(k)) }
            t[3 * j] = value
            t[3 * j + 1] = w.count == 8 ? ~0 : (1 << (8 * UInt64(w.count))) - 1
            t[3 * j + 2] = UInt64(w.count)
        }
        return UnsafePointer(t)
    }()

    /// Every byte of a word is a letter: OR-ing 0x20 into the text lowers its capitals and makes no other
    /// byte equal to a lowercase letter.
    private static let lower: UInt64 = 0x2020_2020_2020_2020

    /// The length of the secret word that starts at `i` (in any case) and ends by `limit`, or 0.
    @inline(__always)
    static func length(at i: Int, in base: UnsafePointer<UInt8>, count: Int, limit: Int) -> Int {
        var bits = first[Int(base[i])]
        guard bits != 0 else { return 0 }
        let table = packed
        if i + 8 <= count {
            let text = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self).littleEndian | lower
            while bits != 0 {
                let j = bits.trailingZeroBitCount
                bits &= bits - 1
                let n = Int(table[3 * j + 2])
                if text & table[3 * j + 1] == table[3 * j], i + n <= limit { return n }
            }
            return 0
        }
        while bits != 0 {
            let j = bits.trailingZeroBitCount
            bits &= bits - 1
            let n = Int(table[3 * j + 2])
            guard i + n <= limit else { continue }
            var k = 0
            while k < n, UInt64(base[i + k] | 0x20) == (table[3 * j] >> (8 * UInt64(k))) & 0xFF { k += 1 }
            if k == n { return n }
        }
        return 0
    }
}
