import Credentials
import PatternMatching

/// What a credential gives access to, as the file says it: the host, user, database and port named by a
/// rule's regex groups (`(?<host>…)`) or found by its `context` patterns within a few lines of the finding.
/// They become `extra` facts of the finding (shown by every report format) and are given to the rule's
/// validator (WinSCP's obfuscation is keyed by user and host).
enum AccessFacts {
    /// The group names that are facts; other named groups are only structure.
    static let names = ["host", "user", "database", "port", "hash_type", "service"]

    /// `pattern` with its named groups made plain (`(?<host>` → `(`), for the prefilter, which numbers but
    /// does not need names. Look-behinds (`(?<=`, `(?<!`) stay.
    static func unnamed(_ pattern: String) -> String {
        // Over bytes: Foundation's string search over every rule's pattern (most have a look-behind, so most
        // took the loop) cost a one-file scan about 2 ms of start-up.
        let b = Array(pattern.utf8)
        var out = [UInt8]()
        out.reserveCapacity(b.count)
        var i = 0
        var changed = false
        while i < b.count {
            guard b[i] == 0x28, i + 1 < b.count, b[i + 1] == 0x3F else {   // "(?"
                out.append(b[i]); i += 1
                continue
            }
            var after = i + 2
            if after + 1 < b.count, b[after] == 0x50, b[after + 1] == 0x3C { after += 1 }   // "P<": the P goes
            if after < b.count, b[after] == 0x3C, let close = b[(after + 1)...].firstIndex(of: 0x3E),
               after + 1 < b.count, Self.startsName(b, at: after + 1) {
                out.append(0x28)
                i = close + 1
                changed = true
            } else {
                out += [0x28, 0x3F]
                changed = changed || after != i + 2
                i = after
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : pattern
    }

    /// Whether the character at byte `at` of `b` may start a group name: a letter or `_`.
    private static func startsName(_ b: [UInt8], at: Int) -> Bool {
        let c = b[at]
        if c < 0x80 { return (65...90).contains(c) || (97...122).contains(c) || c == 0x5F }
        guard let first = String(decoding: b[at...], as: UTF8.self).first else { return false }
        return first.isLetter
    }

    /// The facts named groups of `m` captured.
    static func groups(of regex: CompiledRegex, match m: RegexMatch, buffer: UnsafeRawBufferPointer) -> [String: String] {
        guard ByteSearch.contains(regex.pattern, "(?<") || ByteSearch.contains(regex.pattern, "(?P<") else { return [:] }
        var out = [String: String]()
        for name in names {
            guard let g = regex.groupNumber(named: name), g - 1 < m.groups.count, let r = m.groups[g - 1], !r.isEmpty else { continue }
            out[name] = clean(String(decoding: UnsafeRawBufferPointer(rebasing: buffer[r]), as: UTF8.self))
        }
        return out
    }

    /// Facts from `rule`'s context patterns within its `contextLines` lines of `range`; facts already known win.
    static func around(_ range: Range<Int>, rule: CompiledRule, buffer: UnsafeRawBufferPointer, scratch: MatchScratch,
                       into facts: inout [String: String]) {
        guard !rule.context.isEmpty else { return }
        let window = BufferScanner.window(around: range, lines: rule.rule.contextLines, in: buffer)
        for pattern in rule.context {
            // The nearest match before the value wins over a later one: a file lists a host, then its password.
            var best: (distance: Int, facts: [String: String])?
            try? pattern.forEachMatch(in: buffer, range: window, scratch: scratch) { m in
                let found = groups(of: pattern, match: m, buffer: buffer)
                guard !found.isEmpty else { return true }
                let distance = m.range.lowerBound <= range.lowerBound ? range.lowerBound - m.range.lowerBound
                    : (m.range.lowerBound - range.lowerBound) * 4
                if best == nil || distance < best!.distance { best = (distance, found) }
                return true
            }
            for (k, v) in best?.facts ?? [:] where facts[k] == nil { facts[k] = v }
        }
    }

    /// A fact as shown: quotes and brackets around it and control characters removed, at most 200 bytes.
    static func clean(_ raw: String) -> String {
        var v = Substring(raw)
        while let f = v.first, f == "\"" || f == "'" || f == " " { v = v.dropFirst() }
        while let l = v.last, l == "\"" || l == "'" || l == " " || l == "\r" { v = v.dropLast() }
        return String(String(v.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f }).prefix(200))
    }
}
