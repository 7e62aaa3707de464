import KeyAge
import Testing

@Suite struct LedgerTOMLTests {
    static let sample = """
        # a comment that is not kept
        schema = 1
        team = "platform"
        review = { required = true, approvers = ["a", "b"] }

        [[keys]]
        id = "mx-prod"
        provider = "maintainx"
        environment = "prod"
        owner = "ops@example.com"
        created = 2026-01-02
        last_rotated = "2026-03-01"
        interval = "P90D"
        warn_before = 10
        state = "active"
        fingerprint = "\(String(repeating: "ab", count: 32))"
        jti = "0f0e0d0c-0b0a-4908-8706-050403020100"
        ticket = "OPS-12"
        rotated_with = { tool = "vault", version = 3 }

          [[keys.history]]
          date = 2026-03-01
          event = "rotated"
          fingerprint = "\(String(repeating: "ab", count: 32))"
          by = "sam"
          reason = "scheduled"
          approved_by = "kim"

        [[keys]]
        id = "mt-dev"
        provider = "mindtickle"
        environment = "dev"
        created = 2026-02-10
        interval = 30
        """

    @Test func readsEveryField() throws {
        let ledger = try KeyLedger.parse(Self.sample, file: "keys.toml")
        #expect(ledger.schema == 1 && ledger.keys.count == 2)
        let mx = try #require(ledger.key(id: "mx-prod"))
        #expect(mx.provider == "maintainx" && mx.environment == "prod" && mx.owner == "ops@example.com")
        #expect(mx.created == day("2026-01-02") && mx.lastRotated == day("2026-03-01"))
        #expect(mx.interval?.days == 90 && mx.interval?.isoText == "P90D" && mx.warnBefore == 10)
        #expect(mx.jti == "0f0e0d0c-0b0a-4908-8706-050403020100")
        #expect(mx.history.count == 1 && mx.history.first?.by == "sam" && mx.history.first?.reason == "scheduled")
        #expect(mx.dueDate == day("2026-05-30"))
        let mt = try #require(ledger.key(id: "mt-dev"))
        #expect(mt.lastRotated == mt.created && mt.interval == RotationInterval(days: 30) && mt.state == .active)
        #expect(mt.warnBefore == nil && mt.effectiveWarnBefore == 14)
    }

    @Test func unknownFieldsSurviveARewrite() throws {
        let ledger = try KeyLedger.parse(Self.sample, file: "keys.toml")
        let text = ledger.tomlText
        let again = try KeyLedger.parse(text, file: "keys.toml")
        #expect(again == ledger)
        #expect(text.contains("team = \"platform\""))
        #expect(text.contains("ticket = \"OPS-12\""))
        #expect(text.contains("rotated_with = { tool = \"vault\", version = 3 }"))
        #expect(text.contains("approved_by = \"kim\""))
        #expect(text.contains("review = { approvers = [\"a\", \"b\"], required = true }"))
        #expect(text.contains("interval = \"P90D\""))
        #expect(text.contains("interval = 30"))
        #expect(!text.contains("a comment that is not kept"))
        // A rewrite of a rewrite is the same text.
        #expect(again.tomlText == text)
    }

    @Test func syntaxErrorNamesFileAndLine() {
        let text = "schema = 1\n\n[[keys]]\nid = \"a\"\nprovider = maintainx\n"
        #expect {
            try KeyLedger.parse(text, file: ".keywarden/keys.toml")
        } throws: { error in
            guard let e = error as? KeyAgeError else { return false }
            return e.code == .malformedLedger && e.file == ".keywarden/keys.toml" && e.line == 5
                && e.description.hasPrefix(".keywarden/keys.toml:5: not valid TOML")
        }
    }

    @Test(arguments: [
        ("created = 2026-02-30", "created"),
        ("created = \"yesterday\"", "created"),
        ("created = 2026-01-01\ninterval = \"P1H\"", "interval"),
        ("created = 2026-01-01\nstate = \"lost\"", "state"),
        ("created = 2026-01-01\nfingerprint = \"abc\"", "fingerprint"),
        ("created = 2026-01-01\nwarn_before = \"soon\"", "warn_before"),
    ])
    func fieldErrorsNameTheLine(tail: String, field: String) {
        let text = "schema = 1\n\n[[keys]]\nid = \"ok\"\nprovider = \"p\"\nenvironment = \"prod\"\ncreated = 2026-01-01\n\n"
            + "[[keys]]\nid = \"bad\"\nprovider = \"p\"\nenvironment = \"dev\"\n" + tail + "\n"
        let expected = text.split(separator: "\n", omittingEmptySubsequences: false).lastIndex { $0.hasPrefix(field + " =") }.map { $0 + 1 }
        #expect(expected != nil)
        #expect {
            try KeyLedger.parse(text, file: "k.toml")
        } throws: { error in
            guard let e = error as? KeyAgeError else { return false }
            return e.code == .malformedLedger && e.line == expected && e.file == "k.toml"
        }
    }

    @Test func missingCreatedAndDuplicateIDs() {
        let noCreated = "[[keys]]\nid = \"a\"\nprovider = \"p\"\nenvironment = \"prod\"\n"
        #expect(throws: KeyAgeError.self) { try KeyLedger.parse(noCreated, file: "k.toml") }
        let dup = "[[keys]]\nid = \"a\"\nprovider = \"p\"\nenvironment = \"prod\"\ncreated = 2026-01-01\n\n"
            + "[[keys]]\nid = \"a\"\nprovider = \"p\"\nenvironment = \"dev\"\ncreated = 2026-01-01\n"
        #expect {
            try KeyLedger.parse(dup, file: "k.toml")
        } throws: { error in
            (error as? KeyAgeError)?.line == 8 && (error as? KeyAgeError)?.message.contains("duplicate key id 'a'") == true
        }
    }

    @Test func newerSchemaIsRefused() {
        #expect {
            try KeyLedger.parse("schema = 2\n", file: "k.toml")
        } throws: { error in
            guard let e = error as? KeyAgeError else { return false }
            return e.code == .unsupportedSchema && e.line == 1 && e.message.contains("upgrade keywarden")
        }
    }

    @Test func missingSchemaReadsAsOneAndEmptyLedgerIsFine() throws {
        #expect(try KeyLedger.parse("", file: "k.toml") == KeyLedger())
        #expect(try KeyLedger.parse("[[keys]]\nid = \"a\"\nprovider = \"p\"\nenvironment = \"e\"\ncreated = 2026-01-01\n",
                                    file: "k.toml").schema == 1)
    }

    @Test func dateTimesCountByTheirUTCDate() throws {
        let text = "[[keys]]\nid = \"a\"\nprovider = \"p\"\nenvironment = \"e\"\ncreated = 2026-01-15T23:30:00-05:00\n"
            + "last_rotated = 2026-02-01T10:00:00Z\n"
        let key = try #require(try KeyLedger.parse(text, file: "k.toml").key(id: "a"))
        #expect(key.created == day("2026-01-16") && key.lastRotated == day("2026-02-01"))
    }

    @Test func stringsAreEscaped() throws {
        var key = trackedKey("quote\"back\\slash")
        key.note = "line one\nline two\ttab \u{1}"
        let ledger = KeyLedger(keys: [key])
        #expect(try KeyLedger.parse(ledger.tomlText, file: "k.toml") == ledger)
    }
}

/// Found by fuzzing (issue 14): a ledger whose table name starts with a non-ASCII character aborted the
/// process; now it is a malformed-ledger error.
@Suite struct LedgerCrashInputTests {
    @Test func aNonASCIITableNameIsAnErrorNotACrash() {
        #expect(throws: KeyAgeError.self) { _ = try KeyLedger.parse("[\u{FFFD}\u{FFFD}]\n[[keys]]\nid = \"a\"\n", file: "keys.toml") }
    }
}
