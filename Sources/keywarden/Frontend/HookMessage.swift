import ScanReporting
import SecretScanner

/// What a person sees when a hook blocks: each finding, then concretely how to fix it.
enum HookMessage {
    static func blocked(_ report: Report, kind: HookScript.Kind, colour: Bool) -> String {
        let findings = report.findings
        let n = findings.count
        let what = kind == .preCommit ? "commit" : "push"
        var out = Style.red.apply("keywarden: \(what) blocked: \(n) secret\(n == 1 ? "" : "s") in \(report.scope)", enabled: colour) + "\n\n"
        for (i, f) in findings.enumerated() {
            out += "  " + Style.bold.apply("\(f.path):\(f.line)", enabled: colour)
            out += "  \(f.ruleID)  (\(f.provider))  \(f.redactedSecret)  [\(f.severity.rawValue)]\n"
            if let g = f.git { out += "      in commit \(g.commit.prefix(12)) \(g.message)\n" }
            out += "      fingerprint: \(f.fingerprint)\n"
            if let v = report.verifications[i] {
                let status = v.httpStatus.map { " (HTTP \($0))" } ?? ""
                let live = v.state.rawValue == "valid"
                let line = "      verification: \(live ? "valid: LIVE KEY, rotate it now" : v.state.rawValue)\(status)"
                out += (live ? Style.red.apply(line, enabled: colour) : line) + "\n"
            }
            if let key = report.trackedKeys[i], let id = key["id"] {
                let env = key["environment"].map { "\($0) " } ?? ""
                let current = key["current"] == "true"
                out += "      " + Style.yellow.apply(current
                    ? "! this is the \(env)\(f.provider) key `\(id)` you track: rotate it (keywarden keys runbook \(key["provider"] ?? f.provider) --key \(id))"
                    : "! this is an earlier value of the tracked \(env)key `\(id)`: make sure it was revoked", enabled: colour) + "\n"
            }
        }
        let paths = Array(Set(findings.map(\.path))).sorted()
        let providers = Array(Set(findings.map(\.provider))).sorted()
        let shownPaths = paths.prefix(5).joined(separator: " ") + (paths.count > 5 ? " ..." : "")
        out += "\nHow to fix it:\n"
        switch kind {
        case .preCommit:
            out += "  1. Take the value out of the file and stage it again: edit, then git add \(shownPaths)\n"
            out += "     (or unstage the file for now: git restore --staged \(shownPaths))\n"
        case .prePush:
            let commits = Array(Set(findings.compactMap { $0.git.map { String($0.commit.prefix(12)) } })).sorted()
            out += "  1. Take the value out of the commit that added it (\(commits.joined(separator: ", "))): for the last\n"
            out += "     commit, edit the file, git add it and git commit --amend; for an older one, git rebase -i <commit>^\n"
        }
        out += "  2. Load it from the environment or a secret manager instead: "
        out += providers.map { "\(Advice.variable(for: $0)) (\($0))" }.joined(separator: ", ") + "\n"
        out += "  3. Not a secret? Add a comment with keywarden:allow on the line, or run\n"
        for fp in Array(Set(findings.map(\.fingerprint))).sorted().prefix(5) {
            out += "     keywarden ignore add \(fp) --reason \"...\"\n"
        }
        out += "  4. A real key that may already have left this machine (pushed, pasted, shared)? Rotate it:\n"
        out += "     " + providers.map { "keywarden keys runbook \($0)" }.joined(separator: "; ") + "\n"
        out += "'git \(what) --no-verify' skips this check, but CI runs the same scan and will fail.\n"
        return out
    }
}
