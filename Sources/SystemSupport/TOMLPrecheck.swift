/// Text that crashes the TOML parser keywarden uses (toml++ through TOMLKit) instead of failing: a table
/// header whose name starts with anything but a bare-key character or a quote (`[é]`, `[[[keys]]`,
/// ``[`x]``) trips an assertion in toml++'s key parser and aborts the process (found by fuzzing, issue 14).
/// Checked before any text reaches it: only at the start of a statement, not inside a multi-line string
/// or an array that spans lines.
public enum TOMLPrecheck {
    /// The 1-based line of the first such header, or nil.
    public static func crashingLine(_ text: String) -> Int? {
        var number = 0
        var multiline: String?   // the open multi-line string's delimiter
        var depth = 0            // brackets open from earlier lines (an array value)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let s = Array(line.unicodeScalars)
            var i = 0
            if multiline == nil, depth == 0 {
                // toml++ skips a byte-order mark at the start of the text.
                if number == 1, i < s.count, s[i] == "\u{FEFF}" { i += 1 }
                while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 }
                if i < s.count, s[i] == "[" {
                    var j = i + 1
                    if j < s.count, s[j] == "[" { j += 1 }
                    while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
                    guard j < s.count else { return number }
                    let c = s[j]
                    let bare = c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-")
                    if !(bare || c == "\"" || c == "'") { return number }
                }
            }
            // Follow strings and brackets to the end of the line.
            i = 0
            while i < s.count {
                if let delimiter = multiline {
                    if matches(s, i, delimiter) {
                        multiline = nil
                        i += 3
                    } else {
                        i += s[i] == "\\" && delimiter == "\"\"\"" ? 2 : 1
                    }
                    continue
                }
                let c = s[i]
                if c == "#" { break }
                if matches(s, i, "'''") || matches(s, i, "\"\"\"") {
                    multiline = c == "'" ? "'''" : "\"\"\""
                    i += 3
                    continue
                }
                if c == "\"" || c == "'" {
                    var j = i + 1
                    while j < s.count, s[j] != c { j += c == "\"" && s[j] == "\\" ? 2 : 1 }
                    i = j + 1
                    continue
                }
                if c == "[" || c == "{" { depth += 1 } else if c == "]" || c == "}" { depth = max(0, depth - 1) }
                i += 1
            }
            // A header line closes its own brackets; an inline table or array left open continues.
        }
        return nil
    }

    private static func matches(_ s: [Unicode.Scalar], _ i: Int, _ delimiter: String) -> Bool {
        let d = Array(delimiter.unicodeScalars)
        return i + d.count <= s.count && Array(s[i..<(i + d.count)]) == d
    }
}
