import Credentials
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
        // Runs of every length around the 30 alphabet characters a run needs, at every offset (the search
        // tests aligned 8-byte blocks), and bytes outside ASCII.
        let pieces: [[UInt8]] = [Array(" ".utf8), Array("\n".utf8), Array("=".utf8), Array("-".utf8), Array(".".utf8),
                                 Array("abc".utf8), Array("Zm9vYmFy".utf8), Array("+/".utf8), Array("ABCDEFGHIJKLMNOP".utf8),
                                 Array(String(repeating: "q", count: 29).utf8), Array(String(repeating: "Q9", count: 15).utf8),
                                 Array(String(repeating: "z", count: 31).utf8), [0xC3, 0xA9], [0x7B], [0x40], [0x60]]
        for _ in 0..<6000 {
            var bytes = [UInt8]()
            for _ in 0..<Int.random(in: 0...120, using: &rng) { bytes += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
            let fast = bytes.withUnsafeBytes { Base64Runs.find(in: $0) }
            #expect(fast == naive(bytes))
        }
    }
}

/// A run is decoded and judged in one pass that stops early (`Base64Runs.decodeText`): it must keep and drop
/// exactly the runs that decoding them whole and then counting their text bytes did.
@Suite struct Base64DecodeTextTests {
    /// Decoding the whole run, then at least 95% printable ASCII or whitespace and no NUL.
    func whole(_ run: [UInt8]) -> [UInt8]? {
        var upper = false, lower = false
        for c in run { if c >= 65 && c <= 90 { upper = true } else if c >= 97 && c <= 122 { lower = true } }
        guard upper && lower, let bytes = Base64.decode(String(decoding: run, as: UTF8.self)), bytes.count >= 16 else { return nil }
        if bytes.contains(0) { return nil }
        let printable = bytes.filter { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }.count
        return printable * 100 >= bytes.count * 95 ? bytes : nil
    }

    @Test func keepsWhatDecodingTheWholeRunKept() {
        var state: UInt64 = 0x853C_49E6_748F_EA9B
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var kept = 0, dropped = 0
        for _ in 0..<4000 {
            // Text with a few other bytes (around the 5% line), sometimes a NUL, encoded in either alphabet,
            // sometimes cut, padded oddly or holding a stray byte.
            let length = 10 + next(90)
            let others = next(4) == 0 ? next(length) : next(max(1, length / 12))
            var plain = (0..<length).map { _ in UInt8(32 + next(95)) }
            for _ in 0..<others { plain[next(length)] = UInt8(next(2) == 0 ? 1 + next(8) : 128 + next(128)) }
            if next(20) == 0 { plain[next(length)] = 0 }
            var run = Array(Base64.encode(plain, urlSafe: next(3) == 0).utf8)
            if next(6) == 0 { run.removeLast(next(min(3, run.count))) }
            if next(10) == 0 { run.append(UInt8(ascii: "=")) }
            if next(15) == 0 { run[next(run.count)] = UInt8(ascii: "=") }
            let expected = whole(run)
            let found = run.withUnsafeBytes { Base64Runs.decodeText($0) }
            #expect(found == expected, "\(String(decoding: run, as: UTF8.self))")
            if expected == nil { dropped += 1 } else { kept += 1 }
        }
        #expect(kept > 500 && dropped > 500)
    }
}
