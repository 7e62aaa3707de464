import Foundation
import Hashing
import ScanReporting
import SecretRules
@testable import SecretScanner
import TestSupport
import Testing

/// Reports built from `Finding` values with fake secrets. The secrets are fixed (so that fingerprints and
/// golden files are stable) but assembled at run time from parts that are not secret-shaped; every format
/// shows them redacted, so the golden files hold only `fake*****` and fingerprints.
enum Fixture {
    static let maintainXSecret = FakeKeys.join("fake", "Value", "For", "Golden", "Files", "One")
    static let genericSecret = FakeKeys.join("fake", "Value", "For", "Golden", "Files", "Two")
    static let storePath = "certs/store.p12"
    /// Every secret a fixture holds, to assert that none appears in any output.
    static let secrets = [maintainXSecret, genericSecret]
    static let commit = String(repeating: "ab12", count: 10)
    static let finishedAt = Date(timeIntervalSince1970: 1_780_000_000)

    static func fingerprint(_ s: String) -> String { Fingerprinter(key: nil).fingerprint(s) }

    static func finding(rule: String = "maintainx-api-key", description: String = "MaintainX API key",
                        provider: String = "maintainx", severity: Severity = .critical, path: String = "./src/client.ts",
                        line: Int = 2, column: Int = 15, endLine: Int? = nil, endColumn: Int = 36,
                        secret: String = maintainXSecret) -> Finding {
        Finding(ruleID: rule, ruleDescription: description, provider: provider, severity: severity, path: path,
                line: line, column: column, endLine: endLine ?? line, endColumn: endColumn, secret: secret,
                fingerprint: fingerprint(secret))
    }

    /// Four findings of three rules in three files: two of one rule in one file, one with a path and a
    /// description that need escaping and git provenance, and one path-only finding.
    static func findings() -> [Finding] {
        var generic = finding(rule: "generic-api-key", description: "Generic API key | <assignment>", provider: "generic",
                              severity: .medium, path: "config/app, prod:1.env", line: 7, column: 9, endColumn: 33,
                              secret: genericSecret)
        generic.git = GitProvenance(commit: commit, author: "Test Author", email: "author@example.com",
                                    date: "2026-01-02T03:04:05Z", message: "add config", inHead: true, occurrences: 1)
        return [
            finding(),
            finding(line: 9, column: 3, endColumn: 24),
            generic,
            finding(rule: "pkcs12-file", description: "PKCS#12 key store", provider: "private-key", severity: .low,
                    path: storePath, line: 1, column: 1, endColumn: 1, secret: storePath),
        ]
    }

    static func result(errors: [String] = [], warnings: [String] = []) -> ScanResult {
        var r = ScanResult()
        r.filesScanned = 3
        r.bytesScanned = 2048
        r.seconds = 0.25
        r.errors = errors.map { ScanNote(.unreadable, $0) }
        r.warnings = warnings.map { ScanNote(.other, $0) }
        return r
    }

    static func report(_ findings: [Finding] = findings(), errors: [String] = [], warnings: [String] = []) -> Report {
        var report = Report(findings: findings, result: result(errors: errors, warnings: warnings), toolVersion: "9.9.9-test")
        report.finishedAt = finishedAt
        report.scope = "files"
        report.notes[0] = ["this is the tracked key `mx-prod`"]
        if !findings.isEmpty {
            report.trackedKeys[0] = ["id": "mx-prod", "provider": "maintainx", "environment": "production", "current": "true"]
        }
        return report
    }

    /// The test resources folder in the bundle.
    static func resource(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Resources", withExtension: nil)).appendingPathComponent(name)
    }

    /// The test resources folder in the source tree (for `KEYWARDEN_UPDATE_GOLDEN=1`).
    static func sourceResource(_ name: String, file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Resources").appendingPathComponent(name)
    }
}
