/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (Howard Hinnant's `civil_from_days`),
/// shared by everything that turns a Unix time into a date: a MaintainX key's `iat`, a commit's date,
/// the key ledger's calendar dates.
public enum CivilDate {
    /// The year, month (1–12) and day (1–31) of the day `days` after 1970-01-01 (negative: before).
    public static func fromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Whole days since 1970-01-01 of a Unix time in seconds (rounding towards the past).
    public static func days(unixSeconds s: Int64) -> Int64 { s >= 0 ? s / 86_400 : (s - 86_399) / 86_400 }

    /// A Unix time as ISO 8601 in the given offset, e.g. `2024-03-01T12:00:00+01:00` (a commit's author
    /// date as reports print it).
    /// - Parameter offsetMinutes: the time zone, minutes east of UTC.
    public static func iso8601(unixSeconds: Int64, offsetMinutes: Int) -> String {
        let local = unixSeconds + Int64(offsetMinutes) * 60
        let dayNumber = days(unixSeconds: local)
        let seconds = local - dayNumber * 86_400
        let (year, month, day) = fromDays(dayNumber)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let offset = abs(offsetMinutes)
        let sign = offsetMinutes < 0 ? "-" : "+"
        return "\(year)-\(two(month))-\(two(day))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
            + "\(sign)\(two(Int64(offset / 60))):\(two(Int64(offset % 60)))"
    }
}
