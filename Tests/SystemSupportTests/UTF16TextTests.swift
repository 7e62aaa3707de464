import SystemSupport
import Testing

/// UTF-16 detection: marked and unmarked text in both orders is UTF-16, ordinary text and binary are not, and
/// the early answer for ordinary text is the answer a full count of the first 8,000 bytes gives.
@Suite struct UTF16TextTests {
    /// The count the detector makes, over the whole sample, without stopping early.
    static func fullCount(_ b: [UInt8]) -> UTF16Text.Order? {
        if b.count >= 2, b[0] == 0xFF, b[1] == 0xFE { return .little }
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF { return .big }
        let n = min(b.count, 8000) & ~1
        guard n >= 16 else { return nil }
        var even = 0, odd = 0
        for i in stride(from: 0, to: n, by: 2) {
            if b[i] == 0 { even += 1 }
            if b[i + 1] == 0 { odd += 1 }
        }
        let pairs = n / 2
        if odd * 10 >= pairs * 9, even * 10 <= pairs { return .little }
        if even * 10 >= pairs * 9, odd * 10 <= pairs { return .big }
        return nil
    }

    static func order(_ b: [UInt8]) -> UTF16Text.Order? { b.withUnsafeBytes { UTF16Text.order(of: $0) } }

    @Test func textInEachEncodingIsToldApart() {
        let text = String(repeating: "MAINTAINX_API_KEY=value # comment\n", count: 20)
        let little = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(Self.order(little) == .little)
        #expect(Self.order(big) == .big)
        #expect(Self.order([0xFF, 0xFE] + little) == .little)
        #expect(Self.order(Array(text.utf8)) == nil)
        #expect(Self.order(Array(text.utf8).withUnsafeBytes { UTF16Text.decode($0) } ?? []) == nil)
        #expect(little.withUnsafeBytes { UTF16Text.decode($0) } == Array(text.utf8))
    }

    @Test func theEarlyAnswerIsTheFullCountsAnswer() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<1000 {
            // Buffers with zero bytes at every rate on each side, some of them long enough to stop early.
            let count = Int.random(in: 0...(round % 3 == 0 ? 9000 : 300), using: &rng)
            let evenRate = Double.random(in: 0...1, using: &rng), oddRate = [0.0, 0.05, 0.1, 0.5, 0.9, 0.95, 1.0].randomElement(using: &rng)!
            let b = (0..<count).map { i -> UInt8 in
                Double.random(in: 0..<1, using: &rng) < (i % 2 == 0 ? evenRate : oddRate) ? 0 : UInt8.random(in: 1...255, using: &rng)
            }
            #expect(Self.order(b) == Self.fullCount(b), "\(count) bytes, zero rates \(evenRate) / \(oddRate)")
        }
    }
}
