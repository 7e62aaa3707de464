import CByteScan
@testable import SecretScanner
import TestSupport
import Testing

/// Split literals given to the pattern rules where no vendor's word opened the named-value layer: a token written
/// as `"ghp_abc" + "def"` is found like a whole one.
@Suite struct JoinedLiteralTests {
    /// `keywarden_next_join`'s answer, computed one byte at a time from its definition.
    private static func referenceJoin(_ b: [UInt8], from: Int) -> Int {
        func quote(_ c: UInt8) -> Bool { c == 34 || c == 39 || c == 96 }
        func gapByte(_ c: UInt8) -> Bool { [32, 9, 13, 10, 43, 46, 92, 38, 95, 60, 124].contains(c) }
        func prefix(_ c: UInt8) -> Bool { Array("rbfuRBFU@$".utf8).contains(c) }
        var i = from
        while i < b.count {
            if quote(b[i]) {
                var k = i + 1, gap = false
                while k < b.count, k - i < 64, gapByte(b[k]) { gap = true; k += 1 }
                var q = k
                while q < b.count, q - k < 2, prefix(b[q]) { q += 1 }
                if q < b.count, quote(b[q]), gap || q > k { return i }
            }
            i += 1
        }
        return b.count
    }

    @Test func theVectorSearchForJoinsAgreesWithItsDefinition() {
        // Inputs of every length around the 16-byte blocks, dense in the bytes that matter.
        let alphabet = Array("\"'` \t\r\n+.\\&_<|rbf@$ax)(,;".utf8)
        var rng = FakeKeys.stream()
        var joins = 0
        for _ in 0..<4000 {
            let count = Int.random(in: 0...70, using: &rng)
            let b = (0..<count).map { _ in alphabet.randomElement(using: &rng)! }
            let from = count == 0 ? 0 : Int.random(in: 0...count, using: &rng)
            let got = b.withUnsafeBufferPointer { keywarden_next_join($0.baseAddress!, count, from) }
            let expected = Self.referenceJoin(b, from: from)
            #expect(got == expected, "\(String(decoding: b, as: UTF8.self).debugDescription) from \(from)")
            if expected < count { joins += 1 }
        }
        // Both answers occur often.
        #expect(joins > 300 && joins < 3900, "\(joins)")
    }

    private func runs(_ text: String) -> [String] {
        guard let joined = Array(text.utf8).withUnsafeBytes({ DerivedText.joinedRuns($0) }) else { return [] }
        return joined.runs.map { run in
            let end = joined.text[run.at...].firstIndex(of: 10) ?? joined.text.count
            return String(decoding: joined.text[run.at..<end], as: UTF8.self)
        }
    }

    @Test func runsOfJoinedPiecesAreRunTogether() {
        #expect(runs("t = \"ab\" + \"cd\";\n") == ["abcd"])
        #expect(runs("T = (\"ab\"\n     \"cd\"\n     \"ef\")\n") == ["abcdef"])
        #expect(runs("$t = 'ab' . 'cd';\n") == ["abcd"])
        #expect(runs("t = \"a\\\"b\" \"cd\"\n") == ["a\\\"bcd"])
        #expect(runs("x = f\"ab\" f\"cd\"\n") == ["abcd"])
        // Arguments, list items and keys are no joins.
        #expect(runs("f(\"ab\", \"cd\")\n[\"ab\", \"cd\"]\n{\"ab\": \"cd\"}\n").isEmpty)
    }

    @Test func runsStayInsideTheirInputOnRandomText() {
        let alphabet = Array("\"'` \t\n+.\\&_rbf$ax09)(,;".utf8)
        var rng = FakeKeys.stream()
        var made = 0
        for _ in 0..<3000 {
            let b = (0..<Int.random(in: 0...300, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            guard let joined = b.withUnsafeBytes({ DerivedText.joinedRuns($0) }) else { continue }
            made += 1
            var previous = -1
            for (k, run) in joined.runs.enumerated() {
                // (A piece may hold a line break: the run ends with the line break before the next run.)
                let end = (k + 1 < joined.runs.count ? joined.runs[k + 1].at : joined.text.count) - 1
                #expect(run.at > previous && run.source.lowerBound >= 0 && run.source.upperBound <= b.count)
                // (A piece may be empty: `"" + "x"`.)
                #expect(!run.joins.isEmpty && run.joins.allSatisfy { $0 >= run.at && $0 <= end })
                #expect(end - run.at <= run.source.count, "a run holds more than the input it spans")
                previous = run.at
            }
        }
        #expect(made > 300, "\(made)")
    }

    @Test func aTokenSplitOverLiteralsIsFoundByItsOwnRule() throws {
        let token = FakeKeys.githubToken()
        let head = String(token.prefix(17)), tail = String(token.dropFirst(17))
        let written: [(String, String, Int)] = [
            ("release.py", "TOKEN = (\"\(head)\"\n         \"\(tail)\")\n", 1),
            ("release.js", "const t = \"\(head)\" +\n  \"\(tail)\";\n", 1),
            ("Release.java", "String t = \"\(head)\" + \"\(tail)\";\n", 1),
            ("release.php", "<?php\n$t = '\(head)' . '\(tail)';\n", 2),
        ]
        for (path, text, line) in written {
            let found = try Engine.scan(text, path: path)
            let hit = found.first { $0.ruleID == "github-pat-classic" }
            #expect(hit?.secret == token, "\(path): \(found.map(\.ruleID))")
            #expect(hit?.line == line, "\(path)")
        }
        // Pieces given as two arguments are two values; a run marked allowed is not reported.
        #expect(try !Engine.scan("f(\"\(head)\",\n  \"\(tail)\")\n", path: "a.py").contains { $0.ruleID == "github-pat-classic" })
        #expect(try !Engine.scan("t = \"\(head)\" + \"\(tail)\"  # keywarden:allow\n", path: "a.py").contains { $0.ruleID == "github-pat-classic" })
    }

    @Test func aFullHistoryScansWorkersLeaveJoinsToTheNamedValueLayer() throws {
        let token = FakeKeys.githubToken()
        let text = "t = \"\(token.prefix(17))\" + \"\(token.dropFirst(17))\"\n"
        let scanner = BufferScanner(Engine.builtIn.rules, fingerprinter: Engine.builtIn.fingerprinter)
        func found() throws -> [String] {
            try Array(text.utf8).withUnsafeBytes { try scanner.scan($0, InputContext(path: "a.py")) }.map(\.ruleID)
        }
        #expect(try found().contains("github-pat-classic"))
        scanner.readsJoinedLiterals = false
        #expect(try !found().contains("github-pat-classic"))
    }
}
