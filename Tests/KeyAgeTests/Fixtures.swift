import Foundation
import Hashing
import KeyAge
import Testing

/// A date from `YYYY-MM-DD`; records an issue (and returns the epoch) when the text is not a date.
func day(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> CalendarDate {
    guard let d = CalendarDate(text) else {
        Issue.record("not a date: \(text)", sourceLocation: sourceLocation)
        return CalendarDate(daysSinceEpoch: 0)
    }
    return d
}

/// The fingerprint the scanner would give `secret` (no HMAC key in tests).
func fingerprint(_ secret: String) -> String { Fingerprinter(key: nil).fingerprint(secret) }

/// A tracked key with sensible defaults.
func trackedKey(_ id: String, env: String = "prod", provider: String = "maintainx", rotated: String = "2026-01-01",
                fingerprint fp: String? = nil, interval: RotationInterval? = nil, warnBefore: Int? = nil) -> TrackedKey {
    TrackedKey(id: id, provider: provider, environment: env, owner: "ops@example.com", created: day(rotated),
               interval: interval, warnBefore: warnBefore, fingerprint: fp)
}

/// Unix seconds of midnight UTC on `date`.
func unixSeconds(_ date: CalendarDate) -> Int { date.daysSinceEpoch * 86_400 }
