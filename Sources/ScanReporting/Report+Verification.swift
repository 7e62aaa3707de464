public import SecretScanner
public import Verification

extension Report {
    /// Verifies the key of every finding whose rule has a verifier (`scan --verify`) and records the results
    /// in `verifications`. Each distinct key is asked once; the secret is sent only to its provider's host.
    public mutating func verify(using session: VerificationSession) {
        var indices = [Int]()
        var credentials = [Credential]()
        for (i, f) in findings.enumerated() {
            guard let c = Self.credential(for: f) else { continue }
            indices.append(i)
            credentials.append(c)
        }
        guard !credentials.isEmpty else { return }
        for (i, result) in zip(indices, session.verify(credentials)) { verifications[i] = result }
    }

    /// What to verify for `finding`: nil when its rule has no verifier.
    public static func credential(for f: Finding) -> Credential? {
        let fingerprint = ([f.fingerprint] + f.relatedFingerprints).joined(separator: "+")
        switch Verifiers.coverage(ruleID: f.ruleID) {
        case .none:
            return nil
        case .unverifiable(let provider, let reason):
            return Credential(provider: provider, secret: f.secret, fingerprint: fingerprint, unverifiableReason: reason)
        case .verifier(let provider):
            return Credential(provider: provider, secret: f.secret, fingerprint: fingerprint, partnerSecret: f.partnerSecret,
                              tenant: f.extra["tenant"], unverifiableReason: f.secret.isEmpty ? "the secret is not available" : nil)
        }
    }

    /// How many findings got each verification state.
    public var verificationCounts: [VerificationState: Int] {
        verifications.values.reduce(into: [:]) { $0[$1.state, default: 0] += 1 }
    }
}
