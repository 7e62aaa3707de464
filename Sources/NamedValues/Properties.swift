/// Java `.properties`: `key=value`, `key: value`, `key value`, and values continued with a trailing `\`.
enum Properties {
    static func extract(_ b: [UInt8]) -> [NamedValue] {
        var out = [NamedValue]()
        var i = 0
        let n = b.count
        while i < n {
            var lineEnd = i
            while lineEnd < n, b[lineEnd] != 10 { lineEnd += 1 }
            var k = i
            while k < lineEnd, b[k] == 32 || b[k] == 9 { k += 1 }
            defer { i = lineEnd + 1 }
            guard k < lineEnd, b[k] != 35, b[k] != 33 else { continue }
            let keyStart = k
            while k < lineEnd, b[k] != 61, b[k] != 58, b[k] != 32, b[k] != 9 {
                if b[k] == 92 { k += 1 }
                k += 1
            }
            let keyEnd = min(k, lineEnd)
            while k < lineEnd, b[k] == 32 || b[k] == 9 { k += 1 }
            if k < lineEnd, b[k] == 61 || b[k] == 58 { k += 1 }
            while k < lineEnd, b[k] == 32 || b[k] == 9 { k += 1 }
            guard keyEnd > keyStart, k < lineEnd else { continue }
            var value = [UInt8]()
            var valueStart = k
            var firstEnd = lineEnd
            var end = lineEnd
            var derived = false
            var from = k
            while true {
                var stop = end
                while stop > from, b[stop - 1] == 13 || b[stop - 1] == 32 { stop -= 1 }
                if stop > from, b[stop - 1] == 92, end < n {
                    value += b[from..<(stop - 1)]
                    derived = true
                    if firstEnd == lineEnd, stop - 1 > from { firstEnd = stop - 1 }
                    var next = end + 1
                    while next < n, b[next] == 32 || b[next] == 9 { next += 1 }
                    var nextEnd = next
                    while nextEnd < n, b[nextEnd] != 10 { nextEnd += 1 }
                    from = next
                    end = nextEnd
                    continue
                }
                value += b[from..<stop]
                if !derived || firstEnd == lineEnd {
                    if derived, firstEnd == lineEnd { valueStart = from }
                    firstEnd = stop
                }
                break
            }
            if derived { lineEnd = end }
            guard !value.isEmpty, firstEnd > valueStart else { continue }
            let name = String(decoding: b[keyStart..<keyEnd], as: UTF8.self)
            out.append(NamedValue(path: [], name: name, value: String(decoding: value, as: UTF8.self), range: valueStart..<firstEnd, derived: derived))
        }
        return out
    }
}
