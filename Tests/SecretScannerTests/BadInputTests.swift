import Foundation
import SecretScanner
import Testing
import TestSupport

/// Inputs that break weaker scanners: each must give a clear outcome and lose nothing else.
@Suite struct BadInputTests {
    func scanDir(_ dir: TemporaryDirectory, options: ScanOptions = ScanOptions(), follow: Bool = false) -> (ScanResult, FileWalker) {
        scanPath(dir.path(), options: options, follow: follow)
    }

    func scanPath(_ path: String, options: ScanOptions = ScanOptions(), follow: Bool = false) -> (ScanResult, FileWalker) {
        var walker = FileWalker(options: .init(followSymlinks: follow))
        let files = walker.files(under: [path])
        let session = ScanSession(rules: Engine.builtIn.rules, fingerprinter: Engine.builtIn.fingerprinter, options: options)
        return (session.scanFiles(files), walker)
    }

    @Test func binaryFilesAreSkippedWithANoteUnlessAsked() throws {
        let dir = try TemporaryDirectory()
        var bytes = Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 0])
        bytes.append(Data("MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n".utf8))
        try dir.write("tool.bin", data: bytes)
        let (skipped, _) = scanDir(dir)
        #expect(skipped.findings.isEmpty && skipped.skipped.count == 1 && skipped.skipped[0].reason == .binary)
        var options = ScanOptions()
        options.includeBinary = true
        let (scanned, _) = scanDir(dir, options: options)
        #expect(scanned.findings.count == 1)
    }

    @Test func invalidUTF8AroundASecretIsStillScanned() throws {
        let dir = try TemporaryDirectory()
        var bytes = Data([0xC3, 0x28, 0xFF, 0xFE, 0x0A])
        bytes.append(Data("MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n".utf8))
        bytes.append(Data([0xE2, 0x82, 0x0A]))
        try dir.write("latin.env", data: bytes)
        let (result, _) = scanDir(dir)
        #expect(result.findings.count == 1 && result.findings.first?.line == 2)
    }

    @Test func aTenMegabyteSingleLineFileIsScannedToTheEnd() throws {
        let dir = try TemporaryDirectory()
        let filler = String(repeating: "aGVsbG8gd29ybGQ ", count: 10 * 1024 * 1024 / 16)
        try dir.write("minified.js", filler + "var MAINTAINX_API_KEY='\(FakeKeys.alnum(40))';")
        let (result, _) = scanDir(dir)
        #expect(result.findings.count == 1)
        #expect(result.findings.first?.line == 1)
        #expect((result.findings.first?.column ?? 0) > 10_000_000)
    }

    @Test func thousandsOfMatchesOnOneLineAreAllFound() throws {
        // Upper-case hex cannot spell a placeholder word, so every key must be reported.
        let keys = (0..<3000).map { _ in FakeKeys.random(Array("0123456789ABCDEF"), 40) }
        let line = keys.map { "MX_API_KEY=\($0);" }.joined(separator: " ")
        let found = try Engine.scan(line + "\n")
        #expect(found.count == keys.count)
        let missed = Set(keys).subtracting(found.map(\.secret)).count
        #expect(missed == 0, "\(missed) keys missed")
    }

    @Test func aTwoHundredMegabyteFileIsSkippedByDefaultAndScannedWhenAllowed() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("dump.sql")
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let chunk = Data(String(repeating: "INSERT INTO t VALUES (1, 'plain text');\n", count: 25_000).utf8)
        while try handle.offset() < 200 * 1024 * 1024 { handle.write(chunk) }
        handle.write(Data("MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n".utf8))
        try handle.close()
        let (skipped, _) = scanDir(dir)
        #expect(skipped.findings.isEmpty && skipped.skipped.count == 1 && skipped.skipped[0].description.contains("size limit"))
        var options = ScanOptions()
        options.maxFileSize = 300 * 1024 * 1024
        let (scanned, _) = scanDir(dir, options: options)
        #expect(scanned.findings.count == 1 && scanned.errors.isEmpty)
        #expect((scanned.findings.first?.line ?? 0) > 5_000_000)
    }

    @Test func oversizedFilesAreSkippedWithTheLimitNamed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("big.env", String(repeating: "x", count: 5000) + "\nMAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        var options = ScanOptions()
        options.maxFileSize = 4096
        let (result, _) = scanDir(dir, options: options)
        #expect(result.findings.isEmpty && result.skipped.count == 1 && result.skipped[0].description.contains("--max-file-size"))
    }

    @Test func symbolicLinksAreNotFollowedByDefault() throws {
        // Two secrets reachable only through links (a linked folder and a linked file, both outside the
        // scanned folder), beside one that is not behind a link.
        let dir = try TemporaryDirectory()
        let direct = FakeKeys.alnum(40), viaFolder = FakeKeys.alnum(40), viaFile = FakeKeys.alnum(40)
        try dir.write("scan/direct.env", "MAINTAINX_API_KEY=\(direct)\n")
        try dir.write("elsewhere/folder/linked.env", "MAINTAINX_API_KEY=\(viaFolder)\n")
        try dir.write("elsewhere/file.env", "MAINTAINX_API_KEY=\(viaFile)\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path("scan/linked-folder"), withDestinationPath: dir.path("elsewhere/folder"))
        try FileManager.default.createSymbolicLink(atPath: dir.path("scan/linked.env"), withDestinationPath: dir.path("elsewhere/file.env"))
        let (byDefault, _) = scanPath(dir.path("scan"))
        #expect(byDefault.findings.map(\.secret) == [direct], "only the secret that is not behind a link")
        #expect(byDefault.filesScanned == 1)
        let (followed, _) = scanPath(dir.path("scan"), follow: true)
        #expect(Set(followed.findings.map(\.secret)) == [direct, viaFolder, viaFile])
        #expect(followed.findings.count == 3)
        #expect(followed.findings.contains { $0.path.hasSuffix("scan/linked-folder/linked.env") })
        // A link the user names is a path the user asked for: it is read (only links met while walking
        // follow the policy).
        let (named, _) = scanPath(dir.path("scan/linked.env"))
        #expect(named.findings.map(\.secret) == [viaFile])
    }

    @Test func aSymlinkLoopIsVisitedOnceWhenLinksAreFollowed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a/secret.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path("a/loop"), withDestinationPath: dir.path("a"))
        // Not followed: the loop is never entered, so there is nothing to detect.
        let (notFollowed, quiet) = scanDir(dir)
        #expect(notFollowed.findings.count == 1)
        #expect(!quiet.skipped.contains { $0.description.contains("loop") })
        // Followed: the link is entered, seen to lead back, and the file is scanned once, under its own path.
        let (followed, walker) = scanDir(dir, follow: true)
        #expect(followed.findings.count == 1)
        #expect(followed.findings.first?.path.hasSuffix("a/secret.env") == true)
        #expect(followed.findings.first?.path.contains("loop") == false)
        #expect(walker.skipped.contains { $0.reason == .symbolicLink && $0.description.contains("loop") && $0.path?.hasSuffix("a/loop") == true })
    }

    @Test func aMissingPathIsAnErrorAndTheRestIsScanned() throws {
        let dir = try TemporaryDirectory()
        try dir.write("ok.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        var walker = FileWalker()
        let files = walker.files(under: [dir.path("ok.env"), dir.path("missing.env")])
        let result = Engine.builtIn.scanFiles(files)
        #expect(walker.errors.count == 1 && walker.errors[0].description.contains("missing.env"))
        #expect(result.findings.count == 1)
    }

    @Test func anEmptyDirectoryScansCleanly() throws {
        let dir = try TemporaryDirectory()
        let (result, walker) = scanDir(dir)
        #expect(result.filesScanned == 0 && result.findings.isEmpty && result.errors.isEmpty && walker.errors.isEmpty)
    }

    @Test func aCatastrophicUserRuleGivesUpInsteadOfHanging() throws {
        let session = try Engine.session("""
            [[rules]]
            id = "evil"
            regex = '''(\\w+\\s?)+$'''
            [[rules]]
            id = "fine"
            regex = '''TOKEN_([A-Z0-9]{12})'''
            """)
        let token = FakeKeys.random(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 12)
        let text = String(repeating: "a", count: 30_000) + "!\nTOKEN_\(token)\n"
        let scanner = BufferScanner(session.rules, fingerprinter: session.fingerprinter)
        let found = try Array(text.utf8).withUnsafeBytes { try scanner.scan($0, InputContext(path: "x")) }
        #expect(found.map(\.ruleID) == ["fine"])
        #expect(scanner.warnings.contains { $0.reason == .incomplete && $0.description.contains("evil") })
    }

    @Test func aRuleThatDoesNotCompileIsReportedAndTheRestRun() throws {
        let session = try Engine.session("""
            [[rules]]
            id = "broken"
            regex = '''(unclosed'''
            [[rules]]
            id = "fine"
            regex = '''TOKEN_([A-Z0-9]{12})'''
            """)
        #expect(session.rules.problems.count == 1)
        #expect(session.rules.problems.first?.contains("'broken' (test.toml:1)") == true)
        let token = FakeKeys.random(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 12)
        #expect(try Engine.scan("TOKEN_\(token)\n", session: session).map(\.ruleID) == ["fine"])
    }

    @Test func gitleaksDefaultConfigLoadsAndDetects() throws {
        // Kept gzip-compressed: gitleaks' own allowlisted example keys are in it, and a repository scan
        // must stay clean. Decompressed unmodified for the test.
        let packed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gitleaks/gitleaks.toml.gz").path
        let dir = try TemporaryDirectory()
        let unpacked = try Run.program("/bin/gzip", ["-dc", packed])
        #expect(unpacked.status == 0)
        try dir.write("gitleaks.toml", unpacked.stdout)
        let set = try SecretRulesLoader.load(dir.path("gitleaks.toml"))
        #expect(set.rules.count >= 200)
        let rules = try CompiledRules(set, cacheDirectory: Engine.cache)
        #expect(rules.problems.isEmpty, "\(rules.problems)")
        let session = ScanSession(rules: rules, fingerprinter: Engine.builtIn.fingerprinter, options: ScanOptions())
        let github = FakeKeys.join("gh", "p_", FakeKeys.alnum(36))
        let aws = FakeKeys.join("AK", "IA", FakeKeys.random(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 16))
        let found = try Engine.scan("GITHUB_TOKEN=\(github)\naws_access_key_id = \(aws)\n", session: session)
        #expect(Set(found.map(\.ruleID)).isSuperset(of: ["github-pat", "aws-access-token"]))
    }
}

import SecretRules
enum SecretRulesLoader {
    static func load(_ path: String) throws -> RuleSet { try RuleLoader.load(configAt: path) }
}
