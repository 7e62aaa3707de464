import SystemSupport
internal import TOMLKit

/// Parses TOML text into plain `LedgerValue` tables: the only place that touches TOMLKit.
///
/// TOMLKit (toml++) keeps the keys of a table in sorted order and drops comments, so neither survives a
/// rewrite; arrays (and so the order of `[[keys]]`) do.
enum TOMLReading {
    /// The document's top-level table; a parse error names the file and line.
    static func parse(_ text: String, file: String) throws(KeyAgeError) -> [(String, LedgerValue)] {
        if let nul = text.firstIndex(of: "\0") {
            let line = text[..<nul].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            throw KeyAgeError(.malformedLedger, "not valid TOML: NUL character", file: file, line: line)
        }
        if let problem = TOMLPrecheck.problem(text) {
            throw KeyAgeError(.malformedLedger, "not valid TOML: \(problem.message)", file: file, line: problem.line)
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw KeyAgeError(.malformedLedger, "not valid TOML: \(e.description) (column \(e.source.begin.column))",
                              file: file, line: e.source.begin.line)
        } catch {
            throw KeyAgeError(.malformedLedger, "not valid TOML", file: file)
        }
        return pairs(table)
    }

    private static func pairs(_ table: TOMLTable) -> [(String, LedgerValue)] {
        table.map { ($0.0, value($0.1.tomlValue)) }
    }

    private static func value(_ v: TOMLValue) -> LedgerValue {
        switch v.type {
        case .string: return .string(v.string ?? "")
        case .int: return .integer(v.int ?? 0)
        case .double: return .float(v.double ?? 0)
        case .bool: return .boolean(v.bool ?? false)
        case .date:
            guard let d = v.date else { return .string("") }
            if let c = CalendarDate(year: d.year, month: d.month, day: d.day) { return .date(c) }
            return .dateTime(dateText(d))
        case .time:
            guard let t = v.time else { return .string("") }
            return .dateTime(timeText(t))
        case .dateTime:
            guard let dt = v.dateTime else { return .string("") }
            var s = dateText(dt.date) + "T" + timeText(dt.time)
            if let o = dt.offset?.offset {
                if o == 0 {
                    s += "Z"
                } else {
                    s += (o < 0 ? "-" : "+") + pad(abs(o) / 60, 2) + ":" + pad(abs(o) % 60, 2)
                }
            }
            return .dateTime(s)
        case .array:
            guard let a = v.array else { return .array([]) }
            return .array(a.map { value($0.tomlValue) })
        case .table:
            guard let t = v.table else { return .table([]) }
            return .table(pairs(t))
        }
    }

    private static func dateText(_ d: TOMLDate) -> String { pad(d.year, 4) + "-" + pad(d.month, 2) + "-" + pad(d.day, 2) }

    private static func timeText(_ t: TOMLTime) -> String {
        var s = pad(t.hour, 2) + ":" + pad(t.minute, 2) + ":" + pad(t.second, 2)
        if t.nanoSecond > 0 {
            var frac = pad(t.nanoSecond, 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            s += "." + frac
        }
        return s
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
