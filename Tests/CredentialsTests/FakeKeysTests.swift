import Credentials
import Foundation
import Testing
import TestSupport

/// The fake keys every other suite builds its fixtures from: valid by construction, and reproducible.
@Suite struct FakeKeysTests {
    @Test func alphanumericValuesAlwaysHoldADigitAndBothCases() {
        for _ in 0..<2000 {
            let long = FakeKeys.alnum(40)
            #expect(long.count == 40)
            #expect(long.contains(where: \.isNumber) && long.contains(where: \.isUppercase) && long.contains(where: \.isLowercase), "\(long)")
            let short = FakeKeys.alnum(2)
            #expect(short.contains(where: \.isNumber) && short.contains(where: \.isLetter), "\(short)")
            let hex = FakeKeys.hex(2)
            #expect(hex.contains(where: \.isNumber) && hex.contains(where: \.isLetter), "\(hex)")
        }
    }

    /// A uniform draw of 16 base32 characters falls below 3.3 bits (under an AWS key id's floor of 3.0 now and
    /// then) in a few draws per hundred; the generator never returns one.
    @Test func valuesClearTheRulesEntropyFloors() {
        let base32 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        for _ in 0..<5000 {
            let value = Array(FakeKeys.random(base32, 16))
            #expect(FakeKeys.shannonEntropy(value) >= 3.3, "\(String(value))")
        }
        #expect(FakeKeys.shannonEntropy(Array("AAAABBBB")) == 1.0)
    }

    @Test func valuesNeverLookLikePlaceholders() {
        // From "xX0", five x in a row would turn up in about one value in ten; the placeholder filter drops
        // such a value, so the generator must never make one.
        for _ in 0..<2000 {
            let value = FakeKeys.random(Array("xX0"), 30)
            #expect(!value.contains("xxxxx") && !value.contains("XXXXX"), "\(value)")
            #expect(!value.contains("00000000"), "\(value)")
        }
        for _ in 0..<2000 {
            let value = FakeKeys.alnum(40).lowercased()
            #expect(!["example", "dummy", "sample", "lorem"].contains { value.contains($0) }, "\(value)")
        }
    }

    @Test func uuidsAreVersionFour() {
        for _ in 0..<200 {
            let u = FakeKeys.uuid()
            #expect(u.range(of: #"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"#, options: .regularExpression) != nil, "\(u)")
        }
    }

    @Test func checksummedTokensVerifyOrNotAsAsked() {
        for _ in 0..<100 {
            let good = FakeKeys.githubToken("ghp"), bad = FakeKeys.githubToken("ghp", validChecksum: false)
            #expect(good.count == 40 && bad.count == 40)
            #expect(Checksum.hasTrailingBase62CRC(good.dropFirst(4)))
            #expect(!Checksum.hasTrailingBase62CRC(bad.dropFirst(4)))
            let npm = FakeKeys.npmToken(), npmBad = FakeKeys.npmToken(validChecksum: false)
            #expect(Checksum.hasTrailingBase62CRC(npm.dropFirst(4)) && !Checksum.hasTrailingBase62CRC(npmBad.dropFirst(4)))
        }
    }

    @Test func aCallSiteStreamIsReproducibleFromTheSeed() {
        // The same seed, test, site and call number give the same stream; another site another.
        let site = FakeKeys.fnv1a("a test|File.swift:10")
        var first = FakeKeys.Stream(seed: FakeKeys.seed ^ site), second = FakeKeys.Stream(seed: FakeKeys.seed ^ site)
        #expect((0..<8).map { _ in first.next() } == (0..<8).map { _ in second.next() })
        var other = FakeKeys.Stream(seed: FakeKeys.seed ^ FakeKeys.fnv1a("a test|File.swift:11"))
        var again = FakeKeys.Stream(seed: FakeKeys.seed ^ site)
        #expect(other.next() != again.next())
        // Two calls at one site differ (the call counter), and values at different sites differ.
        let values = (0..<50).map { _ in FakeKeys.alnum(20) }
        #expect(Set(values).count == values.count)
    }
}
