/// Lines whose syntax separates a name from its value by blanks alone, in the files where that syntax is
/// the rule: a Dockerfile's older `ENV NAME value` form (the value is the rest of the line, spaces included),
/// and configuration files in the manner of `redis.conf` or `sshd_config` (`requirepass value`,
/// `password<TAB>value`), where a line of exactly one name and one value is read as such. Lines with `=` or
/// `:` after the name are left to `Assignments`, which knows their sections.
enum BlankSeparated {
    enum Style: Equatable { case dockerfile, config }

    /// The style of a file from its lowercased path: Dockerfiles and Containerfiles (`Dockerfile`,
    /// `Dockerfile.dev`, `app.dockerfile`), and `.conf` / `.cfg` files.
    static func style(lowercasedPath lower: String) -> Style? {
        // (The last component found from the end: splitting the whole path cost a share of every scan.)
        let base = lower.utf8.lastIndex(of: 47).map { String(lower[lower.utf8.index(after: $0)...]) } ?? lower
        for stem in ["dockerfile", "containerfile"] {
            if base == stem || base.hasPrefix(stem + ".") || base.hasSuffix("." + stem) { return .dockerfile }
        }
        if base.hasSuffix(".conf") || base.hasSuffix(".cfg") { return .config }
        return nil
    }

    static func extract(_ b: [UInt8], style: Style) -> [NamedValue] {
        var out = [NamedValue]()
        for line in b.split(separator: 10, omittingEmptySubsequences: true) {
            let lineEnd = line.endIndex
            var k = skipBlanks(b, from: line.startIndex, to: lineEnd)
            if style == .dockerfile {
                // The instruction, in any case, then at least one blank.
                guard lineEnd - k > 4, b[k] | 0x20 == 101, b[k + 1] | 0x20 == 110, b[k + 2] | 0x20 == 118,
                      isBlank(b[k + 3]) else { continue }
                k = skipBlanks(b, from: k + 3, to: lineEnd)
            }
            guard k < lineEnd, isNameStart(b[k]) else { continue }
            let nameStart = k
            while k < lineEnd, isNameByte(b[k]) { k += 1 }
            let nameEnd = k
            // A blank must follow the name: `NAME=value` and `name: value` are assignments.
            guard k < lineEnd, isBlank(b[k]) else { continue }
            k = skipBlanks(b, from: k, to: lineEnd)
            guard k < lineEnd, b[k] != 61, b[k] != 58, b[k] != 35 else { continue }  // = : #
            var valueStart = k
            var valueEnd = lineEnd
            while valueEnd > valueStart, isBlank(b[valueEnd - 1]) || b[valueEnd - 1] == 13 { valueEnd -= 1 }
            if style == .dockerfile {
                // A value continued with `\` on the next line: only its first line is taken.
                if valueEnd > valueStart, b[valueEnd - 1] == 92 { valueEnd -= 1 }
                while valueEnd > valueStart, isBlank(b[valueEnd - 1]) { valueEnd -= 1 }
            } else if b[valueStart..<valueEnd].contains(where: isBlank) {
                // A configuration line of more than two words is a directive with arguments, or prose.
                continue
            }
            guard valueEnd > valueStart else { continue }
            if valueEnd - valueStart >= 2, b[valueStart] == 34 || b[valueStart] == 39, b[valueEnd - 1] == b[valueStart] {
                valueStart += 1
                valueEnd -= 1
            }
            let name = String(decoding: b[nameStart..<nameEnd], as: UTF8.self)
            let value = NamedValues.clean(String(decoding: b[valueStart..<valueEnd], as: UTF8.self))
            guard !value.isEmpty else { continue }
            out.append(NamedValue(path: [], name: name, value: value, range: valueStart..<valueEnd,
                                  derived: value.utf8.count != valueEnd - valueStart))
        }
        return out
    }

    private static func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 }
    private static func isNameStart(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 || c == 95 }
    private static func isNameByte(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= 48 && c <= 57) || c == 46 || c == 45
    }
    private static func skipBlanks(_ b: [UInt8], from: Int, to end: Int) -> Int {
        var k = from
        while k < end, isBlank(b[k]) { k += 1 }
        return k
    }
}
