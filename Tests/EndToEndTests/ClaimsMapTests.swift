import Foundation
import Testing

/// docs/claims.md maps each claim of the README and docs to the tests that prove it. These tests keep the
/// map honest: every test it names exists, and its totals are the table's.
@Suite struct ClaimsMapTests {
    /// The repository's top folder (this file is Tests/EndToEndTests/ClaimsMapTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One row of a claims table: its id, and the `Suite.test` names in its test column (empty: no test).
    struct Claim {
        let id: String
        let tests: [String]
        let hasNoTest: Bool
    }

    static func claims() throws -> [Claim] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/claims.md"), encoding: .utf8)
        var out: [Claim] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            // "| id | claim | test |" splits into ["", id, claim, test, ""].
            guard cells.count >= 5, let id = cells.dropFirst().first, id.range(of: #"^[A-Z][0-9]+$"#, options: .regularExpression) != nil else { continue }
            let column = cells[cells.count - 2]
            // "none: why" names no test (backticks in the why are code, not test names).
            let hasNoTest = column.hasPrefix("none")
            let names = hasNoTest ? [] : column.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            out.append(Claim(id: id, tests: names, hasNoTest: hasNoTest))
        }
        return out
    }

    /// Every `@Test` function under Tests/, as `Suite.name` (suites are `@Suite ... struct Name`; an
    /// `extension Name` at the top level continues one).
    static func declaredTests() throws -> Set<String> {
        var found = Set<String>()
        let tests = root.appendingPathComponent("Tests")
        guard let walker = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil) else { return found }
        let suite = try NSRegularExpression(pattern: #"^(?:@Suite[^\n]*?struct|extension)\s+(\w+)"#)
        let function = try NSRegularExpression(pattern: #"func\s+(\w+)\s*\("#)
        for case let url as URL in walker where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            var current: String?
            // An `@Test` attribute (its arguments may span several lines) marks the next function as a test.
            var attributed = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                let range = NSRange(line.startIndex..., in: line)
                if let m = suite.firstMatch(in: line, range: range), let r = Range(m.range(at: 1), in: line) {
                    current = String(line[r])
                }
                if line.contains("@Test") { attributed = true }
                if let m = function.firstMatch(in: line, range: range), let r = Range(m.range(at: 1), in: line) {
                    if attributed, let current { found.insert("\(current).\(line[r])") }
                    attributed = false
                }
            }
        }
        return found
    }

    @Test func everyListedTestExists() throws {
        let claims = try Self.claims()
        #expect(claims.count > 100, "the table was read (\(claims.count) rows)")
        let declared = try Self.declaredTests()
        let findsItself = declared.contains("ClaimsMapTests.everyListedTestExists")
        #expect(findsItself, "the scan of Tests/ finds this very test")
        for claim in claims {
            #expect(claim.hasNoTest || !claim.tests.isEmpty, "\(claim.id): names a test or says none")
            let missing = claim.tests.filter { !declared.contains($0) }
            #expect(missing.isEmpty, "\(claim.id): no such test in Tests/ (renamed or removed? update docs/claims.md): \(missing)")
        }
        #expect(Set(claims.map(\.id)).count == claims.count, "claim ids are unique")
    }

    @Test func theTotalsMatchTheTable() throws {
        let claims = try Self.claims()
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/claims.md"), encoding: .utf8)
        let withTest = claims.filter { !$0.tests.isEmpty }.count
        let line = "**Totals: \(claims.count) claims, \(withTest) with a test, \(claims.count - withTest) without.**"
        let says = text.contains(line)
        #expect(says, "docs/claims.md should say: \(line)")
    }
}
