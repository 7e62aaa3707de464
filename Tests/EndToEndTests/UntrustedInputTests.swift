import Foundation
import Testing
import TestSupport

/// The scanned files are untrusted input (issue 14): report files, the cache and what is printed.
@Suite struct UntrustedInputTests {
    let cacheEnv = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]

    @Test func aReportIsNeverWrittenThroughALinkAndIsPrivate() throws {
        let dir = try TemporaryDirectory()
        try dir.write("src/.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try dir.write("victim.txt", "precious\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path("keywarden.sarif"), withDestinationPath: dir.path("victim.txt"))
        let linked = try Run.keywarden(["scan", "--no-git", "--format", "sarif", "--output", dir.path("keywarden.sarif"), dir.path("src")],
                                       environment: cacheEnv)
        #expect(linked.status == 2, "\(linked.stderr)")
        #expect(linked.stderr.contains("symbolic link"), "\(linked.stderr)")
        #expect(try String(contentsOfFile: dir.path("victim.txt"), encoding: .utf8) == "precious\n")
        let fresh = try Run.keywarden(["scan", "--no-git", "--format", "json", "--output", dir.path("report.json"), dir.path("src")],
                                      environment: cacheEnv)
        #expect(fresh.status == 1)
        var info = stat()
        #expect(stat(dir.path("report.json"), &info) == 0 && info.st_mode & 0o077 == 0, "a new report is 0600")
        #expect(try Run.keywarden(["scan", "--no-git", "--output", "/dev/null", dir.path("src")], environment: cacheEnv).status == 1)
    }

    @Test func namesCannotDrawOnTheTerminalOrWriteWorkflowCommands() throws {
        let dir = try TemporaryDirectory()
        let name = "x\u{1B}[2J\n::error file=README.md,line=1::pwned\u{9B}31m.env"
        try dir.write("src/\(name)", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path("src/l\n::warning::link"), withDestinationPath: "/etc/hostname")
        let r = try Run.keywarden(["scan", "--no-git", dir.path("src")], environment: cacheEnv)
        #expect(r.status == 1, "\(r.stderr)")
        for text in [r.stdout, r.stderr] {
            #expect(!text.contains("\u{1B}"), "no escape sequence: \(text)")
            #expect(!text.contains("\u{9B}"), "no C1 control: \(text)")
            #expect(!text.split(separator: "\n").contains { $0.hasPrefix("::") }, "no workflow command: \(text)")
        }
        #expect(r.stdout.contains("\\u{1b}[2J\\n::error"), "the name is shown escaped: \(r.stdout)")
    }

    @Test func aSwappedCacheFileIsRebuiltNotTrusted() throws {
        let cache = try TemporaryDirectory(prefix: "keywarden-cache")
        let env = ["KEYWARDEN_CACHE_DIR": cache.path("kw")]
        let dir = try TemporaryDirectory()
        try dir.write("a/.env", "MAINTAINX_API_KEY=\(FakeKeys.alnum(40))\nMINDTICKLE_API_KEY=\(FakeKeys.alnum(40))\n")
        let first = try Run.keywarden(["scan", "--no-git", "--format", "json", dir.path("a")], environment: env)
        #expect(first.status == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.path("kw")).filter { !$0.hasPrefix(".") }
        #expect(files.contains { $0.hasPrefix("rules-") } && files.contains { $0.hasPrefix("prefilter-") }, "\(files)")
        // The review's attack: a tiny well-formed "no rules" file in place of the rules (format version 2,
        // then zero rules, allowlists, pairs and warnings): the scan must not go blind.
        var empty = [UInt8]()
        for v: UInt32 in [2, 0, 0, 0, 0] { withUnsafeBytes(of: v.littleEndian) { empty += $0 } }
        for file in files where file.hasPrefix("rules-") {
            try Data(empty).write(to: URL(fileURLWithPath: cache.path("kw/\(file)")))
        }
        for file in files where file.hasPrefix("prefilter-") {
            try Data(repeating: 0, count: 16).write(to: URL(fileURLWithPath: cache.path("kw/\(file)")))
        }
        let second = try Run.keywarden(["scan", "--no-git", "--format", "json", dir.path("a")], environment: env)
        #expect(second.status == 1, "\(second.stderr)")
        func findings(_ json: String) -> [String] {
            json.split(separator: "\n").filter { !$0.contains("duration") && !$0.contains("\"seconds\"") }.map(String.init)
        }
        #expect(findings(second.stdout) == findings(first.stdout))
        // A cache folder others can write to is not used at all, with a warning.
        chmod(cache.path("kw"), 0o777)
        let open = try Run.keywarden(["scan", "--no-git", dir.path("a")], environment: env)
        #expect(open.status == 1)
        #expect(open.stderr.contains("cache folder"), "\(open.stderr)")
    }
}

/// `rules check` names a user rule whose regex can backtrack catastrophically (issue 14).
@Suite struct RegexLintCommandTests {
    @Test func rulesCheckWarnsAboutANestedQuantifier() throws {
        let dir = try TemporaryDirectory()
        let quotes = String(repeating: "'", count: 3)
        try dir.write("rules.toml", "[[rules]]\nid = \"slow-rule\"\nregex = \(quotes)(?:(a|aa)+;|!)\(quotes)\n")
        let cache = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
        let r = try Run.keywarden(["rules", "check", "--config", dir.path("rules.toml")], in: dir.path(), environment: cache)
        #expect(r.stdout.contains("WARN slow-rule"), "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("nested quantifier"))
    }
}

/// keywarden's own files in a repository are never read or written through a link (issue 14).
@Suite struct ProjectFileLinkTests {
    @Test(arguments: [".keywardenignore", ".keywarden.toml", ".keywarden"])
    func aLinkedProjectFileIsRefused(name: String) throws {
        let dir = try TemporaryDirectory()
        let outside = try TemporaryDirectory(prefix: "keywarden-outside")
        try outside.write("keys.toml", "# not yours\n")
        try Run.git(["init", "-q", "-b", "main"], in: dir.path())
        try dir.write("readme.txt", "hello\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path(name),
                                                   withDestinationPath: name == ".keywarden" ? outside.path() : outside.path("keys.toml"))
        let cache = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
        let r = try Run.keywarden(["scan", "readme.txt"], in: dir.path(), environment: cache)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("symbolic link"), "\(r.stderr)")
    }
}

/// A blob's size is read from its header before it is inflated: a zlib bomb (200 MB of zeros, a few
/// hundred KB in git) over `--max-file-size` costs no memory (issue 14).
@Suite struct BlobBombTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time")))
    func aBlobOverTheLimitIsNeverInflated() throws {
        let dir = try TemporaryDirectory()
        try Run.git(["init", "-q", "-b", "main"], in: dir.path())
        let size = 200 << 20
        FileManager.default.createFile(atPath: dir.path("bomb.bin"), contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir.path("bomb.bin")))
        let block = Data(count: 1 << 20)
        for _ in 0..<(size >> 20) { handle.write(block) }
        try handle.close()
        try Run.git(["add", "-A"], in: dir.path())
        try Run.git(["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "bomb"], in: dir.path())
        try FileManager.default.removeItem(atPath: dir.path("bomb.bin"))
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path
        let r = try Run.program("/usr/bin/time", ["-f", "maxrss=%M", Run.keywardenPath, "scan", "--history", "--include-binary",
                                                  "--max-file-size", "1M", "."], in: dir.path(), environment: ["KEYWARDEN_CACHE_DIR": cache])
        #expect(r.stderr.contains("larger than the size limit"), "\(r.stderr)")
        let line = try #require(r.stderr.split(separator: "\n").last { $0.hasPrefix("maxrss=") })
        let kilobytes = try #require(Int(line.dropFirst("maxrss=".count)))
        #expect(kilobytes < size >> 10, "peak memory \(kilobytes) KB: the blob was inflated")
    }
}

/// A repository's `.keywarden.toml` may only extend a rules file inside the work tree, with no symbolic
/// link on the way (issue 14); the user's own `--config` may extend any file.
@Suite struct RepositoryExtendPathTests {
    let cache = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
    let rule = "[[rules]]\nid = \"corp-token\"\nregex = '''corp_[A-Za-z0-9]{24}'''\n"

    /// A git repository at `<dir>/repo` with a file holding a token that only `rule` finds, and
    /// `<dir>/out/o.toml` (the rule) and `<dir>/out/passwd` (not TOML) outside it.
    func layout() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try dir.write("out/o.toml", rule)
        try dir.write("out/passwd", "root:x:0:0:OUTSIDE-CONTENT-MARKER:/root:/bin/bash\n")
        try dir.write("repo/app.txt", "token = corp_\(FakeKeys.alnum(24))\n")
        try Run.git(["init", "-q", "-b", "main"], in: dir.path("repo"))
        return dir
    }

    @Test(arguments: ["../out/o.toml", "ABSOLUTE/out/o.toml", "ABSOLUTE/out/passwd", "linked/o.toml", "linked.toml"])
    func aPathOutsideTheWorkTreeIsRefused(extendPath: String) throws {
        let dir = try layout()
        try FileManager.default.createSymbolicLink(atPath: dir.path("repo/linked"), withDestinationPath: dir.path("out"))
        try FileManager.default.createSymbolicLink(atPath: dir.path("repo/linked.toml"), withDestinationPath: "../out/o.toml")
        let path = extendPath.replacingOccurrences(of: "ABSOLUTE", with: dir.path())
        try dir.write("repo/.keywarden.toml", "[extend]\nuseDefault = true\npath = \"\(path)\"\n")
        let r = try Run.keywarden(["scan", "app.txt"], in: dir.path("repo"), environment: cache)
        #expect(r.status == 2, "\(extendPath): \(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("[extend] path") && r.stderr.contains("refused"), "\(r.stderr)")
        #expect(r.stderr.contains(".keywarden.toml"), "the message names the file: \(r.stderr)")
        #expect(!r.stderr.contains("OUTSIDE-CONTENT-MARKER") && !r.stdout.contains("corp-token"), "nothing was read: \(r.stderr)")
    }

    @Test func aPathInsideTheWorkTreeStillWorks() throws {
        let dir = try layout()
        try dir.write("repo/rules/corp.toml", rule)
        try dir.write("repo/.keywarden.toml", "[extend]\nuseDefault = true\npath = \"rules/corp.toml\"\n")
        let r = try Run.keywarden(["scan", "app.txt"], in: dir.path("repo"), environment: cache)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("corp-token"), "\(r.stdout)")
    }

    @Test func theUsersOwnConfigMayExtendAnyFile() throws {
        let dir = try layout()
        try dir.write("mine/config.toml", "[extend]\nuseDefault = true\npath = \"\(dir.path("out/o.toml"))\"\n")
        let r = try Run.keywarden(["scan", "--config", dir.path("mine/config.toml"), "app.txt"], in: dir.path("repo"), environment: cache)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("corp-token"), "\(r.stdout)")
    }
}

/// Text keywarden prints from files the repository controls (`.keywardenignore` reasons, the key ledger's
/// ids, names, owners and notes) cannot draw on the terminal or write a GitHub workflow command (issue 14).
@Suite struct RepositoryTextOutputTests {
    let env = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path,
               "KEYWARDEN_TODAY": "2026-11-23"]

    /// No raw escape, BEL, CR, C1 or line separator, and no line starting with `::`.
    func expectInert(_ text: String, _ what: String) {
        for bad in ["\u{1B}", "\u{07}", "\r", "\u{85}", "\u{9B}", "\u{2028}"] {
            #expect(!text.unicodeScalars.contains { String($0) == bad }, "\(what): raw \(bad.unicodeScalars.first!.value): \(text)")
        }
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("::") }, "\(what): a workflow command: \(text)")
    }

    @Test func ignoreListShowsReasonsEscaped() throws {
        let dir = try TemporaryDirectory()
        let fp = String(repeating: "ab", count: 32)
        // A line of the ignore file cannot hold a newline; a CR, NEL or U+2028 ends a line on a terminal or in a log.
        try dir.write(".keywardenignore", "\(fp)  # ok\u{1B}[2J\r::error file=README.md,line=1::pwned\u{85}::x\u{2028}::y\u{9B}31m\n")
        let r = try Run.keywarden(["ignore", "list"], in: dir.path(), environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        expectInert(r.stdout, "ignore list")
        #expect(r.stdout.contains("ok\\u{1b}[2J\\r::error file=README.md,line=1::pwned\\u{85}::x\\u{2028}::y\\u{9b}31m"), "\(r.stdout)")
    }

    @Test func keysStatusAndCheckShowLedgerFieldsEscaped() throws {
        let dir = try TemporaryDirectory()
        // TOML escapes put the control characters into the values.
        try dir.write(".keywarden/keys.toml", """
            schema = 1

            [[keys]]
            id = "::error file=README.md,line=1::id\\u001b[2J\\n::warning::next"
            provider = "acme\\u001b]0;title\\u0007"
            environment = "prod\\r::notice::env"
            owner = "o\\u001b[31m"
            created = 2026-01-02
            interval = 30

            [[keys]]
            id = "plain"
            provider = "acme"
            environment = "prod\\r::notice::env"
            created = 2026-11-01
            interval = 90
            note = "n\\n::error::note"

            """)
        let status = try Run.keywarden(["keys", "status"], in: dir.path(), environment: env)
        #expect(status.status == 0, "\(status.stderr)")
        expectInert(status.stdout, "keys status")
        #expect(status.stdout.contains("::error file=README.md,line=1::id\\u{1b}[2J\\n::warning::next"), "\(status.stdout)")
        #expect(status.stdout.contains("prod\\r::notice::env"), "\(status.stdout)")
        let check = try Run.keywarden(["keys", "check"], in: dir.path(), environment: env)
        #expect(check.status == 1, "an overdue key: \(check.stderr)")
        expectInert(check.stdout, "keys check")
        #expect(check.stdout.contains("\\u{1b}[2J\\n::warning::next"), "\(check.stdout)")
    }

    @Test func doctorShowsTheRepositorysNamesEscaped() throws {
        let dir = try TemporaryDirectory()
        try Run.git(["init", "-q", "-b", "main"], in: dir.path())
        // An environment name is a TOML key: a quoted key can hold any control character.
        try dir.write(".keywarden.toml", """
            [doctor]
            required_env = ["MAINTAINX_API_KEY"]
            environments = { "prod\\u001b[2J\\n::error file=README.md::env" = ".env.prod", "qa\\u009b31m" = ".env.qa" }

            """)
        let r = try Run.keywarden(["doctor", "--no-history"], in: dir.path(), environment: env)
        #expect(r.status == 1, "the environment files are missing: \(r.stdout)\(r.stderr)")
        expectInert(r.stdout, "doctor")
        #expect(r.stdout.contains("prod\\u{1b}[2J\\n::error file=README.md::env"), "\(r.stdout)")
    }

    @Test func rulesListShowsAConfigsRulesEscaped() throws {
        let dir = try TemporaryDirectory()
        try Run.git(["init", "-q", "-b", "main"], in: dir.path())
        try dir.write(".keywarden.toml", """
            [[rules]]
            id = "corp-token"
            description = "x\\u001b[2J\\n::error file=README.md::rule"
            regex = '''corp_[A-Za-z0-9]{24}'''

            """)
        let r = try Run.keywarden(["rules", "list"], in: dir.path(), environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        expectInert(r.stdout, "rules list")
        #expect(r.stdout.contains("x\\u{1b}[2J\\n::error file=README.md::rule"), "\(r.stdout)")
    }
}

/// A pack index is read, never mapped: a truncated `.idx` cannot kill a history scan with SIGBUS; it is
/// named in a warning and the scan goes on (issue 14).
@Suite struct PackIndexTests {
    @Test func aTruncatedPackIndexIsAWarningAndTheScanGoesOn() throws {
        let dir = try TemporaryDirectory()
        try Run.git(["init", "-q", "-b", "main"], in: dir.path())
        try dir.write("app.env", "MAINTAINX_API_KEY=\(FakeKeys.maintainX(userID: 4242))\n")
        try Run.git(["add", "-A"], in: dir.path())
        try Run.git(["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one"], in: dir.path())
        // A pack of every object beside the loose ones, then its index cut short.
        let objects = try Run.git(["rev-list", "--objects", "--all"], in: dir.path()).stdout
        let packed = try Run.program("/usr/bin/git", ["pack-objects", "-q", ".git/objects/pack/pack"], in: dir.path(), stdin: objects)
        let name = try #require(packed.stdout.split(separator: "\n").first.map(String.init), "\(packed.stderr)")
        let idx = dir.path(".git/objects/pack/pack-\(name).idx")
        chmod(idx, 0o644)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: idx))
        try handle.truncate(atOffset: 600)
        try handle.close()
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path
        let r = try Run.keywarden(["scan", "--history", "--no-cache", "."], in: dir.path(), environment: ["KEYWARDEN_CACHE_DIR": cache])
        #expect(r.status == 1, "the scan went on and found the key: \(r.stderr)")
        #expect(r.stderr.contains("pack index") && r.stderr.contains("pack-\(name).idx") && r.stderr.contains("truncated"), "\(r.stderr)")
    }
}
