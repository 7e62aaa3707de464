import GitRepository
internal import Foundation

/// A path that the root `.gitignore` must (or must not) ignore, and the line that makes it so.
struct IgnoreProbe: Sendable {
    let path: String
    let mustBeIgnored: Bool
    let pattern: String

    static let all: [IgnoreProbe] = [
        IgnoreProbe(path: ".env", mustBeIgnored: true, pattern: ".env"),
        IgnoreProbe(path: ".env.local", mustBeIgnored: true, pattern: ".env.*"),
        IgnoreProbe(path: ".env.production", mustBeIgnored: true, pattern: ".env.*"),
        IgnoreProbe(path: "x.key", mustBeIgnored: true, pattern: "*.key"),
        IgnoreProbe(path: "x.pem", mustBeIgnored: true, pattern: "*.pem"),
        IgnoreProbe(path: "x.p12", mustBeIgnored: true, pattern: "*.p12"),
        IgnoreProbe(path: ".env.example", mustBeIgnored: false, pattern: "!.env.example"),
    ]
}

extension Doctor {
    /// The comment line `--fix` writes before the lines it appends to `.gitignore`.
    public static let gitignoreMarker = "# added by keywarden doctor"

    /// Probe paths that git's ignore rules get wrong, asked through libgit2 (so `.gitignore` files,
    /// `.git/info/exclude` and `core.excludesFile` all count, with git's precedence and negation).
    func failingIgnoreProbes() throws(HygieneError) -> [IgnoreProbe] {
        var failing: [IgnoreProbe] = []
        for probe in IgnoreProbe.all {
            let ignored = try git { () throws(GitError) in try repository.isIgnored(root + "/" + probe.path) }
            if ignored != probe.mustBeIgnored { failing.append(probe) }
        }
        return failing
    }

    /// The lines to append to `.gitignore` so that every probe passes, in order (negation last).
    func missingGitignoreLines() throws(HygieneError) -> [String] {
        let failing = try failingIgnoreProbes()
        var lines: [String] = []
        for probe in failing where probe.mustBeIgnored && !lines.contains(probe.pattern) {
            lines.append(probe.pattern)
        }
        // `.env.*` would ignore `.env.example` too: re-include it after.
        if failing.contains(where: { !$0.mustBeIgnored }) || lines.contains(".env.*") {
            lines.append("!.env.example")
        }
        return lines
    }

    func checkGitignore() throws(HygieneError) -> CheckResult {
        let failing = try failingIgnoreProbes()
        if failing.isEmpty {
            return .pass(.gitignore, "git ignores .env, .env.*, *.key, *.pem, *.p12 and keeps .env.example")
        }
        let details = failing.map { $0.mustBeIgnored ? "\($0.path) is not ignored" : "\($0.path) is ignored (it should be committed as the template)" }
        let lines = try missingGitignoreLines()
        return .fail(.gitignore, "\(failing.count) of \(IgnoreProbe.all.count) ignore probes fail", details: details,
                     fix: ["append to .gitignore (or run `keywarden doctor --fix`):"] + lines.map { "    " + $0 })
    }

    /// Appends the missing lines to the work tree's root `.gitignore` (creating it), under a marker comment:
    /// first the probes' lines, then a line for each `.env` file those patterns still leave unignored (an
    /// anchored `/.env`, a pattern in a subfolder). Lines already in the file are not written again, so a
    /// file that a subfolder's `.gitignore` re-includes (`!.env`, which beats the root's lines) does not
    /// make every run append. Returns a description of the change, or nil when nothing was missing.
    func fixGitignore() throws(HygieneError) -> String? {
        var appended = try appendToGitignore(try missingGitignoreLines())
        appended += try appendToGitignore(try unignoredDotenvFiles().map(Self.ignoreLine(for:)))
        return appended.isEmpty ? nil : "appended to .gitignore: " + appended.joined(separator: " ")
    }

    /// Appends `lines` that the root `.gitignore` does not already hold; returns the ones written.
    private func appendToGitignore(_ lines: [String]) throws(HygieneError) -> [String] {
        let path = root + "/.gitignore"
        let existing = FileAccess.contents(path) ?? []
        let present = Set(String(decoding: existing, as: UTF8.self).split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        })
        var missing: [String] = []
        for line in lines where !present.contains(line) && !missing.contains(line) { missing.append(line) }
        if missing.isEmpty { return [] }
        var text = ""
        if let last = existing.last, last != UInt8(ascii: "\n") { text += "\n" }
        text += Self.gitignoreMarker + "\n" + missing.map { $0 + "\n" }.joined()
        try FileAccess.append(text, to: path)
        return missing
    }
}
