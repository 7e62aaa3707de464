/// CSV, TSV and Markdown tables: each cell is named by its column's header, or, in a table of names and values
/// (`name,value`, `| Variable | Value |`), by the row's name.
enum Table {
    static func extract(_ b: [UInt8], tab: Bool) -> [NamedValue] {
        let sep: UInt8 = tab ? 9 : 44
        var out = [NamedValue]()
        var header = [String]()
        var columns: (name: Int, value: Int)?
        var i = 0
        let n = b.count
        var first = true
        while i < n {
            var end = i
            while end < n, b[end] != 10 { end += 1 }
            let cells = split(b, i..<end, sep)
            if first {
                header = cells.map { String(decoding: b[$0], as: UTF8.self).trimmingQuotes() }
                columns = pairColumns(header)
                first = false
            } else {
                row(b, cells, header: header, columns: columns, into: &out)
            }
            i = end + 1
        }
        return out
    }

    /// Markdown tables: a header row, a delimiter row (`|---|:--:|`), then rows, each line opening with `|`.
    static func markdown(_ b: [UInt8]) -> [NamedValue] {
        guard b.contains(124) else { return [] }
        var out = [NamedValue]()
        var header: [String]?
        var columns: (name: Int, value: Int)?
        var previous: Range<Int>?
        var i = 0
        let n = b.count
        while i < n {
            var end = i
            while end < n, b[end] != 10 { end += 1 }
            var s = i
            while s < end, b[s] == 32 || b[s] == 9 { s += 1 }
            if s < end, b[s] == 124 {
                if let header {
                    row(b, pipeCells(b, s..<end), header: header, columns: columns, into: &out)
                } else if let h = previous, isDelimiterRow(b[s..<end]) {
                    let names = pipeCells(b, h).map { cellText(b, $0) }
                    header = names
                    columns = pairColumns(names)
                } else {
                    previous = s..<end
                }
            } else {
                header = nil
                columns = nil
                previous = nil
            }
            i = end + 1
        }
        return out
    }

    /// Header words of a column that names its row, and of one that holds the row's value.
    static let nameHeaders: Set<String> = ["name", "key", "variable", "var", "env", "env_var", "environment_variable",
                                           "parameter", "setting", "secret", "secret_name", "field"]
    static let valueHeaders: Set<String> = ["value", "secret_value", "val", "default", "default_value"]

    /// The name and value columns of a table of names and values (`name,value`; `Variable | Value`).
    private static func pairColumns(_ header: [String]) -> (name: Int, value: Int)? {
        let normalized = header.map(NamedValue.normalize)
        guard let name = normalized.firstIndex(where: nameHeaders.contains),
              let value = normalized.firstIndex(where: valueHeaders.contains), name < value else { return nil }
        return (name, value)
    }

    private static func row(_ b: [UInt8], _ cells: [Range<Int>], header: [String], columns: (name: Int, value: Int)?,
                            into out: inout [NamedValue]) {
        if let c = columns, c.value < cells.count {
            let name = cellText(b, cells[c.name])
            if Assignments.looksLikeName(name) || Assignments.recordLabel(of: name) {
                let r = trimmed(b, cells[c.value])
                let v = String(decoding: b[r], as: UTF8.self)
                if !v.isEmpty { out.append(NamedValue(path: [], name: name, value: v, range: r, derived: false)) }
                return
            }
        }
        for (c, r) in cells.enumerated() where c < header.count && !r.isEmpty {
            out.append(NamedValue(path: [], name: header[c], value: cellText(b, r), range: r, derived: false))
        }
    }

    /// A cell's text: without the blanks, quotes and backticks around it.
    private static func cellText(_ b: [UInt8], _ r: Range<Int>) -> String {
        String(decoding: b[trimmed(b, r)], as: UTF8.self)
    }

    /// `r` without the blanks, quotes and backticks around a cell's text.
    private static func trimmed(_ b: [UInt8], _ r: Range<Int>) -> Range<Int> {
        func around(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 96 || c == 34 || c == 39 || c == 13 }
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi, around(b[lo]) { lo += 1 }
        while hi > lo, around(b[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    /// The cells of a Markdown table row (the text between its `|`; an escaped `\|` is no separator).
    private static func pipeCells(_ b: [UInt8], _ r: Range<Int>) -> [Range<Int>] {
        var cells = [Range<Int>]()
        var start = r.lowerBound + 1
        var k = start
        while k < r.upperBound {
            if b[k] == 92 { k += 2; continue }
            if b[k] == 124 {
                cells.append(start..<k)
                start = k + 1
            }
            k += 1
        }
        var last = r.upperBound
        if last > start, b[last - 1] == 13 { last -= 1 }
        if last > start, b[start..<last].contains(where: { $0 != 32 && $0 != 9 }) { cells.append(start..<last) }
        return cells
    }

    private static func isDelimiterRow(_ line: ArraySlice<UInt8>) -> Bool {
        var dashes = 0
        for c in line {
            if c == 45 { dashes += 1 } else if c != 124 && c != 58 && c != 32 && c != 9 && c != 13 { return false }
        }
        return dashes >= 3
    }

    private static func split(_ b: [UInt8], _ r: Range<Int>, _ sep: UInt8) -> [Range<Int>] {
        var cells = [Range<Int>]()
        var start = r.lowerBound
        var quoted = false
        var k = r.lowerBound
        while k < r.upperBound {
            if b[k] == 34 { quoted.toggle() } else if b[k] == sep, !quoted {
                cells.append(start..<k)
                start = k + 1
            }
            k += 1
        }
        var last = r.upperBound
        if last > start, b[last - 1] == 13 { last -= 1 }
        cells.append(start..<max(start, last))
        return cells
    }
}

extension String {
    func trimmingQuotes() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\"" || f == "'" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\"" || l == "'" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
