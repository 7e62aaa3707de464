import KeyAge
import ScanReporting
import SecretScanner

/// What a person sees when a hook blocks: each finding, then concretely how to fix it.
enum HookMessage {
    /// What the hook knows about where it runs, so that the advice fits.
    struct Situation {
        var kind: HookScript.Kind
        /// The pre-commit framework handed over file names (`pre-commit run --all-files` / `--files`): files
        /// are checked, not a commit.
        var namedFiles = false
        /// No commit yet (HEAD unborn): `git restore --staged` does not work there, `git rm --cached` does.
        var firstCommit = false
        /// The commit HEAD points to (full hex), for pre-push advice on the last commit.
        var head: String?
        /// The key ledger, for the due date of a tracked key that was found.
        var ledger: KeyLedger?
        var today = CalendarDate.today()

        /// "commit", "push", or "files" when the framework checks named files.
        var what: String { kind == .prePush ? "push" : namedFiles ? "files" : "commit" }
    }

    static func blocked(_ report: Report, kind: HookScript.Kind, colour: Bool) -> String {
        blocked(report, situation: Situation(kind: kind), colour: colour)
    }

    static func blocked(_ report: Report, situation: Situation, colour: Bool) -> String {
        let kind = situation.kind
        let findings = report.findings
        let n = findings.count
        let headline = situation.namedFiles
            ? "keywarden: \(n) secret\(n == 1 ? "" : "s") found in \(report.scope)"
            : "keywarden: \(situation.what) blocked: \(n) secret\(n == 1 ? "" : "s") in \(report.scope)"
        var out = Style.red.apply(headline, enabled: colour) + "\n\n"
        for (i, f) in findings.enumerated() {
            out += "  " + Style.bold.apply("\(f.path):\(f.line)", enabled: colour)
            out += "  \(f.ruleID)  (\(f.provider))  \(f.redactedSecret)  [\(f.severity.rawValue)]\n"
            if let keyLine = f.extra["api_key_line"], let secretLine = f.extra["secret_key_line"] {
                out += "      one credential: the API key on line \(keyLine), the secret key on line \(secretLine)\n"
            }
            if let g = f.git { out += "      in commit \(g.commit.prefix(12)) \(g.message)\n" }
            out += "      fingerprint: \(f.fingerprint)\n"
            if let created = f.extra["created"], let date = CalendarDate(created) {
                let age = date.days(until: situation.today)
                out += "      key created \(created) (\(age >= 0 ? "\(KeyStatus.days(age)) ago" : "in the future"))\n"
            }
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
                if current, let tracked = situation.ledger?.key(id: id) {
                    out += "      tracked key \(id): \(KeyStatus(key: tracked, today: situation.today).message)\n"
                }
            }
        }
        let paths = Array(Set(findings.map(\.path))).sorted()
        let neverCommit = paths.compactMap { p in Advice.neverCommitKind(path: p).map { (path: p, kind: $0) } }
        let editable = paths.filter { Advice.neverCommitKind(path: $0) == nil }
        let providers = Array(Set(findings.map(\.provider))).sorted()
        func shown(_ list: [String]) -> String { list.prefix(5).joined(separator: " ") + (list.count > 5 ? " ..." : "") }
        out += "\nHow to fix it:\n"
        var step = 1
        switch kind {
        case .preCommit:
            for file in neverCommit {
                out += "  \(step). \(file.path) is \(file.kind): it should never be committed. Add it to .gitignore and take it\n"
                out += "     out of the \(situation.namedFiles ? "repository" : "commit") (your copy stays on disk):\n"
                out += "     echo '\(file.path)' >> .gitignore && git rm --cached \(file.path)\n"
                step += 1
            }
            if !editable.isEmpty {
                if situation.namedFiles {
                    out += "  \(step). Take the value out of the file: edit \(shown(editable))\n"
                } else {
                    out += "  \(step). Take the value out of the file and stage it again: edit, then git add \(shown(editable))\n"
                    out += situation.firstCommit
                        ? "     (or unstage the file for now: git rm --cached \(shown(editable)); there is no commit yet,\n      so git restore --staged does not work)\n"
                        : "     (or unstage the file for now: git restore --staged \(shown(editable)))\n"
                }
                step += 1
            }
        case .prePush:
            let commits = Array(Set(findings.compactMap { $0.git?.commit })).sorted()
            for commit in commits {
                let short = String(commit.prefix(12))
                let files = Array(Set(findings.filter { $0.git?.commit == commit }.map(\.path))).sorted()
                let remove = files.map { file in
                    Advice.neverCommitKind(path: file).map { "git rm --cached \(file) (\($0): never commit it; add it to .gitignore)" }
                        ?? "edit \(file) and git add it"
                }.joined(separator: "; ")
                if commit == situation.head {
                    out += "  \(step). Take the value out of commit \(short) (your last commit): \(remove); then git commit --amend\n"
                } else {
                    out += "  \(step). Take the value out of commit \(short), which added it: git rebase -i \(short)^ and mark\n"
                    out += "     \(short) as edit; then \(remove); git commit --amend; git rebase --continue\n"
                }
                step += 1
            }
        }
        out += "  \(step). Load it from the environment or a secret manager instead: "
        out += providers.map { "\(Advice.variable(for: $0)) (\($0))" }.joined(separator: ", ") + "\n"
        step += 1
        out += "  \(step). Not a secret? Add a comment with keywarden:allow on the line, or run\n"
        for fp in Array(Set(findings.map(\.fingerprint))).sorted().prefix(5) {
            out += "     keywarden ignore add \(fp) --reason \"...\"\n"
        }
        step += 1
        out += "  \(step). A real key that may already have left this machine (pushed, pasted, shared)? Rotate it:\n"
        out += "     " + providers.map { "keywarden keys runbook \($0)" }.joined(separator: "; ") + "\n"
        out += situation.namedFiles
            ? "CI runs the same scan and will fail on these files.\n"
            : "'git \(situation.what) --no-verify' skips this check, but CI runs the same scan and will fail.\n"
        return out
    }
}
