import CByteScan
/// The input's text as the named-value layer may rebuild its values: escapes in strings decoded as its tokenizer
/// decodes them (but those of a line break, a tab, a backslash and a quote, which no value shape holds), string
/// literals joined (`"a" + "b"`, `"a" "b"`, a literal continued on the next line) and `.properties` lines continued
/// with `\` run together. Made for ``ValueProbes``: a value shape that occurs neither in the input nor here is in no
/// value the layer would read. It is a superset, not the layer's reading: every quote followed by blanks,
/// joining operators and another quote is taken for a join (also where the first quote opens a string), which
/// only makes more text, never less of a value.
enum DerivedText {
    enum Outcome: Equatable {
        /// Nothing in the input is rebuilt: its values are all bytes of it as written.
        case same
        /// The rebuilt text.
        case text([UInt8])
        /// A value may be made of named constants (`${HEAD}${TAIL}`): no text tells which shapes it holds.
        case unknown
    }

    private static func isQuote(_ c: UInt8) -> Bool { c == 34 || c == 39 || c == 96 }

    /// `properties`: the input is a `.properties` file, whose continued lines lose their leading blanks.
    static func make(_ buffer: UnsafeRawBufferPointer, properties: Bool) -> Outcome {
        let n = buffer.count
        guard n > 0, let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .same }
        // Quick look first: most inputs have no backslash and no quote followed by a join. (It jumps between
        // quotes and backslashes: a large file of code is read here whenever a gate word's probe finds nothing.)
        var first = -1
        var i = keywarden_next_quote_or_escape(base, n, 0)
        while i < n {
            let c = base[i]
            if c == 125 {
                // `}{` or `}${`: constants joined in a template
                if i + 1 < n, base[i + 1] == 123 || (base[i + 1] == 36 && i + 2 < n && base[i + 2] == 123) { return .unknown }
            } else if first < 0, c == 92 ? !(i + 1 < n && keptEscape(base[i + 1])) : joinEnd(buffer, after: i) != nil {
                first = i
            }
            if c == 92 { i += 1 }   // (the escaped byte is no quote)
            i = keywarden_next_quote_or_escape(base, n, i + 1)
        }
        guard first >= 0 else { return .same }
        var out = [UInt8]()
        out.reserveCapacity(n)
        out.append(contentsOf: UnsafeBufferPointer(start: base, count: first))
        i = first
        var run = i   // the start of the bytes not yet copied
        func flush(_ upTo: Int) {
            if upTo > run { out.append(contentsOf: UnsafeBufferPointer(start: base + run, count: upTo - run)) }
        }
        while i < n {
            let c = base[i]
            if c != 92, !isQuote(c) { i = keywarden_next_quote_or_escape(base, n, i + 1); continue }
            if c != 92 {
                if let next = joinEnd(buffer, after: i) {
                    flush(i)
                    i = next   // past the next piece's opening quote
                    run = i
                } else {
                    i += 1
                }
                continue
            }
            guard i + 1 < n else { break }
            let e = base[i + 1]
            if keptEscape(e) { i += 2; continue }
            flush(i)
            switch e {
            case 114: i += 2
            case 117:
                // \uXXXX: the character; anything else (and `\U`, which the tokenizer does not decode) as the
                // layer keeps it, the letter without the backslash.
                if i + 6 <= n, let v = hexValue(buffer, from: i + 2, count: 4), let s = Unicode.Scalar(v) {
                    out += Array(String(Character(s)).utf8)
                    i += 6
                } else {
                    out.append(e); i += 2
                }
            case 10, 13, 32, 9:
                // A line continued: `\` (maybe blanks and a carriage return) and the line break go; in a
                // `.properties` file so do the next line's leading blanks.
                var k = i + 1
                while k < n, base[k] == 32 || base[k] == 9 || base[k] == 13 { k += 1 }
                if k < n, base[k] == 10 {
                    k += 1
                    if properties { while k < n, base[k] == 32 || base[k] == 9 { k += 1 } }
                    i = k
                } else {
                    out.append(e); i += 2
                }
            default:
                out.append(e); i += 2
            }
            run = i
        }
        flush(n)
        return .text(out)
    }

    /// Runs of string pieces joined as the layer joins them (`"a" + "b"`, `"a" "b"`, a literal continued on the
    /// next line), for the pattern rules where no named-value rule reads the input: each run's pieces run
    /// together in `text`, each run followed by a line break. Like ``make(_:properties:)`` a superset (any quote
    /// followed by blanks, joining operators and a quote is taken for a join); escapes are left as written. Pieces
    /// of over 512 bytes and runs of over 32 pieces are cut there. Nil when the input joins nothing.
    struct JoinedRuns {
        struct Run {
            /// Where the run starts in `text`.
            var at: Int
            /// Where its second and later pieces start in `text`.
            var joins: [Int]
            /// The input from its first piece's first byte to its last piece's last.
            var source: Range<Int>
        }
        var text = [UInt8]()
        var runs = [Run]()
    }

    static func joinedRuns(_ buffer: UnsafeRawBufferPointer) -> JoinedRuns? {
        let n = buffer.count
        guard n > 0, let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let pieceLimit = 512
        var out = JoinedRuns()
        // The closing quote of the piece that starts at `from` (escaped bytes skipped), within the limit.
        func close(from: Int) -> Int? {
            var k = keywarden_next_quote_or_escape(base, n, from)
            while k < n, k - from <= pieceLimit {
                if base[k] == 92 { k = keywarden_next_quote_or_escape(base, n, k + 2); continue }
                return k
            }
            return nil
        }
        // Whether the byte at `k` is escaped: an odd number of backslashes right before it.
        func escaped(_ k: Int) -> Bool {
            var slashes = 0
            while k - slashes - 1 >= 0, base[k - slashes - 1] == 92 { slashes += 1 }
            return slashes % 2 == 1
        }
        // The quote that opens the piece closed at `q`: the last quote before it outside an escape.
        func opening(before q: Int) -> Int? {
            var k = q - 1
            while k >= 0, q - k <= pieceLimit + 1 {
                if isQuote(base[k]), !escaped(k) { return k }
                k -= 1
            }
            return nil
        }
        // (The joins are found in C: the quote-by-quote walk in Swift cost a history scan 5% of its time.)
        var i = keywarden_next_join(base, n, 0)
        while i < n {
            // (The C search reads no escapes: an escaped quote, `\"b"` inside a string, is passed over here.)
            guard !escaped(i), let open = opening(before: i), var next = joinEnd(buffer, after: i) else {
                i = keywarden_next_join(base, n, i + 1)
                continue
            }
            var run = JoinedRuns.Run(at: out.text.count, joins: [], source: (open + 1)..<i)
            out.text.append(contentsOf: UnsafeBufferPointer(start: base + open + 1, count: i - open - 1))
            var last = i
            while run.joins.count < 31, let end = close(from: next) {
                run.joins.append(out.text.count)
                out.text.append(contentsOf: UnsafeBufferPointer(start: base + next, count: end - next))
                run.source = run.source.lowerBound..<end
                last = end
                guard let further = joinEnd(buffer, after: end) else { break }
                next = further
            }
            if run.joins.isEmpty {
                out.text.removeSubrange(run.at...)   // a first piece whose next never closed joins nothing
            } else {
                out.text.append(10)
                out.runs.append(run)
            }
            i = keywarden_next_join(base, n, last + 1)
        }
        return out.runs.isEmpty ? nil : out
    }

    /// Escapes left as written: the byte they stand for (a line break, a tab, a backslash, a quote) is in no value
    /// shape, so a value holding it matches no shape either way, and the written pair (a backslash and a letter
    /// or quote) only adds text. C and shell code escapes these in nearly every string.
    @inline(__always)
    private static func keptEscape(_ e: UInt8) -> Bool {
        e == 110 || e == 116 || e == 92 || e == 34 || e == 39
    }

    /// When the quote at `q` is followed by blanks, line breaks and joining operators (`+ . .. \ & _ << ||`), then
    /// maybe a string prefix (Python's r b f u, C#'s @ and $, up to two) and another quote: the index after that
    /// quote. Nil otherwise. A quote right after a quote (`""`) is an empty string, not a join. (One definition, in C,
    /// for this and ``joinedRuns(_:)``'s search.)
    private static func joinEnd(_ buffer: UnsafeRawBufferPointer, after q: Int) -> Int? {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let end = keywarden_join_end(base, buffer.count, q)
        return end == 0 ? nil : end
    }

    private static func hexValue(_ buffer: UnsafeRawBufferPointer, from start: Int, count: Int) -> UInt32? {
        var v: UInt32 = 0
        for k in start..<(start + count) {
            let c = buffer[k]
            let d: UInt8
            switch c {
            case 48...57: d = c - 48
            case 65...70: d = c - 55
            case 97...102: d = c - 87
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
