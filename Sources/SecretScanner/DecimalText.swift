/// Fixed-point text for figures in summaries and progress lines. `String(format:)` would do, but its
/// first call costs a one-file scan about a millisecond of start-up.
public enum DecimalText {
    /// `value` (negative counts as 0) with `digits` decimals, rounded half up: `fixed(1.25, 1)` is "1.3".
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let units = Int((max(0, value) * Double(scale)).rounded())
        guard digits > 0 else { return String(units) }
        let fraction = String(units % scale)
        return "\(units / scale)." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
