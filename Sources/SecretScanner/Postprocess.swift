import Foundation
import Hashing

/// What happens to one input's findings after matching: overlapping findings of several rules become one,
/// and a Mindtickle API key and secret key close together become one key-pair finding.
enum Postprocess {
    /// Lines within which a Mindtickle API key and secret key count as one pair.
    static let pairDistance = 5

    static func run(_ input: [Finding], lines: LineIndex, buffer: UnsafeRawBufferPointer, fingerprinter: Fingerprinter) -> [Finding] {
        guard !input.isEmpty else { return input }
        let sorted = input.sorted { ($0.offset, $0.ruleID) < ($1.offset, $1.ruleID) }
        var kept = [Finding]()
        var group = [Finding]()
        var groupEnd = -1
        func flush() {
            if let best = preferred(group, lines: lines, buffer: buffer) { kept.append(best) }
            group.removeAll()
        }
        for f in sorted {
            let end = f.offset + f.secret.utf8.count
            if !group.isEmpty && f.offset >= groupEnd { flush() }
            if group.isEmpty { groupEnd = end } else { groupEnd = max(groupEnd, end) }
            group.append(f)
        }
        flush()
        return pairMindtickle(kept, buffer: buffer)
    }

    /// Of findings that cover the same secret, the one to report: a provider-specific rule over a generic
    /// one, a rule whose provider is named on the line over one whose is not, then the higher severity.
    private static func preferred(_ group: [Finding], lines: LineIndex, buffer: UnsafeRawBufferPointer) -> Finding? {
        guard group.count > 1 else { return group.first }
        let first = group[0]
        let bounds = lines.lineBounds(containing: first.offset, upTo: first.offset + first.secret.utf8.count)
        let lineText = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[bounds]), as: UTF8.self).lowercased()
        func score(_ f: Finding) -> (Int, Int, Int, Int) {
            (f.provider == "generic" ? 0 : 1, lineText.contains(f.provider.lowercased()) ? 1 : 0,
             Severity.allCases.firstIndex(of: f.severity) ?? 0, f.secret.utf8.count)
        }
        return group.max { score($0) < score($1) }
    }

    private static func pairMindtickle(_ findings: [Finding], buffer: UnsafeRawBufferPointer) -> [Finding] {
        let keys = findings.indices.filter { findings[$0].ruleID.hasPrefix("mindtickle-api-key") }
        let secrets = findings.indices.filter { findings[$0].ruleID.hasPrefix("mindtickle-secret-key") }
        guard !keys.isEmpty, !secrets.isEmpty else { return findings }
        var used = Set<Int>()
        var pairs = [Int: Int]()
        for k in keys {
            if let s = secrets.filter({ !used.contains($0) })
                .min(by: { abs(findings[$0].line - findings[k].line) < abs(findings[$1].line - findings[k].line) }),
               abs(findings[s].line - findings[k].line) <= pairDistance {
                used.insert(s)
                pairs[k] = s
            }
        }
        var out = [Finding]()
        for (i, f) in findings.enumerated() where !used.contains(i) {
            guard let s = pairs[i] else {
                out.append(f)
                continue
            }
            let secret = findings[s]
            var pair = secret
            pair.ruleID = "mindtickle-key-pair"
            pair.description = "Mindtickle API key and secret key together"
            pair.severity = .critical
            pair.line = min(f.line, secret.line)
            pair.column = f.line <= secret.line ? f.column : secret.column
            pair.endLine = max(f.endLine, secret.endLine)
            pair.relatedFingerprints = [f.fingerprint]
            pair.extra["api_key_line"] = String(f.line)
            pair.extra["secret_key_line"] = String(secret.line)
            pair.offset = min(f.offset, secret.offset)
            pair.partnerSecret = f.secret
            let end = max(f.offset + f.secret.utf8.count, secret.offset + secret.secret.utf8.count)
            if let tenant = MindtickleTenant.find(in: buffer, around: pair.offset..<end) { pair.extra["tenant"] = tenant }
            out.append(pair)
        }
        return out.sorted { $0.offset < $1.offset }
    }
}

import SecretRules
