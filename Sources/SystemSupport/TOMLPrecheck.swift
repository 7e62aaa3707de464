/// Text that crashes the TOML parser keywarden uses (toml++ through TOMLKit) instead of failing. toml++
/// checks some of its expectations with `assert`, so two kinds of invalid TOML abort the process (found by
/// fuzzing, issue 14):
///
/// - a table header whose name starts with anything but a bare-key character or a quote (`[é]`,
///   `[[[keys]]`, ``[`x]``): an assertion in its key parser;
/// - an array element that starts with `}` or a Unicode line separator (U+2028, U+2029, U+0085):
///   `id = [ }` reaches `parse_value`, which asserts that it is not looking at a value terminator.
///
/// Both are always invalid TOML, so flagging them never refuses a valid file. The text is followed as
/// toml++ reads it (strings, multi-line strings, comments, arrays and inline tables across lines, `\r\n`
/// line ends), one Unicode scalar at a time.
public enum TOMLPrecheck {
    /// Where the text would crash toml++, and what to tell the user instead.
    public struct Problem: Equatable, Sendable {
        /// 1-based line.
        public let line: Int
        public let message: String
    }

    static let headerMessage = "a table name must start with a letter, digit, '_', '-' or a quote"
    static let elementMessage = "an array element must be a value (saw '}' or a line separator)"
    static let timeMessage = "a date followed by a space and a single digit is not a date-time"

    /// The first such place in `text`, or nil.
    public static func problem(_ text: String) -> Problem? {
        let s = Array(text.unicodeScalars)
        var line = 1
        var i = 0
        enum Open { case array, inlineTable, header }
        var open: [Open] = []
        var statementStart = true   // at the top level, nothing but blanks since the last line end
        var expectElement = false   // inside an array, right after '[' or ','
        // toml++ skips a byte-order mark at the start of the text.
        if i < s.count, s[i] == "\u{FEFF}" { i += 1 }
        while i < s.count {
            let c = s[i]
            if c == "\n" {
                line += 1
                i += 1
                if open.isEmpty { statementStart = true }
                continue
            }
            if c == " " || c == "\t" || c == "\r" {
                i += 1
                continue
            }
            if c == "#" {
                while i < s.count, s[i] != "\n" { i += 1 }
                continue
            }
            if expectElement {
                expectElement = false
                if c == "}" || c == "\u{2028}" || c == "\u{2029}" || c == "\u{85}" {
                    return Problem(line: line, message: elementMessage)
                }
            }
            if ("0"..."9").contains(c), i == 0 || !isValueScalar(s[i - 1]), lonePartialTime(s, i) {
                return Problem(line: line, message: timeMessage)
            }
            if statementStart, open.isEmpty, c == "[" {
                statementStart = false
                var j = i + 1
                if j < s.count, s[j] == "[" { j += 1 }
                while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
                guard j < s.count else { return Problem(line: line, message: headerMessage) }
                let k = s[j]
                let bare = k.isASCII && (k.properties.isAlphabetic || ("0"..."9").contains(k) || k == "_" || k == "-")
                if !(bare || k == "\"" || k == "'") { return Problem(line: line, message: headerMessage) }
                open.append(.header)
                i += 1
                continue
            }
            statementStart = false
            if let delimiter = multilineDelimiter(s, i) {
                i += 3
                while i < s.count, !matches(s, i, delimiter) {
                    if s[i] == "\\", delimiter == "\"", i + 1 < s.count {
                        i += 1   // an escape: the next scalar is taken as it is
                    }
                    if s[i] == "\n" { line += 1 }
                    i += 1
                }
                // The closing run may hold up to two more quotes, which belong to the string.
                var run = 0
                while i < s.count, s[i] == delimiter, run < 5 { i += 1; run += 1 }
                continue
            }
            if c == "\"" || c == "'" {
                i += 1
                while i < s.count, s[i] != c, s[i] != "\n" { i += c == "\"" && s[i] == "\\" && i + 1 < s.count && s[i + 1] != "\n" ? 2 : 1 }
                if i < s.count, s[i] == c { i += 1 }
                continue
            }
            switch c {
            case "[":
                if open.last == .header {
                    // the second bracket of `[[name]]`
                } else {
                    open.append(.array)
                    expectElement = true
                }
            case "{":
                open.append(.inlineTable)
            case "]", "}":
                if !open.isEmpty, !(c == "]" && open.last == .header && i + 1 < s.count && s[i + 1] == "]") {
                    open.removeLast()
                }
            case ",":
                if open.last == .array { expectElement = true }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// A value that toml++ takes for a date-time with a space instead of `T` but that ends one digit after
    /// the space (`1013-05-20 0 `): its scanner asserts on the terminator (found by the ledger fuzz target).
    /// toml++ reads ten value characters, `_` not counted, starting with a digit and `-` fifth and eighth (the
    /// others need not be digits: `2026-10-1= 6` aborted it too, found by a 30-minute ledger fuzz run); then a
    /// space, a digit, and a value terminator. Never valid TOML, so refusing every such value is safe.
    private static func lonePartialTime(_ s: [Unicode.Scalar], _ start: Int) -> Bool {
        var chars = [Unicode.Scalar]()
        var i = start
        while i < s.count, !isTerminator(s[i]), chars.count <= 10 {
            if s[i] != "_" { chars.append(s[i]) }
            i += 1
        }
        guard chars.count == 10, ("0"..."9").contains(chars[0]), chars[4] == "-", chars[7] == "-" else { return false }
        return i + 2 < s.count && s[i] == " " && ("0"..."9").contains(s[i + 1]) && isTerminator(s[i + 2])
    }

    /// toml++'s value terminators: whitespace (Unicode's too), `]`, `}`, `,` and `#`.
    private static func isTerminator(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}"..."\u{200A}",
             "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", "]", "}", ",", "#":
            return true
        default:
            return false
        }
    }

    /// A scalar that continues a bare key or a value (so a digit after it does not start a value).
    private static func isValueScalar(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "_-+.:".unicodeScalars.contains(c))
    }

    /// The delimiter of a multi-line string starting at `i` (`"` for `"""`, `'` for `'''`), or nil.
    private static func multilineDelimiter(_ s: [Unicode.Scalar], _ i: Int) -> Unicode.Scalar? {
        guard i + 2 < s.count, s[i] == "\"" || s[i] == "'", s[i + 1] == s[i], s[i + 2] == s[i] else { return nil }
        return s[i]
    }

    private static func matches(_ s: [Unicode.Scalar], _ i: Int, _ delimiter: Unicode.Scalar) -> Bool {
        i + 2 < s.count && s[i] == delimiter && s[i + 1] == delimiter && s[i + 2] == delimiter
    }
}
