/// Lines of plain-text notes and logs (`.txt`, `.log`) that label a value with words instead of an assignment:
/// `mailboxlayer SECRET v`, `deepgramKEY v`, `stripe token - 'v'`, `sanity auth token |v`,
/// `[DEBUG] Using alegra Key=v`. A line is read when one of its words names a key, token or secret
/// (`KEY`, `apiToken`, `client_secret`, `Key=`), and after that word come at most three more such words
/// (`ACCESS TOKEN`, `SECRET key`) or separators (`=`, `:`, `-`, `|`) and then exactly one more word, the last
/// of the line: the value. The words before the label (log tags such as `[DEBUG]` left out) are its path, so
/// a provider named there counts as it would in a key path. Prose does not fit: a label followed by other
/// words (`the key is ...`, `token expired at ...`) or ending the line gives nothing.
enum LabelledLines {
    /// Notes and logs; other files have syntaxes of their own, read by the other extractors.
    static func applies(lowercasedPath lower: String) -> Bool {
        lower.hasSuffix(".txt") || lower.hasSuffix(".log")
    }

    /// Last words of a name that label a secret value.
    static let labels: Set<String> = [
        "key", "keys", "token", "tokens", "secret", "secrets", "apikey", "apitoken", "secretkey", "privatekey", "accesskey",
        "accesstoken", "authtoken", "apisecret",
    ]
    /// Last words that label a key only right before the value and after a word naming whose key it is
    /// (`clockify PRIVATE v`, `weatherbitACCESS v`): the label stands for an access or private key, and the
    /// value's name says so (`PRIVATE_KEY`). Before other label words they stay continuations (`ACCESS TOKEN v`).
    static let keyLabels: Set<String> = ["access", "private"]
    /// Words that may continue a label before the value (`ACCESS TOKEN`, `SECRET key`, `api key`).
    static let continuations: Set<String> = labels.union(["access", "api", "private", "auth", "client", "app"])
    static let separators: Set<String> = ["=", ":", "-", ":=", "=>", "->", "|"]
    static let codeWords: Set<String> = ["export", "set", "setx", "ENV", "ARG", "const", "let", "var", "val", "def", "private", "public", "static", "final", "readonly", "declare", "local"]
    /// Longer lines are prose or data, not a labelled value.
    static let maxLine = 512

    static func extract(_ b: [UInt8]) -> [NamedValue] {
        var out = [NamedValue]()
        var start = 0
        while start < b.count {
            var end = start
            while end < b.count, b[end] != 10 { end += 1 }
            if end - start <= maxLine {
                if mentionsLabel(b, start..<end), let v = line(b, start..<end) {
                    out.append(v)
                } else {
                    out += unlabelled(b, start..<end)
                }
            }
            start = end + 1
        }
        return out
    }

    /// True when the line holds `key`, `token` or `secret` in any case: every label does (its last word is one
    /// of ``labels``, cut from the line's letters), so a line without them is not read word by word.
    static func mentionsLabel(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        b.withUnsafeBufferPointer { p in
            func at(_ i: Int, _ word: StaticString) -> Bool {
                let n = word.utf8CodeUnitCount
                guard i + n <= r.upperBound else { return false }
                let w = word.utf8Start
                for k in 1..<n where p[i + k] | 0x20 != w[k] { return false }
                return true
            }
            for i in r {
                switch p[i] | 0x20 {
                case 0x6B: if at(i, "key") { return true }   // k
                case 0x74: if at(i, "token") { return true }   // t
                case 0x73: if at(i, "secret") { return true }   // s
                case 0x61: if at(i, "access") { return true }   // a
                case 0x70: if at(i, "private") { return true }   // p
                default: break
                }
            }
            return false
        }
    }

    private static func line(_ b: [UInt8], _ r: Range<Int>) -> NamedValue? {
        var words = [Range<Int>]()
        var k = r.lowerBound
        while k < r.upperBound {
            while k < r.upperBound, isBlank(b[k]) { k += 1 }
            let s = k
            while k < r.upperBound, !isBlank(b[k]) { k += 1 }
            if k > s { words.append(s..<k) }
        }
        // Log tags (`[DEBUG]`, `[2024-01-01 10:00]`) and comment markers are not words of the line.
        words.removeAll { w in
            (b[w.lowerBound] == 91 && b[w.upperBound - 1] == 93) || text(b, w) == "#" || text(b, w) == "//"
        }
        guard words.count >= 2 || words.first.map({ inlineSplit(b, $0) != nil }) == true else { return nil }
        // Code and shell lines (`export X=v`, `set X=v`, `const x = v`) are assignments.
        if codeWords.contains(text(b, words[0])) { return nil }
        for (i, w) in words.enumerated() {
            var nameRange = w
            var inline: Range<Int>?
            if let split = inlineSplit(b, w) {
                nameRange = split.name
                inline = split.value.isEmpty ? nil : split.value
            }
            guard isNameLike(b, nameRange), let last = lastWord(text(b, nameRange)) else { continue }
            let keyLabel = !labels.contains(last) && keyLabels.contains(last)
            guard labels.contains(last) || keyLabel else { continue }
            // Only plain words may come before the label: a command with a URL or flags (`curl ... -d token=v`)
            // is read by the other extractors, which know its syntax.
            guard words[..<i].allSatisfy({ isNameLike(b, $0) && b[$0.lowerBound] != 45 }) else { return nil }
            var nameEnd = i
            var valueRange: Range<Int>
            if let inline {
                guard endsValue(b, after: w, lineEnd: r.upperBound) else { return nil }
                valueRange = inline
            } else {
                var j = i + 1, skipped = 0
                while j < words.count - 1, skipped < 3 {
                    let t = text(b, words[j])
                    if separators.contains(t) { j += 1; skipped += 1; continue }
                    // (A key label takes no continuation: in `ACCESS TOKEN v` the label is `TOKEN`.)
                    guard !keyLabel, isNameLike(b, words[j]), let lw = lastWord(t), continuations.contains(lw) else { break }
                    nameEnd = j
                    j += 1
                    skipped += 1
                }
                guard j < words.count, endsValue(b, after: words[j], lineEnd: r.upperBound) else {
                    if keyLabel { continue }
                    return nil
                }
                valueRange = words[j]
            }
            // A key label names the key of the word before it, or of the words it ends (`weatherbitACCESS`).
            if keyLabel, i == 0, !NamedValue.normalize(text(b, nameRange)).contains("_") { continue }
            // A separator written against the value (`|v`, `=v`, `:v`) is not part of it.
            while valueRange.count > 1, [61, 58, 124].contains(b[valueRange.lowerBound]) {
                valueRange = (valueRange.lowerBound + 1)..<valueRange.upperBound
            }
            var lo = valueRange.lowerBound, hi = valueRange.upperBound
            while hi > lo, [44, 59, 13].contains(b[hi - 1]) { hi -= 1 }  // , ; CR
            if hi - lo >= 2, b[lo] == 34 || b[lo] == 39, b[hi - 1] == b[lo] { lo += 1; hi -= 1 }
            guard hi - lo >= 8 else { return nil }
            let path = words[..<i].suffix(3).map { text(b, $0) }
            // A lone `name: value` or `NAME=value` is an assignment, read with its parents by `Assignments`.
            if path.isEmpty, inline != nil || separators.contains(text(b, words[min(i + 1, words.count - 1)])) || w != nameRange {
                return nil
            }
            let name = (i...nameEnd).map { $0 == i ? text(b, nameRange) : text(b, words[$0]) }.joined(separator: "_") + (keyLabel ? "_KEY" : "")
            return NamedValue(path: path, name: name, value: text(b, lo..<hi), range: lo..<hi, derived: false)
        }
        return nil
    }

    /// The values of a line that is a word and then values with no label between: `cloudsmith v`,
    /// `keenio 'v' keenio 'w'`, `websitepulse 'v' # prod`. The word (letters and digits, starting with a letter)
    /// is each value's name, marked ``NamedValue/unlabelled``: only rules that take their vendor's name alone
    /// judge such values. A value here is at least 12 bytes holding a digit (random keys nearly always do;
    /// the words of prose do not), so most lines of prose and logs give nothing; at most four per line.
    static func unlabelled(_ b: [UInt8], _ r: Range<Int>) -> [NamedValue] {
        var k = r.lowerBound
        while k < r.upperBound, isBlank(b[k]) { k += 1 }
        let nameStart = k
        guard k < r.upperBound, (b[k] | 0x20) >= 97, (b[k] | 0x20) <= 122 else { return [] }
        while k < r.upperBound, (b[k] | 0x20) >= 97 && (b[k] | 0x20) <= 122 || (b[k] >= 48 && b[k] <= 57) { k += 1 }
        let nameRange = nameStart..<k
        guard nameRange.count >= 3, nameRange.count <= 32, k < r.upperBound, isBlank(b[k]) else { return [] }
        let name = text(b, nameRange)
        var out = [NamedValue]()
        while out.count < 4 {
            while k < r.upperBound, isBlank(b[k]) { k += 1 }
            // The line's end, or a remark after the values (`# prod`, `(expires May)`, `| ...`, `// ...`).
            guard k < r.upperBound, ![35, 40, 47, 124].contains(b[k]) else { break }
            let s = k
            while k < r.upperBound, !isBlank(b[k]) { k += 1 }
            var lo = s, hi = k
            // The name again before the next value (`keenio 'v' keenio 'w'`).
            if b[lo..<hi].elementsEqual(b[nameRange]) { continue }
            while hi > lo, [44, 59, 13].contains(b[hi - 1]) { hi -= 1 }  // , ; CR
            if hi - lo >= 2, b[lo] == 34 || b[lo] == 39, b[hi - 1] == b[lo] { lo += 1; hi -= 1 }
            guard hi - lo >= 12, b[lo..<hi].contains(where: { $0 >= 48 && $0 <= 57 }),
                  !b[lo..<hi].contains(where: { $0 == 34 || $0 == 39 }) else { break }
            out.append(NamedValue(path: [], name: name, value: text(b, lo..<hi), range: lo..<hi, derived: false, unlabelled: true))
        }
        return out
    }

    /// True when the value word `w` ends what the line says: nothing but blanks, or a remark, follows it (a
    /// comment, `# prod`, `// staging`; a note in parentheses, `(expires May)`; more after `|` or `/`).
    static func endsValue(_ b: [UInt8], after w: Range<Int>, lineEnd: Int) -> Bool {
        var k = w.upperBound
        while k < lineEnd, isBlank(b[k]) { k += 1 }
        guard k < lineEnd, k > w.upperBound else { return k >= lineEnd }
        switch b[k] {
        case 35, 40: return true   // # (
        case 47, 124: return k + 1 < lineEnd && (isBlank(b[k + 1]) || b[k] == 47 && b[k + 1] == 47)   // `/ `, `//`, `| `
        default: return false
        }
    }

    /// `Key=value`, `token:value`, `Key=` (the value in the next word): the name and what follows its separator.
    private static func inlineSplit(_ b: [UInt8], _ w: Range<Int>) -> (name: Range<Int>, value: Range<Int>)? {
        guard let s = w.first(where: { b[$0] == 61 || b[$0] == 58 }), s > w.lowerBound else { return nil }
        return (w.lowerBound..<s, (s + 1)..<w.upperBound)
    }

    private static func lastWord(_ name: String) -> String? {
        NamedValue.normalize(name).split(separator: "_").last.map(String.init)
    }

    private static func isNameLike(_ b: [UInt8], _ w: Range<Int>) -> Bool {
        guard !w.isEmpty else { return false }
        return w.allSatisfy { k in
            let c = b[k]
            return (c | 0x20) >= 97 && (c | 0x20) <= 122 || (c >= 48 && c <= 57) || c == 95 || c == 46 || c == 45
        }
    }

    private static func text(_ b: [UInt8], _ r: Range<Int>) -> String { String(decoding: b[r], as: UTF8.self) }
    private static func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 }
}
