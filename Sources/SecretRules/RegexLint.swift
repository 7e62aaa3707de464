/// A static look at a rule's regex for the shapes that backtrack catastrophically: a repeated group
/// (`(…)+`, `(…)*`, `(…){n,}`) whose body can itself match in more than one way, because it holds an
/// unbounded quantifier (`(a+)+`) or an alternation (`(a|aa)+`). PCRE2 bounds each match attempt, but a
/// rule of that shape costs minutes per megabyte (issue 14); `rules check` warns about it.
public enum RegexLint {
    /// A description of the first nested quantifier in `regex`, or nil.
    public static func nestedQuantifier(in regex: String) -> String? {
        let s = Array(regex.unicodeScalars)
        // For each open group: its start, whether its body has an unbounded quantifier or a `|`.
        var stack: [(start: Int, unbounded: Bool, alternation: Bool)] = []
        var i = 0
        var inClass = false
        func unboundedQuantifier(at j: Int) -> Bool {
            guard j < s.count else { return false }
            if s[j] == "+" || s[j] == "*" { return true }
            if s[j] == "{" {
                var k = j + 1
                var sawComma = false, digitsAfterComma = false
                while k < s.count, s[k] != "}" {
                    if s[k] == "," { sawComma = true } else if sawComma, ("0"..."9").contains(s[k]) { digitsAfterComma = true }
                    k += 1
                }
                return k < s.count && sawComma && !digitsAfterComma
            }
            return false
        }
        while i < s.count {
            let c = s[i]
            if c == "\\" {
                i += 2
                if i - 1 < s.count, unboundedQuantifier(at: i), !stack.isEmpty { stack[stack.count - 1].unbounded = true }
                continue
            }
            if inClass {
                if c == "]" {
                    inClass = false
                    if unboundedQuantifier(at: i + 1), !stack.isEmpty { stack[stack.count - 1].unbounded = true }
                }
                i += 1
                continue
            }
            switch c {
            case "[":
                inClass = true
                if i + 1 < s.count, s[i + 1] == "]" { i += 1 }
                if i + 1 < s.count, s[i + 1] == "^", i + 2 < s.count, s[i + 2] == "]" { i += 2 }
            case "(":
                stack.append((i, false, false))
            case "|":
                if !stack.isEmpty { stack[stack.count - 1].alternation = true }
            case ")":
                guard let group = stack.popLast() else { break }
                if unboundedQuantifier(at: i + 1) || (i + 1 < s.count && s[i + 1] == "{" && repeatsMany(s, i + 1)) {
                    if (group.unbounded && firstTokenRepeats(s, from: group.start + 1, to: i)) || (group.alternation && overlappingAlternatives(s, from: group.start + 1, to: i)) {
                        let text = String(String.UnicodeScalarView(s[group.start...min(i + 1, s.count - 1)]))
                        return "nested quantifier: the repeated group \(text) can match the same text in more than one way "
                            + "(catastrophic backtracking); make the inner part possessive or atomic, or bound it"
                    }
                }
                // What the group did counts for the group around it; a quantified group is unbounded there.
                if !stack.isEmpty {
                    if group.unbounded || unboundedQuantifier(at: i + 1) { stack[stack.count - 1].unbounded = true }
                }
            default:
                if unboundedQuantifier(at: i + 1), c != "(", !stack.isEmpty, c != "+", c != "*", c != "?" {
                    stack[stack.count - 1].unbounded = true
                }
            }
            i += 1
        }
        return nil
    }

    /// Whether two top-level alternatives of the group body `s[from..<to]` can start with the same text
    /// (`a|aa`, `x|xy`): then a repetition of the group can split the same input in many ways. Alternatives
    /// that start differently (`\s|\\[rn]`) cannot.
    private static func overlappingAlternatives(_ s: [Unicode.Scalar], from: Int, to: Int) -> Bool {
        var i = from
        if i < to, s[i] == "?" {
            // (?:  (?<name>  (?P<name>  (?i:
            while i < to, s[i] != ":", s[i] != ">" { i += 1 }
            i += 1
        }
        var firsts: [String] = []
        var atStart = true
        var depth = 0
        var inClass = false
        while i < to {
            let c = s[i]
            var token = String(c)
            var length = 1
            if c == "\\", i + 1 < to {
                token = "\\" + String(s[i + 1])
                length = 2
            } else if c == "[", !inClass {
                var k = i + 1
                if k < to, s[k] == "]" { k += 1 }
                while k < to, s[k] != "]" { k += s[k] == "\\" ? 2 : 1 }
                token = String(String.UnicodeScalarView(s[i...min(k, to - 1)]))
                length = k - i + 1
            }
            if atStart {
                if c == "(" || c == "|" { return true }   // a group or an empty alternative first: assume the worst
                if firsts.contains(token) || token == "." || token == "\\w" && firsts.contains(where: { $0.count == 1 }) { return true }
                firsts.append(token)
                atStart = false
            }
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 } else if c == "|", depth == 0 { atStart = true }
            i += length
        }
        return false
    }

    /// Whether the group body `s[from..<to]` starts with a repeated or optional element (`a+…`, `\\w*…`,
    /// `(ab)*…`): then one repetition of the group can end where the next begins, in many ways. A body
    /// that starts with something fixed (`Proc-Type: …\\s+`) cannot.
    private static func firstTokenRepeats(_ s: [Unicode.Scalar], from: Int, to: Int) -> Bool {
        var i = from
        if i < to, s[i] == "?" {
            while i < to, s[i] != ":", s[i] != ">" { i += 1 }
            i += 1
        }
        guard i < to else { return false }
        var end = i + 1
        if s[i] == "\\" {
            end = i + 2
        } else if s[i] == "[" {
            var k = i + 1
            if k < to, s[k] == "]" { k += 1 }
            while k < to, s[k] != "]" { k += s[k] == "\\" ? 2 : 1 }
            end = k + 1
        } else if s[i] == "(" {
            var depth = 0, k = i
            while k < to {
                if s[k] == "\\" { k += 2; continue }
                if s[k] == "(" { depth += 1 } else if s[k] == ")" { depth -= 1; if depth == 0 { break } }
                k += 1
            }
            end = k + 1
        }
        guard end < to else { return false }
        if s[end] == "+" || s[end] == "*" || s[end] == "?" { return true }
        if s[end] == "{" {
            var k = end + 1
            var text = ""
            while k < to, s[k] != "}" { text.unicodeScalars.append(s[k]); k += 1 }
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            return parts.count == 2 && (parts[1].isEmpty || parts[0] == "0" || (Int(parts[1]) ?? 0) > 16)
        }
        return false
    }

    /// `{n,m}` with m above 16 counts as many repetitions.
    private static func repeatsMany(_ s: [Unicode.Scalar], _ j: Int) -> Bool {
        var k = j + 1
        var text = ""
        while k < s.count, s[k] != "}" { text.unicodeScalars.append(s[k]); k += 1 }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let high = Int(parts[1]) else { return false }
        return high > 16
    }
}

extension RegexLint {
    /// The first repetition in `regex` with no upper bound (`+`, `*`, `{n,}`), with what it repeats
    /// (`[a-z]+`), or nil when every repetition is bounded (`{40}`, `{20,40}`, `?`). Characters inside a
    /// class (`[A-Za-z0-9+/]`) and escaped ones (`\+`) are no repetition; a `+` after a quantifier
    /// (`{4}+`, `?+`) makes it possessive, which changes nothing of its bound.
    public static func openRepeat(in regex: String) -> String? {
        let s = Array(regex.unicodeScalars)
        var i = 0
        var atomStart: Int?   // where the last atom (what a quantifier would repeat) starts
        var groups: [Int] = []
        var afterQuantifier = false
        func text(_ from: Int, _ to: Int) -> String { String(String.UnicodeScalarView(s[from..<min(to, s.count)])) }
        while i < s.count {
            let c = s[i]
            switch c {
            case "\\":
                atomStart = i
                afterQuantifier = false
                i += min(2, s.count - i)
                continue
            case "[":
                var k = i + 1
                if k < s.count, s[k] == "^" { k += 1 }
                if k < s.count, s[k] == "]" { k += 1 }
                while k < s.count, s[k] != "]" {
                    if s[k] == "[", k + 1 < s.count, s[k + 1] == ":",
                       let close = (k + 2..<s.count).first(where: { s[$0] == "]" }) { k = close + 1; continue }
                    k += s[k] == "\\" ? 2 : 1
                }
                atomStart = i
                afterQuantifier = false
                i = k + 1
                continue
            case "(":
                groups.append(i)
                atomStart = nil
                afterQuantifier = false
                // (?:  (?<name>  (?i)  and the like: their `?` repeats nothing.
                if i + 1 < s.count, s[i + 1] == "?" { i += 2; continue }
            case ")":
                atomStart = groups.popLast()
                afterQuantifier = false
            case "|":
                atomStart = nil
                afterQuantifier = false
            case "*", "+":
                if c == "+", afterQuantifier { afterQuantifier = false; break }
                return "\(text(atomStart ?? i, i))\(c)"
            case "?":
                afterQuantifier = atomStart != nil && !afterQuantifier
            case "{":
                var k = i + 1
                while k < s.count, s[k] != "}" { k += 1 }
                let body = text(i + 1, k)
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard k < s.count, (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
                      parts.contains(where: { !$0.isEmpty }) else {
                    atomStart = i   // a literal `{`
                    afterQuantifier = false
                    break
                }
                if parts.count == 2, parts[1].isEmpty { return "\(text(atomStart ?? i, i)){\(body)}" }
                afterQuantifier = true
                i = k + 1
                continue
            default:
                atomStart = i
                afterQuantifier = false
            }
            i += 1
        }
        return nil
    }
}
