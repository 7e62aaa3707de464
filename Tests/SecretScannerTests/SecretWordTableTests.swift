@testable import SecretScanner
import Testing

/// The table that finds the secret words (``SecretWordTable``) answers as a plain loop over the words and
/// their bytes does: at every offset of random texts, in any case, up to the end of the text or of a window.
@Suite struct SecretWordTableTests {
    /// The plain answer: the length of the word (any case) at `i` that ends by `limit`, or 0.
    func plain(_ b: [UInt8], at i: Int, limit: Int) -> Int {
        for w in BufferScanner.secretWords where i + w.count <= limit {
            if (0..<w.count).allSatisfy({ k in (b[i + k] >= 65 && b[i + k] <= 90 ? b[i + k] + 32 : b[i + k]) == w[k] }) { return w.count }
        }
        return 0
    }

    @Test func theTableFindsWhatTheWordsDo() {
        let pieces = ["key", "KEY", "Token", "sEcReT", "pass", "PWD", "auth", "cred", "api", "Bearer", "ke", "tok", "secre", "k",
                      "x", "_", " ", "\n", "@", "`", "{", "[", "K", "\u{e9}", "kez", "aPi"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var found = 0
        for _ in 0..<2000 {
            let b = Array((0..<(1 + next(12))).map { _ in pieces[next(pieces.count)] }.joined().utf8)
            let limit = next(4) == 0 ? next(b.count + 1) : b.count
            b.withUnsafeBufferPointer { p in
                for i in 0..<b.count {
                    let fast = SecretWordTable.length(at: i, in: p.baseAddress!, count: b.count, limit: limit)
                    #expect(fast == plain(b, at: i, limit: limit), "\(String(decoding: b, as: UTF8.self).debugDescription) at \(i) by \(limit)")
                    if fast > 0 { found += 1 }
                }
            }
        }
        #expect(found > 1000)
    }
}
