import Foundation
import Testing
import TestSupport

/// Inputs that are not plain files on disk, and inputs that are very large or very dense, through the real
/// binary: UTF-16 text on standard input and in git, standard input streamed under the size limit, a
/// webhook body over its limit, and a line of one key repeated tens of thousands of times.
@Suite struct InputLimitTests {
    let dir: TemporaryDirectory
    let env: [String: String]

    init() throws {
        dir = try TemporaryDirectory(prefix: "keywarden-limits")
        env = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path,
               "KEYWARDEN_TODAY": "2026-11-23"]
    }

    /// `keywarden ARGS < FILE` (FILE in the test folder), killed after 120 seconds.
    func scan(_ arguments: [String], stdinFile: String? = nil) throws -> ProcessResult {
        let quoted = ([Run.keywardenPath] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let redirect = stdinFile.map { " < '\($0)'" } ?? ""
        return try Run.program("/usr/bin/timeout", ["120", "/bin/bash", "-c", "exec " + quoted.joined(separator: " ") + redirect],
                               in: dir.path(), environment: env)
    }

    func findings(_ r: ProcessResult) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        return try #require(object["findings"] as? [[String: Any]])
    }

    func notes(_ r: ProcessResult, _ kind: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        return (object["summary"] as? [String: Any])?[kind] as? [String] ?? []
    }

    func keyLine() -> (line: String, key: String) {
        let key = FakeKeys.maintainX(userID: Int.random(in: 1000...9999))
        return ("MAINTAINX_API_KEY=\(key)\n", key)
    }

    static func utf16LE(_ text: String) -> Data {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        return Data(bytes)
    }

    // MARK: UTF-16 on standard input and in git

    @Test func utf16OnStandardInputAndInGitIsScannedWithItsOwnLines() throws {
        let (line, key) = keyLine()
        let text = "# Windows settings\r\n\r\n" + line.replacingOccurrences(of: "\n", with: "\r\n")
        try Self.utf16LE(text).write(to: URL(fileURLWithPath: dir.path("win.env")))
        let piped = try scan(["scan", "--format", "json", "-"], stdinFile: "win.env")
        #expect(piped.status == 1, "standard input: \(piped.stderr)")
        #expect(try findings(piped).first?["line"] as? Int == 3)
        #expect((try findings(piped).first?["extra"] as? [String: String])?["encoding"] == "utf-16")
        #expect(!piped.stdout.contains(key))

        try Run.git(["init", "-q", "."], in: dir.path())
        try dir.write("readme.txt", "hello\n")
        try Run.git(["add", "readme.txt"], in: dir.path())
        try Run.git(["commit", "-q", "-m", "first"], in: dir.path())
        try Run.git(["add", "win.env"], in: dir.path())
        let staged = try scan(["scan", "--staged", "--format", "json"])
        #expect(staged.status == 1, "--staged: \(staged.stderr)")
        #expect(try findings(staged).first?["line"] as? Int == 3, "\(staged.stdout.prefix(300))")
        try Run.git(["commit", "-q", "-m", "windows settings"], in: dir.path())
        for mode in [["--range", "HEAD~1..HEAD"], ["--history"]] {
            let r = try scan(["scan", "--format", "json"] + mode)
            #expect(r.status == 1, "\(mode): \(r.stderr)")
            #expect(try findings(r).first?["path"] as? String == "win.env")
            #expect(try findings(r).first?["line"] as? Int == 3, "\(mode)")
        }
    }

    // MARK: standard input is streamed under the size limit

    @Test func standardInputObeysTheSizeLimitWithANote() throws {
        let (early, _) = keyLine()
        let (late, _) = keyLine()
        var text = early
        while text.utf8.count < 4096 { text += "filler line of ordinary text\n" }
        text += late
        try dir.write("big.log", text)
        let r = try scan(["scan", "--format", "json", "--max-file-size", "2K", "-"], stdinFile: "big.log")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(try findings(r).count == 1, "only the key within the first 2 KiB")
        #expect(try findings(r).first?["line"] as? Int == 1)
        let skipped = try notes(r, "skipped")
        #expect(skipped.contains { $0.contains("<stdin>") && $0.contains("only the first 2048 bytes were scanned") }, "\(skipped)")
    }

    @Test func largeStandardInputAndLargeFilesAreScannedAcrossWindowsWithTrueLineNumbers() throws {
        // 20 MB: more than two 8 MB windows; keys near the window edges, at line ends and starts.
        let filler = String(repeating: "x", count: 99) + "\n"
        var text = ""
        var expected: [Int] = []
        var lineNumber = 1
        let edges = [8 << 20, (8 << 20) - (64 << 10), (8 << 20) - (128 << 10), (16 << 20) - (192 << 10), (16 << 20) - (256 << 10) + 50]
        var next = edges.sorted()
        text.reserveCapacity(21 << 20)
        while text.utf8.count < 20 << 20 {
            if let edge = next.first, text.utf8.count + 100 >= edge {
                next.removeFirst()
                text += keyLine().line
                expected.append(lineNumber)
            } else {
                text += filler
            }
            lineNumber += 1
        }
        try dir.write("huge.log", text)
        let piped = try scan(["scan", "--format", "json", "-"], stdinFile: "huge.log")
        #expect(piped.status == 1, "\(piped.stderr)")
        #expect(try findings(piped).compactMap { $0["line"] as? Int }.sorted() == expected, "each key once, at its line")
        let file = try scan(["scan", "--no-git", "--format", "json", "huge.log"])
        #expect(try findings(file).compactMap { $0["line"] as? Int }.sorted() == expected)
        #expect(try findings(file).allSatisfy { $0["column"] as? Int == 19 }, "the column after MAINTAINX_API_KEY=")
    }

    @Test func aWebhookBodyOverItsLimitIsAClearError() throws {
        try dir.write("body.json", String(repeating: "{\"event\":\"work_order\"}\n", count: 50_000))
        let r = try scan(["webhook", "verify", "--scheme", "github", "--secret-env", "HOME", "--signature", "sha256=00",
                          "--max-body-size", "64K"], stdinFile: "body.json")
        #expect(r.status == 2, "exit \(r.status) \(r.stderr)")
        #expect(r.stderr.contains("standard input is larger than 65536 bytes") && r.stderr.contains("--max-body-size"), "\(r.stderr)")
    }

    // MARK: dense matches

    @Test func denseMatchesAreCappedPerRuleWithACount() throws {
        let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let keys = (0..<20).map { _ in "AKIA" + FakeKeys.random(upper, 16) }
        let count = 50_000
        var line = ""
        line.reserveCapacity(count * 21)
        for i in 0..<count { line += keys[i % keys.count] + " " }
        try dir.write("dense.txt", "aws_keys: " + line + "\n")
        let r = try scan(["scan", "--no-git", "--format", "json", "dense.txt"])
        #expect(r.status == 1, "\(r.stderr)")
        let found = try findings(r)
        #expect(found.count == 100, "at most 100 findings of one rule in one file: \(found.count)")
        let warnings = try notes(r, "warnings")
        #expect(warnings.contains { $0.contains("49900 more matches of rule 'aws-access-key-id'") && $0.contains("the first at line:column 1:11") },
                "\(warnings.prefix(3))")
        #expect(r.stdout.utf8.count < 1 << 20, "the report stays small: \(r.stdout.utf8.count) bytes")
    }

    @Test func theCountBeyondTheCapIsExactAcrossStreamedWindows() throws {
        // 5,000 keys spread over 20 MB of standard input: some fall in the overlaps between 8 MB windows,
        // and each is counted once.
        let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let filler = String(repeating: String(repeating: "y", count: 99) + "\n", count: 40)
        var text = ""
        text.reserveCapacity(21 << 20)
        for _ in 0..<5000 { text += "aws_access_key_id = AKIA" + FakeKeys.random(upper, 16) + "\n" + filler }
        try dir.write("many.log", text)
        let r = try scan(["scan", "--format", "json", "-"], stdinFile: "many.log")
        #expect(try findings(r).count == 100)
        let warnings = try notes(r, "warnings")
        #expect(warnings.contains { $0.contains("4900 more matches of rule 'aws-access-key-id'") }, "\(warnings)")
    }

    /// The cap per file (``FindingCap/perFile``, 1,000) holds across rules: eleven rules, the first ten with
    /// 100 matches each (each within its own cap of 100), then 50 of the eleventh, which are counted in a note.
    @Test func atMostAThousandFindingsPerFileWithACountOfTheRest() throws {
        var config = "[extend]\nuseDefault = false\n"
        let lower = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var text = ""
        for rule in 1...11 {
            let id = "cap-rule-" + (rule < 10 ? "0" : "") + String(rule)
            config += "\n[[rules]]\nid = \"\(id)\"\nregex = '''tok\(rule)x_[a-z0-9]{16}'''\n"
            for _ in 0..<(rule == 11 ? 50 : 100) { text += "value = tok\(rule)x_\(FakeKeys.random(lower, 16))\n" }
        }
        try dir.write(".keywarden.toml", config)
        try dir.write("many.txt", text)
        let r = try scan(["scan", "--no-git", "--format", "json", "many.txt"])
        #expect(r.status == 1, "\(r.stderr)")
        let found = try findings(r)
        #expect(found.count == 1000, "at most 1000 findings in one file: \(found.count)")
        #expect(!found.contains { $0["rule_id"] as? String == "cap-rule-11" }, "the eleventh rule's matches come after the cap")
        let warnings = try notes(r, "warnings")
        #expect(warnings.contains { $0.contains("50 more matches of rule 'cap-rule-11'") && $0.contains("1000 per file") }, "\(warnings)")
        #expect(!warnings.contains { $0.contains("cap-rule-10") }, "the tenth rule is within both caps: \(warnings)")
    }
}
