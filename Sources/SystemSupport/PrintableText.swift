/// Text from a scanned repository (file and link names, commit authors and messages, config keys) made
/// safe to print for people: it cannot move the cursor, recolour or clear a terminal, or start a line of
/// its own (a GitHub workflow command such as `::error file=…::` is read from any line of a CI log).
public enum PrintableText {
    /// `text` with every C0 control character (newline and tab included), DEL, every C1 control
    /// (U+0080–U+009F) and the Unicode line and paragraph separators written as `\n`, `\t`, `\r` or
    /// `\u{…}`; a backslash stays as it is.
    public static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x00...0x1F, 0x7F, 0x80...0x9F, 0x2028, 0x2029:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A whole message keywarden is about to print (it may hold its own newlines and, when colour is on,
    /// its own SGR colour codes `ESC [ digits ; … m`): every other control character is escaped, and a
    /// line that would start with `::` is indented so that it can never be a workflow command.
    public static func sanitizeMessage(_ message: String) -> String {
        var out = ""
        var scalars = Array(message.unicodeScalars)[...]
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            if scalar == "\u{1B}", let length = sgrLength(scalars) {
                out.unicodeScalars.append(scalar)
                out.unicodeScalars.append(contentsOf: scalars.prefix(length))
                scalars = scalars.dropFirst(length)
                continue
            }
            if scalar == "\n" {
                out.unicodeScalars.append(scalar)
                continue
            }
            out += escape(String(scalar))
        }
        return neutralizeWorkflowCommands(out)
    }

    /// Each line starting with `::` (after any colour codes) gets one leading space.
    public static func neutralizeWorkflowCommands(_ text: String) -> String {
        guard text.contains("::") else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var rest = Substring(line)
            while rest.hasPrefix("\u{1B}["), let m = rest.firstIndex(of: "m") { rest = rest[rest.index(after: m)...] }
            return rest.hasPrefix("::") ? " " + line : String(line)
        }.joined(separator: "\n")
    }

    /// The length of `[ digits/; m` after an ESC, when that is what follows.
    private static func sgrLength(_ rest: ArraySlice<Unicode.Scalar>) -> Int? {
        guard rest.first == "[" else { return nil }
        var n = 1
        for scalar in rest.dropFirst() {
            n += 1
            if scalar == "m" { return n }
            guard ("0"..."9").contains(scalar) || scalar == ";", n < 24 else { return nil }
        }
        return nil
    }
}
