import Foundation
import ScanReporting
import Verification

extension Keywarden.Scan {
    /// `--verify`: asks each finding's provider whether its key is live and says how many were, on standard error.
    func verifyFindings(_ report: inout Report) throws {
        guard !report.findings.isEmpty else { return }
        let settings: VerificationSettings
        do {
            settings = try VerificationSettings(environment: Terminal.environment)
        } catch {
            throw CommandFailure("--verify: \(error)")
        }
        report.verify(using: VerificationSession(settings: settings))
        let counts = report.verificationCounts
        guard !counts.isEmpty else {
            Terminal.warn("keywarden: --verify: no finding is of a kind keywarden can verify")
            return
        }
        let parts = VerificationState.allCases.compactMap { state in
            counts[state].map { "\($0) \(state == .valid ? "valid (live)" : state.rawValue)" }
        }
        let line = "keywarden: verified \(report.verifications.count) finding\(report.verifications.count == 1 ? "" : "s"): " + parts.joined(separator: ", ")
        Terminal.warn((counts[.valid] ?? 0) > 0 ? Style.red.apply(line, enabled: Terminal.colourEnabled(forStdout: false)) : line)
    }
}
