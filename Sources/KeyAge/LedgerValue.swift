/// A TOML value held as plain Swift data: how the ledger keeps fields it does not know, so that a rewrite
/// by this version of keywarden loses nothing another version (or a person) put there.
public indirect enum LedgerValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// A local date, `2026-01-15`.
    case date(CalendarDate)
    /// A time, local date-time or offset date-time, kept in its TOML spelling.
    case dateTime(String)
    case array([LedgerValue])
    /// A table with its keys in order.
    case table([(String, LedgerValue)])

    public static func == (a: LedgerValue, b: LedgerValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.float(x), .float(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.boolean(x), .boolean(y)): return x == y
        case let (.date(x), .date(y)): return x == y
        case let (.dateTime(x), .dateTime(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.table(x), .table(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value as an inline TOML value (tables become inline tables).
    public var tomlText: String {
        switch self {
        case .string(let s): return Self.quoted(s)
        case .integer(let i): return String(i)
        case .float(let d):
            if d.isNaN { return "nan" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            let s = String(d)
            return s.contains(".") || s.contains("e") ? s : s + ".0"
        case .boolean(let b): return b ? "true" : "false"
        case .date(let d): return d.description
        case .dateTime(let s): return s
        case .array(let items): return "[" + items.map(\.tomlText).joined(separator: ", ") + "]"
        case .table(let pairs):
            if pairs.isEmpty { return "{}" }
            return "{ " + pairs.map { Self.key($0.0) + " = " + $0.1.tomlText }.joined(separator: ", ") + " }"
        }
    }

    /// A TOML key: bare when it can be, quoted otherwise.
    static func key(_ k: String) -> String {
        let bare = !k.isEmpty && k.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_"
        }
        return bare ? k : quoted(k)
    }

    /// A TOML basic string with the required escapes.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
