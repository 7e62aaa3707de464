import Foundation
import Hashing
import SecretScanner
import Testing
import TestSupport

@Suite struct SuppressionTests {
    @Test(arguments: ["keywarden:allow", "gitleaks:allow", "betterleaks:allow", "pragma: allowlist secret"])
    func inlineMarkersAllowTheLine(marker: String) throws {
        let key = FakeKeys.alnum(40)
        #expect(try Engine.scan("MAINTAINX_API_KEY=\(key) # \(marker)\n").isEmpty)
        #expect(try Engine.scan("MAINTAINX_API_KEY=\(key)\n").count == 1)
    }

    /// What is found inside a value that had to be reassembled (here joined literals) is allowed by the marker on
    /// the line where the value is written, as a value found whole is: the joined text has no comment of its own.
    @Test func inlineMarkerAllowsWhatIsFoundInsideAJoinedValue() throws {
        let token = FakeKeys.githubToken()
        let half = token.index(token.startIndex, offsetBy: 12)
        let joined = "let dbPassword = \"\(token[..<half])\" + \"\(token[half...])\""
        #expect(try !Engine.scan(joined + "\n", path: "Sources/App/Client.swift").isEmpty)
        #expect(try Engine.scan(joined + "  // keywarden:allow\n", path: "Sources/App/Client.swift").isEmpty)
        #expect(try Engine.scan(joined + "  // gitleaks:allow\n", path: "Sources/App/Client.swift").isEmpty)
    }

    @Test func ignoreFileMatchesTheValueWhereverItMoves() throws {
        let dir = try TemporaryDirectory()
        let key = FakeKeys.alnum(40)
        let fingerprint = Fingerprinter(key: nil).fingerprint(key)
        try Suppression.append(fingerprint: fingerprint, reason: "test fixture", to: dir.path(".keywardenignore"))
        var suppression = Suppression()
        try suppression.loadIgnoreFile(dir.path(".keywardenignore"))
        let moved = try Engine.scan("# moved down\n\nMAINTAINX_API_KEY=\(key)\n")
        #expect(moved.count == 1)
        #expect(suppression.apply(moved).kept.isEmpty)
        // A new secret on the same line is still caught.
        let other = try Engine.scan("# moved down\n\nMAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        #expect(suppression.apply(other).kept.count == 1)
        // Appending the same fingerprint twice keeps one line.
        try Suppression.append(fingerprint: fingerprint, reason: "again", to: dir.path(".keywardenignore"))
        let text = try String(contentsOfFile: dir.path(".keywardenignore"), encoding: .utf8)
        #expect(text.split(separator: "\n").count == 1)
        #expect(text.contains("# test fixture"))
    }

    @Test func malformedIgnoreFileNamesTheLine() throws {
        let dir = try TemporaryDirectory()
        try dir.write(".keywardenignore", "# comment\n\(String(repeating: "a", count: 64))\nnot-a-fingerprint\n")
        var s = Suppression()
        #expect(throws: ScanError.self) { try s.loadIgnoreFile(dir.path(".keywardenignore")) }
        do { try s.loadIgnoreFile(dir.path(".keywardenignore")) } catch {
            #expect(error.message.hasSuffix(":3: not a fingerprint (expected 64 lowercase hex digits)"))
        }
        #expect(throws: ScanError.self) { try Suppression.append(fingerprint: "short", reason: "", to: dir.path("x")) }
    }

    @Test func baselineSuppressesKnownFindingsOnly() throws {
        let dir = try TemporaryDirectory()
        let known = FakeKeys.alnum(40)
        let fp = Fingerprinter(key: nil).fingerprint(known)
        try dir.write("baseline.json", #"{"version":"0","findings":[{"rule_id":"maintainx-api-key-assignment","fingerprint":"\#(fp)"}]}"#)
        var s = Suppression()
        try s.loadBaseline(dir.path("baseline.json"))
        let found = try Engine.scan("MAINTAINX_API_KEY=\(known)\nMX_API_KEY=\(FakeKeys.alnum(40))\n")
        let applied = s.apply(found)
        #expect(found.count == 2 && applied.kept.count == 1 && applied.baselined == 1)
        try dir.write("bad.json", "[1,2]")
        #expect(throws: ScanError.self) { try s.loadBaseline(dir.path("bad.json")) }
    }

    @Test func fingerprintsAreKeyedWhenTheTeamKeyIsSet() throws {
        let key = FakeKeys.alnum(40)
        let plain = try Engine.scan("MAINTAINX_API_KEY=\(key)\n")
        let team = Fingerprinter(environment: [Fingerprinter.keyVariable: "team"])
        let keyedSession = ScanSession(rules: Engine.builtIn.rules, fingerprinter: team, options: ScanOptions())
        let keyed = try Engine.scan("MAINTAINX_API_KEY=\(key)\n", session: keyedSession)
        // Neither is the SHA-256 or HMAC of the value any more (issue 14): both are the slow salted derivation.
        #expect(plain.first?.fingerprint == Fingerprinter(key: nil).fingerprint(key))
        #expect(plain.first?.fingerprint != Hex.encode(Digest.sha256(Array(key.utf8))))
        #expect(keyed.first?.fingerprint == team.fingerprint(key))
        #expect(keyed.first?.fingerprint != Hex.encode(Digest.hmacSHA256(key: Array("team".utf8), message: Array(key.utf8))))
        #expect(keyed.first?.fingerprint != plain.first?.fingerprint)
    }

    /// keywarden 0.1 wrote plain SHA-256 fingerprints: they still suppress in this release, are listed as
    /// old-format with their line, and the migration rewrites them so that the salted form suppresses.
    @Test func oldFormatEntriesStillSuppressAndMigrate() throws {
        let dir = try TemporaryDirectory()
        let key = FakeKeys.alnum(40)
        let fingerprinter = Fingerprinter(key: nil)
        let old = Hex.encode(Digest.sha256(Array(key.utf8)))
        let path = dir.path(".keywardenignore")
        try dir.write(".keywardenignore", "# kept as it is\n\(old) expires=2099-01-01  # fixture\n")
        var s = Suppression()
        try s.loadIgnoreFile(path)
        let found = try Engine.scan("MAINTAINX_API_KEY=\(key)\n")
        #expect(s.apply(found).kept.count == 1, "without the fingerprinter the old entry is not recognised")
        let applied = s.apply(found, fingerprinter: fingerprinter)
        #expect(applied.kept.isEmpty && applied.ignored == 1)
        #expect(applied.oldFormat.map(\.place) == [.ignoreFile(line: 2)])
        #expect(applied.oldFormat.map(\.old) == [old] && applied.oldFormat.map(\.current) == [found[0].fingerprint])

        #expect(try Suppression.migrate(path, replacements: [old: found[0].fingerprint]) == 1)
        #expect(try String(contentsOfFile: path, encoding: .utf8)
                == "# kept as it is\n\(found[0].fingerprint) expires=2099-01-01  # fixture\n")
        var migrated = Suppression()
        try migrated.loadIgnoreFile(path)
        let after = migrated.apply(found, fingerprinter: fingerprinter)
        #expect(after.kept.isEmpty && after.oldFormat.isEmpty)
        // Nothing left to rewrite: the file is not written again.
        #expect(try Suppression.migrate(path, replacements: [old: found[0].fingerprint]) == 0)
    }

    @Test func oldFormatBaselineFindingsStillMatch() throws {
        let dir = try TemporaryDirectory()
        let known = FakeKeys.alnum(40)
        let old = Hex.encode(Digest.sha256(Array(known.utf8)))
        try dir.write("baseline.json", #"{"findings":[{"rule_id":"maintainx-api-key-assignment","fingerprint":"\#(old)"}]}"#)
        var s = Suppression()
        try s.loadBaseline(dir.path("baseline.json"))
        let found = try Engine.scan("MAINTAINX_API_KEY=\(known)\n")
        let applied = s.apply(found, fingerprinter: Fingerprinter(key: nil))
        #expect(applied.kept.isEmpty && applied.baselined == 1)
        #expect(applied.oldFormat.map(\.place) == [.baseline])
    }
}
