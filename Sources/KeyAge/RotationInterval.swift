import Foundation

/// How often a key must be rotated: whole days, or an ISO 8601 duration (`P90D`, `P12W`, `P3M`, `P1Y`).
///
/// Months and years are calendar months (a key rotated on Jan 31 with `P1M` is due on the last day of
/// February); days and weeks are exact days.
public struct RotationInterval: Sendable, Hashable, CustomStringConvertible {
    /// Calendar months (years count as 12).
    public let months: Int
    /// Days (weeks count as 7).
    public let days: Int
    /// The ISO 8601 text when the ledger spelled it that way, so that a rewrite keeps it.
    public let isoText: String?

    /// keywarden's default: 90 days.
    public static let standard = RotationInterval(days: 90)

    /// An interval of `days` days.
    public init(days: Int) {
        self.init(months: 0, days: days, isoText: nil)
    }

    private init(months: Int, days: Int, isoText: String?) {
        self.months = months
        self.days = days
        self.isoText = isoText
    }

    /// The longest interval keywarden accepts: 100 years (a longer one is a typo, and date arithmetic on it
    /// would overflow).
    public static let maximumDays = 36_525
    public static let maximumMonths = 1_200

    /// Parses a whole number of days (`90`, `90d`) or an ISO 8601 date duration (`P90D`, `P1Y2M3W4D`);
    /// nil for anything else, a zero interval or one longer than 100 years. Time parts (`PT12H`) are
    /// refused: keys age in days.
    public init?(parsing raw: some StringProtocol) {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let n = Int(text.hasSuffix("d") ? String(text.dropLast()) : text) {
            guard n > 0, n <= Self.maximumDays else { return nil }
            self.init(days: n)
            return
        }
        let upper = text.uppercased()
        guard upper.hasPrefix("P"), upper.count > 1 else { return nil }
        var months = 0, days = 0, number = ""
        var lastUnit = -1
        let units: [Character] = ["Y", "M", "W", "D"]
        for c in upper.dropFirst() {
            if c.isASCII, c.isNumber { number.append(c); continue }
            guard let unit = units.firstIndex(of: c), unit > lastUnit, let n = Int(number), n <= Self.maximumDays else { return nil }
            switch c {
            case "Y": months += n * 12
            case "M": months += n
            case "W": days += n * 7
            default: days += n
            }
            guard months <= Self.maximumMonths, days <= Self.maximumDays else { return nil }
            lastUnit = unit
            number = ""
        }
        guard number.isEmpty, months + days > 0 else { return nil }
        self.init(months: months, days: days, isoText: upper)
    }

    /// The due date of a key rotated on `date`.
    public func due(after date: CalendarDate) -> CalendarDate {
        date.adding(months: months).adding(days: days)
    }

    /// `90 days`, or the ISO text.
    public var description: String { isoText ?? (days == 1 ? "1 day" : "\(days) days") }
}
