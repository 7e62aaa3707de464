import Foundation
import SecretRules

/// What happens to one input's findings after matching: overlapping findings of several rules become one,
/// and the two halves of a credential pair (a Mindtickle API key and secret key) close together become one finding
/// (`keywarden:allow` on either half's line allows the pair).
enum Postprocess {
    static func run(_ input: [Finding], lines: LineIndex, buffer: UnsafeRawBufferPointer, pairs: [CredentialPair]) -> [Finding] {
        guard !input.isEmpty else { return input }
        let sorted = input.sorted { ($0.offset, $0.ruleID) < ($1.offset, $1.ruleID) }
        var kept = [Finding]()
        var group = [Finding]()
        var groupEnd = -1
        func flush() {
            if var best = preferred(group, lines: lines) {
                // What the other rules learned about the access this secret gives is kept with the winner.
                for other in group { for k in AccessFacts.names where best.extra[k] == nil { best.extra[k] = other.extra[k] } }
                kept.append(best)
            }
            group.removeAll()
        }
        for f in sorted {
            let end = f.offset + f.secret.utf8.count
            if !group.isEmpty && f.offset >= groupEnd { flush() }
            if group.isEmpty { groupEnd = end } else { groupEnd = max(groupEnd, end) }
            group.append(f)
        }
        flush()
        // Pair halves on an allowed line were kept only for pairing; they, and pairs with one, go now.
        return pair(kept, pairs: pairs, buffer: buffer).filter { !$0.inlineAllowed }
    }

    /// Of findings that cover the same secret, the one to report: a provider-specific rule over a generic
    /// one, a rule whose provider is named on the line over one whose is not, then the higher severity, then
    /// the named rule that matched more of the value's key path.
    private static func preferred(_ group: [Finding], lines: LineIndex) -> Finding? {
        guard group.count > 1 else { return group.first }
        let first = group[0]
        let lineText = lines.lineText(containing: first.offset, upTo: first.offset + first.secret.utf8.count).lowercased()
        func score(_ f: Finding) -> (Int, Int, Int, Int, Int) {
            (f.provider == "generic" ? 0 : 1, lineText.contains(f.provider.lowercased()) ? 1 : 0,
             Severity.allCases.firstIndex(of: f.severity) ?? 0, f.nameDepth, f.secret.utf8.count)
        }
        return group.max { score($0) < score($1) }
    }

    /// For each credential pair of the rules (`[[pairs]]`), joins a key half and the nearest unused secret
    /// half within the pair's line distance into one finding under the pair's id: the secret half's value
    /// and place, the key's fingerprint as a related fingerprint, and the tenant found around them.
    static func pair(_ findings: [Finding], pairs: [CredentialPair], buffer: UnsafeRawBufferPointer) -> [Finding] {
        guard !pairs.isEmpty, findings.contains(where: { $0.pairMembership != nil }) else { return findings }
        var used = Set<Int>()
        var partners = [Int: (secret: Int, pair: CredentialPair)]()
        for pair in pairs {
            let keys = findings.indices.filter { findings[$0].pairMembership == PairMembership(id: pair.id, role: .key) }
            let secrets = findings.indices.filter { findings[$0].pairMembership == PairMembership(id: pair.id, role: .secret) }
            for k in keys {
                if let s = secrets.filter({ !used.contains($0) })
                    .min(by: { abs(findings[$0].line - findings[k].line) < abs(findings[$1].line - findings[k].line) }),
                   abs(findings[s].line - findings[k].line) <= pair.lines {
                    used.insert(s)
                    partners[k] = (s, pair)
                }
            }
        }
        var out = [Finding]()
        for (i, f) in findings.enumerated() where !used.contains(i) {
            guard let (s, definition) = partners[i] else {
                out.append(f)
                continue
            }
            let secret = findings[s]
            var pair = secret
            pair.ruleID = definition.id
            pair.ruleDescription = definition.description
            pair.provider = definition.provider
            pair.severity = definition.severity
            pair.verifier = definition.verifier
            pair.unverifiableReason = nil
            pair.pairMembership = nil
            pair.line = min(f.line, secret.line)
            pair.column = f.line <= secret.line ? f.column : secret.column
            pair.endLine = max(f.endLine, secret.endLine)
            pair.relatedFingerprints = [f.fingerprint]
            pair.extra["api_key_line"] = String(f.line)
            pair.extra["secret_key_line"] = String(secret.line)
            pair.offset = min(f.offset, secret.offset)
            pair.partnerSecret = f.secret
            pair.inlineAllowed = f.inlineAllowed || secret.inlineAllowed
            let end = max(f.offset + f.secret.utf8.count, secret.offset + secret.secret.utf8.count)
            if definition.tenant == "mindtickle", let tenant = MindtickleTenant.find(in: buffer, around: pair.offset..<end) {
                pair.extra["tenant"] = tenant
            }
            out.append(pair)
        }
        return out.sorted { $0.offset < $1.offset }
    }
}

import SecretRules
