import KeyAge
import Testing

@Suite struct CalendarDateTests {
    @Test func parsesOnlyRealDays() {
        #expect(CalendarDate("2026-01-15")?.description == "2026-01-15")
        #expect(CalendarDate("2028-02-29") != nil)
        #expect(CalendarDate("2026-02-29") == nil)
        #expect(CalendarDate("2100-02-29") == nil)
        #expect(CalendarDate("2000-02-29") != nil)
        #expect(CalendarDate("2026-13-01") == nil)
        #expect(CalendarDate("2026-1-15") == nil)
        #expect(CalendarDate("20260115") == nil)
        #expect(CalendarDate("2026-01-15T00:00:00Z") == nil)
    }

    @Test func leapYears() {
        #expect(CalendarDate.isLeap(2028))
        #expect(CalendarDate.isLeap(2000))
        #expect(!CalendarDate.isLeap(2100))
        #expect(!CalendarDate.isLeap(2027))
        #expect(day("2028-02-28").adding(days: 1) == day("2028-02-29"))
        #expect(day("2027-02-28").adding(days: 1) == day("2027-03-01"))
        #expect(day("2028-01-01").days(until: day("2029-01-01")) == 366)
        #expect(day("2027-01-01").days(until: day("2028-01-01")) == 365)
    }

    @Test func epochDaysRoundTrip() {
        #expect(CalendarDate(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(day("2026-11-23").daysSinceEpoch == 20_780)
        for n in stride(from: -800_000, through: 2_900_000, by: 997) {
            #expect(CalendarDate(daysSinceEpoch: n).daysSinceEpoch == n)
        }
    }

    @Test func monthsClampToTheEndOfShorterMonths() {
        #expect(day("2026-01-31").adding(months: 1) == day("2026-02-28"))
        #expect(day("2028-01-31").adding(months: 1) == day("2028-02-29"))
        #expect(day("2026-11-30").adding(months: 3) == day("2027-02-28"))
        #expect(day("2026-05-15").adding(months: 12) == day("2027-05-15"))
    }

    @Test func unixSecondsAreUTC() {
        #expect(CalendarDate(unixSeconds: 0) == day("1970-01-01"))
        #expect(CalendarDate(unixSeconds: 1_735_689_600) == day("2025-01-01"))
        #expect(CalendarDate(unixSeconds: 1_735_689_599) == day("2024-12-31"))
        #expect(CalendarDate(unixSeconds: -1) == day("1969-12-31"))
    }

    @Test func basicFormatAndOrder() {
        #expect(day("2027-01-04").basicFormat == "20270104")
        #expect(day("2026-12-31") < day("2027-01-01"))
    }
}
