/// Named values found through tokens: `NAME = value`, `key: value`, `"key": "value"`, `name => value`,
/// declarations with types (`val x: String = "v"`, `const X: &str = "v"`, `static const char X[] = "v"`),
/// `#define X "v"`, defaults after an environment lookup (`process.env.X || "v"`, `os.getenv("X", "v")`,
/// `ENV.fetch("X", "v")`, `?: "v"`, a Go variable given a literal when `os.Getenv` was empty), keyword and
/// field defaults, flags (`--client-secret v`), `{"key": N, "value": V}` pairs, and the context that names
/// them: sections, parent keys and blocks. Adjacent or `+`-joined string literals are joined first.
struct Assignments {
    let bytes: [UInt8]
    let depth: Int
    private var tokens: [Token] = []
    private var lines: [Range<Int>] = []  // token index ranges, one per source line holding tokens
    private var out = [NamedValue]()
    private var consumed = Set<Int>()
    private var aliases = [String: String]()
    private var section = [String]()
    private var stack = [Frame]()
    /// `currentPath` as last made, until the section or the stack changes (nil: to be made again).
    private var pathCache: [String]?
    private var braceDepth = 0
    private var pending: Pending?
    /// String constants seen so far, for template literals that join them (`${HEAD}${TAIL}`).
    private var constants = [String: (value: String, range: Range<Int>)]()

    private struct Frame {
        enum Kind { case brace, indent }
        var kind: Kind
        var depth: Int
        var indent: Int
        var labels: [String]
    }

    private struct Pending {
        var name: String
        var line: Int
        var depth: Int
        var column: Int
        /// Parents of `name` when it was given as a path (`/prod/algolia/api_key`, an AWS SSM parameter's name).
        var parents: [String] = []
        /// Whether `name` may label the record's other fields (see ``recordLabel(of:)``).
        var label: Bool = false
    }

    init(bytes: [UInt8], depth: Int) {
        self.bytes = bytes
        self.depth = depth
    }

    /// Names whose value names the next `value` field (`{"key": "X", "value": "v"}`, Kubernetes `env`).
    static let pairNames: Set<String> = ["name", "key", "parameter_key", "variable", "env", "env_var", "header", "field", "secret_name", "var", "id"]
    static let pairValues: Set<String> = ["value", "parameter_value", "val", "secret_value", "default_value", "current_value"]
    /// Names of a default whose real name is the enclosing declaration or block.
    static let defaultNames: Set<String> = ["default", "value", "default_value", "initial", "val"]
    /// Type words that can sit between a declaration's name and its `=` (Go, C).
    static let typeWords: Set<String> = ["string", "String", "str", "&str", "char", "int", "bool", "var", "const", "let", "auto", "NSString", "std::string"]
    /// Operators that join string literals into one value (`"a" + "b"`, `"a" . "b"`, `"a" \` newline `"b"`).
    static let joiningOperators: Set<String> = ["+", ".", "..", "\\", "&", "_", "<<", "||"]
    /// Words that open a control block, not a labelled one (`if x {`).
    static let controlWords: Set<String> = ["if", "for", "while", "switch", "else", "elif", "catch", "try", "do", "guard", "when", "match", "unless", "foreach"]
    /// Words that open a Python-style definition block (`class X:`, `def f():`).
    static let definitionWords: Set<String> = ["class", "def", "func", "struct", "object", "async"]
    /// Words that are not labels of a block.
    static let blockStopwords: Set<String> = [
        "resource", "data", "module", "provider", "variable", "output", "locals", "class", "struct", "object", "interface",
        "enum", "public", "private", "protected", "internal", "static", "final", "new", "func", "function", "def", "fn",
        "impl", "namespace", "package", "const", "let", "var", "val", "type", "record", "return", "if", "else", "for",
        "while", "switch", "case", "try", "catch", "do", "async", "export", "default", "extension", "fileprivate", "open",
        "override", "companion", "sealed", "abstract", "readonly", "async", "with", "elif", "except", "lazy", "mut", "pub",
    ]

    mutating func run() -> [NamedValue] {
        tokens = Tokenizer(bytes: bytes).tokens()
        guard !tokens.isEmpty else { return [] }
        var start = 0
        for i in tokens.indices where tokens[i].kind == .newline {
            if i > start { lines.append(start..<i) }
            start = i + 1
        }
        if start < tokens.count { lines.append(start..<tokens.count) }
        for range in lines { line(range) }
        return out
    }

    // MARK: lines and structure

    private mutating func line(_ r: Range<Int>) {
        let first = tokens[r.lowerBound]
        let comment = first.kind == .op && (first.text == "#" || first.text == "//" || first.text == ";" || first.text == "/" || first.text == "*" || first.text == "!")
            || first.kind == .word && first.text.hasPrefix("--") == false && first.text == "REM"
        // An INI/TOML section: `[name]` or `[[name]]` alone on its line.
        // (Read in place: copying the line's tokens cost an array per line of every file.)
        let n = r.count, at = r.lowerBound
        if n == 3 || n == 5, tokens[at].isOp("["), tokens[r.upperBound - 1].isOp("]") {
            let inner = n == 3 ? tokens[at + 1] : tokens[at + 2]
            if inner.kind == .word || inner.kind == .string, n == 3 || (tokens[at + 1].isOp("[") && tokens[at + 3].isOp("]")) {
                section = inner.text.split(separator: ".").map(String.init)
                stack.removeAll()
                pathCache = nil
                braceDepth = 0
                return
            }
        }
        if !comment { dropFrames { $0.kind == .indent && $0.indent >= first.column } }
        registerAlias(r)
        for k in r {
            let t = tokens[k]
            switch t.kind {
            case .op where t.text == "{" || t.text == "[":
                braceDepth += 1
                let labels = openerLabels(k, lineStart: r.lowerBound)
                if !labels.isEmpty { push(Frame(kind: .brace, depth: braceDepth, indent: 0, labels: labels)) }
            case .op where t.text == "}" || t.text == "]":
                braceDepth = max(0, braceDepth - 1)
                let depth = braceDepth
                dropFrames { $0.kind == .brace && $0.depth > depth }
            case .string, .bare:
                value(k, line: r)
            default:
                break
            }
        }
        if !comment, let labels = blockOpener(r) {
            push(Frame(kind: .indent, depth: 0, indent: first.column, labels: labels))
        }
    }

    /// `key:` (YAML), `class X:` / `def f():` (Python): a line that opens an indented block.
    private func blockOpener(_ r: Range<Int>) -> [String]? {
        // Ruby `Discord.configure do |config|`: the block is the call's.
        if let d = r.last(where: { tokens[$0].kind == .word && tokens[$0].text == "do" }), d > r.lowerBound,
           tokens[d - 1].isNameLike, d + 1 == r.upperBound || (tokens[d + 1].isOp("|") && tokens[r.upperBound - 1].isOp("|")) {
            return [tokens[d - 1].text]
        }
        var last = r.upperBound - 1
        if tokens[last].kind == .bare {
            let b = tokens[last].text
            guard b == "|" || b == ">" || b == "|-" || b == ">-" || b == "|+" || b.hasPrefix("&") else { return nil }
            last -= 1
        } else if last - 2 >= r.lowerBound, tokens[last].kind == .word, tokens[last - 1].isOp("&"), tokens[last - 2].isOp(":") {
            last -= 2   // a YAML anchor: `base: &base`
        }
        guard last >= r.lowerBound, tokens[last].isOp(":") else { return nil }
        if r.contains(where: { tokens[$0].kind == .op && tokens[$0].text.contains("=") }) { return nil }
        var words = r.lowerBound..<last
        if let f = words.first, tokens[f].isOp("-") { words = (f + 1)..<last }
        guard let f = words.first else { return nil }
        let head = tokens[f]
        if head.kind == .word, Self.definitionWords.contains(head.text) {
            var k = f + 1
            while k < last, tokens[k].kind == .word, ["def", "func"].contains(tokens[k].text) { k += 1 }
            return k < last && tokens[k].kind == .word ? [tokens[k].text] : nil
        }
        guard head.isNameLike, words.count == 1 else { return nil }
        return [head.text]
    }

    /// The labels of a `{` or `[`: the key it is assigned to (`"makini": {`, `makini = {`), or the words of
    /// the line before it (`resource "makini_webhook" "main" {`, `class MakiniClient {`).
    private func openerLabels(_ k: Int, lineStart: Int) -> [String] {
        guard k > lineStart else { return [] }
        let before = tokens[k - 1]
        if before.kind == .op, before.text == ":" || before.text == "=" || before.text == ":=" || before.text == "=>" {
            if let (name, _) = assignedName(before: k - 1) { return [name] }
            return []
        }
        // `new Discord({ secret: ... })`, `Client({...})`: an object literal passed to a call is labelled by it.
        if tokens[k].text == "{", before.isOp("("), k >= 2, k - 2 >= lineStart, tokens[k - 2].isNameLike,
           !Self.controlWords.contains(tokens[k - 2].text) {
            return [tokens[k - 2].text]
        }
        guard tokens[k].text == "{", before.isNameLike || before.isOp(")") else { return [] }
        if Self.controlWords.contains(tokens[lineStart].text) || tokens[lineStart].isOp("}") {
            return []
        }
        var labels = [String]()
        var j = lineStart
        while j < k {
            let t = tokens[j]
            if t.isOp("(") {
                // `func name(args) {`: the name only.
                break
            }
            if t.isNameLike, !t.text.isEmpty, !Self.blockStopwords.contains(t.text), t.text.utf8.count <= 80 { labels.append(t.text) }
            j += 1
        }
        return Array(labels.suffix(3))
    }

    /// `secret := os.Getenv("X")`, `secret = process.env.X`: a later literal assigned to `secret` is X's.
    private mutating func registerAlias(_ r: Range<Int>) {
        guard r.count >= 3 else { return }
        for k in r.dropFirst() where tokens[k].kind == .op && (tokens[k].text == "=" || tokens[k].text == ":=") {
            guard tokens[k - 1].isWordLike else { continue }
            if let env = environmentName(in: (k + 1)..<r.upperBound), !r.contains(where: { $0 > k && tokens[$0].kind == .string && tokens[$0].text != env }) {
                aliases[tokens[k - 1].text] = env
            }
            return
        }
    }

    /// The section and the labels of the open blocks, outermost first: made once while they stay the same (a
    /// file's values are many, its blocks few).
    private var currentPath: [String] {
        mutating get {
            if let known = pathCache { return known }
            let made = section + stack.flatMap(\.labels)
            pathCache = made
            return made
        }
    }

    private mutating func push(_ frame: Frame) {
        stack.append(frame)
        pathCache = nil
    }

    /// Closes the blocks that `shouldClose` says end here (most lines close none: the path stays made).
    private mutating func dropFrames(where shouldClose: (Frame) -> Bool) {
        guard stack.contains(where: shouldClose) else { return }
        stack.removeAll(where: shouldClose)
        pathCache = nil
    }

    // MARK: values

    private mutating func value(_ k: Int, line r: Range<Int>) {
        guard consumed.isEmpty || !consumed.contains(k) else { return }
        let t = tokens[k]
        var text = t.text
        var derived = t.escaped
        var end = k
        // The literals joined after the first (an array for the first too cost one for every value).
        var morePieces = [Int]()
        // (Not the name of a `set` command, `set "A:Key" "v"`: two arguments, not one literal.)
        let setsName = k >= 1 && tokens[k - 1].kind == .word && Tokenizer.isSetCommand(tokens[k - 1].text) && Tokenizer.isSetName(t.text)
        if t.kind == .string, !setsName {
            var j = k + 1
            var newlines = 0
            while j < tokens.count, morePieces.count < 31 {
                let u = tokens[j]
                if u.kind == .newline { newlines += 1; if newlines > 1 { break }; j += 1; continue }
                if u.kind == .op, Self.joiningOperators.contains(u.text) {
                    if u.text == "||" && tokens[j - 1].kind != .string { break }
                    j += 1; continue
                }
                if u.kind == .string, j > end + 1 || tokens[j - 1].range.upperBound < u.range.lowerBound {
                    // `"a" "b"`, `"a" + "b"`, a literal continued on the next line.
                    if u.text.isEmpty && tokens[j - 1].kind == .string { break }
                    text += u.text
                    consumed.insert(j)
                    derived = true
                    end = j
                    morePieces.append(j)
                    newlines = 0
                    j += 1
                    continue
                }
                break
            }
            // A `||` between literals is not a concatenation unless more literals follow (`"a" || "b"` in JS).
        }
        var range = t.kind == .string && t.range.isEmpty ? t.range.lowerBound..<(t.range.lowerBound + 1) : t.range
        if t.kind == .string, let (joined, first) = joinedConstants(text) {
            // A template literal made only of constants: the value is theirs, reported at the first piece.
            text = joined
            range = first
            derived = true
        }
        var name = ""
        var extra = [String]()
        if let found = nameFor(k) {
            name = found.0
            extra = found.1
        }
        // The path is made only for a value that is kept or read inside: most tokens are neither.
        var kept: [String]?
        let cleaned = NamedValues.clean(text)
        if cleaned != text { derived = true }
        if !name.isEmpty || derived, !cleaned.isEmpty {
            let path = currentPath + extra
            kept = path
            out.append(NamedValue(path: path, name: name, value: cleaned, range: range, derived: derived))
            if isIdentifier(name), !Self.holdsDot(name), cleaned.utf8.count >= 4 { constants[name] = (cleaned, range) }
            let norm = NamedValue.normalize(name)
            if Self.pairNames.contains(norm), let (label, parents) = pairName(cleaned) {
                pending = Pending(name: label, line: t.line, depth: braceDepth, column: nameColumn ?? t.column, parents: parents,
                                  label: Self.recordLabel(of: label))
                // `"key": "maintainx_api_key"` names the next value; it is not a value itself.
                if Self.looksLikeName(label) { out.removeLast() }
            }
        }
        // Text inside the string: escaped JSON, a header, a query string, code in a notebook cell.
        // Each piece on its own: `curl -d '{...}' \` followed by a URL is two arguments, not one literal.
        for p in 0...morePieces.count {
            let piece = p == 0 ? k : morePieces[p - 1]
            guard tokens[piece].kind == .string && depth < NamedValues.maxDepth && worthNesting(tokens[piece].text) else { continue }
            let t = tokens[piece]
            let path = kept ?? currentPath + extra
            let inner = NamedValues.extract(Array(t.text.utf8), path: "", depth: depth + 1, outer: name.isEmpty ? path : path + [name])
            let base = t.range.lowerBound, limit = max(t.range.count - 1, 0)
            for var v in inner {
                let offset = min(v.range.lowerBound, limit)
                let length = min(v.range.count, t.range.count - offset)
                v.range = (base + offset)..<(base + offset + max(length, 1))
                v.derived = v.derived || t.escaped
                out.append(v)
            }
        }
    }

    /// `${A}${B}` or `{A}{B}` where A and B are constants of this file: their joined values and A's place.
    private func joinedConstants(_ s: String) -> (String, Range<Int>)? {
        guard s.utf8.count >= 6, s.utf8.last == 125, !constants.isEmpty else { return nil }
        let u = Array(s.utf8)
        var i = 0
        var value = ""
        var first: Range<Int>?
        while i < u.count {
            if u[i] == 36 { i += 1 }
            guard i < u.count, u[i] == 123 else { return nil }
            var k = i + 1
            while k < u.count, u[k] != 125 { k += 1 }
            guard k < u.count, k > i + 1 else { return nil }
            let name = String(decoding: u[(i + 1)..<k], as: UTF8.self)
            guard let c = constants[name] else { return nil }
            value += c.value
            if first == nil { first = c.range }
            i = k + 1
        }
        guard let first, value.utf8.count >= 16 else { return nil }
        return (value, first)
    }

    private func worthNesting(_ s: String) -> Bool {
        guard s.utf8.count >= 10 else { return false }
        var sawSeparator = false
        for c in s.utf8 where c == 61 || c == 58 || c == 10 || c == 38 { sawSeparator = true; break }
        return sawSeparator
    }

    /// Android's `buildConfigField("String", "NAME", "\"v\"")` and `resValue(...)`, whose second argument names the
    /// third; Groovy writes them without parentheses (`buildConfigField "String", "NAME", "..."`).
    private func isConfigFieldCall(before b: Int) -> Bool {
        guard b >= 2, tokens[b - 1].kind == .string else { return false }
        let call = tokens[b - 2].isOp("(") && b >= 3 ? b - 3 : b - 2
        guard tokens[call].isWordLike else { return false }
        return tokens[call].text == "buildConfigField" || tokens[call].text == "resValue"
    }

    /// The name a pair's name field gives (`"key": "X"`, `- name: X`, `"id": "X"`), and its parents when it is a
    /// path of names (`"Name": "/prod/algolia/api_key"`, an AWS SSM parameter; `prod/algolia`): nil when it is no
    /// name.
    private func pairName(_ s: String) -> (String, [String])? {
        if isIdentifier(s) { return (s, []) }
        guard s.utf8.contains(47), s.utf8.count <= 200 else { return nil }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false).dropFirst(s.utf8.first == 47 ? 1 : 0).map(String.init)
        guard parts.count >= 2, parts.allSatisfy(isIdentifier) else { return nil }
        return (parts[parts.count - 1], Array(parts.dropLast()))
    }

    /// Whether a pair's name may also label the record's other fields, as the credential's id does in a Jenkins
    /// or JCasC credential (`id: "algolia-api-key"` then `secret: v`) and a service's name in a list of
    /// services (`- name: algolia` then `api_key: v`): a word of letters, or words of letters joined by `_`, `-`,
    /// `.` or `:` (a random id, `AKIA…`, `3f9c…`, labels nothing: its letters could spell a vendor's name).
    static func recordLabel(of s: String) -> Bool {
        guard s.utf8.count <= 60 else { return false }
        if s.utf8.count <= 30, s.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }) { return true }
        return looksLikeName(s)
    }

    /// `maintainx_api_key`, `X-Api-Key`, `Makini:ClientSecret`: words joined by separators, each starting with a
    /// letter (a UUID's groups, `a0b1c2d3-24d2-...`, are no words: such a value under `key` is a key, not the name
    /// of the next value).
    static func looksLikeName(_ s: String) -> Bool {
        let parts = s.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "." || $0 == ":" })
        return parts.count >= 2 && parts.allSatisfy { $0.count <= 20 && $0.first?.isLetter == true }
    }

    private func isIdentifier(_ s: String) -> Bool {
        guard let f = s.utf8.first, s.utf8.count <= 100, (f >= 65 && f <= 90) || (f >= 97 && f <= 122) || f == 95 else { return false }
        return s.utf8.allSatisfy { Tokenizer.isWordByte($0) || $0 == 45 || $0 == 46 || $0 == 58 }
    }

    /// Column of the name token found by the last `nameFor` (for `{name, value}` pairs).
    private var nameColumn: Int?

    /// The name of the value at token `k` and extra path components (the dotted prefix of `cfg.makini.secret`).
    private mutating func nameFor(_ k: Int) -> (String, [String])? {
        nameColumn = nil
        var j = k - 1
        var skipped = 0
        while j >= 0, skipped < 6, tokens[j].kind == .newline || tokens[j].isOp("(") || tokens[j].isOp("\\") { j -= 1; skipped += 1 }
        guard j >= 0 else { return nil }
        let op = tokens[j]
        // A `set` command's value (`aws configure set aws_secret_access_key v`, `dotnet user-secrets set "A:Key" "v"`):
        // the name before it.
        if j >= 1, op.kind == .word || op.kind == .string, op.line == tokens[k].line, tokens[j - 1].kind == .word,
           tokens[j - 1].line == op.line, Tokenizer.isSetCommand(tokens[j - 1].text), Tokenizer.isSetName(op.text) {
            nameColumn = op.column
            return split(op.text)
        }
        switch op.kind {
        case .op:
            switch op.text {
            case "=", ":", ":=", "=>", "?=", "||=", "??=", "::=", "<-", "<<-":
                guard let (raw, index) = assignedName(before: j) else { return nil }
                nameColumn = tokens[index].column
                var name = raw
                if let alias = aliases[name] { return (alias, []) }
                let norm = NamedValue.normalize(name)
                if Self.pairValues.contains(norm), let p = pending, reaches(p, value: k, name: index) {
                    pending = nil
                    return (p.name, p.parents)
                }
                if Self.defaultNames.contains(norm) {
                    // (Found only here: walking back to the line's start for every value cost a minified file, one
                    // line of thousands of values, time in the square of its length.)
                    let lineStart = startOfLine(j)
                    if let env = keywordString(["env", "alias", "env_var", "validation_alias", "name"], in: lineStart..<endOfLine(k)) { return (env, []) }
                    if let enclosing = enclosingDeclaration(from: index, lineStart: lineStart) { return split(enclosing) }
                    if let label = stack.last?.labels.last { return (label, []) }
                }
                if op.text == "=" || op.text == ":=", let env = environmentName(in: (j + 1)..<k) { return (env, []) }
                name = raw
                // A keyword argument (`discord.Client(secret="...")`, Swift's `Client(secret: "...")`): under the call.
                var before = index - 1
                while before >= 0, tokens[before].kind == .newline { before -= 1 }
                if op.text == "=" || op.text == ":", before >= 0, tokens[before].isOp("(") || tokens[before].isOp(","),
                   let callee = callee(enclosing: before) {
                    let (last, parts) = split(name)
                    return (last, [callee] + parts)
                }
                // A key of a chain of subscripts (`config["algolia"]["api_key"] = v`, PHP's `$cfg['algolia']['key']`):
                // the keys before it are its parents.
                if index >= 4, tokens[index - 1].isOp("["), tokens[index + 1].isOp("]") {
                    var parents = [String]()
                    var x = index - 1
                    while parents.count < 3, x >= 3, tokens[x - 1].isOp("]"), tokens[x - 2].isNameLike, tokens[x - 3].isOp("[") {
                        parents.insert(tokens[x - 2].text, at: 0)
                        x -= 3
                    }
                    if !parents.isEmpty { return (name, parents) }
                }
                // A field of a record that a name field labelled (`id: "algolia-api-key"` then `secret: v`): the
                // label is the field's parent, so the field keeps its own name (`password` stays a password).
                if let p = pending, p.label, reaches(p, value: k, name: index), !Self.pairNames.contains(norm) {
                    let (last, parts) = split(name)
                    return (last, p.parents + [p.name] + parts)
                }
                return split(name)
            case "{":
                // Ruby `ENV.fetch("NAME") { "v" }`: the block gives the default of the variable named.
                if j >= 4, tokens[j - 1].isOp(")"), tokens[j - 2].kind == .string, tokens[j - 3].isOp("("),
                   tokens[j - 4].text.hasSuffix("fetch"), isIdentifier(tokens[j - 2].text) {
                    return (tokens[j - 2].text, [])
                }
                return nil
            case "||", "??", "?:", "|", "?", ",", ":-", "-", "//", "or":
                if let env = environmentName(in: statementStart(j)..<j) { return (env, []) }
                var a = j - 1
                while a > 0, tokens[a].kind == .newline { a -= 1 }
                var b = a - 1
                while b > 0, tokens[b].kind == .newline { b -= 1 }
                // `lookup("NAME", "v")`: the first argument names the second, as the first of a pair in braces
                // does (C# `{ "Name", "v" }`). (Not in lists: `["a", "b"]`.)
                if op.text == ",", a >= 1, b >= 0, tokens[a].kind == .string, isIdentifier(tokens[a].text),
                   tokens[b].isOp("(") || (tokens[b].isOp("{") && k + 1 < tokens.count && tokens[k + 1].isOp("}"))
                    || (tokens[b].isOp(",") && isConfigFieldCall(before: b)) {
                    return (tokens[a].text, [])
                }
                return nil
            default:
                return nil
            }
        case .word:
            if op.text == "or" || op.text == "else" || op.text == "orElse" {
                if let env = environmentName(in: statementStart(j)..<j) { return (env, []) }
                return nil
            }
            if op.text.hasPrefix("-"), op.text.utf8.count >= 2 {
                let flag = Self.flagName(op.text)
                // A command that stores a secret under a name given before it: `gh secret set NAME --body v`,
                // `aws ssm put-parameter --name /prod/x/api_key --value v`, `az keyvault secret set --name N --value v`.
                if Self.valueFlags.contains(NamedValue.normalize(String(flag))), let named = commandName(before: j) { return named }
                return flag.count >= 3 ? (String(flag), []) : nil
            }
            if j >= 1, tokens[j - 1].kind == .word, tokens[j - 1].text == "define" || tokens[j - 1].text == "#define" { return (op.text, []) }
            return nil
        default:
            return nil
        }
    }

    /// The name of the call whose parentheses hold token `j` (a `(` or a `,` between its arguments), or nil when
    /// `j` is in braces or brackets first (a dictionary or list), or the call is a keyword (`if (`).
    private func callee(enclosing j: Int) -> String? {
        var depth = 0, m = j
        while m >= 0, j - m < 96 {
            let t = tokens[m]
            if t.kind == .op {
                switch t.text {
                case ")", "]", "}": depth += 1
                case "[", "{": if depth == 0 { return nil }; depth -= 1
                case "(":
                    if depth == 0 {
                        guard m >= 1, tokens[m - 1].isNameLike, !Self.controlWords.contains(tokens[m - 1].text) else { return nil }
                        return tokens[m - 1].text
                    }
                    depth -= 1
                case ";": if depth == 0 { return nil }
                default: break
                }
            }
            m -= 1
        }
        return nil
    }

    private func endOfLine(_ j: Int) -> Int {
        var e = j
        while e < tokens.count, tokens[e].kind != .newline { e += 1 }
        return e
    }

    /// Whether the pair name `p` reaches the value at token `value`, named by token `name`: within four lines, at
    /// the same brace depth, and on the pair name's line or under it (the same column).
    private func reaches(_ p: Pending, value: Int, name: Int) -> Bool {
        tokens[value].line - p.line <= 4 && p.depth == braceDepth && (p.line == tokens[value].line || p.column == tokens[name].column)
    }

    /// A flag's name without its dashes (`--secret-id` → `secret-id`).
    private static func flagName(_ flag: String) -> Substring {
        var name = Substring(flag)
        while name.first == "-" { name = name.dropFirst() }
        return name
    }

    /// Flags whose argument is the value a command stores, named elsewhere on the command line.
    static let valueFlags: Set<String> = ["value", "body", "b", "secret_string", "secret_value"]
    /// Flags whose argument names the value a command stores.
    static let nameFlags: Set<String> = ["name", "n", "key", "secret_id"]

    /// The name that the command holding token `j` (a value flag) stores its value under: the argument of an
    /// earlier name flag (`--name N`, `--secret-id N`; a path such as `/prod/x/api_key` gives its parents too), or
    /// the word after a `set` subcommand (`gh secret set NAME`). Nil when the command names none.
    private func commandName(before j: Int) -> (String, [String])? {
        var i = j - 1
        let floor = statementStart(j)
        while i > floor {
            let t = tokens[i], before = tokens[i - 1]
            if t.isNameLike, before.kind == .word {
                if before.text.hasPrefix("-") {
                    if Self.nameFlags.contains(NamedValue.normalize(String(Self.flagName(before.text)))), let (name, parents) = pairName(t.text) {
                        return (name, parents)
                    }
                } else if before.text == "set", isIdentifier(t.text), Self.looksLikeName(t.text) {
                    return (t.text, [])
                }
            }
            i -= 1
        }
        return nil
    }

    /// The first token of the statement holding token `j`: back over lines that end inside a call or with
    /// an operator (`os.environ.get(\n "X",\n "v")`), at most 80 tokens.
    private func statementStart(_ j: Int) -> Int {
        var s = startOfLine(j)
        var steps = 0
        while s > 1, steps < 80 {
            let previous = tokens[s - 2]  // the token before the newline that ends the previous line
            guard previous.kind == .op, ["(", ",", "[", "\\", "=", "||", "??", "+", ":", "?:"].contains(previous.text) else { break }
            let earlier = startOfLine(s - 2)
            steps += s - earlier
            s = earlier
        }
        return s
    }

    private func startOfLine(_ j: Int) -> Int {
        var s = j
        while s > 0, tokens[s - 1].kind != .newline { s -= 1 }
        return s
    }

    /// True when `s` holds the Character `.` (bytes first: walking Characters cost a share of extraction, and a
    /// name without the byte holds no such Character).
    static func holdsDot(_ s: String) -> Bool { s.utf8.contains(46) && s.contains(".") }

    /// `self.secret`, `cfg.makini.secret`: the last component is the name, the others extend the path.
    private func split(_ name: String) -> (String, [String]) {
        guard Self.holdsDot(name), !name.hasPrefix("."), !name.hasSuffix(".") else { return (name, []) }
        var parts = name.split(separator: ".").map(String.init)
        let last = parts.removeLast()
        parts.removeAll { ["self", "this", "$this", "@"].contains($0) }
        return (last, parts)
    }

    /// The name before separator token `j`: `NAME =`, `"key":`, `X: Type =`, `Name string =`, `ENV["X"] =`, `X[] =`.
    private func assignedName(before j: Int) -> (String, Int)? {
        guard j >= 1 else { return nil }
        let t = tokens[j - 1]
        if t.isOp("]") {
            guard j >= 3 else { return nil }
            if tokens[j - 2].isNameLike, tokens[j - 3].isOp("[") { return (tokens[j - 2].text, j - 2) }
            if tokens[j - 2].isOp("["), tokens[j - 3].isWordLike { return (tokens[j - 3].text, j - 3) }
            return nil
        }
        if t.isOp("?"), j >= 2, tokens[j - 2].isNameLike { return (tokens[j - 2].text, j - 2) }  // Swift/Kotlin `x: String? =`
        if t.isOp("}"), tokens[j].text == "=" {
            // C# `public string Secret { get; init; } = "v"`: the property's name.
            var m = j - 2
            while m > 0, j - m < 12, !tokens[m].isOp("{") { m -= 1 }
            if m > 0, tokens[m].isOp("{"), tokens[m - 1].isWordLike { return (tokens[m - 1].text, m - 1) }
            return nil
        }
        if tokens[j].text == ":", t.kind == .word, j >= 2, tokens[j - 2].kind == .word {
            // Prose: `use this signing secret for now: v` is named by its secret words.
            if let phrase = secretPhrase(endingBefore: j) { return (phrase, j - 1) }
        }
        guard t.isNameLike else { return nil }
        if tokens[j].text == "=" {
            var m = j - 1
            while m > 0, m >= j - 7 {
                let u = tokens[m]
                if u.isOp(":"), tokens[m - 1].isNameLike {
                    // PowerShell `$env:NAME = "..."` is the variable NAME, not a `name: Type =` declaration.
                    if m == j - 2, tokens[m - 1].text.lowercased() == "$env" { return (t.text, j - 1) }
                    return (tokens[m - 1].text, m - 1)
                }
                if u.kind == .newline || (u.kind == .op && [",", "(", ";", "{", "=", ":="].contains(u.text)) { break }
                m -= 1
            }
            if Self.typeWords.contains(t.text), j >= 2, tokens[j - 2].isWordLike, !Self.typeWords.contains(tokens[j - 2].text) {
                // Visual Basic `Dim name As String =`: the name is before `As`.
                if j >= 3, tokens[j - 2].text == "As" || tokens[j - 2].text == "AS", tokens[j - 3].isNameLike { return (tokens[j - 3].text, j - 3) }
                return (tokens[j - 2].text, j - 2)
            }
        }
        if t.kind == .word, t.text.hasPrefix(":") { return (String(t.text.dropFirst()), j - 1) }
        return (t.text, j - 1)
    }

    static let secretWords: Set<String> = ["secret", "key", "token", "password", "passwd", "credential", "credentials", "apikey"]

    /// In a run of words before a colon, the last secret word with up to two words before it.
    private func secretPhrase(endingBefore j: Int) -> String? {
        var words = [String]()
        var m = j - 1
        while m >= 0, tokens[m].kind == .word, words.count < 8 {
            words.insert(tokens[m].text, at: 0)
            m -= 1
        }
        guard words.count >= 2, let last = words.lastIndex(where: { Self.secretWords.contains($0.lowercased()) }) else { return nil }
        return words[max(0, last - 1)...last].joined(separator: "_")
    }

    /// `secret: str = Field(default="v")`: the declaration around a call holding the default.
    private func enclosingDeclaration(from index: Int, lineStart: Int) -> String? {
        var m = index - 1
        var open = 0
        while m >= lineStart {
            let u = tokens[m]
            if u.isOp(")") { open += 1 } else if u.isOp("(") {
                if open == 0 {
                    guard m >= 1, tokens[m - 1].isWordLike else { return nil }
                    var p = m - 2
                    while p >= lineStart, tokens[p].isWordLike, p >= m - 3 { p -= 1 }
                    guard p >= lineStart, tokens[p].kind == .op, ["=", ":", ":="].contains(tokens[p].text) else { return nil }
                    return assignedName(before: p)?.0
                }
                open -= 1
            }
            m -= 1
        }
        return nil
    }

    /// The string given to one of `keys` as a keyword argument in `range` (`env="X"`).
    private func keywordString(_ keys: [String], in range: Range<Int>) -> String? {
        for m in range where m + 2 < range.upperBound {
            if tokens[m].kind == .word, keys.contains(tokens[m].text), tokens[m + 1].isOp("="), tokens[m + 2].kind == .string,
               isIdentifier(tokens[m + 2].text) {
                return tokens[m + 2].text
            }
        }
        return nil
    }

    /// Words that look up an environment variable (or a setting) by a name given in a string after them.
    static let lookupCalls: [String] = [
        "getenv", "Getenv", "LookupEnv", "environ.get", "ENV.fetch", "env", "getOrDefault", "GetEnvironmentVariable",
        "getProperty", "environment.get", "Deno.env.get", "env.get", "dotenv.get", "config", "os.Getenv", "os.getenv",
        "System.getenv", "os.environ.get", "fetch", "get",
    ]

    /// The environment variable looked up in `range`, the last one when several are: `os.getenv("X")`,
    /// `process.env.X`, `process.env["X"]`, `ENV["X"]`, `os.environ["X"]`, `${X}`, `env('X')`.
    private func environmentName(in range: Range<Int>) -> String? {
        var found: String?
        for m in range {
            let t = tokens[m]
            guard t.isWordLike else { continue }
            for prefix in ["process.env.", "import.meta.env.", "ENV.", "env.", "Env."] where t.text.hasPrefix(prefix) && t.text.utf8.count > prefix.utf8.count {
                let rest = String(t.text.dropFirst(prefix.count))
                if rest != "fetch", rest != "get", !rest.contains(".") { found = rest }
            }
            guard m + 2 < tokens.count else { continue }
            let next = tokens[m + 1]
            var a = m + 2
            while a < min(tokens.count, range.upperBound), tokens[a].kind == .newline { a += 1 }
            guard a < min(tokens.count, range.upperBound + 1) else { continue }
            let arg = tokens[a]
            guard arg.kind == .string, isIdentifier(arg.text) else { continue }
            if next.isOp("(") {
                let last = t.text.split(separator: ".").last.map(String.init) ?? t.text
                if Self.lookupCalls.contains(t.text) || Self.lookupCalls.contains(last) { found = arg.text }
            } else if next.isOp("[") {
                if t.text == "ENV" || t.text.hasSuffix("environ") || t.text == "process.env" || t.text.hasSuffix(".env") || t.text == "$_ENV" || t.text == "$_SERVER" || t.text == "environment" {
                    found = arg.text
                }
            }
        }
        return found
    }
}
