import Foundation
public import Hashing
import SystemSupport
public import KeyAge

/// Fingerprints a team has declared not to be secrets (`.keywardenignore`), and findings already known
/// from an earlier report (`--baseline`). Both match on the secret's value, never on its position.
public struct Suppression: Sendable {
    public private(set) var ignored = Set<String>()
    /// The line of each ignored fingerprint (its first), for old-format warnings.
    public private(set) var ignoredLines: [String: Int] = [:]
    /// (rule id, fingerprint) pairs from a baseline report.
    public private(set) var baseline = Set<String>()

    public init() {}

    /// Ignore entries whose expiry date has passed: they no longer suppress anything.
    public private(set) var expired: [IgnoreEntry] = []

    /// Reads an ignore file: one fingerprint per line, optionally `expires=YYYY-MM-DD`, `#` starts a comment.
    /// A missing file is empty. An entry whose expiry date is before `today` does not suppress (it is listed
    /// in `expired`). Throws with the line number of a line that cannot be read.
    public mutating func loadIgnoreFile(_ path: String, today: CalendarDate = .today()) throws(ScanError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        for entry in try Self.entries(in: path) {
            if let expires = entry.expires, expires < today {
                expired.append(entry)
            } else {
                ignored.insert(entry.fingerprint)
                if ignoredLines[entry.fingerprint] == nil { ignoredLines[entry.fingerprint] = entry.line }
            }
        }
    }

    /// One line of an ignore file: `FINGERPRINT [expires=YYYY-MM-DD]  # reason`.
    public struct IgnoreEntry: Sendable, Equatable {
        public var fingerprint: String
        /// The last day the entry suppresses; nil: no expiry.
        public var expires: CalendarDate?
        public var reason: String
        /// 1-based line number in the file.
        public var line: Int

        public init(fingerprint: String, expires: CalendarDate?, reason: String, line: Int = 0) {
            self.fingerprint = fingerprint
            self.expires = expires
            self.reason = reason
            self.line = line
        }

        /// The entry as a line of the file.
        public var text: String {
            var out = fingerprint
            if let expires { out += " expires=\(expires)" }
            let comment = reason.replacingOccurrences(of: "\n", with: " ")
            if !comment.isEmpty { out += "  # \(comment)" }
            return out
        }

        /// Parses one line; nil for a blank or comment-only line.
        static func parse(_ raw: Substring, line: Int, path: String) throws(ScanError) -> IgnoreEntry? {
            let parts = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let tokens = (parts.first ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = tokens.first else { return nil }
            let value = String(first)
            guard Fingerprinter.isFingerprint(value) else {
                throw ScanError(.input, "\(path):\(line): not a fingerprint (expected 64 lowercase hex digits)")
            }
            var expires: CalendarDate?
            for token in tokens.dropFirst() {
                guard token.hasPrefix("expires="), let date = CalendarDate(token.dropFirst("expires=".count)) else {
                    throw ScanError(.input, "\(path):\(line): unexpected '\(token.prefix(40))' after the fingerprint "
                        + "(expected expires=YYYY-MM-DD or a # comment)")
                }
                expires = date
            }
            let reason = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            return IgnoreEntry(fingerprint: value, expires: expires, reason: reason, line: line)
        }
    }

    /// The entries of an ignore file, in order; a missing file has none.
    public static func entries(in path: String) throws(ScanError) -> [IgnoreEntry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScanError(.input, "\(path): cannot read the ignore file")
        }
        var out = [IgnoreEntry]()
        for (n, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let entry = try IgnoreEntry.parse(raw, line: n + 1, path: path) { out.append(entry) }
        }
        return out
    }

    /// Removes the entries for `fingerprint` from an ignore file, keeping every other line as it is.
    /// Returns the removed entries (none: the file is unchanged).
    public static func remove(fingerprint: String, from path: String) throws(ScanError) -> [IgnoreEntry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScanError(.input, "\(path): cannot read the ignore file")
        }
        var kept = [Substring]()
        var removed = [IgnoreEntry]()
        for (n, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let entry = try IgnoreEntry.parse(raw, line: n + 1, path: path), entry.fingerprint == fingerprint {
                removed.append(entry)
            } else {
                kept.append(raw)
            }
        }
        guard !removed.isEmpty else { return [] }
        try write(kept.joined(separator: "\n"), to: path)
        return removed
    }

    private static func write(_ text: String, to path: String) throws(ScanError) {
        do {
            try AtomicFile.write(text.utf8, to: path)
        } catch {
            throw ScanError(.output, "\(path): cannot write: \(error.reason)")
        }
    }

    /// Reads a JSON report written by `keywarden scan --format json`.
    public mutating func loadBaseline(_ path: String) throws(ScanError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScanError(.input, "\(path): cannot read the baseline report")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let findings = object["findings"] as? [[String: Any]] else {
            throw ScanError(.input, "\(path): not a keywarden JSON report (expected an object with \"findings\")")
        }
        for f in findings {
            if let rule = f["rule_id"] as? String, let fp = f["fingerprint"] as? String { baseline.insert(rule + "\u{0}" + fp) }
        }
    }

    /// An entry in keywarden 0.1's fingerprint form (plain SHA-256, or HMAC with the team key) that matched a
    /// finding: it still suppresses in this release, and `scan --migrate-fingerprints` rewrites it to `current`.
    public struct OldFormatMatch: Sendable, Hashable {
        public enum Place: Sendable, Hashable {
            /// The ignore file, at this line.
            case ignoreFile(line: Int)
            case baseline
        }
        public var place: Place
        public var old: String
        public var current: String
    }

    /// Splits findings into those to report and the number suppressed by each mechanism. With `fingerprinter`,
    /// an entry holding a finding's keywarden 0.1 fingerprint matches too, and is listed in `oldFormat`.
    public func apply(_ findings: [Finding], fingerprinter: Fingerprinter? = nil)
        -> (kept: [Finding], ignored: Int, baselined: Int, oldFormat: [OldFormatMatch]) {
        var kept = [Finding]()
        var ignoredCount = 0, baselined = 0
        var oldFormat = [OldFormatMatch]()
        let legacyFingerprinter = ignored.isEmpty && baseline.isEmpty ? nil : fingerprinter
        for f in findings {
            if ignored.contains(f.fingerprint) || f.relatedFingerprints.contains(where: ignored.contains) {
                ignoredCount += 1
                continue
            }
            let legacy = legacyFingerprinter.map { Self.legacyPairs(of: f, $0) } ?? []
            if let hit = legacy.first(where: { ignored.contains($0.old) }) {
                ignoredCount += 1
                oldFormat.append(OldFormatMatch(place: .ignoreFile(line: ignoredLines[hit.old] ?? 0), old: hit.old, current: hit.current))
            } else if baseline.contains(f.ruleID + "\u{0}" + f.fingerprint) {
                baselined += 1
            } else if let hit = legacy.first, baseline.contains(f.ruleID + "\u{0}" + hit.old) {
                baselined += 1
                oldFormat.append(OldFormatMatch(place: .baseline, old: hit.old, current: hit.current))
            } else {
                kept.append(f)
            }
        }
        return (kept, ignoredCount, baselined, oldFormat)
    }

    /// A finding's keywarden 0.1 fingerprints, each with the current one it stands for: its secret's, and its
    /// pair partner's (the related fingerprint). None for a finding without a secret (a config change).
    static func legacyPairs(of f: Finding, _ fingerprinter: Fingerprinter) -> [(old: String, current: String)] {
        guard !f.secret.isEmpty else { return [] }
        var out = [(old: fingerprinter.legacyFingerprint(f.secret), current: f.fingerprint)]
        if let partner = f.partnerSecret, !partner.isEmpty, f.relatedFingerprints.count == 1 {
            out.append((fingerprinter.legacyFingerprint(partner), f.relatedFingerprints[0]))
        }
        return out
    }

    /// Rewrites, in the file at `path` (an ignore file or a baseline report), each 64-hex-digit token that
    /// `replacements` maps; everything else stays as it is. Returns how many tokens changed (none: the file is
    /// not written).
    public static func migrate(_ path: String, replacements: [String: String]) throws(ScanError) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScanError(.input, "\(path): cannot read the file to migrate its fingerprints")
        }
        var bytes = [UInt8](data)
        var changed = 0
        func isHex(_ b: UInt8) -> Bool { (48...57).contains(b) || (97...102).contains(b) || (65...70).contains(b) }
        var i = 0
        while i + 64 <= bytes.count {
            guard isHex(bytes[i]), i == 0 || !isHex(bytes[i - 1]) else { i += 1; continue }
            var end = i
            while end < bytes.count, isHex(bytes[end]) { end += 1 }
            if end - i == 64, let new = replacements[String(decoding: bytes[i..<end], as: UTF8.self)] {
                bytes.replaceSubrange(i..<end, with: Array(new.utf8))
                changed += 1
            }
            i = end
        }
        if changed > 0 { try write(String(decoding: bytes, as: UTF8.self), to: path) }
        return changed
    }

    /// Appends a fingerprint with a reason to an ignore file, creating it when needed.
    /// A fingerprint already in the file with the same expiry changes nothing (its first reason stays); with
    /// another expiry date (a renewal) its entry is replaced.
    public static func append(fingerprint: String, reason: String, expires: CalendarDate? = nil, to path: String) throws(ScanError) {
        guard Fingerprinter.isFingerprint(fingerprint) else {
            throw ScanError(.input, "'\(fingerprint.prefix(80))' is not a fingerprint (expected 64 lowercase hex digits, as printed by scan)")
        }
        let entry = IgnoreEntry(fingerprint: fingerprint, expires: expires, reason: reason)
        var existing = ""
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ScanError(.input, "\(path): cannot read the ignore file")
            }
            existing = String(decoding: data, as: UTF8.self)
        }
        var lines = existing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var replaced = false
        for (n, raw) in lines.enumerated() {
            guard let old = try IgnoreEntry.parse(Substring(raw), line: n + 1, path: path), old.fingerprint == fingerprint else { continue }
            if old.expires == expires { return }
            lines[n] = entry.text
            replaced = true
            break
        }
        if !replaced { lines.append(entry.text) }
        try write(lines.joined(separator: "\n") + "\n", to: path)
    }
}
