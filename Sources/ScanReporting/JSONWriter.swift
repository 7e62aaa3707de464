/// A small JSON builder that writes keys in the order given: faster than `JSONSerialization` (no boxing,
/// no key sorting through `AnyHashable`) and byte-for-byte deterministic.
public struct JSONWriter {
    public private(set) var text = ""
    private var needsComma = [false]
    private let indentUnit: String

    public init(pretty: Bool = true) {
        indentUnit = pretty ? "  " : ""
    }

    private var newline: String { indentUnit.isEmpty ? "" : "\n" }
    private var indent: String { String(repeating: indentUnit, count: needsComma.count - 1) }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
        if needsComma.count > 1 { text += newline + indent }
    }

    private mutating func key(_ k: String?) {
        separator()
        if let k { text += Self.quote(k) + (indentUnit.isEmpty ? ":" : ": ") }
    }

    public mutating func beginObject(_ k: String? = nil) { key(k); text += "{"; needsComma.append(false) }
    public mutating func endObject() { close("}") }
    public mutating func beginArray(_ k: String? = nil) { key(k); text += "["; needsComma.append(false) }
    public mutating func endArray() { close("]") }

    private mutating func close(_ bracket: String) {
        let hadItems = needsComma.removeLast()
        if hadItems { text += newline + indent }
        text += bracket
    }

    public mutating func string(_ k: String?, _ v: String) { key(k); text += Self.quote(v) }
    public mutating func int(_ k: String?, _ v: Int) { key(k); text += String(v) }
    public mutating func bool(_ k: String?, _ v: Bool) { key(k); text += v ? "true" : "false" }
    public mutating func double(_ k: String?, _ v: Double) { key(k); text += v.isFinite ? String(v) : "null" }
    public mutating func strings(_ k: String?, _ v: [String]) {
        beginArray(k)
        for s in v { string(nil, s) }
        endArray()
    }
    public mutating func dictionary(_ k: String?, _ v: [String: String]) {
        beginObject(k)
        for (name, value) in v.sorted(by: { $0.key < $1.key }) { string(name, value) }
        endObject()
    }

    /// `s` as a JSON string literal.
    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
