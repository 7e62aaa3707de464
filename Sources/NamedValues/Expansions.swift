/// Defaults inside variable expansions: shell `${X:-v}`, `${X-v}`, `${X:=v}`, and Spring `${x.y:v}`.
/// The value is named after the variable.
enum Expansions {
    static func extract(_ b: [UInt8]) -> [NamedValue] {
        var out = [NamedValue]()
        var i = 0
        let n = b.count
        while i + 3 < n {
            guard b[i] == 36, b[i + 1] == 123 else { i += 1; continue }
            var j = i + 2
            let nameStart = j
            while j < n, Tokenizer.isWordByte(b[j]) || b[j] == 46 || b[j] == 45 && j + 1 < n && b[j + 1] != 45 && Tokenizer.isWordByte(b[j + 1]) { j += 1 }
            let nameEnd = j
            guard nameEnd > nameStart, j < n else { i += 2; continue }
            var sepEnd = j
            if b[j] == 58, j + 1 < n, b[j + 1] == 45 || b[j + 1] == 61 { sepEnd = j + 2 } else if b[j] == 45 || b[j] == 58 || b[j] == 61 { sepEnd = j + 1 } else { i = j; continue }
            var k = sepEnd
            while k < n, k - sepEnd < 1024, b[k] != 125, b[k] != 10, b[k] != 36 { k += 1 }
            guard k < n, b[k] == 125 else { i = sepEnd; continue }
            var vs = sepEnd, ve = k
            if ve - vs >= 2, (b[vs] == 34 || b[vs] == 39), b[ve - 1] == b[vs] { vs += 1; ve -= 1 }
            if ve > vs {
                let name = String(decoding: b[nameStart..<nameEnd], as: UTF8.self)
                let value = String(decoding: b[vs..<ve], as: UTF8.self)
                out.append(NamedValue(path: [], name: name, value: NamedValues.clean(value), range: vs..<ve, derived: false))
            }
            i = k + 1
        }
        return out
    }
}
