import Foundation
import Testing
import TestSupport

/// Archives through the real binary: keys inside zip, jar, tar, tar.gz, gz and container image tarballs are
/// found and reported as `outer!inner:line` in every format; nested archives open up to the depth limit;
/// what is not opened (encrypted, corrupt, too deep, a bomb) is a note, never a silent skip. The archives
/// are made at test time with Python's zipfile/tarfile/gzip; the keys are assembled at run time.
@Suite struct ArchiveTests {
    let dir: TemporaryDirectory
    let env: [String: String]
    let key: String
    let line: String

    init() throws {
        dir = try TemporaryDirectory(prefix: "keywarden-archive")
        env = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path,
               "KEYWARDEN_TODAY": "2026-11-23"]
        key = FakeKeys.maintainX(userID: Int.random(in: 1000...9999))
        line = "# settings\nMAINTAINX_API_KEY=\(key)\n"
    }

    /// Runs a Python program in the test folder; `TEXT` in its environment is the secret line.
    func python(_ program: String) throws {
        let r = try Run.program("/usr/bin/python3", ["-c", "import os, io, zipfile, tarfile, gzip\nTEXT = os.environ['TEXT'].encode()\n" + program],
                                in: dir.path(), environment: ["TEXT": line])
        #expect(r.status == 0, "python: \(r.stderr)")
    }

    func scan(_ arguments: [String], in directory: String? = nil) throws -> ProcessResult {
        try Run.program("/usr/bin/timeout", ["120", Run.keywardenPath, "scan"] + arguments, in: directory ?? dir.path(), environment: env)
    }

    func json(_ r: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout.prefix(300)) \(r.stderr)")
    }

    func findings(_ r: ProcessResult) throws -> [[String: Any]] { try #require(try json(r)["findings"] as? [[String: Any]]) }

    /// Every skipped note of a JSON report as "path: detail".
    func skipped(_ r: ProcessResult) throws -> [String] {
        let summary = try #require(try json(r)["summary"] as? [String: Any])
        let notes = summary["skipped"] as? [Any] ?? []
        return notes.map { note in
            if let object = note as? [String: Any] { return "\(object["path"] ?? ""): \(object["detail"] ?? object["reason"] ?? "")" }
            return "\(note)"
        }
    }

    static let kinds: [(name: String, program: String, path: String)] = [
        ("app.zip", "with zipfile.ZipFile('app.zip', 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('config/app.env', TEXT)", "app.zip!config/app.env"),
        ("lib.jar", "with zipfile.ZipFile('lib.jar', 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('META-INF/app.env', TEXT)", "lib.jar!META-INF/app.env"),
        ("site.war", "with zipfile.ZipFile('site.war', 'w') as z: z.writestr('WEB-INF/app.env', TEXT)", "site.war!WEB-INF/app.env"),
        ("mobile.apk", "with zipfile.ZipFile('mobile.apk', 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('assets/app.env', TEXT)", "mobile.apk!assets/app.env"),
        ("src.tar", """
            t = tarfile.open('src.tar', 'w'); i = tarfile.TarInfo('src/app.env'); i.size = len(TEXT); t.addfile(i, io.BytesIO(TEXT)); t.close()
            """, "src.tar!src/app.env"),
        ("src.tar.gz", """
            t = tarfile.open('src.tar.gz', 'w:gz'); i = tarfile.TarInfo('src/app.env'); i.size = len(TEXT); t.addfile(i, io.BytesIO(TEXT)); t.close()
            """, "src.tar.gz!src/app.env"),
        ("src.tgz", """
            t = tarfile.open('src.tgz', 'w:gz'); i = tarfile.TarInfo('app.env'); i.size = len(TEXT); t.addfile(i, io.BytesIO(TEXT)); t.close()
            """, "src.tgz!app.env"),
        ("app.env.gz", "open('app.env.gz', 'wb').write(gzip.compress(TEXT))", "app.env.gz!app.env"),
        // `docker save`: a tar holding a manifest and one tar per layer.
        ("image.tar", """
            layer = io.BytesIO(); t = tarfile.open(fileobj=layer, mode='w'); i = tarfile.TarInfo('etc/app.env'); i.size = len(TEXT)
            t.addfile(i, io.BytesIO(TEXT)); t.close(); data = layer.getvalue()
            t = tarfile.open('image.tar', 'w')
            for name, body in [('manifest.json', b'[{"Layers":["abc123/layer.tar"]}]'), ('abc123/layer.tar', data)]:
                i = tarfile.TarInfo(name); i.size = len(body); t.addfile(i, io.BytesIO(body))
            t.close()
            """, "image.tar!abc123/layer.tar!etc/app.env"),
        // An OCI image layout: layers are gzipped tars named by digest, with no extension.
        ("oci.tar", """
            layer = io.BytesIO(); t = tarfile.open(fileobj=layer, mode='w:gz'); i = tarfile.TarInfo('etc/app.env'); i.size = len(TEXT)
            t.addfile(i, io.BytesIO(TEXT)); t.close(); data = layer.getvalue()
            t = tarfile.open('oci.tar', 'w'); i = tarfile.TarInfo('blobs/sha256/0f0f'); i.size = len(data); t.addfile(i, io.BytesIO(data)); t.close()
            """, "oci.tar!blobs/sha256/0f0f!etc/app.env"),
    ]

    @Test(arguments: kinds.map(\.name))
    func aKeyInsideEachKindOfArchiveIsFoundAtItsInnerPath(name: String) throws {
        let kind = try #require(Self.kinds.first { $0.name == name })
        try python(kind.program)
        let r = try scan(["--no-git", "--format", "json", name])
        #expect(r.status == 1, "\(name): exit \(r.status) \(r.stderr)")
        let found = try findings(r)
        #expect(found.count == 1, "\(name): \(found)")
        #expect(found.first?["path"] as? String == kind.path, "\(name): \(found.first?["path"] ?? "none")")
        #expect(found.first?["line"] as? Int == 2, "the line inside the member")
        #expect(!r.stdout.contains(key))
    }

    @Test func archivesFoundByWalkingAreOpenedAndEveryFormatNamesTheInnerPath() throws {
        try dir.write("tree/readme.txt", "nothing here\n")
        try python("with zipfile.ZipFile('tree/bundle.zip', 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('deploy/prod.env', TEXT)")
        let inner = "tree/bundle.zip!deploy/prod.env"
        let text = try scan(["--no-git", "tree"])
        #expect(text.status == 1, "\(text.stderr)")
        #expect(text.stdout.contains(inner + ":2"), "\(text.stdout)")
        let sarif = try scan(["--no-git", "--format", "sarif", "tree"])
        #expect(sarif.stdout.contains("bundle.zip!deploy/prod.env"), "the message names the member: \(sarif.stdout.prefix(400))")
        #expect(sarif.stdout.contains("\"uri\": \"tree/bundle.zip\"") || sarif.stdout.contains("\"uri\":\"tree/bundle.zip\""),
                "the location is the archive file")
        for format in ["jsonl", "github", "junit", "gitlab"] {
            let r = try scan(["--no-git", "--format", format, "tree"])
            #expect(r.status == 1 && r.stdout.contains("bundle.zip!deploy/prod.env"), "\(format): \(r.stdout.prefix(400))")
        }
        // CI systems point at a file in the repository: the archive.
        #expect(try scan(["--no-git", "--format", "github", "tree"]).stdout.contains("file=tree/bundle.zip,"))
        #expect(try scan(["--no-git", "--format", "gitlab", "tree"]).stdout.contains("\"file\": \"tree/bundle.zip\"")
                || scan(["--no-git", "--format", "gitlab", "tree"]).stdout.contains("\"file\":\"tree/bundle.zip\""))
        // --no-archives: the archive is a binary file again, and says so.
        let off = try scan(["--no-git", "--no-archives", "tree"])
        #expect(off.status == 0, "\(off.stdout)")
        #expect(off.stderr.contains("binary"), "\(off.stderr)")
    }

    @Test func nestedArchivesOpenUpToTheDepthLimitAndDeeperOnesAreNoted() throws {
        try python("""
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('conf/a.properties', TEXT)
            with zipfile.ZipFile('outer.zip', 'w') as z: z.writestr('lib/inner.jar', inner.getvalue())
            """)
        let deep = try scan(["--no-git", "--format", "json", "outer.zip"])
        #expect(deep.status == 1, "\(deep.stderr)")
        #expect(try findings(deep).first?["path"] as? String == "outer.zip!lib/inner.jar!conf/a.properties")
        let shallow = try scan(["--no-git", "--format", "json", "--archive-depth", "1", "outer.zip"])
        #expect(shallow.status == 0, "\(shallow.stderr)")
        let shallowNotes = try skipped(shallow)
        #expect(shallowNotes.contains { $0.contains("outer.zip!lib/inner.jar") && $0.contains("nested archive not opened") }, "\(shallowNotes)")
        #expect(shallow.stderr.contains("nested archive not opened"), "the summary names it: \(shallow.stderr)")
    }

    @Test func bombsStopAtTheRatioAndSizeLimitsWithANote() throws {
        // 64 MiB of zeros compress about a thousandfold; the key is in a member after it.
        try python("""
            with zipfile.ZipFile('bomb.zip', 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('zeros.bin', b'\\0' * (64 << 20)); z.writestr('late.env', TEXT)
            """)
        let bomb = try scan(["--no-git", "--format", "json", "bomb.zip"])
        #expect(bomb.status == 0, "\(bomb.stderr)")
        let bombNotes = try skipped(bomb)
        #expect(bombNotes.contains { $0.contains("bomb.zip") && $0.contains("expands more than 100 times") }, "\(bombNotes)")
        // A plain tar (no compression) over --max-archive-size stops there, with a note.
        try python("""
            t = tarfile.open('big.tar', 'w')
            for n in range(3):
                body = TEXT * 4000; i = tarfile.TarInfo('part%d.env' % n); i.size = len(body); t.addfile(i, io.BytesIO(body))
            t.close()
            """)
        let capped = try scan(["--no-git", "--format", "json", "--max-archive-size", "2M", "big.tar"])
        let cappedNotes = try skipped(capped)
        #expect(cappedNotes.contains { $0.contains("big.tar") && $0.contains("expands to more than") }, "\(cappedNotes)")
        #expect(try findings(capped).contains { ($0["path"] as? String) == "big.tar!part0.env" }, "what was read before the limit is reported")
    }

    @Test func encryptedAndCorruptArchivesAreNotedNotSkippedSilently() throws {
        try dir.write("plain/secret.env", line)
        let zipped = try Run.program("/usr/bin/zip", ["-q", "-P", "pass-" + FakeKeys.alnum(8), "locked.zip", "plain/secret.env"],
                                     in: dir.path(), environment: [:])
        #expect(zipped.status == 0, "\(zipped.stderr)")
        let locked = try scan(["--no-git", "--format", "json", "locked.zip"])
        #expect(locked.status == 0, "\(locked.stderr)")
        let lockedNotes = try skipped(locked)
        #expect(lockedNotes.contains { $0.contains("locked.zip!plain/secret.env") && $0.contains("encrypted") }, "\(lockedNotes)")

        try python("""
            t = tarfile.open('whole.tar.gz', 'w:gz')
            for n in range(20):
                body = os.urandom(4000) + TEXT; i = tarfile.TarInfo('f%d.env' % n); i.size = len(body); t.addfile(i, io.BytesIO(body))
            t.close()
            data = open('whole.tar.gz', 'rb').read(); open('cut.tar.gz', 'wb').write(data[:len(data) // 2])
            """)
        let cut = try scan(["--no-git", "--format", "json", "cut.tar.gz"])
        let cutNotes = try skipped(cut)
        #expect(cutNotes.contains { $0.contains("cut.tar.gz") && ($0.contains("not read") || $0.contains("not opened")) }, "\(cutNotes)")
    }

    @Test func ignoreEntriesAndBaselinesWorkWithInnerPaths() throws {
        try python("with zipfile.ZipFile('app.zip', 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('app.env', TEXT)")
        let first = try scan(["--no-git", "--format", "json", "--output", "baseline.json", "app.zip"])
        #expect(first.status == 1)
        let baselined = try scan(["--no-git", "--baseline", "baseline.json", "app.zip"])
        #expect(baselined.status == 0, "\(baselined.stdout) \(baselined.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("baseline.json")))) as? [String: Any])
        let fingerprint = try #require(((report["findings"] as? [[String: Any]])?.first?["fingerprint"]) as? String)
        let added = try Run.keywarden(["ignore", "add", fingerprint, "--reason", "fake key in a test archive", "--ignore-file", dir.path("ignore")],
                                      in: dir.path(), environment: env)
        #expect(added.status == 0, "\(added.stderr)")
        let ignored = try scan(["--no-git", "--ignore-file", "ignore", "app.zip"])
        #expect(ignored.status == 0, "\(ignored.stdout) \(ignored.stderr)")
    }

    @Test func committedArchivesAreScannedInStagedChangesAndHistory() throws {
        try Run.git(["init", "-q", "."], in: dir.path())
        try dir.write("readme.txt", "hello\n")
        try Run.git(["add", "readme.txt"], in: dir.path())
        try Run.git(["commit", "-q", "-m", "first"], in: dir.path())
        try python("with zipfile.ZipFile('bundle.zip', 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('deploy/app.env', TEXT)")
        try Run.git(["add", "bundle.zip"], in: dir.path())
        let staged = try scan(["--staged", "--format", "json"])
        #expect(staged.status == 1, "\(staged.stderr)")
        #expect(try findings(staged).first?["path"] as? String == "bundle.zip!deploy/app.env")
        try Run.git(["commit", "-q", "-m", "bundle"], in: dir.path())
        let range = try scan(["--range", "HEAD~1..HEAD", "--format", "json"])
        #expect(try findings(range).first?["path"] as? String == "bundle.zip!deploy/app.env", "\(range.stderr)")
        let history = try scan(["--history", "--format", "json"])
        #expect(history.status == 1, "\(history.stderr)")
        #expect(try findings(history).first?["path"] as? String == "bundle.zip!deploy/app.env")
    }

    /// libarchive is not linked: it is loaded (dlopen) when the first archive is opened, so a run that opens
    /// none never maps it or the libraries it needs; a run that opens one finds the key inside as before.
    @Test func libarchiveIsLoadedOnlyWhenAnArchiveIsOpened() throws {
        let needed = try Run.program("/usr/bin/readelf", ["-d", Run.keywardenPath], in: dir.path())
        #expect(needed.status == 0 && needed.stdout.contains("(NEEDED)"), "\(needed.stderr)")
        #expect(!needed.stdout.contains("libarchive"), "the binary links libarchive")
        try python("with zipfile.ZipFile('app.zip', 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('config/app.env', TEXT)")
        try line.write(toFile: dir.path("plain.env"), atomically: true, encoding: .utf8)
        var traced = env
        traced["LD_DEBUG"] = "files"
        let plain = try Run.program("/usr/bin/timeout", ["120", Run.keywardenPath, "scan", "--no-git", "--format", "json", "plain.env"],
                                    in: dir.path(), environment: traced)
        #expect(plain.status == 1, "\(plain.stderr.suffix(400))")
        #expect(!plain.stderr.contains("libarchive.so"), "a run without archives loaded libarchive")
        let zipped = try Run.program("/usr/bin/timeout", ["120", Run.keywardenPath, "scan", "--no-git", "--format", "json", "app.zip"],
                                     in: dir.path(), environment: traced)
        #expect(zipped.status == 1, "\(zipped.stderr.suffix(400))")
        #expect(zipped.stderr.contains("libarchive.so.13"), "the archive was opened without loading libarchive?")
        #expect(try findings(zipped).first?["path"] as? String == "app.zip!config/app.env")
    }
}
