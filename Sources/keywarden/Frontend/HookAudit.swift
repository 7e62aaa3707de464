import Foundation
import ScanReporting
import SecretScanner
import SystemSupport

/// The audit log of blocked commits and pushes: one JSON object per line, never a secret.
enum HookAudit {
    /// One entry: time, action, result, reason, rule ids, fingerprints, paths (and refs, commits, keys, errors).
    static func entry(action: String, reason: String, report: Report?, refs: [String] = [], keys: [String] = [],
                      errors: [String] = [], now: Date = Date()) -> [String: Any] {
        let findings = report?.findings ?? []
        func unique(_ values: [String]) -> [String] {
            var seen = Set<String>()
            return values.filter { seen.insert($0).inserted }
        }
        var entry: [String: Any] = [
            "time": ISO8601DateFormatter().string(from: now),
            "action": action,
            "result": "blocked",
            "reason": reason,
            "rules": unique(findings.map(\.ruleID)),
            "fingerprints": unique(findings.map(\.fingerprint)),
            "paths": unique(findings.map(\.path)),
            "findings": findings.count,
        ]
        let commits = unique(findings.compactMap { $0.git?.commit })
        if !commits.isEmpty { entry["commits"] = commits }
        if !refs.isEmpty { entry["refs"] = refs }
        if !keys.isEmpty { entry["keys"] = keys }
        if !errors.isEmpty { entry["errors"] = errors }
        if let user = Terminal.environment["USER"] { entry["user"] = user }
        return entry
    }

    /// Appends `entry` as one line; a log that cannot be written is a warning (the verdict stands).
    /// The default log (inside the git directory) is opened with no symbolic link anywhere below the git
    /// directory; a log the user chose is opened as they named it. Either is created `0600`.
    static func append(_ entry: [String: Any], to log: ProjectContext.AuditLog) {
        let path = log.path
        do {
            var data = try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys, .withoutEscapingSlashes])
            data.append(0x0A)
            let fd: Int32
            do {
                if let folder = log.folder, let relative = log.relative {
                    fd = try ContainedPath.openForAppending(relative, under: folder)
                } else {
                    fd = try ContainedPath.openForAppending(path)
                }
            } catch { throw CommandFailure("\(error.path): \(error.message)") }
            defer { close(fd) }
            let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == data.count else { throw CommandFailure("short write") }
        } catch {
            Terminal.warn("keywarden: warning: cannot append to the audit log \(path): \(error)")
        }
    }
}
