import Foundation
import Hashing
import Testing
import Webhooks

/// Random signature values through every scheme: no crash, and never `valid`.
@Suite struct FuzzTests {
    /// SplitMix64: a small seeded generator, so that a failure can be reproduced from the seed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let now: Int64 = 1_735_689_600

    static func randomBytes(_ lengths: ClosedRange<Int>, _ rng: inout SeededGenerator) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<Int.random(in: lengths, using: &rng) { out.append(UInt8.random(in: 0...255, using: &rng)) }
        return out
    }

    /// One random signature value: raw bytes, printable ASCII, or a splice of plausible fragments.
    static func randomValue(_ rng: inout SeededGenerator) -> String {
        func pick(_ alphabet: String, _ n: Int, _ rng: inout SeededGenerator) -> String {
            let chars = Array(alphabet)
            var out = ""
            for _ in 0..<n { out.append(chars[Int.random(in: 0..<chars.count, using: &rng)]) }
            return out
        }
        func hex(_ n: Int, _ rng: inout SeededGenerator) -> String { pick("0123456789abcdefABCDEF", n, &rng) }
        func base64(_ n: Int, _ rng: inout SeededGenerator) -> String {
            pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=", n, &rng)
        }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            return String(decoding: randomBytes(0...120, &rng), as: UTF8.self)
        case 1:
            var out = ""
            for _ in 0..<Int.random(in: 0...120, using: &rng) { out.append(Character(Unicode.Scalar(UInt8.random(in: 32...126, using: &rng)))) }
            return out
        case 2:
            // Comma-separated elements, mostly well formed, so that many reach the HMAC comparison.
            var elements: [String] = []
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                switch Int.random(in: 0..<6, using: &rng) {
                case 0, 1: elements.append("t=\(now + Int64.random(in: -100...100, using: &rng))")
                case 2, 3: elements.append("v1=" + hex(64, &rng))
                case 4: elements.append("v0=" + hex(64, &rng))
                default: elements.append(pick("abcxyz019=,. ", Int.random(in: 0...6, using: &rng), &rng))
                }
            }
            return elements.joined(separator: ",")
        default:
            func fragment(_ rng: inout SeededGenerator) -> String {
                switch Int.random(in: 0..<18, using: &rng) {
                case 0: "t="
                case 1: "v1="
                case 2: "v0="
                case 3: "sha256="
                case 4: ","
                case 5: "="
                case 6: " "
                case 7: "\t"
                case 8: String(now + Int64.random(in: -400...400, using: &rng))
                case 9: String(UInt64.random(in: 0...UInt64.max, using: &rng))
                case 10: "t=\(now + Int64.random(in: -100...100, using: &rng))"
                case 11: "t=\((now + Int64.random(in: -100...100, using: &rng)) * 1000)"
                case 12: "v1=" + hex(64, &rng)
                case 13: "sha256=" + hex(64, &rng)
                case 14: "v0=" + hex(64, &rng)
                case 15: hex(Int.random(in: 60...68, using: &rng), &rng)
                case 16: hex(64, &rng)
                default: base64(Int.random(in: 42...45, using: &rng), &rng)
                }
            }
            var out = ""
            for _ in 0..<Int.random(in: 1...8, using: &rng) { out += fragment(&rng) }
            return out
        }
    }

    @Test(arguments: WebhookScheme.allCases)
    func randomSignaturesAreNeverValid(scheme: WebhookScheme) throws {
        var rng = SeededGenerator(state: 0x6B65_7977_6172_6465 ^ UInt64(scheme.rawValue.utf8.count))
        let secret = Self.randomBytes(32...32, &rng)
        let verifier = try WebhookVerifier(scheme: scheme, secret: secret)
        let at = Date(timeIntervalSince1970: TimeInterval(Self.now))
        var seen: [String: Int] = [:]
        for round in 0..<3_000 {
            let body = Self.randomBytes(0...64, &rng)
            let value = Self.randomValue(&rng)
            let stamp = Bool.random(using: &rng) ? String(Self.now + Int64.random(in: -50...50, using: &rng)) : Self.randomValue(&rng)
            let verdict = verifier.verify(payload: body, signature: value, timestamp: stamp, now: at)
            #expect(!verdict.isValid, "round \(round): \(value.debugDescription)")
            if let code = verdict.failure?.code { seen[code, default: 0] += 1 }
        }
        // The generator reached the signature comparison, not only the parser.
        #expect(seen["bad-signature", default: 0] > 0, "\(seen)")
        #expect(seen["malformed-header", default: 0] > 0, "\(seen)")
    }

    /// Correctly signed requests survive the same machinery: the fuzz loop is not vacuous.
    @Test(arguments: WebhookScheme.allCases)
    func signedRequestsAreValid(scheme: WebhookScheme) throws {
        var rng = SeededGenerator(state: 42)
        let secret = Self.randomBytes(32...32, &rng)
        let verifier = try WebhookVerifier(scheme: scheme, secret: secret)
        for _ in 0..<200 {
            let body = Self.randomBytes(0...64, &rng)
            let time = Self.now + Int64.random(in: -300...300, using: &rng)
            let signature = try verifier.sign(payload: body, timestamp: time)
            let verdict = verifier.verify(payload: body, signature: signature, timestamp: String(time),
                                          now: Date(timeIntervalSince1970: TimeInterval(Self.now)))
            #expect(verdict == .valid)
        }
    }
}
