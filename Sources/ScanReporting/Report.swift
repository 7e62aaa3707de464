public import SecretScanner
public import Foundation

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
    /// Scope or source description ("working tree", "staged changes").
    public var scope: String = ""

    public init(findings: [Finding], result: ScanResult, toolVersion: String) {
        self.findings = findings
        self.result = result
        self.toolVersion = toolVersion
    }

    func secret(_ f: Finding) -> String { showSecrets ? f.secret : f.redactedSecret }
}

/// A report format.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json

    /// Renders `report` in this format.
    public func render(_ report: Report, colour: Bool) -> String {
        switch self {
        case .text: TextReport.render(report, colour: colour)
        case .json: JSONReport.render(report)
        }
    }
}
