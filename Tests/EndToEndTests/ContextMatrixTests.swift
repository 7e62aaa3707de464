import Foundation
import Testing
import TestSupport

/// Issue 16's proof: the context matrix (`scripts/context-matrix.sh`, `Tests/ContextMatrix/`) generates fake
/// MaintainX, Mindtickle and Makini credentials in realistic files plus hard negatives, scans them with the
/// built binary and fails below recall 0.98 for any kind or with any false positive.
/// It runs in every `make test` with a new random seed, printed in its output;
/// `KEYWARDEN_CONTEXT_MATRIX_SEED=N` repeats a failing run.
@Suite struct ContextMatrixTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The generator and the scorer themselves (no binary needed): a perfect report passes, planted false
    /// positives are reported, a Mindtickle key-pair finding covers both of its lines. Always runs.
    @Test func theMatrixScoresAPerfectReportAndPlantedMistakesCorrectly() throws {
        let script = Self.repository.appendingPathComponent("scripts/context-matrix.sh").path
        let run = try Run.program("/bin/bash", [script, "--self-test"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("self-test: ok"))
    }

    @Test func everyKindIsFoundInEveryContextAndNegativesStayClean() throws {
        let script = Self.repository.appendingPathComponent("scripts/context-matrix.sh").path
        var arguments = [script, "--bin", Run.keywardenPath]
        if let seed = ProcessInfo.processInfo.environment["KEYWARDEN_CONTEXT_MATRIX_SEED"] {
            arguments += ["--seed", seed]
        }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path
        let run = try Run.program("/bin/bash", arguments, environment: ["KEYWARDEN_CACHE_DIR": cache])
        #expect(run.status == 0, "context matrix failed (exit \(run.status)):\n\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("context-matrix: PASS"))
    }
}
