import KeyAge
import Testing

@Suite struct RotationIntervalTests {
    @Test(arguments: [("90", 0, 90), ("90d", 0, 90), ("P90D", 0, 90), ("p30d", 0, 30), ("P12W", 0, 84),
                      ("P3M", 3, 0), ("P1Y", 12, 0), ("P1Y2M3W4D", 14, 25)])
    func parses(text: String, months: Int, days: Int) throws {
        let i = try #require(RotationInterval(parsing: text))
        #expect(i.months == months && i.days == days)
    }

    @Test(arguments: ["", "0", "-5", "P", "P0D", "PT12H", "P1DT2H", "P1D1M", "ninety", "P90"])
    func refuses(text: String) {
        #expect(RotationInterval(parsing: text) == nil)
    }

    @Test func dueDates() throws {
        #expect(RotationInterval.standard.due(after: day("2026-01-01")) == day("2026-04-01"))
        let quarterly = try #require(RotationInterval(parsing: "P3M"))
        #expect(quarterly.due(after: day("2026-11-30")) == day("2027-02-28"))
        #expect(RotationInterval.standard.description == "90 days")
        #expect(quarterly.description == "P3M")
    }
}
