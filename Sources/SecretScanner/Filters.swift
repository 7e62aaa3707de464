/// Cheap tests that tell a real secret from the things that only look like one.
public enum Filters {
    /// Shannon entropy in bits per character of `bytes`.
    public static func entropy(_ bytes: some Collection<UInt8>) -> Double {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for b in bytes { counts[Int(b)] += 1 }
        let n = Double(bytes.count)
        var h = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / n
            h -= p * log2(p)
        }
        return h
    }

    /// Comments that mark a line as a known non-secret, ours and the ones peers use.
    public static let inlineAllowMarkers = ["keywarden:allow", "gitleaks:allow", "betterleaks:allow", "pragma: allowlist secret"]

    /// True when `line` carries an inline allow marker.
    public static func hasInlineAllow(_ line: String) -> Bool {
        inlineAllowMarkers.contains { ByteSearch.contains(line, $0) }
    }

    /// True for placeholders, references and dummy values (`your-api-key-here`, `${VAR}`, `xxxx`,
    /// `sk_live_***`, repeated or sequential characters) that documentation and config templates use.
    public static func isPlaceholder(_ secret: String) -> Bool { Placeholder.isPlaceholder(secret) }
}

import Credentials
import Foundation
