import Foundation
import Hygiene
import Testing
import TestSupport

@Suite struct LedgerCheckTests {
    @Test func bothLedgerChecksAreSkippedWithoutALedger() throws {
        let f = try Fixture()
        let report = try f.examine()
        #expect(report.result(.ledgerOverdue)?.status == .skip)
        #expect(report.result(.ledgerOverdue)?.message.contains("no ledger") == true)
        #expect(report.result(.ledgerReuse)?.status == .skip)
    }

    @Test func passWithFreshDistinctKeys() throws {
        let f = try Fixture()
        try f.write(".keywarden/keys.toml", "schema = 1\n"
            + Fixture.ledgerKey("k-prod", env: "prod", created: "2026-11-01", fingerprint: Fixture.fingerprint())
            + Fixture.ledgerKey("k-dev", env: "dev", created: "2026-11-01", fingerprint: Fixture.fingerprint()))
        let report = try f.examine()
        #expect(report.result(.ledgerOverdue)?.status == .pass)
        #expect(report.result(.ledgerReuse)?.status == .pass)
    }

    @Test func anOverdueKeyFails() throws {
        let f = try Fixture()
        try f.write(".keywarden/keys.toml", "schema = 1\n"
            + Fixture.ledgerKey("old-prod", env: "prod", created: "2026-07-01", fingerprint: Fixture.fingerprint()))
        let r = try #require(try f.examine().result(.ledgerOverdue))
        #expect(r.status == .fail)
        #expect(r.details.first?.hasPrefix("old-prod (prod): ") == true)
        #expect(r.fix?.contains("keywarden keys rotated old-prod") == true)
        // The same ledger, judged on a day before the key fell due, passes.
        f.today = try #require(.init(year: 2026, month: 8, day: 1))
        #expect(try f.result(.ledgerOverdue).status == .pass)
    }

    @Test func aKeyReusedAcrossEnvironmentsFails() throws {
        let f = try Fixture()
        let shared = Fixture.fingerprint()
        try f.write(".keywarden/keys.toml", "schema = 1\n"
            + Fixture.ledgerKey("k-prod", env: "prod", created: "2026-11-01", fingerprint: shared)
            + Fixture.ledgerKey("k-staging", env: "staging", created: "2026-11-01", fingerprint: shared))
        let report = try f.examine()
        #expect(report.result(.ledgerOverdue)?.status == .pass)
        let r = try #require(report.result(.ledgerReuse))
        #expect(r.status == .fail)
        #expect(r.details == ["k-prod (prod) and k-staging (staging) hold the same key"])
    }

    @Test func aMalformedLedgerFailsNamingTheFileAndLine() throws {
        let f = try Fixture()
        try f.write(".keywarden/keys.toml", "schema = 1\n[[keys]]\nid = \"a\"\nenvironment = prod\n")
        let r = try f.result(.ledgerOverdue)
        #expect(r.status == .fail)
        #expect(r.details.first?.contains("keys.toml:4") == true, "\(r.details)")
    }
}
