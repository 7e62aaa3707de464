/// CSV and TSV: each cell is named by its column's header.
enum Table {
    static func extract(_ b: [UInt8], tab: Bool) -> [NamedValue] {
        let sep: UInt8 = tab ? 9 : 44
        var out = [NamedValue]()
        var header = [String]()
        var i = 0
        let n = b.count
        var first = true
        while i < n {
            var end = i
            while end < n, b[end] != 10 { end += 1 }
            let cells = split(b, i..<end, sep)
            if first {
                header = cells.map { String(decoding: b[$0], as: UTF8.self).trimmingQuotes() }
                first = false
            } else {
                for (c, r) in cells.enumerated() where c < header.count && !r.isEmpty {
                    let v = String(decoding: b[r], as: UTF8.self).trimmingQuotes()
                    out.append(NamedValue(path: [], name: header[c], value: v, range: r, derived: false))
                }
            }
            i = end + 1
        }
        return out
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
