import Foundation
import ScanReporting
import Verification

extension Keywarden.Scan {
    /// `--verify`'s settings from the environment (test-only overrides included); a bad setting is an error.
    func verificationSettings() throws -> VerificationSettings? {
        do {
            return try VerificationSettings(environment: Terminal.environment)
        } catch {
            throw CommandFailure("--verify: \(error)")
        }
    }

    /// Says on standard error how many found keys the providers called live.
    func announceVerification(_ report: Report) {
        guard !report.findings.isEmpty else { return }
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
