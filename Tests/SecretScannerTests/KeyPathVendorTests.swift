import Credentials
import NamedValues
@testable import SecretScanner
import TestSupport
import Testing

/// Where every named-value rule that applies wants its vendor in the key path, a value whose key path holds
/// none of their vendor words is passed over before it is judged: the test on the key path must say yes
/// wherever the judgement's own test (a vendor word in `NamedJudgement.squeezed`) would.
@Suite struct KeyPathVendorTests {
    @Test func theKeyPathTestAgreesWithTheJudgementsSqueezedKeyPath() {
        let pieces = ["column", "Column", "COLUMN", "col", "umn", "Cursor", "cur", "sor", "api", "Key", "_", "-", ".", "$", ":",
                      "\u{e9}", "2", "x9", "X", "9", "ColumnAPI", " ", "@"]
        let vendors: [[UInt8]] = ["column", "cursor", "x9", "col"].map { Array($0.utf8) }
        var rng = FakeKeys.Stream(seed: 0x5EED_0017)
        func part() -> String { (0..<Int.random(in: 1...5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() }
        let value = FakeKeys.alnum(24)
        var compared = 0, held = 0
        var scratch = [UInt8]()
        for _ in 0..<3000 {
            let path = (0..<Int.random(in: 0...3, using: &rng)).map { _ in part() }
            let v = NamedValue(path: path, name: part() + "Token", value: value, range: 0..<24, derived: false)
            let judged = NamedJudgement(value: v)
            guard !judged.squeezed.isEmpty else { continue }
            compared += 1
            let expected = vendors.contains { w in ByteSearch.contains(judged.squeezed, String(decoding: w, as: UTF8.self)) }
            let got = BufferScanner.keyPathMayHold(vendors, v, squeezed: &scratch)
            #expect(got == expected, "\(path) \(v.name): squeezed \(judged.squeezed)")
            if got { held += 1 }
        }
        #expect(compared > 2000 && held > 500 && compared - held > 200)
    }

    @Test func onlyRulesThatWantTheVendorInTheKeyPathAreTestedSo() throws {
        let compiled = Engine.builtIn.rules
        func rule(_ id: String) throws -> CompiledRule { try #require(compiled.rules.first { $0.rule.id == id }) }
        let column = try rule("column-api-key"), password = try rule("password-assignment")
        let near = try #require(compiled.rules.first { $0.named?.spec.vendorScope == .near && $0.named?.spec.vendor.isEmpty == false })
        #expect(BufferScanner.keyPathVendorWords([column]) == [Array("column".utf8)])
        // A rule that may find its vendor in the file path or nearby, or a rule for any vendor, tests every value.
        #expect(BufferScanner.keyPathVendorWords([column, near]) == nil)
        #expect(BufferScanner.keyPathVendorWords([password, column]) == nil)
    }

    /// A Column key under a parent that names Column, in a file that also holds values under other names.
    @Test func aVendorNamedOnlyByAParentStillCounts() throws {
        let key = "live_" + FakeKeys.alnum(27)
        let text = "columns:\n  order_token: \(FakeKeys.alnum(32))\ncolumn:\n  token: \"\(key)\"\n"
        let found = try Engine.scan(text, path: "config/payments.yml")
        #expect(found.contains { $0.ruleID == "column-api-key" && $0.secret == key && $0.line == 4 }, "\(found.map(\.ruleID))")
    }
}
