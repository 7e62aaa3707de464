import Foundation
import Hashing
import KeyAge
import Testing
import TestSupport

/// End-to-end tests of `keywarden keys ...`: the built binary, run in a temporary folder with a fixed day.
@Suite struct KeysCommandTests {
    let dir: TemporaryDirectory
    let ledger: String

    init() throws {
        dir = try TemporaryDirectory()
        ledger = dir.path(".keywarden/keys.toml")
    }

    /// Runs `keywarden keys <args> --ledger <ledger>` on 2026-11-23 (or `today`).
    @discardableResult
    func keys(_ args: [String], env: [String: String] = [:], stdin: String? = nil, today: String = "2026-11-23",
              ledger path: String? = nil) throws -> ProcessResult {
        var environment = env
        environment["KEYWARDEN_TODAY"] = today
        return try Run.keywarden(["keys"] + args + ["--ledger", path ?? ledger], in: dir.path(), stdin: stdin, environment: environment)
    }

    func ledgerText() throws -> String { try String(contentsOfFile: ledger, encoding: .utf8) }

    /// The fingerprint the commands give `secret` here: under the salt the first of them created in the folder.
    func saltedFingerprint(_ secret: String) -> String {
        let salt = try? FingerprintSalt.load(path: dir.path(".keywarden-salt"))
        #expect(salt != nil, "no .keywarden-salt was created")
        return Fingerprinter(key: nil, salt: salt).fingerprint(secret)
    }

    @Test func addRecognisesAMaintainXKeyAndNeverStoresIt() throws {
        let jti = FakeKeys.uuid()
        let secret = FakeKeys.maintainX(issuedAt: unixSeconds(day("2026-08-18")) + 600, keyID: jti)
        let r = try keys(["add", "mx-prod", "--env", "prod", "--owner", "ops@example.com", "--from-env", "MAINTAINX_API_KEY"],
                         env: ["MAINTAINX_API_KEY": secret])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("created 2026-08-18"))
        #expect(r.stdout.contains("stale: not rotated in 97 days; was due 2026-11-16 (7 days overdue)"))
        let key = try #require(try KeyLedger.load(path: ledger).key(id: "mx-prod"))
        #expect(key.provider == "maintainx" && key.environment == "prod" && key.owner == "ops@example.com")
        #expect(key.created == day("2026-08-18") && key.jti == jti && key.fingerprint == saltedFingerprint(secret))
        #expect(key.last4 == nil)
        let text = try ledgerText()
        for piece in [secret, String(secret.suffix(4)), String(secret.split(separator: ".").last ?? "")] {
            #expect(!text.contains(piece) && !r.stdout.contains(piece) && !r.stderr.contains(piece))
        }
        #expect(text.hasPrefix("# keywarden key ledger") && text.contains("schema = 1"))
    }

    @Test func lastFourOnlyWhenAskedAndOtherSources() throws {
        let a = FakeKeys.hex(40), b = FakeKeys.hex(40)
        try dir.write(".env", "MT_API_KEY=\(a)\n")
        let r1 = try keys(["add", "mt-prod", "--provider", "mindtickle", "--env", "prod", "--from-dotenv", ".env:MT_API_KEY",
                           "--created", "2026-11-01", "--hint-last4"])
        #expect(r1.status == 0, "\(r1.stderr)")
        let r2 = try keys(["add", "mt-dev", "--provider", "mindtickle", "--env", "dev", "--stdin"], stdin: b + "\n")
        #expect(r2.status == 0, "\(r2.stderr)")
        let l = try KeyLedger.load(path: ledger)
        #expect(l.key(id: "mt-prod")?.last4 == String(a.suffix(4)) && l.key(id: "mt-prod")?.fingerprint == saltedFingerprint(a))
        #expect(l.key(id: "mt-dev")?.fingerprint == saltedFingerprint(b) && l.key(id: "mt-dev")?.created == day("2026-11-23"))
        let text = try ledgerText()
        #expect(!text.contains(a) && !text.contains(b))
        // Without a provider, an unrecognisable key is refused.
        let r3 = try keys(["add", "x", "--env", "prod", "--stdin"], stdin: FakeKeys.hex(40))
        #expect(r3.status == 2 && r3.stderr.contains("--provider is required"))
        let r4 = try keys(["add", "y", "--provider", "p", "--env", "prod", "--from-env", "NOT_SET"])
        #expect(r4.status == 2 && r4.stderr.contains("NOT_SET is not set"))
    }

    @Test func theSameValueInTwoEnvironmentsIsRefused() throws {
        let secret = FakeKeys.alnum(40)
        #expect(try keys(["add", "p", "--provider", "acme", "--env", "prod", "--stdin"], stdin: secret).status == 0)
        let before = try ledgerText()
        let r = try keys(["add", "s", "--provider", "acme", "--env", "staging", "--stdin"], stdin: secret)
        #expect(r.status == 2)
        #expect(r.stderr.contains("tracked as 'p' in environment 'prod'") && r.stderr.contains("'staging' must have its own key"))
        #expect(try ledgerText() == before)
        #expect(!r.stderr.contains(secret))
    }

    @Test func statusTableAndJSON() throws {
        try keys(["add", "late", "--provider", "acme", "--env", "prod", "--created", "2026-08-18"])
        try keys(["add", "soon", "--provider", "acme", "--env", "dev", "--created", "2026-08-30"])
        try keys(["add", "fine", "--provider", "acme", "--env", "qa", "--created", "2026-10-16", "--owner", "kim"])
        let table = try keys(["status"])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 4 && lines[0].hasPrefix("ID"))
        #expect(lines[1].hasPrefix("late") && lines[1].contains("overdue") && lines[1].contains("stale: not rotated in 97 days"))
        #expect(lines[2].hasPrefix("soon") && lines[2].contains("due soon") && lines[2].contains("Next rotation due: 2026-11-28 (5 days)"))
        #expect(lines[3].hasPrefix("fine") && lines[3].contains("kim") && lines[3].contains("Next rotation due: 2027-01-14 (52 days)"))
        #expect(!table.stdout.contains("\u{1B}["))

        let json = try keys(["status", "--format", "json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["today"] as? String == "2026-11-23")
        let entries = try #require(object["keys"] as? [[String: Any]])
        #expect(entries.map { $0["id"] as? String } == ["late", "soon", "fine"])
        #expect(entries.map { $0["status"] as? String } == ["overdue", "due soon", "ok"])
        #expect(entries.map { $0["days_left"] as? Int } == [-7, 5, 52])
        #expect(entries.first?["due"] as? String == "2026-11-16")
        #expect(entries.allSatisfy { ($0["shared_with"] as? [String]) == [] })
    }

    @Test func checkExitCodes() throws {
        try keys(["add", "a", "--provider", "acme", "--env", "prod", "--created", "2026-10-01"])
        let ok = try keys(["check"])
        #expect(ok.status == 0 && ok.stdout.contains("0 errors, 0 warnings"))
        let warn = try keys(["check"], today: "2026-12-20")
        #expect(warn.status == 0 && warn.stdout.contains("warning: a (prod): Next rotation due: 2026-12-30 (10 days)"))
        #expect(try keys(["check"], today: "2026-12-30").status == 0)
        let late = try keys(["check"], today: "2026-12-31")
        #expect(late.status == 1 && late.stdout.contains("error: a (prod): stale: not rotated in 91 days"))
        // A revoked key never fails the check.
        #expect(try keys(["revoke", "a"], today: "2026-12-31").status == 0)
        #expect(try keys(["check"], today: "2027-06-01").status == 0)
    }

    @Test func statusAndCheckForCI() throws {
        try keys(["add", "late", "--provider", "acme", "--env", "prod", "--created", "2026-08-18"])
        try keys(["add", "soon", "--provider", "acme", "--env", "dev", "--created", "2026-08-30"])
        try keys(["add", "fine", "--provider", "acme", "--env", "qa", "--created", "2026-10-16"])

        let json = try keys(["check", "--format", "json"])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["failed"] as? Bool == true && object["active_keys"] as? Int == 3)
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.map { $0["keys"] as? [String] } == [["late"]])
        #expect((errors.first?["message"] as? String)?.contains("7 days overdue") == true)
        #expect((object["warnings"] as? [[String: Any]])?.map { $0["keys"] as? [String] } == [["soon"]])

        let github = try keys(["check", "--format", "github"])
        #expect(github.status == 1)
        let lines = github.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("::error title=keywarden keys::late (prod): stale: not rotated in 97 days"))
        #expect(lines[1].hasPrefix("::warning title=keywarden keys::soon (dev): Next rotation due: 2026-11-28"))
        let statusGitHub = try keys(["status", "--format", "github"])
        #expect(statusGitHub.status == 0)
        #expect(statusGitHub.stdout.contains("::notice title=keywarden keys::fine (qa): Next rotation due: 2027-01-14"))

        let junit = try keys(["check", "--format", "junit"])
        #expect(junit.status == 1)
        let xml = junit.stdout
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"))
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 3)
        #expect(xml.components(separatedBy: "<failure ").count - 1 == 1)
        #expect(xml.contains("<testsuite name=\"keywarden keys check\" tests=\"3\" failures=\"1\""))
        #expect(xml.contains("<testcase classname=\"keywarden.keys.prod\" name=\"late\">\n      <failure message=\"late (prod): stale"))
        #expect(xml.contains("<testcase classname=\"keywarden.keys.dev\" name=\"soon\">\n      <system-out>warning: soon (dev)"))
        #expect(xml.contains("<testcase classname=\"keywarden.keys.qa\" name=\"fine\"/>"))
        #expect(xml.hasSuffix("</testsuites>\n"))

        // Nothing wrong: exit 0 in every format.
        for format in ["json", "github", "junit"] {
            let clean = try keys(["check", "--format", format], today: "2026-09-01")
            #expect(clean.status == 0, "\(format): \(clean.stdout)")
        }
        #expect(try keys(["check", "--format", "yaml"]).status == 2)
    }

    @Test func locationScopesPolicyAndUpdate() throws {
        let add = try keys(["add", "mx-prod", "--provider", "maintainx", "--env", "prod", "--from-env", "MAINTAINX_API_KEY",
                            "--scopes", "read, write:workorders"], env: ["MAINTAINX_API_KEY": FakeKeys.alnum(30)])
        #expect(add.status == 0, "\(add.stderr)")
        try keys(["add", "mx-dev", "--provider", "maintainx", "--env", "dev", "--location", "vault:secret/dev/maintainx",
                  "--scopes", "read,write:assets"])
        var l = try KeyLedger.load(path: ledger)
        #expect(l.key(id: "mx-prod")?.location == "env:MAINTAINX_API_KEY")
        #expect(l.key(id: "mx-prod")?.scopes == ["read", "write:workorders"])
        #expect(l.key(id: "mx-dev")?.location == "vault:secret/dev/maintainx")

        // Without a policy, scopes are only shown.
        #expect(try keys(["check"], today: "2026-11-23").status == 0)
        let table = try keys(["status"])
        #expect(table.stdout.split(separator: "\n").first?.contains("SCOPES") == true)
        #expect(table.stdout.contains("read,write:workorders"))

        // The team's policy: read-only in development, limited writes in production.
        try String(contentsOfFile: ledger, encoding: .utf8).appending("\n[scope_policy]\nprod = [\"read\", \"write:workorders\"]\ndev = [\"read\"]\n")
            .write(toFile: ledger, atomically: true, encoding: .utf8)
        let failed = try keys(["check"])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("mx-dev (dev) has scopes broader than [scope_policy] allows in dev: write:assets (allowed: read)"))
        #expect(!failed.stdout.contains("mx-prod (prod) has scopes"))

        let updated = try keys(["update", "mx-dev", "--scopes", "read", "--owner", "dev-team", "--interval", "30"])
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stdout.contains("scopes: read,write:assets → read"))
        #expect(try keys(["check"]).status == 0)
        l = try KeyLedger.load(path: ledger)
        let dev = try #require(l.key(id: "mx-dev"))
        #expect(dev.owner == "dev-team" && dev.scopes == ["read"] && dev.interval?.days == 30)
        #expect(dev.history.last?.event == "updated")
        #expect(l.allowedScopes(in: "dev") == ["read"], "the policy survives a rewrite")
        #expect(try keys(["update", "mx-dev", "--scopes", "read"]).stdout.contains("nothing changed"))

        // The runbook and the calendar name the real variable from the location.
        let runbook = try keys(["runbook", "maintainx", "--key", "mx-prod"])
        #expect(runbook.stdout.contains("keywarden keys rotated mx-prod --from-env MAINTAINX_API_KEY"))
        let calendar = try keys(["calendar"])
        #expect(calendar.stdout.replacingOccurrences(of: "\r\n ", with: "").contains("--from-env MAINTAINX_API_KEY"))
        let json = try keys(["status", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let prod = try #require((object["keys"] as? [[String: Any]])?.first { $0["id"] as? String == "mx-prod" })
        #expect(prod["location"] as? String == "env:MAINTAINX_API_KEY")
        #expect(prod["scopes"] as? [String] == ["read", "write:workorders"])

        // Bad input: exit 2, ledger unchanged.
        let before = try ledgerText()
        #expect(try keys(["update", "mx-dev", "--location", "no-scheme"]).status == 2)
        #expect(try keys(["update", "nope", "--owner", "x"]).status == 2)
        #expect(try keys(["update", "mx-dev"]).status == 2)
        #expect(try keys(["update", "mx-dev", "--interval", "soon"]).status == 2)
        #expect(try ledgerText() == before)
        try dir.write(".keywarden/keys.toml", before.replacingOccurrences(of: "dev = [\"read\"]", with: "dev = \"read\""))
        let broken = try keys(["check"])
        #expect(broken.status == 2 && broken.stderr.contains("[scope_policy] must map each environment"))
    }

    @Test func checkFailsOnAValueSharedAcrossEnvironments() throws {
        let fp = fingerprint(FakeKeys.alnum(30))
        let text = "schema = 1\n" + ["prod", "dev"].map {
            "\n[[keys]]\nid = \"k-\($0)\"\nprovider = \"acme\"\nenvironment = \"\($0)\"\ncreated = 2026-11-01\nfingerprint = \"\(fp)\"\n"
        }.joined()
        try dir.write(".keywarden/keys.toml", text)
        let r = try keys(["check"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("k-prod (prod) and k-dev (dev) hold the same key value"))
        // keys status shows it too, at a glance and in JSON.
        let status = try keys(["status"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("! k-prod (prod) and k-dev (dev) hold the same key value: each environment must have its own key"))
        let json = try keys(["status", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let entries = try #require(object["keys"] as? [[String: Any]])
        #expect(entries.first { $0["id"] as? String == "k-prod" }?["shared_with"] as? [String] == ["k-dev"])
        #expect(entries.first { $0["id"] as? String == "k-dev" }?["shared_with"] as? [String] == ["k-prod"])
    }

    @Test func rotatedRefusesTheOldKeyAndRecordsTheNewOne() throws {
        let old = FakeKeys.maintainX(issuedAt: unixSeconds(day("2026-08-18")))
        let new = FakeKeys.maintainX(issuedAt: unixSeconds(day("2026-11-22")) + 50_000)
        try keys(["add", "mx", "--env", "prod", "--from-env", "K"], env: ["K": old])
        let before = try ledgerText()
        let same = try keys(["rotated", "mx", "--from-env", "K"], env: ["K": old])
        #expect(same.status == 2 && same.stderr.contains("this is still the old key"))
        #expect(try ledgerText() == before)
        let r = try keys(["rotated", "mx", "--from-env", "K", "--reason", "scheduled", "--by", "sam"], env: ["K": new])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Recorded rotation of mx on 2026-11-22") && r.stdout.contains("Next rotation due: 2027-02-20 (89 days)"))
        let key = try #require(try KeyLedger.load(path: ledger).key(id: "mx"))
        #expect(key.fingerprint == saltedFingerprint(new) && key.lastRotated == day("2026-11-22"))
        #expect(key.history.last?.event == "rotated" && key.history.last?.by == "sam" && key.history.last?.reason == "scheduled")
        #expect(key.history.last?.previousFingerprint == saltedFingerprint(old))
        let back = try keys(["rotated", "mx", "--from-env", "K"], env: ["K": old])
        #expect(back.status == 2 && back.stderr.contains("earlier key"))
        let text = try ledgerText()
        #expect(!text.contains(old) && !text.contains(new))
    }

    @Test func markLeakedFailsTheCheckUntilRotated() throws {
        try keys(["add", "k", "--provider", "acme", "--env", "prod", "--stdin", "--created", "2026-11-20"], stdin: FakeKeys.alnum(32))
        let m = try keys(["mark-leaked", "k", "--reason", "pasted in a ticket"])
        #expect(m.status == 0 && m.stdout.contains("rotate it now"))
        let c = try keys(["check"])
        #expect(c.status == 1 && c.stdout.contains("leaked on 2026-11-23"))
        #expect(try keys(["status"]).stdout.contains("leaked"))
        #expect(try keys(["rotated", "k", "--stdin"], stdin: FakeKeys.alnum(32)).status == 0)
        #expect(try keys(["check"]).status == 0)
        let history = try #require(try KeyLedger.load(path: ledger).key(id: "k")).history.map(\.event)
        #expect(history == ["added", "leaked", "rotated"])
    }

    @Test func revokeAndRemove() throws {
        try keys(["add", "a", "--provider", "acme", "--env", "prod"])
        try keys(["add", "b", "--provider", "acme", "--env", "dev"])
        #expect(try keys(["revoke", "a", "--reason", "retired"]).status == 0)
        #expect(try KeyLedger.load(path: ledger).key(id: "a")?.state == .revoked)
        #expect(try keys(["status"]).stdout.contains("revoked on 2026-11-23"))
        #expect(try keys(["remove", "b"]).status == 0)
        #expect(try KeyLedger.load(path: ledger).keys.map(\.id) == ["a"])
        let missing = try keys(["remove", "b"])
        #expect(missing.status == 2 && missing.stderr.contains("no key with id 'b'"))
    }

    @Test func calendarFileUpdatesInPlace() throws {
        try keys(["add", "mx", "--provider", "maintainx", "--env", "prod", "--created", "2026-10-16", "--stdin"], stdin: FakeKeys.alnum(30))
        let out = dir.path("rotations.ics")
        let first = try Run.keywarden(["keys", "calendar", "--output", out, "--ledger", ledger], environment: ["KEYWARDEN_TODAY": "2026-11-23"])
        #expect(first.status == 0, "\(first.stderr)")
        let text1 = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text1.hasPrefix("BEGIN:VCALENDAR\r\n") && text1.contains("DTSTART;VALUE=DATE:20270114\r\n") && text1.contains("SEQUENCE:0\r\n"))
        #expect(text1.contains("UID:\(RotationCalendar.uid(for: "mx"))\r\n"))
        try keys(["rotated", "mx", "--stdin"], stdin: FakeKeys.alnum(30), today: "2026-12-01")
        let second = try Run.keywarden(["keys", "calendar", "--output", out, "--ledger", ledger], environment: ["KEYWARDEN_TODAY": "2026-12-01"])
        #expect(second.status == 0)
        let text2 = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text2.contains("DTSTART;VALUE=DATE:20270301\r\n") && text2.contains("SEQUENCE:1\r\n"))
        #expect(text2.contains("UID:\(RotationCalendar.uid(for: "mx"))\r\n"))
        let stdout = try keys(["calendar"], today: "2026-12-01")
        #expect(stdout.status == 0 && stdout.stdout.contains("BEGIN:VEVENT"))
        let dash = try Run.keywarden(["keys", "calendar", "--output", "-", "--ledger", ledger], in: dir.path(),
                                     environment: ["KEYWARDEN_TODAY": "2026-12-01"])
        #expect(dash.status == 0 && dash.stdout.contains("BEGIN:VEVENT") && !FileManager.default.fileExists(atPath: dir.path("-")))
    }

    @Test func anOverdueKeysEventIsDatedTodaySoItsAlarmFires() throws {
        try keys(["add", "late", "--provider", "maintainx", "--env", "prod", "--created", "2026-08-01", "--stdin"], stdin: FakeKeys.alnum(30))
        try keys(["add", "fine", "--provider", "maintainx", "--env", "dev", "--created", "2026-11-01", "--stdin"], stdin: FakeKeys.alnum(30))
        let out = dir.path("rotations.ics")
        #expect(try keys(["calendar", "--output", out]).status == 0)
        let root = try RotationCalendarTests.parse(try String(contentsOfFile: out, encoding: .utf8))
        let events = root.children.filter { $0.name == "VEVENT" }
        let late = try #require(events.first { $0.value("UID") == RotationCalendar.uid(for: "late") })
        #expect(late.value("DTSTART") == "20261123")
        #expect(RotationCalendarTests.unescape(late.value("SUMMARY") ?? "") == "OVERDUE since 2026-10-30: rotate maintainx key late (prod)")
        #expect(late.children.filter { $0.name == "VALARM" }.map { $0.value("TRIGGER") } == ["PT0S"])
        let fine = try #require(events.first { $0.value("UID") == RotationCalendar.uid(for: "fine") })
        #expect(fine.value("DTSTART") == "20270130")
        #expect(fine.children.filter { $0.name == "VALARM" }.map { $0.value("TRIGGER") } == ["-P14D", "-P7D", "-P1D"])
        // The next day's export moves the event to that day, with a higher SEQUENCE.
        #expect(try keys(["calendar", "--output", out], today: "2026-11-24").status == 0)
        let next = try RotationCalendarTests.parse(try String(contentsOfFile: out, encoding: .utf8))
        let moved = try #require(next.children.first { $0.value("UID") == RotationCalendar.uid(for: "late") })
        #expect(moved.value("DTSTART") == "20261124" && moved.value("SEQUENCE") == "1")
    }

    @Test func runbookAndAge() throws {
        // --key must name a key of the ledger, of that provider.
        let none = try keys(["runbook", "maintainx", "--key", "mx-prod"])
        #expect(none.status == 2 && none.stderr.contains("there is no key ledger at"))
        try keys(["add", "mx-prod", "--provider", "maintainx", "--env", "prod", "--stdin"], stdin: FakeKeys.alnum(30))
        let typo = try keys(["runbook", "maintainx", "--key", "mx-prd"])
        #expect(typo.status == 2 && typo.stderr.contains("--key mx-prd: no such key in") && typo.stderr.contains("known: mx-prod"))
        #expect(typo.stdout.isEmpty)
        let wrong = try keys(["runbook", "mindtickle", "--key", "mx-prod"])
        #expect(wrong.status == 2 && wrong.stderr.contains("is a maintainx key, not mindtickle"))
        let rb = try keys(["runbook", "maintainx", "--key", "mx-prod", "--env-var", "MAINTAINX_API_KEY"])
        #expect(rb.status == 0 && rb.stdout.contains("Settings > Integrations > API Keys"))
        #expect(rb.stdout.contains("7. Record the rotation: keywarden keys rotated mx-prod --from-env MAINTAINX_API_KEY"))
        let generic = try Run.keywarden(["keys", "runbook", "acme"])
        #expect(generic.status == 0 && generic.stdout.hasPrefix("Rotate a key from acme\n1. "))

        let secret = FakeKeys.maintainX(issuedAt: unixSeconds(day("2026-08-18")))
        let age = try keys(["age", "--from-env", "MX"], env: ["MX": secret])
        #expect(age.status == 0, "\(age.stderr)")
        #expect(age.stdout.contains("issued 2026-08-18 (97 days old)"))
        #expect(age.stdout.contains("stale: not rotated in 97 days; rotation was due 2026-11-16 (90 days), 7 days ago"))
        #expect(!age.stdout.contains(secret))
        let young = try keys(["age", "--from-env", "MX"], env: ["MX": secret], today: "2026-09-01")
        #expect(young.stdout.contains("Next rotation due: 2026-11-16 (76 days)"))
        let other = try keys(["age", "--stdin"], stdin: FakeKeys.hex(40))
        #expect(other.status == 2 && other.stderr.contains("only MaintainX keys carry their creation time"))
    }

    @Test func brokenLedgersAreErrorsAndLeftAlone() throws {
        let bad = "schema = 1\n\n[[keys]]\nid = \"a\"\nprovider = \"acme\"\nenvironment = prod\n"
        try dir.write(".keywarden/keys.toml", bad)
        for args in [["status"], ["check"], ["add", "b", "--provider", "p", "--env", "dev"], ["calendar"]] {
            let r = try keys(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains("\(ledger):6: not valid TOML"), "\(args): \(r.stderr)")
        }
        #expect(try ledgerText() == bad)
        let future = "schema = 2\n[[keys]]\nid = \"a\"\n"
        try dir.write(".keywarden/keys.toml", future)
        let r = try keys(["add", "b", "--provider", "p", "--env", "dev"])
        #expect(r.status == 2 && r.stderr.contains("ledger schema 2 is newer than this keywarden understands"))
        #expect(try ledgerText() == future)
    }

    @Test func defaultLedgerIsAtTheWorkTreeRoot() throws {
        try Run.git(["init", "-q"], in: dir.path())
        try FileManager.default.createDirectory(atPath: dir.path("src/deep"), withIntermediateDirectories: true)
        let r = try Run.keywarden(["keys", "add", "a", "--provider", "acme", "--env", "prod"], in: dir.path("src/deep"),
                                  environment: ["KEYWARDEN_TODAY": "2026-11-23"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.path(".keywarden/keys.toml")))
        #expect(!FileManager.default.fileExists(atPath: dir.path("src/deep/.keywarden")))
    }

    /// Several `keywarden keys` processes at once: the lock serialises them and every change lands.
    @Test func concurrentProcessesLoseNothing() async throws {
        let count = 8
        let path = ledger, cwd = dir.path()
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for i in 0..<count {
                group.addTask {
                    try Run.keywarden(["keys", "add", "k\(i)", "--provider", "acme", "--env", "e\(i)", "--stdin", "--ledger", path],
                                      in: cwd, stdin: FakeKeys.alnum(32), environment: ["KEYWARDEN_TODAY": "2026-11-23"]).status
                }
            }
            for try await status in group { #expect(status == 0) }
        }
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for i in 0..<count {
                group.addTask {
                    try Run.keywarden(["keys", "rotated", "k\(i)", "--stdin", "--ledger", path],
                                      in: cwd, stdin: FakeKeys.alnum(32), environment: ["KEYWARDEN_TODAY": "2026-11-24"]).status
                }
            }
            for try await status in group { #expect(status == 0) }
        }
        let keys = try KeyLedger.load(path: ledger).keys
        #expect(Set(keys.map(\.id)) == Set((0..<count).map { "k\($0)" }))
        #expect(keys.allSatisfy { $0.lastRotated == day("2026-11-24") && $0.history.map(\.event) == ["added", "rotated"] })
    }

    /// Every command that touches a key, refused or not: the value is in no output and no file.
    @Test func aKeyValueNeverAppearsAnywhere() throws {
        let first = FakeKeys.maintainX(issuedAt: unixSeconds(day("2026-08-18")))
        let second = FakeKeys.maintainX(issuedAt: unixSeconds(day("2026-11-20")))
        try dir.write(".env", "MAINTAINX_API_KEY=\(second)\n")
        let env = ["MX": first]
        var results = [
            try keys(["add", "mx", "--env", "prod", "--from-env", "MX"], env: env),
            try keys(["add", "mx-again", "--env", "dev", "--from-env", "MX"], env: env),
            try keys(["rotated", "mx", "--from-env", "MX"], env: env),
            try keys(["age", "--from-env", "MX"], env: env),
            try keys(["status"]), try keys(["status", "--format", "json"]), try keys(["check"]),
            try keys(["mark-leaked", "mx"]),
            try keys(["rotated", "mx", "--from-dotenv", ".env:MAINTAINX_API_KEY"]),
            try keys(["age", "--stdin"], stdin: "Bearer " + second),
            try keys(["calendar", "--output", dir.path("k.ics")]),
        ]
        results.append(try Run.keywarden(["keys", "status", "--today", "2027-06-01", "--ledger", ledger], in: dir.path()))
        #expect(results.map(\.status) == [0, 2, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0])
        #expect(results.last?.stdout.contains("overdue") == true)
        var haystack = results.map { $0.stdout + $0.stderr }.joined()
        for file in try FileManager.default.subpathsOfDirectory(atPath: dir.path()) where file != ".env" {
            if let data = FileManager.default.contents(atPath: dir.path(file)) { haystack += String(decoding: data, as: UTF8.self) }
        }
        #expect(haystack.contains("mx"))
        for secret in [first, second] {
            let parts = secret.split(separator: ".").map(String.init)
            #expect(!haystack.contains(secret))
            #expect(!haystack.contains(parts[1]) && !haystack.contains(parts[2]))
        }
    }
}
