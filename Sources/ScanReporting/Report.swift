public import SecretScanner
public import Foundation
public import Verification

/// Everything a report writer needs: findings, the scan's counts, and how to show secrets.
public struct Report: Sendable {
    public var findings: [Finding]
    public var result: ScanResult
    public var ignored = 0
    public var baselined = 0
    public var showSecrets = false
    public var toolVersion: String
    /// Extra notes per finding, by index (for example "this is the tracked key `mx-prod`").
    public var notes: [Int: [String]] = [:]
    /// The tracked key (from the key ledger) a finding's secret is, by finding index: `id`, `provider`,
    /// `environment`, `owner`, `current` ("true" or "false").
    public var trackedKeys: [Int: [String: String]] = [:]
    /// What the provider said about a finding's key, by finding index (`scan --verify`; findings whose rule
    /// has no verifier have none).
    public var verifications: [Int: VerificationResult] = [:]
    /// Scope or source description ("working tree", "staged changes").
    public var scope: String = ""
    /// When the scan finished (its start is this minus `result.seconds`): for the SARIF invocation and the
    /// GitLab report's `scan` times.
    public var finishedAt = Date()
    /// The commit the scanned files belong to (for example `CI_COMMIT_SHA`), when known: the GitLab report
    /// needs a commit for every finding and uses this for findings that have no git provenance of their own.
    public var revision: String?
    /// True when the scanned changes have already left the developer's machine (`scan --ci`: the commits
    /// are on the CI server): the advice then says to rotate the key, not only to take it out.
    public var keysLeftMachine = false
    /// How the rules' prefilter database was obtained for this scan (`compiled` on a cold cache, `cache`) and
    /// how long that took; nil when not known. In the JSON summary as `prefilter`.
    public var prefilter: (origin: String, seconds: Double)?

    public init(findings: [Finding], result: ScanResult, toolVersion: String) {
        self.findings = findings
        self.result = result
        self.toolVersion = toolVersion
    }

    /// The report of a scan run: its findings, counts, notes, tracked keys and verifications.
    public init(_ outcome: ScanOutcome, toolVersion: String) {
        self.init(findings: outcome.findings, result: outcome.result, toolVersion: toolVersion)
        ignored = outcome.ignored
        baselined = outcome.baselined
        notes = outcome.notes
        trackedKeys = outcome.trackedKeys
        verifications = outcome.verifications
        scope = outcome.scope
    }

    func secret(_ f: Finding) -> String { showSecrets ? f.secret : f.redactedSecret }
}

/// A report format.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// For people: one block per finding with the fix.
    case text
    /// keywarden's own JSON document (`version`, `findings`, `summary`).
    case json
    /// JSON Lines: one finding per line, then one summary line.
    case jsonl
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    case sarif
    /// GitHub Actions workflow commands (`::error file=...::...`); see `GitHubReport.summary` for the job summary.
    case github
    /// JUnit XML: one test case per rule and file, failing with its findings.
    case junit
    /// GitLab's secret-detection security report (schema 15).
    case gitlab

    /// Renders `report` in this format.
    public func render(_ report: Report, colour: Bool) -> String {
        switch self {
        case .text: TextReport.render(report, colour: colour)
        case .json: JSONReport.render(report)
        case .jsonl: JSONLinesReport.render(report)
        case .sarif: SARIFReport.render(report)
        case .github: GitHubReport.render(report)
        case .junit: JUnitReport.render(report)
        case .gitlab: GitLabReport.render(report)
        }
    }
}
