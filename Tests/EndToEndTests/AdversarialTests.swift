import Foundation
import Testing
import TestSupport

/// Hostile and unusual inputs through the real binary, each under a time limit: the exit code tells the
/// truth (0 clean, 1 findings, 2 error; never a crash's 132 or a signal), the message says what happened,
/// and nothing is silently lost.
@Suite struct AdversarialTests {
    let dir: TemporaryDirectory
    let env: [String: String]

    init() throws {
        dir = try TemporaryDirectory(prefix: "keywarden-adversarial")
        env = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path,
               "KEYWARDEN_TODAY": "2026-11-23"]
    }

    /// `keywarden ARGS` run by a POSIX shell with `redirections` applied (`<&-`, `>/dev/full`, ...), killed
    /// after 60 seconds (`timeout` exits 124 then, which no expectation below accepts; `-k`: a process that
    /// does not end on SIGTERM, as one blocked opening a FIFO did under the test runner, is killed 5 seconds later: 137).
    func shell(_ arguments: [String], _ redirections: String, extraEnvironment: [String: String] = [:]) throws -> ProcessResult {
        let quoted = ([Run.keywardenPath] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        return try Run.program("/usr/bin/timeout", ["-k", "5", "60", "/bin/bash", "-c", "exec " + quoted.joined(separator: " ") + " " + redirections],
                               in: dir.path(), environment: env.merging(extraEnvironment) { $1 })
    }

    func secretLine() -> (line: String, key: String) {
        let key = FakeKeys.maintainX(userID: Int.random(in: 1000...9999))
        return ("MAINTAINX_API_KEY=\(key)\n", key)
    }

    // MARK: standard input and output that cannot be used

    @Test(arguments: ["<&-", "< /", "0>/dev/null"])
    func unusableStandardInputIsAnErrorNotACrash(redirection: String) throws {
        let commands: [[String]] = [
            ["scan", "-"],
            ["keys", "add", "k1", "--provider", "acme", "--env", "dev", "--stdin", "--ledger", dir.path("keys.toml")],
            ["verify", "--provider", "github", "--stdin"],
            ["webhook", "verify", "--scheme", "makini", "--secret-env", "HOME", "--signature", "abcd"],
        ]
        for command in commands {
            let r = try shell(command, redirection)
            #expect(r.status == 2, "\(command.prefix(2)) with \(redirection): exit \(r.status), \(r.stderr)")
            #expect(r.stderr.contains("standard input"), "\(command.prefix(2)) with \(redirection): \(r.stderr)")
        }
    }

    @Test func aReportThatCannotBeWrittenIsAnError() throws {
        try dir.write("app.env", secretLine().line)
        for redirection in [">/dev/full", ">&-"] {
            let r = try shell(["scan", "--no-git", "app.env"], redirection)
            #expect(r.status == 2, "\(redirection): exit \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("cannot write the report to standard output"), "\(r.stderr)")
            // Output written with print (rules list) is checked when the command ends.
            let list = try shell(["rules", "list"], redirection)
            #expect(list.status == 2, "\(redirection): exit \(list.status)")
            #expect(list.stderr.contains("cannot write to standard output"))
        }
        // A clean JSON report that cannot be written is an error too, not a clean result.
        try dir.write("clean.txt", "nothing here\n")
        #expect(try shell(["scan", "--no-git", "--format", "json", "clean.txt"], ">/dev/full").status == 2)
    }

    // MARK: paths named on the command line are read whatever they are

    @Test func aFIFOProcessSubstitutionAndDevStdinAreRead() throws {
        let (line, key) = secretLine()
        let fifo = dir.path("pipe.env")
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: fifo) {
                handle.write(Data(line.utf8))
                try? handle.close()
            }
        }
        writer.start()
        let viaFIFO = try shell(["scan", "--no-git", fifo], "")
        #expect(viaFIFO.status == 1, "\(viaFIFO.stderr)")
        #expect(viaFIFO.stdout.contains("pipe.env:1"))
        #expect(!viaFIFO.stdout.contains(key))

        try dir.write("source.env", line)
        let substituted = try Run.program("/usr/bin/timeout", ["60", "/bin/bash", "-c", "'\(Run.keywardenPath)' scan --no-git <(cat source.env)"],
                                          in: dir.path(), environment: env)
        #expect(substituted.status == 1, "process substitution: \(substituted.stderr)")
        #expect(substituted.stderr.contains("1 finding in 1 file"), "\(substituted.stderr)")

        let devStdin = try Run.program("/usr/bin/timeout", ["60", Run.keywardenPath, "scan", "--no-git", "/dev/stdin"], in: dir.path(),
                                       stdin: line, environment: env)
        #expect(devStdin.status == 1, "/dev/stdin: \(devStdin.stderr)")
    }

    /// libgit2 maps packs and their indexes: one truncated meanwhile raises SIGBUS. The scan then ends as an
    /// error (exit 2) saying why, not as a crash. The signal is sent to a scan blocked opening a FIFO (from
    /// outside, the same signal a faulting read raises), once /proc shows it waiting in openat.
    @Test func aBusErrorIsAnIncompleteScanNotACrash() throws {
        #expect(mkfifo(dir.path("bus.env"), 0o600) == 0)
        let script = """
            '\(Run.keywardenPath)' scan --no-git bus.env 2>err.txt & pid=$!
            for i in $(seq 1 600); do
              a=$(cut -d' ' -f1 /proc/$pid/syscall 2>/dev/null); sleep 0.1; b=$(cut -d' ' -f1 /proc/$pid/syscall 2>/dev/null)
              [ "$a" = 257 ] && [ "$b" = 257 ] && break
            done
            kill -BUS $pid; wait $pid; echo "status=$?"; cat err.txt >&2
            """
        let run = try Run.program("/usr/bin/timeout", ["-k", "5", "120", "/bin/bash", "-c", script], in: dir.path(), environment: env)
        #expect(run.stdout.contains("status=2"), "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains("(SIGBUS); the scan is incomplete"), "\(run.stderr)")
        #expect(!run.stderr.contains("Program crashed"))
    }

    @Test func aSymbolicLinkNamedOnTheCommandLineIsReadButOneFoundByWalkingIsNot() throws {
        try dir.write("real/secret.env", secretLine().line)
        try dir.write("tree/readme.txt", "nothing here\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path("tree/linked.env"), withDestinationPath: dir.path("real/secret.env"))
        let named = try Run.keywarden(["scan", "--no-git", dir.path("tree/linked.env")], environment: env)
        #expect(named.status == 1, "a link the user names is read: \(named.stderr)")
        let walked = try Run.keywarden(["scan", "--no-git", dir.path("tree")], environment: env)
        #expect(walked.status == 0, "a link met while walking is not followed by default: \(walked.stdout)")
    }

    @Test func anIgnoredOrUntrackedFileNamedInAWorkTreeIsScanned() throws {
        try Run.git(["init", "-q", "."], in: dir.path())
        try dir.write(".gitignore", "*.env\n")
        try dir.write("local.env", secretLine().line)
        let named = try Run.keywarden(["scan", "local.env"], in: dir.path(), environment: env)
        #expect(named.status == 1, "\(named.stderr)")
        let tree = try Run.keywarden(["scan", "."], in: dir.path(), environment: env)
        #expect(tree.status == 0, "the ignored file is not part of the work tree's view: \(tree.stdout)")
    }

    // MARK: text in UTF-16

    @Test func utf16TextIsScannedWithItsOwnLineNumbers() throws {
        let (line, key) = secretLine()
        let text = "# Windows settings\r\n" + line.replacingOccurrences(of: "\n", with: "\r\n")
        func utf16(_ bigEndian: Bool, mark: Bool) -> Data {
            var bytes: [UInt8] = mark ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
            for unit in text.utf16 {
                let hi = UInt8(unit >> 8), lo = UInt8(unit & 0xFF)
                bytes += bigEndian ? [hi, lo] : [lo, hi]
            }
            return Data(bytes)
        }
        for (name, data) in [("le-bom.env", utf16(false, mark: true)), ("le.env", utf16(false, mark: false)),
                             ("be-bom.env", utf16(true, mark: true)), ("be.env", utf16(true, mark: false))] {
            try data.write(to: URL(fileURLWithPath: dir.path(name)))
            // --include-binary reads binary files as bytes: UTF-16 text is still decoded, not matched as bytes.
            for extra in [[], ["--include-binary"]] {
                let r = try Run.keywarden(["scan", "--no-git", "--format", "json"] + extra + [dir.path(name)], environment: env)
                #expect(r.status == 1, "\(name) \(extra): exit \(r.status) \(r.stderr)")
                #expect(!r.stdout.contains(key))
                let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
                let findings = try #require(object["findings"] as? [[String: Any]])
                #expect(findings.count == 1, "\(name) \(extra): \(findings.count) findings")
                #expect(findings.first?["line"] as? Int == 2, "\(name) \(extra): the line in the original file")
                #expect((findings.first?["extra"] as? [String: String])?["encoding"] == "utf-16")
            }
        }
        // A real binary file stays a skipped binary file.
        try Data([0x7F, 0x45, 0x4C, 0x46, 0, 1, 2, 0, 0, 0, 9, 8, 0, 0, 0, 0, 3, 0, 0x3E, 0]).write(to: URL(fileURLWithPath: dir.path("tool.bin")))
        let binary = try Run.keywarden(["scan", "--no-git", dir.path("tool.bin")], environment: env)
        #expect(binary.status == 0 && binary.stderr.contains("binary file"), "\(binary.stderr)")
    }

    // MARK: numbers that do not fit

    @Test func hugeIntervalsAndSizesAreErrorsAndTheLedgerStaysReadable() throws {
        let ledger = dir.path("keys.toml")
        for interval in ["9223372036854775807", "P9999999999D", "P200Y", "0"] {
            let r = try shell(["keys", "add", "k", "--provider", "acme", "--env", "dev", "--from-env", "K", "--interval", interval,
                               "--ledger", ledger], "", extraEnvironment: ["K": FakeKeys.alnum(40)])
            #expect(r.status == 2, "--interval \(interval): exit \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("--interval"))
        }
        #expect(!FileManager.default.fileExists(atPath: ledger), "nothing was written")
        // A ledger edited by hand with an out-of-range value: a clear error naming it, for every command.
        try dir.write("keys.toml", """
            [[keys]]
            id = "mx-prod"
            provider = "maintainx"
            environment = "prod"
            created = 2026-01-01
            interval = 9223372036854775807
            """ + "\n")
        for command in [["keys", "status"], ["keys", "check"], ["keys", "calendar"]] {
            let r = try shell(command + ["--ledger", ledger], "")
            #expect(r.status == 2, "\(command): exit \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("interval") && r.stderr.contains("100 years"), "\(r.stderr)")
            #expect(r.stderr.contains("keys.toml:6: key 'mx-prod': interval 9223372036854775807 is longer than 100 years"),
                    "the file, the line and the key: \(r.stderr)")
        }
        let size = try shell(["scan", "--no-git", "--max-file-size", "99999999999999G", "."], "")
        #expect(size.status == 2, "exit \(size.status) \(size.stderr)")
        #expect(size.stderr.contains("--max-file-size"))
    }

    // MARK: configuration that would silently scan with fewer rules

    @Test(arguments: [
        ("[extend]\nuseDefault = \"true\"\n", "useDefault must be true or false"),
        ("[extend]\nusedefault = true\n", "usedefault is not a setting"),
        ("[extend]\ndisabledRules = [\"no-such-rule\"]\n", "no-such-rule"),
        ("[extend]\nuseDefault = false\n", "no rule is active"),
    ])
    func configurationThatWouldDropRulesIsAnError(config: String, message: String) throws {
        try dir.write(".keywarden.toml", config)
        try dir.write("app.env", secretLine().line)
        let r = try Run.keywarden(["scan", "--no-git", "app.env"], in: dir.path(), environment: env)
        #expect(r.status == 2, "exit \(r.status): \(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.contains(".keywarden.toml"), "the message names the file: \(r.stderr)")
    }

    /// TOML that aborted the process inside toml++ (found by fuzzing, issue 14): an array element that is
    /// `}` or a line separator, and a bad table name in a CRLF file. Each is a syntax error naming the file
    /// and line, exit 2, whether it is the config, a rules file or the ledger.
    @Test(arguments: ["id = [ }\n", "x = 1\r\nid = [\r\n}]\r\n", "id = [ 1, \u{2028} ]\n", "x = 1\r\n[é]\r\n",
                      "[[keys]]\noviironment = 1013-05-20 0    # s gy\n", "[[keys]]\nid = \"a\"\nlast_rotated = 2026-10-1= 6\n"])
    func tomlThatCrashedTheParserIsASyntaxError(text: String) throws {
        try dir.write("clean.txt", "nothing\n")
        try dir.write(".keywarden.toml", text)
        let config = try Run.keywarden(["scan", "--no-git", "clean.txt"], in: dir.path(), environment: env)
        #expect(config.status == 2, "exit \(config.status): \(config.stderr)")
        #expect(config.stderr.contains(".keywarden.toml:") && config.stderr.contains("TOML syntax"), "\(config.stderr)")
        try FileManager.default.removeItem(atPath: dir.path(".keywarden.toml"))
        try dir.write("rules.toml", text)
        let rules = try Run.keywarden(["rules", "check", "--config", dir.path("rules.toml")], in: dir.path(), environment: env)
        #expect(rules.status == 2, "exit \(rules.status): \(rules.stderr)")
        #expect(rules.stderr.contains("rules.toml:"), "\(rules.stderr)")
        try dir.write("keys.toml", text)
        let ledger = try Run.keywarden(["keys", "status", "--ledger", dir.path("keys.toml")], in: dir.path(), environment: env)
        #expect(ledger.status == 2, "exit \(ledger.status): \(ledger.stderr)")
        #expect(ledger.stderr.contains("keys.toml:") && ledger.stderr.contains("not valid TOML"), "\(ledger.stderr)")
    }

    /// A config rule that backtracks catastrophically (`(?:(a|aa)+;|!)` took 8.1 s on 8.7 KB and about 15
    /// minutes per MB) is stopped by its budget on that file: one warning naming the rule and the file, the
    /// rest of the file still scanned by the other rules, and exit 2 because the scan is incomplete.
    @Test func aRuleThatUsesUpItsBudgetIsNamedOnceAndTheScanExits2() throws {
        let quotes = String(repeating: "'", count: 3)
        try dir.write(".keywarden.toml", "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"slow-rule\"\nregex = \(quotes)(?:(a|aa)+;|!)\(quotes)\n")
        var line = ""
        for i in 1...4000 { line += String(repeating: "a", count: 21) + (i % 40 == 0 ? "!" : "b") }
        let secret = secretLine()
        try dir.write("slow.txt", line + "\n" + secret.line)
        for arguments in [["scan", "--no-git", "slow.txt"], ["scan", "-"]] {
            let r = arguments.last == "-"
                ? try shell(arguments, "< slow.txt")
                : try Run.keywarden(arguments, in: dir.path(), environment: env)
            #expect(r.status == 2, "\(arguments): exit \(r.status): \(r.stderr)")
            let notes = r.stderr.split(separator: "\n").filter { $0.contains("slow-rule") }
            #expect(notes.count == 1, "one warning: \(r.stderr)")
            #expect(notes.first.map { $0.contains("warning") && $0.contains("slow") && $0.contains("incomplete") } == true, "\(r.stderr)")
            #expect(r.stdout.contains("maintainx"), "the other rules still found the key: \(r.stdout)")
        }
    }

    @Test func unknownSettingsAreWarningsInTheJSONReportToo() throws {
        try dir.write(".keywarden.toml", "[hook]\non_eror = \"warn\"\n")
        try dir.write("clean.txt", "nothing\n")
        let r = try Run.keywarden(["scan", "--no-git", "--format", "json", "clean.txt"], in: dir.path(), environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let warnings = try #require((object["summary"] as? [String: Any])?["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("on_eror") }, "\(warnings)")
        #expect(r.stderr.contains("on_eror"))
    }

    @Test func filesNamedForOptionsMustExist() throws {
        try dir.write("clean.txt", "nothing\n")
        for option in ["--ignore-file", "--ledger", "--baseline"] {
            let r = try Run.keywarden(["scan", "--no-git", option, dir.path("missing.file"), "clean.txt"], in: dir.path(), environment: env)
            #expect(r.status == 2, "\(option): exit \(r.status)")
            #expect(r.stderr.contains("\(option) ") && r.stderr.contains("no such file"), "\(r.stderr)")
        }
    }

    @Test func aBadIndexFileIsNamedAccurately() throws {
        try Run.git(["init", "-q", "."], in: dir.path())
        try dir.write("staged.env", secretLine().line)
        try Run.git(["add", "staged.env"], in: dir.path())
        try dir.write("empty.index", "")
        try FileManager.default.createDirectory(atPath: dir.path("folder.index"), withIntermediateDirectories: true)
        for (index, words) in [("missing.index", "no such file"), ("empty.index", "an empty file"), ("folder.index", "a directory")] {
            let r = try Run.keywarden(["scan", "--staged"], in: dir.path(), environment: env.merging(["GIT_INDEX_FILE": dir.path(index)]) { $1 })
            #expect(r.status == 2, "\(index): exit \(r.status) \(r.stdout)")
            #expect(r.stderr.contains("GIT_INDEX_FILE") && r.stderr.contains(words), "\(r.stderr)")
        }
    }

    // MARK: configuration errors name the line

    /// TOMLKit keeps no positions for values; the line is found in the text (`TOMLKeyLines`), CRLF files,
    /// dotted keys and multi-line arrays included.
    @Test(arguments: [
        ("# project settings\n[extend]\nuseDefault = \"true\"\n", 3, "useDefault must be true or false"),
        ("[hook]\non_error = \"warn\"\n\n[extend]\n  usedefault = true\n", 5, "usedefault is not a setting"),
        ("[extend]\nuseDefault = true\ndisabledRules = [\n  \"nope\",\n]\n", 3, "disabledRules names 'nope'"),
        ("[hook]\n\non_error = \"warnx\"\n", 3, "on_error must be \"block\" or \"warn\""),
        ("[extend]\r\n\r\nuseDefault = \"true\"\r\n", 3, "useDefault must be true or false"),
        ("title = \"x\"\nextend.useDefault = \"yes\"\n", 2, "useDefault must be true or false"),
    ])
    func configurationErrorsNameTheFileAndTheLine(config: String, line: Int, message: String) throws {
        try dir.write(".keywarden.toml", config)
        try dir.write("app.env", secretLine().line)
        let r = try Run.keywarden(["scan", "--no-git", "app.env"], in: dir.path(), environment: env)
        #expect(r.status == 2, "exit \(r.status): \(r.stderr)")
        #expect(r.stderr.contains(".keywarden.toml:\(line): ") && r.stderr.contains(message), "file:\(line): \(r.stderr)")
    }

    @Test func anUnknownOnErrorValueBlocksTheHookAndTheScanNamingTheLine() throws {
        try Run.git(["init", "-q", "."], in: dir.path())
        try dir.write(".keywarden.toml", "[hook]\non_error = \"warnx\"\n")
        try dir.write("clean.txt", "nothing here\n")
        try Run.git(["add", "clean.txt"], in: dir.path())
        for command in [["scan", "--no-git", "clean.txt"], ["hook", "run", "pre-commit"]] {
            let r = try Run.keywarden(command, in: dir.path(), environment: env)
            #expect(r.status == 2, "\(command): exit \(r.status): \(r.stderr)")
            #expect(r.stderr.contains(".keywarden.toml:2: [hook] on_error must be \"block\" or \"warn\""), "\(command): \(r.stderr)")
        }
    }

    // MARK: cache files that are not regular files

    /// A FIFO at a cache file's path hung every scan (the open waited for a writer that never came). Each is
    /// now left unread, named in a warning, and replaced by a rebuilt regular file; the findings are the same.
    /// A FIFO where git keeps a loose object or a ref: a history or range scan stops with an error naming it
    /// (libgit2, which reads them, would wait for a writer forever), the exit code 2.
    @Test func aFIFOInARepositoryStopsAHistoryScanInsteadOfHangingIt() throws {
        for place in ["object", "ref"] {
            let repo = try TemporaryDirectory(prefix: "keywarden-fifo-repo")
            try Run.git(["init", "-q", "-b", "main", "."], in: repo.path())
            try repo.write("a.txt", "one\n")
            try Run.git(["add", "a.txt"], in: repo.path())
            try Run.git(["commit", "-q", "-m", "one"], in: repo.path())
            try repo.write("b.txt", secretLine().line)
            try Run.git(["add", "b.txt"], in: repo.path())
            try Run.git(["commit", "-q", "-m", "two"], in: repo.path())
            let blob = try Run.git(["rev-parse", "HEAD:b.txt"], in: repo.path()).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let path = place == "object" ? ".git/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2) : ".git/refs/heads/evil"
            try? FileManager.default.removeItem(atPath: repo.path(path))
            #expect(mkfifo(repo.path(path), 0o600) == 0)
            for arguments in [["scan", "--history", "--no-cache", "."], ["scan", "--range", "HEAD~1..HEAD", "."]] {
                let r = try Run.program("/usr/bin/timeout", ["-k", "5", "60", Run.keywardenPath] + arguments, in: repo.path(), environment: env)
                #expect(r.status == 2, "\(place), \(arguments): exit \(r.status) \(r.stderr)")
                #expect(r.stderr.contains(String(path.dropFirst(5))) && r.stderr.contains("a FIFO"), "\(place): \(r.stderr)")
            }
        }
    }

    @Test func aFIFOAtACacheFilesPathIsReplacedNotWaitedFor() throws {
        let cache = try TemporaryDirectory(prefix: "keywarden-fifo-cache")
        let cacheEnvironment = ["KEYWARDEN_CACHE_DIR": cache.path()]
        try dir.write("app.env", secretLine().line)
        func locations(_ r: ProcessResult) throws -> [String] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
            return try #require(object["findings"] as? [[String: Any]]).map { "\($0["rule_id"] ?? ""):\($0["line"] ?? ""):\($0["column"] ?? "")" }
        }
        let cold = try shell(["scan", "--no-git", "--format", "json", "app.env"], "", extraEnvironment: cacheEnvironment)
        #expect(cold.status == 1, "\(cold.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.path()).filter {
            $0 == ".key" || ($0.hasPrefix("rules-") && $0.hasSuffix(".bin")) || ($0.hasPrefix("prefilter-") && $0.hasSuffix(".db"))
        }
        // The key, the rules, the prefilter database, and the value probe of each gate word the line opened
        // (ValueProbes: a database of the shapes of that word's rules).
        #expect(names.contains(".key") && names.filter { $0.hasPrefix("rules-") }.count == 1
                && names.filter { $0.hasPrefix("prefilter-") }.count >= 1, "\(names)")
        for name in names {
            try FileManager.default.removeItem(atPath: cache.path(name))
            #expect(mkfifo(cache.path(name), 0o600) == 0)
        }
        let r = try shell(["scan", "--no-git", "--format", "json", "app.env"], "", extraEnvironment: cacheEnvironment)
        #expect(r.status == 1, "exit \(r.status) (124 or 137: it hung): \(r.stderr)")
        #expect(try locations(r) == locations(cold))
        for name in names {
            #expect(r.stderr.contains("\(name) is a FIFO, not a regular file"), "\(name): \(r.stderr)")
            var info = stat()
            #expect(lstat(cache.path(name), &info) == 0 && info.st_mode & S_IFMT == S_IFREG, "\(name) is a regular file again")
        }
        let warm = try shell(["scan", "--no-git", "--format", "json", "app.env"], "", extraEnvironment: cacheEnvironment)
        #expect(warm.status == 1 && !warm.stderr.contains("FIFO"), "\(warm.stderr)")
    }

    // MARK: standard error that cannot be written

    /// Notes (the summary, warnings, `rules list`'s counts) go to standard error. One that cannot be written
    /// (a full disk, closed) loses them, never crashes (FileHandle's write trapped: exit 132), and the exit
    /// code still tells the outcome; a report that cannot be written is still exit 2.
    @Test func notesThatCannotBeWrittenToStandardErrorAreLostNotACrash() throws {
        try dir.write("app.env", secretLine().line)
        try dir.write("clean.txt", "nothing here\n")
        for redirection in ["2>/dev/full", "2>&-"] {
            let list = try shell(["rules", "list"], redirection)
            #expect(list.status == 0, "rules list \(redirection): exit \(list.status)")
            #expect(list.stdout.contains("maintainx-api-key"))
            let found = try shell(["scan", "--no-git", "app.env"], redirection)
            #expect(found.status == 1, "scan \(redirection): exit \(found.status)")
            let clean = try shell(["scan", "--no-git", "clean.txt"], redirection)
            #expect(clean.status == 0, "clean scan \(redirection): exit \(clean.status)")
            let neither = try shell(["scan", "--no-git", "app.env"], redirection + " >/dev/full")
            #expect(neither.status == 2, "no report, no message \(redirection): exit \(neither.status)")
        }
    }

    // MARK: more inputs that cannot be used, and devices

    @Test(arguments: ["<&-", "< /", "0>/dev/null"])
    func keysAgeAndThePrePushHookReportUnusableStandardInput(redirection: String) throws {
        try Run.git(["init", "-q", "."], in: dir.path())
        for command in [["keys", "age", "--stdin"], ["hook", "run", "pre-push", "origin", "https://example.com/repo.git"]] {
            let r = try shell(command, redirection)
            #expect(r.status == 2, "\(command.prefix(2)) with \(redirection): exit \(r.status), \(r.stderr)")
            #expect(r.stderr.contains("cannot read standard input"), "\(command.prefix(2)) with \(redirection): \(r.stderr)")
        }
    }

    @Test func aCharacterDeviceNamedOnTheCommandLineIsRead() throws {
        let r = try shell(["scan", "--no-git", "--format", "json", "/dev/null"], "")
        #expect(r.status == 0, "exit \(r.status): \(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["files"] as? Int == 1, "read, not skipped: \(summary)")
        #expect((summary["skipped"] as? [String])?.isEmpty == true && (summary["errors"] as? [String])?.isEmpty == true, "\(summary)")
    }

    @Test func aCarriageReturnInAFileNameIsEscapedInTheTextReport() throws {
        try dir.write("a\rb.env", secretLine().line)
        let r = try Run.keywarden(["scan", "--no-git", "."], in: dir.path(), environment: env)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("a\\rb.env:1:"), "escaped: \(r.stdout.debugDescription.prefix(200))")
        #expect(!r.stdout.contains("\r") && !r.stderr.contains("\r"), "no raw carriage return")
    }
}
