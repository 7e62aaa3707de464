/// How a rule recognises its credential, for the provider table (`rules list --format providers`).
public enum RuleForm: String, Sendable, CaseIterable, Comparable {
    /// The secret starts with a fixed token prefix (`ghp_`, `AKIA`, `xoxb-`, `https://hooks.slack.com/`).
    case prefixed
    /// No prefix: the value is recognised by the provider's name next to it (a named-value rule, or a
    /// pattern that starts with the provider's name).
    case keyword = "keyword-anchored"
    /// The rule finds one half of a credential pair (`pair = { ... }`).
    case pair
    /// The rule flags a file by its path alone (key stores).
    case file

    public static func < (a: RuleForm, b: RuleForm) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }

    /// The forms of `rule`: its recognition form, plus `pair` when it is one half of a pair.
    public static func of(_ rule: Rule) -> [RuleForm] {
        var forms = [RuleForm]()
        if rule.named != nil {
            forms.append(.keyword)
        } else if let regex = rule.regex {
            forms.append(regexForm(regex, group: rule.secretGroup))
        } else if rule.path != nil {
            forms.append(.file)
        }
        if rule.pair != nil { forms.append(.pair) }
        return forms
    }

    /// A pattern's form: `prefixed` when the secret starts with (or is written right after) a literal token
    /// prefix of three characters or more, `keyword-anchored` when a word of three letters or more (the
    /// provider's name) must come before the secret, else `prefixed` too: the value's own shape identifies it
    /// (`123456789:AA...`, `<32 hex>-us12`), no name is needed.
    /// A name before the secret wins: `(?i)airtable[\\w.-]{0,24}key...(key[A-Za-z0-9]{14})` is keyword-anchored
    /// although its value starts with `key`.
    static func regexForm(_ regex: String, group: Int?) -> RuleForm {
        let chars = Array(regex.unicodeScalars)
        guard let open = openingOfGroup(group ?? 1, in: chars) else {
            return literalRun(chars, from: 0).length >= 3 || longestWord(chars, before: chars.count) < 3 ? .prefixed : .keyword
        }
        let adjacent = literalBefore(open, in: chars)
        if longestWord(chars, before: adjacent.start) >= 3 { return .keyword }
        return .prefixed
    }

    /// The longest run of literal ASCII letters in `chars[..<end]`, outside character classes, escapes and
    /// inline flags.
    static func longestWord(_ chars: [Unicode.Scalar], before end: Int) -> Int {
        var best = 0, run = 0, i = 0, inClass = false
        while i < end {
            let c = chars[i]
            if c == "\\" { run = 0; i += 2; continue }
            if inClass { if c == "]" { inClass = false }; i += 1; continue }
            if c == "[" { inClass = true; run = 0; i += 1; continue }
            if c == "(" && i + 1 < end && chars[i + 1] == "?" {
                // (?i) (?i: (?: (?<! ...: skip the group's opening up to ':' or ')' or the look-around sign
                var j = i + 2
                while j < end, chars[j].properties.isAlphabetic || chars[j] == "-" { j += 1 }
                run = 0
                i = j
                continue
            }
            if c.isASCII && c.properties.isAlphabetic {
                run += 1
                best = max(best, run)
            } else {
                run = 0
            }
            i += 1
        }
        return best
    }

    /// How many literal characters the secret's capture group (`group`, else the first capturing group, else
    /// the whole pattern) starts with, after look-arounds, anchors and word boundaries. For an alternation of
    /// literals (`(?:ghp|gho)_`), the shortest alternative counts.
    static func literalPrefixLength(ofGroup group: Int?, in regex: String) -> Int {
        let chars = Array(regex.unicodeScalars)
        guard let open = openingOfGroup(group ?? 1, in: chars) else { return literalRun(chars, from: 0).length }
        let inside = literalRun(chars, from: open + 1).length
        return inside >= 3 ? inside : max(inside, literalBefore(open, in: chars).length)
    }

    /// The literal token prefix written just before the secret's group (`\bacme_(...)`): the run of literal
    /// characters ending at `open`, counted only when it ends like a token prefix (`_`, `-`, `.`, `/`, `:`).
    static func literalBefore(_ open: Int, in chars: [Unicode.Scalar]) -> (length: Int, start: Int) {
        var i = open - 1, length = 0
        guard i >= 0, "_-./:".unicodeScalars.contains(chars[i]) else { return (0, open) }
        while i >= 0 {
            let c = chars[i]
            let escaped = i >= 1 && chars[i - 1] == "\\"
            if escaped, ".-_/:".unicodeScalars.contains(c) { length += 1; i -= 2; continue }
            if (c.isASCII && c.properties.isAlphabetic) || ("0"..."9").contains(c) || "_-/:".unicodeScalars.contains(c) {
                if i >= 1 && chars[i - 1] == "\\" { break }  // \b, \w, ...: not literal
                length += 1
                i -= 1
                continue
            }
            break
        }
        return length >= 3 ? (length, i + 1) : (0, open)
    }

    /// The index of the `(` that opens capturing group `n` (1-based), or nil.
    static func openingOfGroup(_ n: Int, in chars: [Unicode.Scalar]) -> Int? {
        var count = 0, i = 0, inClass = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if inClass { if c == "]" { inClass = false }; i += 1; continue }
            if c == "[" { inClass = true; i += 1; continue }
            if c == "(" {
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                let named = next == "?" && i + 2 < chars.count && (chars[i + 2] == "P" || chars[i + 2] == "<")
                    && !(i + 3 < chars.count && (chars[i + 3] == "=" || chars[i + 3] == "!"))
                if next != "?" || named {
                    count += 1
                    if count == n { return i }
                }
            }
            i += 1
        }
        return nil
    }

    /// The literal run starting at `i`: skips zero-width items, then counts literal characters; an
    /// alternation group of literals counts its shortest alternative and the run continues after it.
    static func literalRun(_ chars: [Unicode.Scalar], from start: Int) -> (length: Int, end: Int) {
        var i = start, length = 0
        func isLiteral(_ c: Unicode.Scalar) -> Bool {
            (c.properties.isAlphabetic && c.isASCII) || ("0"..."9").contains(c) || "_-:/@=,;%&#'\"~<>!".unicodeScalars.contains(c)
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\" && i + 1 < chars.count {
                let e = chars[i + 1]
                if e == "b" || e == "A" || e == "G" { i += 2; continue }  // zero-width
                if ".-_/:+?*()[]{}|$^#".unicodeScalars.contains(e) { length += 1; i += 2; continue }
                break
            }
            if c == "^" { i += 1; continue }
            if c == "(" {
                // look-around or inline flags: zero-width
                if i + 2 < chars.count, chars[i + 1] == "?" {
                    let k = chars[i + 2]
                    if k == "=" || k == "!" || (k == "<" && i + 3 < chars.count && (chars[i + 3] == "=" || chars[i + 3] == "!")) {
                        guard let close = closing(chars, from: i) else { break }
                        i = close + 1
                        continue
                    }
                    if k == "i" || k == "-" || k == "s" || k == "m" || k == "x" {
                        // (?i) alone, or (?i: ... ) group
                        var j = i + 2
                        while j < chars.count, chars[j] != ")" && chars[j] != ":" { j += 1 }
                        if j < chars.count, chars[j] == ")" { i = j + 1; continue }
                    }
                }
                // an alternation of literals, (?:a|b) or (a|b)
                guard let close = closing(chars, from: i) else { break }
                var bodyStart = i + 1
                if bodyStart < chars.count, chars[bodyStart] == "?" {
                    var j = bodyStart + 1
                    while j < close, chars[j] != ":" { j += 1 }
                    bodyStart = j + 1
                }
                let body = Array(chars[min(bodyStart, close)..<close])
                let alternatives = split(body)
                let lengths = alternatives.map { alt -> Int in
                    let run = literalRun(alt, from: 0)
                    return run.end == alt.count ? run.length : -1
                }
                guard !lengths.isEmpty, lengths.allSatisfy({ $0 >= 0 }) else {
                    // a group that is not all literal: count what its shortest branch starts with, then stop
                    length += alternatives.map { literalRun($0, from: 0).length }.min() ?? 0
                    return (length, i)
                }
                // an optional group (followed by ? or *) adds nothing certain
                if close + 1 < chars.count, chars[close + 1] == "?" || chars[close + 1] == "*" { return (length, i) }
                length += lengths.min() ?? 0
                i = close + 1
                continue
            }
            if isLiteral(c) {
                // a quantifier after it makes the character optional or repeated: stop counting there
                if i + 1 < chars.count, "?*{".unicodeScalars.contains(chars[i + 1]) { return (length, i) }
                length += 1
                i += 1
                continue
            }
            break
        }
        return (length, i)
    }

    static func closing(_ chars: [Unicode.Scalar], from open: Int) -> Int? {
        var depth = 0, i = open, inClass = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if inClass { if c == "]" { inClass = false }; i += 1; continue }
            if c == "[" { inClass = true } else if c == "(" { depth += 1 } else if c == ")" {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }

    /// The top-level alternatives of a group body.
    static func split(_ body: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var parts = [[Unicode.Scalar]](), current = [Unicode.Scalar](), depth = 0, i = 0, inClass = false
        while i < body.count {
            let c = body[i]
            if c == "\\", i + 1 < body.count { current += [c, body[i + 1]]; i += 2; continue }
            if inClass { if c == "]" { inClass = false } } else if c == "[" { inClass = true } else if c == "(" { depth += 1 } else if c == ")" { depth -= 1 } else if c == "|" && depth == 0 {
                parts.append(current)
                current = []
                i += 1
                continue
            }
            current.append(c)
            i += 1
        }
        parts.append(current)
        return parts
    }
}
