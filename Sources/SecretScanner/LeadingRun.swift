import PatternMatching

/// A pattern that starts with a bounded run of one character class and then a group of words,
/// `(?i)[a-z0-9_.-]{0,40}(?:secret|token|...)...` (generic-secret-assignment). PCRE2 tries such a pattern at
/// every offset of every identifier, and at each one walks the run and tries every word at each of its ends:
/// a few hundred tests a byte, over windows of up to 16 KB. Every match holds one of the words at most
/// `reach` bytes after its start, so the search looks for the words alone first (a plain alternation, fast)
/// and tries the whole pattern only at the `reach + 1` offsets up to each word: the same matches, in the
/// same order, at a fraction of the cost.
struct LeadingRun {
    /// The group of words, with the pattern's leading flags.
    let words: CompiledRegex
    /// The most bytes the run before the words may take.
    let reach: Int

    /// Calls `body` for each match of `regex` (the pattern this was made from) that starts in `range`, as
    /// `regex.forEachMatch` does: the same matches, in the same order.
    func forEachMatch(of regex: CompiledRegex, in buffer: UnsafeRawBufferPointer, range: Range<Int>, scratch: MatchScratch,
                      budget: RegexBudget?, _ body: (RegexMatch) -> Bool) throws(PatternError) {
        let end = min(range.upperBound, buffer.count)
        var start = range.lowerBound
        while start <= end {
            // The first word at or after `start`: no match starts more than `reach` bytes before it.
            var word: Int?
            try words.forEachMatch(in: buffer, range: start..<end, scratch: scratch, budget: budget) { m in
                word = m.range.lowerBound
                return false
            }
            guard let word else { return }
            var next: Int?
            var stop = false
            try regex.forEachMatch(in: buffer, range: max(start, word - reach)..<end, scratch: scratch, budget: budget,
                                   lastStart: word) { m in
                stop = !body(m)
                next = m.range.isEmpty ? m.range.upperBound + 1 : m.range.upperBound
                return false
            }
            if stop { return }
            // No match starts at or before this word: the next one starts after it.
            start = next ?? word + 1
        }
    }

    /// The words and reach of `pattern` when it starts with an optional `(?i)`, a class of letters, digits,
    /// `_`, `.` and `-` (one byte each: patterns are matched on bytes) repeated `{m,n}` times, and a `(?:...)`
    /// group of plain words (letters, digits, `_`, `.`, `-`, classes of those, `?`, `|`, and `(?:` groups),
    /// with no alternation of the whole pattern after it. Nil for any other pattern.
    static func of(_ pattern: String) -> LeadingRun? {
        let p = Array(pattern.utf8)
        var i = 0
        let flags = Array("(?i)".utf8)
        if p.starts(with: flags) { i = flags.count }
        let prefixEnd = i
        // The class.
        guard i < p.count, p[i] == 0x5B else { return nil }   // [
        i += 1
        let classStart = i
        while i < p.count, p[i] != 0x5D {   // ]
            guard plainByte(p[i]) else { return nil }
            i += 1
        }
        guard i < p.count, i > classStart else { return nil }
        i += 1
        // The bounded repetition {m,n}, greedy, lazy or possessive.
        guard i < p.count, p[i] == 0x7B else { return nil }   // {
        i += 1
        while i < p.count, isDigit(p[i]) { i += 1 }
        guard i < p.count, p[i] == 0x2C else { return nil }   // ,
        i += 1
        var reach = 0
        let digitsStart = i
        while i < p.count, isDigit(p[i]), i - digitsStart < 6 { reach = reach * 10 + Int(p[i] - 48); i += 1 }
        guard i > digitsStart, i < p.count, p[i] == 0x7D else { return nil }   // }
        i += 1
        if i < p.count, p[i] == 0x3F || p[i] == 0x2B { i += 1 }   // ? +
        // The group of words.
        let groupStart = i
        guard let groupEnd = wordGroupEnd(p, from: i) else { return nil }
        guard !alternatesAtTop(p, from: groupEnd) else { return nil }
        let words = String(decoding: p[0..<prefixEnd] + p[groupStart..<groupEnd], as: UTF8.self)
        guard let compiled = try? CompiledRegex(words) else { return nil }
        return LeadingRun(words: compiled, reach: reach)
    }

    /// Where the `(?:...)` group of plain words starting at `from` ends (after its `)`), or nil.
    private static func wordGroupEnd(_ p: [UInt8], from: Int) -> Int? {
        let open = Array("(?:".utf8)
        guard p[from...].starts(with: open) else { return nil }
        var depth = 0, i = from, inClass = false
        while i < p.count {
            let c = p[i]
            if inClass {
                if c == 0x5D { inClass = false } else if !plainByte(c) { return nil }
                i += 1
                continue
            }
            switch c {
            case 0x28:   // ( only as (?:
                guard p[i...].starts(with: open) else { return nil }
                depth += 1
                i += 3
                continue
            case 0x29:   // )
                depth -= 1
                i += 1
                if depth == 0 { return i }
                continue
            case 0x5B: inClass = true   // [
            case 0x7C, 0x3F: break   // | ?
            default: guard plainByte(c) else { return nil }
            }
            i += 1
        }
        return nil
    }

    /// True when the rest of the pattern holds a `|` outside any group (then a match need not hold the words),
    /// or a construct this reading does not follow (`\Q`, an inline option such as `(?x)`).
    private static func alternatesAtTop(_ p: [UInt8], from: Int) -> Bool {
        var depth = 0, i = from, inClass = false
        while i < p.count {
            let c = p[i]
            if c == 0x5C {   // \: the escaped byte is literal; \Q would quote what follows
                if i + 1 < p.count, p[i + 1] == 0x51 { return true }
                i += 2
                continue
            }
            if inClass {
                if c == 0x5D { inClass = false }
                i += 1
                continue
            }
            switch c {
            case 0x5B:   // [ (a ] right after [ or [^ is literal)
                inClass = true
                if i + 1 < p.count, p[i + 1] == 0x5E { i += 1 }
                if i + 1 < p.count, p[i + 1] == 0x5D { i += 1 }
            case 0x28:
                depth += 1
                if i + 2 < p.count, p[i + 1] == 0x3F, !Array(":=!<>P'".utf8).contains(p[i + 2]) { return true }
            case 0x29: depth -= 1
            case 0x7C: if depth <= 0 { return true }
            default: break
            }
            i += 1
        }
        return false
    }

    /// Letters, digits, `_`, `.` and `-`.
    private static func plainByte(_ c: UInt8) -> Bool {
        (c | 0x20) >= 97 && (c | 0x20) <= 122 || isDigit(c) || c == 0x5F || c == 0x2E || c == 0x2D
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
}
