import Testing
@testable import NamedValues

/// One value is kept per place and normalized name, the first one seen: the same values, in the same order,
/// as a set of (offset, normalized name) pairs keeps.
@Suite struct FirstPerPlaceTests {
    func plain(_ found: [NamedValue]) -> [NamedValue] {
        var seen = Set<String>()
        return found.filter { seen.insert("\($0.range.lowerBound) \(NamedValue.normalize($0.name))").inserted }
    }

    @Test func theFirstValueOfEachPlaceAndNameIsKept() {
        let names = ["", "secret", "SECRET", "Secret", "api_key", "apiKey", "API-KEY", "token", "$token", "x"]
        var dropped = 0
        // Lists of every length up to 40, their places and names picked by steps that wrap at different lengths.
        for length in 0...40 {
            for step in 1...12 {
                let found = (0..<length).map { i in
                    let at = (i * step + length) % 11
                    return NamedValue(path: [], name: names[(i * (step + 3) + at) % names.count], value: "v\(i)", range: at..<(at + 1), derived: false)
                }
                let kept = NamedValues.firstPerPlace(found)
                #expect(kept == plain(found), "length \(length) step \(step)")
                dropped += found.count - kept.count
            }
        }
        #expect(dropped > 1000)
    }
}
