public import SecretScanner
import SystemSupport
import Verification

/// The human report: one block per finding, what to do about it, and a summary.
enum TextReport {
    static func render(_ report: Report, colour: Bool) -> String {
        func style(_ style: TerminalStyle, _ s: String) -> String { style.apply(s, enabled: colour) }
        // Names, rule ids and commit metadata come from the scanned repository: no control character of
        // theirs reaches the terminal, and no line of the report can become a CI workflow command.
        func e(_ s: some StringProtocol) -> String { PrintableText.escape(s) }
        var out = ""
        for (i, f) in report.findings.enumerated() {
            let sev = f.severity.rawValue.uppercased()
            let sevStyled = style(f.severity >= .high ? .bold + .red : f.severity == .medium ? .yellow : .dim, sev)
            out += "\(style(.bold, "\(e(f.path)):\(f.line):\(f.column)"))  \(sevStyled)  \(e(f.ruleID))  (\(e(f.provider)))\n"
            out += "    \(f.ruleDescription.isEmpty ? "secret" : e(f.ruleDescription)): \(e(report.secret(f)))\n"
            out += "    fingerprint: \(f.fingerprint)\n"
            if let g = f.git {
                out += "    commit \(e(g.commit.prefix(12))) by \(e(g.author)) <\(e(g.email))> on \(e(g.date)): \(e(g.message))\n"
                if let inHead = g.inHead {
                    out += "    \(inHead ? "still in HEAD" : "no longer in HEAD (still in history)")"
                    out += g.occurrences.map { ", carried by \($0) commit\($0 == 1 ? "" : "s")\n" } ?? "\n"
                }
            }
            if let keyLine = f.extra["api_key_line"], let secretLine = f.extra["secret_key_line"] {
                out += "    one credential: the API key on line \(keyLine), the secret key on line \(secretLine)\n"
            }
            let access = ["user", "host", "port", "database", "service"].compactMap { k in f.extra[k].map { "\(k) \(e($0))" } }
            if !access.isEmpty { out += "    gives access to: \(access.joined(separator: ", "))\n" }
            let facts = f.extra.filter { ["created", "jti", "checksum", "hash_type", "decoded"].contains($0.key) }
            if !facts.isEmpty {
                out += "    " + facts.sorted { $0.key < $1.key }.map { "\($0.key): \(e($0.value))" }.joined(separator: ", ") + "\n"
            }
            for note in report.notes[i] ?? [] { out += "    \(style(.bold + .yellow, "!")) \(e("\(note)"))\n" }
            if let v = report.verifications[i] {
                let state = v.state == .valid ? style(.bold + .red, "valid: LIVE KEY") : v.state == .invalid ? style(.green, "invalid") : style(.yellow, v.state.rawValue)
                var line = "    verification: \(state)"
                if let status = v.httpStatus { line += " (HTTP \(status))" }
                if !v.detail.isEmpty { line += ", \(e(v.detail))" }
                out += line + "\n"
            }
            out += "    fix: \(e(Advice.fix(for: f, leftMachine: report.keysLeftMachine)))\n\n"
        }
        return PrintableText.neutralizeWorkflowCommands(out)
    }
}

/// What to tell a person to do about a finding.
public enum Advice {
    /// Where a provider's secret usually comes from instead: an environment variable name, or a phrase.
    public static func variable(for provider: String) -> String {
        switch provider {
        case "maintainx": "MAINTAINX_API_KEY"
        case "mindtickle": "MINDTICKLE_API_KEY / MINDTICKLE_SECRET_KEY"
        case "makini": "MAKINI_CLIENT_SECRET"
        case "aws": "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"
        case "github": "GITHUB_TOKEN"
        case "gitlab": "GITLAB_TOKEN"
        case "stripe": "STRIPE_SECRET_KEY"
        case "slack": "SLACK_BOT_TOKEN"
        case "openai": "OPENAI_API_KEY"
        case "anthropic": "ANTHROPIC_API_KEY"
        case "database": "DATABASE_URL"
        case "message-broker": "the broker URL variable, e.g. AMQP_URL"
        case "private-key": "a key file outside the repository, or the secret manager"
        case "generic", "jwt": "an environment variable"
        default: "\(provider.uppercased().replacingOccurrences(of: "-", with: "_"))_API_KEY"
        }
    }

    /// One line: remove it, load it from the environment, how to mark a false positive, rotate if it left.
    public static func fix(for f: Finding, leftMachine: Bool = false) -> String {
        if leftMachine {
            return "this key has left the machine (it is in commits the CI server received): treat it as leaked and rotate it now "
                + "(`keywarden keys runbook \(f.provider)`), then remove the value and load it from "
                + "\(f.provider == "private-key" ? variable(for: f.provider) : "the environment (\(variable(for: f.provider))) or a secret manager"); "
                + "if it is not a secret, add `keywarden:allow` on the line or run `keywarden ignore add \(f.fingerprint) --reason \"...\"`"
        }
        return "remove the value and load it from \(f.provider == "private-key" ? "" : "the environment (")\(variable(for: f.provider))"
            + "\(f.provider == "private-key" ? "" : ") or a secret manager"); "
            + "if it is not a secret, add `keywarden:allow` on the line or run `keywarden ignore add \(f.fingerprint) --reason \"...\"`; "
            + "if it ever left this machine, rotate it: `keywarden keys runbook \(f.provider)`"
    }
}

extension Advice {
    /// What kind of file `path` is when it is a file that should never be committed at all (a dotenv file,
    /// a private key, a key store), so that the advice is to keep the file out of git rather than to edit it;
    /// nil for any other file. Templates (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`) are
    /// meant to be committed and are not such files.
    public static func neverCommitKind(path: String) -> String? {
        let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
        for template in [".example", ".sample", ".template", ".dist"] where name.hasSuffix(template) { return nil }
        if name == ".env" || name.hasPrefix(".env.") || name.hasSuffix(".env") { return "a dotenv file" }
        if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"].contains(name) { return "a private key file" }
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last ?? "") : ""
        switch ext {
        case "key", "pem": return "a private key file"
        case "p12", "pfx", "jks", "keystore", "bks": return "a key store"
        default: return nil
        }
    }
}
