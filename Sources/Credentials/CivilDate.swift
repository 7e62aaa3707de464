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
}
