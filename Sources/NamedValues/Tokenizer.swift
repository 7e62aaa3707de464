/// One token of source text, for the extractors. Strings carry their decoded content; `bare` is an
/// unquoted value read after a separator (`KEY=value`, `key: value`).
struct Token {
    enum Kind: Equatable { case word, string, bare, op, newline }
    var kind: Kind
    /// Raw bytes: for a string, its content without the quotes.
    var range: Range<Int>
    /// Word or operator text; a string's decoded content; a bare value's text.
    var text: String
    /// 0-based line of the token's start.
    var line: Int
    /// Column (bytes from the line start) of the token's start.
    var column: Int
    /// For strings: the content had escapes, so `text` differs from the raw bytes.
    var escaped = false

    func isOp(_ s: String) -> Bool { kind == .op && text == s }
    var isNameLike: Bool { kind == .word || kind == .string || kind == .bare }
    var isWordLike: Bool { kind == .word || kind == .bare }
}

/// Splits text into tokens. Forgiving: an unterminated quote is an operator, unknown bytes are skipped.
struct Tokenizer {
    let bytes: [UInt8]

    static func isWordStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95 || c == 36 || c == 64 || c >= 0x80
    }
    static func isWordByte(_ c: UInt8) -> Bool { isWordStart(c) }
    static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 }
    private static let opBytes = ByteSet("=:|?!<>&+*%^")  // not `~`: `--set x=~abc` is a value
    /// Bytes after `=` that start a value rather than continue an operator (`==`, `=>`, `=~` and `=<` still combine).
    private static let valueStartAfterEquals = ByteSet("!%^*+")
    /// Bytes that end a bare value (besides whitespace).
    private static let bareStops = ByteSet("\"'`;&)]}<>(?,[{")

    func tokens() -> [Token] {
        var out = [Token]()
        out.reserveCapacity(bytes.count / 4)
        var i = 0, line = 0, lineStart = 0
        let n = bytes.count
        func add(_ kind: Token.Kind, _ r: Range<Int>, _ text: String, escaped: Bool = false) {
            out.append(Token(kind: kind, range: r, text: text, line: line, column: r.lowerBound - lineStart, escaped: escaped))
        }
        while i < n {
            let c = bytes[i]
            if c == 10 {
                add(.newline, i..<(i + 1), "")
                i += 1; line += 1; lineStart = i
                continue
            }
            if Self.isSpace(c) { i += 1; continue }
            // A Markdown code fence (```sh) is no string: what it encloses is read line by line, as written
            // (read as one backtick string, its `\` line continuations were joined and a blank after `secret=`
            // lost, so the next line's text became the value).
            if c == 96, i + 2 < n, bytes[i + 1] == 96, bytes[i + 2] == 96 {
                var k = i + 3
                while k < n, bytes[k] == 96 { k += 1 }
                add(.op, i..<k, String(decoding: bytes[i..<k], as: UTF8.self))
                i = k
                continue
            }
            if c == 34 || c == 39 || c == 96 {
                if let (content, text, escaped, end, newlines, lastStart) = readString(at: i) {
                    // A prefix glued to the quote (Python r/b/f/u, C# @ and $) is not a word of its own.
                    var verbatimDrop = false
                    if let last = out.last, last.range.upperBound == i, last.kind == .word,
                       last.text.count <= 2, last.text.allSatisfy({ "rbfuRBFU@$".contains($0) }) {
                        verbatimDrop = true
                    }
                    if verbatimDrop { out.removeLast() }
                    add(.string, content, text, escaped: escaped)
                    if newlines > 0 { line += newlines; lineStart = lastStart }
                    i = end
                    continue
                }
                add(.op, i..<(i + 1), String(UnicodeScalar(c)))
                i += 1
                continue
            }
            // Flags: --name or -H after whitespace.
            if c == 45, i + 1 < n, (i == 0 || Self.isSpace(bytes[i - 1]) || bytes[i - 1] == 10),
               bytes[i + 1] == 45 || (bytes[i + 1] >= 65 && bytes[i + 1] <= 90) || (bytes[i + 1] >= 97 && bytes[i + 1] <= 122) {
                let start = i
                i += 1
                while i < n, bytes[i] == 45 { i += 1 }
                i = wordEnd(from: i)
                add(.word, start..<i, String(decoding: bytes[start..<i], as: UTF8.self))
                // `--client-secret value`: the flag's value.
                if bytes[start + 1] == 45, let bare = argument(after: i) {
                    add(.bare, bare, String(decoding: bytes[bare], as: UTF8.self))
                    i = bare.upperBound
                }
                continue
            }
            if Self.isWordStart(c) {
                let start = i
                i = wordEnd(from: i + 1)
                let text = String(decoding: bytes[start..<i], as: UTF8.self)
                add(.word, start..<i, text)
                // A `set` command's value after the name (`aws configure set aws_secret_access_key v`,
                // `netlify env:set API_TOKEN v`, `npm config set _authToken v`): unquoted, it is read as a value.
                if out.count >= 2, out[out.count - 2].kind == .word, out[out.count - 2].line == line,
                   Self.isSetCommand(out[out.count - 2].text), Self.isSetName(text), let bare = argument(after: i) {
                    add(.bare, bare, String(decoding: bytes[bare], as: UTF8.self))
                    i = bare.upperBound
                }
                continue
            }
            if Self.opBytes.contains(c) {
                let start = i
                i += 1
                while i < n, Self.opBytes.contains(bytes[i]), i - start < 3 {
                    // `key:"v"` and `a=>b` combine; `=` followed by a quote stays `=`. An `=` followed by a byte
                    // that no operator continues it with (`DB_PASSWORD=!x9...`, `=%x9...`, `=*x9...`) is an
                    // assignment whose value starts with that byte.
                    if bytes[start] == 61, i == start + 1, Self.valueStartAfterEquals.contains(bytes[i]) { break }
                    i += 1
                }
                // `:-` of `${X:-v}` keeps its dash.
                if i < n, bytes[i] == 45, bytes[i - 1] == 58, i - start == 1 { i += 1 }
                // R's `name <- "value"` and `<<-`: one assignment operator when a blank or a quote follows (`a<-1`,
                // a comparison with a negative number elsewhere, stays apart).
                else if i < n, bytes[i] == 45, bytes[i - 1] == 60, i - start <= 2,
                        bytes[start..<i].allSatisfy({ $0 == 60 }), i + 1 < n, Self.isSpace(bytes[i + 1]) || bytes[i + 1] == 34 || bytes[i + 1] == 39 { i += 1 }
                let text = String(decoding: bytes[start..<i], as: UTF8.self)
                add(.op, start..<i, text)
                // `Authorization:Bearer v` (httpie) and `X-Api-Key:v`: a header's colon needs no space.
                let header = text == ":" && out.count >= 2 && out[out.count - 2].kind == .word
                    && (out[out.count - 2].text.lowercased() == "authorization" || out[out.count - 2].text.lowercased().hasPrefix("x-"))
                // A YAML block scalar (`secret: |` or `>-`, the value on the indented line below): that line.
                if text == ":", !header, let block = blockScalar(after: i, lineStart: lineStart) {
                    // (A block of no single line has no value here, not its `|`.)
                    guard let content = block.content else { continue }
                    line += block.lines; lineStart = block.lineStart
                    add(.bare, content, String(decoding: bytes[content], as: UTF8.self))
                    i = content.upperBound
                    continue
                }
                if isSeparator(text), let bare = readBare(after: i, colon: text == ":" && !header) {
                    add(.bare, bare, String(decoding: bytes[bare], as: UTF8.self))
                    i = bare.upperBound
                }
                continue
            }
            // Any other punctuation is a one-byte operator.
            add(.op, i..<(i + 1), String(decoding: bytes[i..<(i + 1)], as: UTF8.self))
            i += 1
        }
        return out
    }

    /// The unquoted command-line argument after blanks at `i` (not a flag, a line continuation, a pipe or a
    /// redirection, nor `name=value`, an assignment of its own); nil when none.
    private func argument(after i: Int) -> Range<Int>? {
        let n = bytes.count
        guard i < n, Self.isSpace(bytes[i]) else { return nil }
        var k = i
        while k < n, Self.isSpace(bytes[k]) { k += 1 }
        guard k < n, bytes[k] != 45, bytes[k] != 92, bytes[k] != 124, bytes[k] != 62, let bare = readBare(after: i, colon: false),
              !isAssignment(bare) else { return nil }
        return bare
    }

    /// `name=value` read as a flag's argument is an assignment of its own (`http --form secret=v`).
    private func isAssignment(_ r: Range<Int>) -> Bool {
        var i = r.lowerBound
        while i < r.upperBound, Self.isWordByte(bytes[i]) || bytes[i] == 45 || bytes[i] == 46 { i += 1 }
        return i > r.lowerBound && i < r.upperBound && (bytes[i] == 61 || bytes[i] == 58)
    }

    /// A command word that sets a named value: `set`, or one ending in `:set` (`env:set`, `config:set`).
    static func isSetCommand(_ word: String) -> Bool { word == "set" || word.hasSuffix(":set") }

    /// A name a `set` command sets: a key of words joined by `_`, `.`, `:` or `-` (`aws_secret_access_key`,
    /// `Algolia:ApiKey`, `_authToken`), not a shell option (`set -e`) or a single word (`set x 1`).
    static func isSetName(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard u.count >= 3, u.count <= 100, u[0] != 45 else { return false }
        return u.contains { $0 == 95 || $0 == 46 || $0 == 58 || $0 == 45 }
            || (u.contains { $0 >= 65 && $0 <= 90 } && u.contains { $0 >= 97 && $0 <= 122 })
    }

    private func isSeparator(_ op: String) -> Bool { op == "=" || op == ":" || op == ":=" || op == "?=" }

    private func wordEnd(from start: Int) -> Int {
        var i = start
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if Self.isWordByte(c) { i += 1; continue }
            // Dots and dashes inside a word: `process.env.X`, `X-Api-Key`, `webhook-secret`.
            if (c == 46 || c == 45), i + 1 < n, Self.isWordByte(bytes[i + 1]) { i += 1; continue }
            break
        }
        return i
    }

    /// A YAML block scalar's one line of content: after `key:` at `index`, a blank, `|` or `>` with up to two
    /// indicators (`-`, `+`, a digit), the line's end (or a comment), maybe blank lines, then one line indented
    /// deeper than the key's line. Returns the content (trimmed; nil for a block of no line or of more lines,
    /// which is not one value), the newlines crossed and where the content's line starts; nil when no block
    /// scalar starts at `index`.
    private func blockScalar(after index: Int, lineStart: Int) -> (content: Range<Int>?, lines: Int, lineStart: Int)? {
        let n = bytes.count
        var i = index
        guard i < n, Self.isSpace(bytes[i]) else { return nil }
        while i < n, Self.isSpace(bytes[i]) { i += 1 }
        guard i < n, bytes[i] == 124 || bytes[i] == 62 else { return nil }
        i += 1
        var indicators = 0
        while i < n, indicators < 2, bytes[i] == 45 || bytes[i] == 43 || (bytes[i] >= 49 && bytes[i] <= 57) { i += 1; indicators += 1 }
        while i < n, Self.isSpace(bytes[i]) { i += 1 }
        if i < n, bytes[i] == 35 { while i < n, bytes[i] != 10 { i += 1 } }
        guard i < n, bytes[i] == 10 else { return nil }
        var keyIndent = 0
        while lineStart + keyIndent < n, bytes[lineStart + keyIndent] == 32 { keyIndent += 1 }
        // Content lines: (start, indent, end without trailing blanks); blank lines are passed over.
        var contentStart = -1, content: Range<Int>? = nil
        while i < n, bytes[i] == 10 {
            i += 1
            let start = i
            while i < n, bytes[i] == 32 { i += 1 }
            var end = i
            while end < n, bytes[end] != 10 { end += 1 }
            var trimmed = end
            while trimmed > i, Self.isSpace(bytes[trimmed - 1]) { trimmed -= 1 }
            if trimmed == i { i = end; continue }   // a blank line
            guard i - start > keyIndent else { break }   // the block has ended
            guard content == nil else { return (nil, 0, lineStart) }   // a second line: not one value
            content = i..<trimmed
            contentStart = start
            i = end
        }
        guard let content else { return (nil, 0, lineStart) }
        // Newlines crossed up to the content's line.
        var crossed = 0
        for k in index..<contentStart where bytes[k] == 10 { crossed += 1 }
        return (content, crossed, contentStart)
    }

    /// An unquoted value after a separator, up to whitespace or a delimiter. After `:` a space must come
    /// first (`key: value`), so `http://host` is no value.
    private func readBare(after index: Int, colon: Bool) -> Range<Int>? {
        var i = index
        let n = bytes.count
        if colon {
            guard i < n, Self.isSpace(bytes[i]) else { return nil }
        }
        while i < n, Self.isSpace(bytes[i]) { i += 1 }
        guard i < n else { return nil }
        // A YAML anchor or core tag before the value (`secret: &prod v`, `secret: !!str v`) is not part of it.
        // (Not Rust's `X: &str = "..."`, whose `=` follows.)
        if colon, bytes[i] == 38 || (bytes[i] == 33 && i + 1 < n && bytes[i + 1] == 33) {
            var k = i + (bytes[i] == 33 ? 2 : 1)
            let body = k
            while k < n, Self.isWordByte(bytes[k]) || bytes[k] == 45 { k += 1 }
            guard k > body, k < n, Self.isSpace(bytes[k]) else { return nil }
            while k < n, Self.isSpace(bytes[k]) { k += 1 }
            guard k < n, bytes[k] != 61 else { return nil }
            i = k
        }
        let c = bytes[i]
        if c == 10 || c == 34 || c == 39 || c == 96 || c == 123 || c == 91 || c == 40 || c == 35 || c == 47 && colon { return nil }
        // A `${X:-v}` expansion is read by the expansion scanner, not as a bare value.
        if c == 36, i + 1 < n, bytes[i + 1] == 123 { return nil }
        let start = i
        while i < n {
            let b = bytes[i]
            if b == 10 || Self.isSpace(b) || Self.bareStops.contains(b) { break }
            i += 1
        }
        // `Authorization: Bearer v`: the scheme and its token are one value.
        // (The word is made only when it is short enough to be a scheme: bare values are often long.)
        if i - start <= 6, ["Bearer", "bearer", "Basic", "Token", "token", "Bot"].contains(String(decoding: bytes[start..<i], as: UTF8.self)),
           i < n, bytes[i] == 32 {
            var k = i + 1
            while k < n, bytes[k] != 10, !Self.isSpace(bytes[k]), !Self.bareStops.contains(bytes[k]) { k += 1 }
            if k > i + 1 { i = k }
        }
        // A string prefix (`@"..."`, `$"..."`, `r"..."`) is not a value.
        if i < n, bytes[i] == 34 || bytes[i] == 39, i - start <= 2 { return nil }
        // Trailing punctuation of prose or code.
        while i > start, [46, 44, 59].contains(bytes[i - 1]) { i -= 1 }
        return i > start ? start..<i : nil
    }

    /// A quoted string starting at `start`: its content range, decoded text, whether it held escapes,
    /// the index after the closing quote, and newlines crossed (backtick and triple-quoted strings only).
    private func readString(at start: Int) -> (Range<Int>, String, Bool, Int, Int, Int)? {
        let q = bytes[start]
        let n = bytes.count
        let verbatim = start > 0 && bytes[start - 1] == 64  // C# @"..."
        var triple = false
        if q != 96, start + 2 < n, bytes[start + 1] == q, bytes[start + 2] == q { triple = true }
        let multiline = q == 96 || triple
        var i = start + (triple ? 3 : 1)
        let contentStart = i
        // The decoded content, made only at the first escape: until then it is the raw bytes (most strings
        // have no escape, and an array per string of every file was a share of the tokenizer's time).
        var out = [UInt8]()
        var escaped = false
        func decoded(upTo end: Int) -> String {
            escaped ? String(decoding: out, as: UTF8.self) : String(decoding: bytes[contentStart..<end], as: UTF8.self)
        }
        func startDecoding(at end: Int) {
            if !escaped { out = Array(bytes[contentStart..<end]); escaped = true }
        }
        var newlines = 0, lastLineStart = 0
        let limit = min(n, start + (multiline ? 65_536 : 16_384))
        while i < limit {
            let c = bytes[i]
            if c == 10 {
                guard multiline else { return nil }
                newlines += 1
                lastLineStart = i + 1
            }
            if c == q {
                if verbatim, i + 1 < n, bytes[i + 1] == q {
                    startDecoding(at: i)
                    out.append(q); i += 2; continue
                }
                if triple {
                    if i + 2 < n, bytes[i + 1] == q, bytes[i + 2] == q {
                        return (contentStart..<i, decoded(upTo: i), escaped, i + 3, newlines, lastLineStart)
                    }
                    if escaped { out.append(c) }
                    i += 1; continue
                }
                return (contentStart..<i, decoded(upTo: i), escaped, i + 1, newlines, lastLineStart)
            }
            if c == 92, !verbatim, i + 1 < limit {
                startDecoding(at: i)
                let e = bytes[i + 1]
                switch e {
                case 110: out.append(10)
                case 116: out.append(9)
                case 114: break
                case 117 where i + 5 < limit:
                    let hex = String(decoding: bytes[(i + 2)..<(i + 6)], as: UTF8.self)
                    if let v = UInt32(hex, radix: 16), let s = UnicodeScalar(v) {
                        out += Array(String(Character(s)).utf8)
                        i += 6
                        continue
                    }
                    out.append(e)
                case 10:
                    newlines += 1
                    lastLineStart = i + 2
                default: out.append(e)
                }
                i += 2
                continue
            }
            if escaped { out.append(c) }
            i += 1
        }
        return nil
    }
}

/// A set of bytes answered by a table: the tokenizer asks it for nearly every byte of punctuation and of bare
/// values, where hashing each byte into a `Set` cost more than the rest of the test.
struct ByteSet {
    private let members: [Bool]

    init(_ text: String) {
        var members = [Bool](repeating: false, count: 256)
        for b in text.utf8 { members[Int(b)] = true }
        self.members = members
    }

    func contains(_ b: UInt8) -> Bool { members[Int(b)] }
}
