/// A value found under a name: `MAKINI_CLIENT_SECRET=...`, `makini: {webhook: {secret: ...}}`,
/// `os.getenv("X", "...")`, `-H "X-Api-Key: ..."`. Knows nothing of rules or vendors.
public struct NamedValue: Sendable, Equatable {
    /// The enclosing context, outermost first: INI/TOML sections, parent keys of YAML and JSON, code and
    /// HCL blocks, XML elements.
    public var path: [String]
    /// The name as written (a variable, key, header, flag, or the environment variable looked up).
    /// Empty for a split or escaped literal that has no name but was reassembled.
    public var name: String
    /// The value: unquoted, unescaped, split literals joined, a `Bearer ` scheme removed.
    public var value: String
    /// The bytes of the value (of its first piece, for a split value) in the scanned buffer.
    public var range: Range<Int>
    /// True when `value` is not the buffer's bytes at `range` (joined, unescaped, or decoded).
    public var derived: Bool
    /// True when `name` is a word written before the value with no label or operator between (`cloudsmith v`
    /// in notes): only rules that take their vendor's name alone before a value judge it.
    public var unlabelled: Bool

    public init(path: [String], name: String, value: String, range: Range<Int>, derived: Bool, unlabelled: Bool = false) {
        self.path = path
        self.name = name
        self.value = value
        self.range = range
        self.derived = derived
        self.unlabelled = unlabelled
    }

    /// `path` and `name` joined with dots, as a user would recognise it (`makini.webhook.secret`).
    public var keyPath: String { (path + (name.isEmpty ? [] : [name])).joined(separator: ".") }
}

extension NamedValue {
    /// A name in one spelling: lowercase words joined by `_` (`makiniClientSecret`, `makini-client-secret`
    /// and `MAKINI_CLIENT_SECRET` all become `makini_client_secret`). Leading `$`, `@`, `:` and dashes go.
    public static func normalize(_ name: String) -> String {
        // (Read in place: a copy of the name's bytes cost an array for every value of every file.)
        var name = name
        return name.withUTF8(normalize)
    }

    private static func normalize(_ u: UnsafeBufferPointer<UInt8>) -> String {
        guard !u.isEmpty else { return "" }
        // Written straight into the string (ASCII: at most an `_` and a letter per byte), so a short name,
        // nearly every one, costs no allocation.
        return String(unsafeUninitializedCapacity: 2 * u.count) { out in
            var count = 0
            var previous: UInt8 = 0
            func upper(_ i: Int) -> Bool { i < u.count && u[i] >= 65 && u[i] <= 90 }
            func lower(_ i: Int) -> Bool { i < u.count && u[i] >= 97 && u[i] <= 122 }
            var afterSingle = false
            for (i, c) in u.enumerated() {
                let isUpper = c >= 65 && c <= 90
                let isLower = c >= 97 && c <= 122
                let isDigit = c >= 48 && c <= 57
                if isUpper || isLower || isDigit {
                    let prevLower = (previous >= 97 && previous <= 122) || (previous >= 48 && previous <= 57)
                    // A single capital ending a word stays with it: `MaintainXWebhook` is maintainx_webhook.
                    let single = isUpper && prevLower && (i + 1 == u.count || (upper(i + 1) && lower(i + 2)) || !(upper(i + 1) || lower(i + 1)))
                    if isUpper, prevLower || afterSingle, !single, count > 0, out[count - 1] != 95 { out[count] = 95; count += 1 }
                    afterSingle = single
                    out[count] = isUpper ? c + 32 : c
                    count += 1
                } else {
                    afterSingle = false
                    if count > 0, out[count - 1] != 95 { out[count] = 95; count += 1 }
                }
                previous = c
            }
            while count > 0, out[count - 1] == 95 { count -= 1 }
            return count
        }
    }
}
