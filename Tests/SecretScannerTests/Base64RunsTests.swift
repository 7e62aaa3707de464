@testable import SecretScanner
import Testing

@Suite struct Base64RunsTests {
    /// The straightforward definition: every maximal run of the alphabet (plus up to two `=`), kept when
    /// long enough and not followed by `-`, `_` or `.`.
    func naive(_ bytes: [UInt8]) -> [Range<Int>] {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out = [Range<Int>]()
        var i = 0
        while i < bytes.count {
            guard alphabet.contains(bytes[i]) else { i += 1; continue }
            let start = i
            while i < bytes.count && alphabet.contains(bytes[i]) { i += 1 }
            var end = i
            while end < bytes.count && end - i < 2 && bytes[end] == UInt8(ascii: "=") { end += 1 }
            let next = end < bytes.count ? bytes[end] : 0x20
            let length = end - start
            if length >= Base64Runs.minimumLength && length <= Base64Runs.maximumLength && length % 4 != 1
                && ![UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ".")].contains(next) {
                out.append(start..<end)
            }
            i = max(end, i)
        }
        return out
    }

    @Test func findsExactlyTheRunsOfTheNaiveDefinition() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [Array(" ".utf8), Array("\n".utf8), Array("=".utf8), Array("-".utf8), Array(".".utf8),
                                 Array("abc".utf8), Array("Zm9vYmFy".utf8), Array("+/".utf8), Array("ABCDEFGHIJKLMNOP".utf8)]
        for _ in 0..<3000 {
            var bytes = [UInt8]()
            for _ in 0..<Int.random(in: 0...120, using: &rng) { bytes += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
            let fast = bytes.withUnsafeBytes { Base64Runs.find(in: $0) }
            #expect(fast == naive(bytes))
        }
    }
}
