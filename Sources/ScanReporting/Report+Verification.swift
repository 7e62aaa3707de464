public import SecretScanner
public import Verification

extension Report {
    /// How many findings got each verification state.
    public var verificationCounts: [VerificationState: Int] {
        verifications.values.reduce(into: [:]) { $0[$1.state, default: 0] += 1 }
    }
}
