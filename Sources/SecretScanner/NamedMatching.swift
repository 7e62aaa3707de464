import Credentials
import NamedValues
import PatternMatching
import SecretRules

/// The named-value rules: where the prefilter saw one of their keywords (or the file path names one), the
/// buffer's named values are extracted once and each rule judges each value by its name, vendor context
/// and shape. Values that had to be reassembled (split literals, escaped strings) are also given to the
/// pattern rules, so a MaintainX key split over three C literals is found like a whole one.
extension BufferScanner {
    /// True when the named-value layer read the whole buffer, so its split values were given to the pattern rules.
    func namedFindings(_ buffer: UnsafeRawBufferPointer, _ input: InputContext, lines: inout LineIndex, anyGate: Bool,
                       into findings: inout [Finding]) throws(ScanError) -> Bool {
        // Which gate words the file's path holds: the path goes through the same prefilter database (one short
        // scan; searching the path for each of a thousand gate words was a fifth of a scan's time).
        var path = input.path
        var inPath = [Int]()
        let ruleCount = compiled.prefilterToRule.count
        path.withUTF8 { raw in
            let bytes = UnsafeRawBufferPointer(raw)
            try? compiled.prefilter.scan(bytes, scratch: prefilterScratch) { pattern, end in
                guard pattern >= ruleCount, pattern < compiled.gatedKeywordsFrom else { return }
                let gate = pattern - ruleCount
                if !gateNeedsWordStart[gate] || Self.startsWord(bytes, at: end - compiled.gateWords[gate].count) { inPath.append(gate) }
            }
        }
        // The rules of the gate words present (a file holds few), then those without keywords, in rule order (a
        // rule named by several of them is taken once, below).
        var candidates = compiled.ungatedNamedRules
        if anyGate { for g in hitGates { candidates += compiled.gateRules[g] } }
        for g in inPath { candidates += compiled.gateRules[g] }
        if candidates.count > compiled.ungatedNamedRules.count { candidates.sort() }
        var applicable = [Int]()
        for r in candidates where applicable.last != r && ruleApplies(compiled.rules[r], to: input.path) { applicable.append(r) }
        guard !applicable.isEmpty else { nameFindings(buffer, path: input.path, &findings); return false }
        let lowerPath = input.path.lowercased()
        // Rules for any vendor (passwords, framework secrets) gate on common words ("password" is in much code):
        // for them only the lines around the gate words are read, as in a huge file.
        let broad = applicable.allSatisfy { compiled.rules[$0].named?.spec.vendor.isEmpty == true }
        let whole = !broad && buffer.count <= Self.wholeBufferLimit
        let values = extractValues(buffer, path: input.path, reach: broad ? Self.broadReach : Self.gateReach, whole: whole)
        guard !values.isEmpty else { return whole }
        Self.learnNames(values, &findings)
        var out = [Finding]()
        for v in values where v.derived && v.value.utf8.count >= 16 {
            let inner = try matchDerived(Array(v.value.utf8), input, named: false)
            guard !inner.isEmpty else { continue }
            // An inline allow on the line where the value is written covers what is found inside it (the
            // unescaped text has no comment of its own); a pair half is kept, marked, as on any line.
            let allowedThere = Filters.hasInlineAllow(lines.lineText(containing: v.range.lowerBound, upTo: v.range.upperBound))
            for var f in inner {
                if allowedThere {
                    guard f.pairMembership != nil else { continue }
                    f.inlineAllowed = true
                }
                place(&f, at: v.range, lines: &lines)
                if !v.name.isEmpty { f.extra["name"] = v.keyPath }
                if keep(f, input) { out.append(f) }
            }
        }
        let inCode = Self.isSourceCode(lowerPath)
        // When every rule that applies wants its vendor in the key path, a value whose key path holds none of
        // their vendor words is reported by none of them: it is passed over before it is judged (most values
        // of a file opened by a common vendor word, `column:` in code).
        let vendorWords = Self.keyPathVendorWords(applicable.map { compiled.rules[$0] })
        var squeezed = [UInt8]()
        for v in values where !v.name.isEmpty {
            if let vendorWords, !Self.keyPathMayHold(vendorWords, v, squeezed: &squeezed) { continue }
            let judged = NamedJudgement(value: v)
            guard judged.plausible, !Self.continuesAsTemplate(buffer, value: v) else { continue }
            let unquotedInCode = inCode && !v.derived && !Self.quoted(buffer, v.range)
            for r in applicable {
                // A UUID is judged only by the rules whose value shape is one (a vendor's UUID key).
                if judged.isUUID, compiled.rules[r].named?.takesUUIDs != true { continue }
                // A rule tagged `quoted-in-code` (passwords) takes only string literals from source code: an
                // unquoted value there is code (`password: Sendable`, `pass = absl::Near(...)`).
                if unquotedInCode, compiled.rules[r].rule.tags.contains("quoted-in-code") { continue }
                // A value after a bare word (`cloudsmith v` in notes) is judged only by a rule tagged
                // `vendor-then-value`, and only when the word is its vendor's name (``evaluateNamed``).
                if v.unlabelled, !compiled.rules[r].rule.tags.contains(Rule.vendorThenValue) { continue }
                if let f = evaluateNamed(compiled.rules[r], judged, buffer: buffer, input: input, lowerPath: lowerPath, lines: &lines) {
                    out.append(f)
                }
            }
        }
        findings += out
        dropEncodedReadings(values, applicable: applicable, from: &findings)
        return whole
    }

    /// In a Kubernetes Secret manifest (a rule tagged `kubernetes-secret` applies), a `data:` value is base64: the
    /// Secret's rules judge what it encodes, and what it hides is found decoded (`extra.encoding`). Other rules'
    /// findings on its base64 text as written (a password rule taking `cGFzc3dvcmQxMjM=` for a password) go.
    private func dropEncodedReadings(_ values: [NamedValue], applicable: [Int], from findings: inout [Finding]) {
        let secretRules = Set(applicable.map { compiled.rules[$0].rule }.filter { $0.tags.contains(Self.kubernetesSecretTag) }.map(\.id))
        guard !secretRules.isEmpty else { return }
        let encoded = values.filter { v in v.path.last.map { NamedValue.normalize($0) == "data" } ?? false }
        guard !encoded.isEmpty else { return }
        // By place, or by the text itself (the place of a value inside an escaped string is approximate).
        let texts = Set(encoded.map(\.value))
        findings.removeAll { f in
            guard f.extra["encoding"] == nil, !secretRules.contains(f.ruleID) else { return false }
            return texts.contains(f.secret) || encoded.contains { $0.range.contains(f.offset) }
        }
    }

    static let kubernetesSecretTag = "kubernetes-secret"

    /// The pattern rules on split literals (``DerivedText/joinedRuns(_:)``): what they find across a join of a run
    /// is reported at the run's place in the input, under the rule and secret found. (What lies within one piece
    /// the scan of the input found already.)
    func joinedLiteralFindings(_ buffer: UnsafeRawBufferPointer, _ input: InputContext, lines: inout LineIndex,
                               into findings: inout [Finding]) throws(ScanError) {
        guard buffer.count <= Self.largestRebuilt, let joined = DerivedText.joinedRuns(buffer) else { return }
        let inner = try matchDerived(joined.text, input, named: false)
        guard !inner.isEmpty else { return }
        let known = Set(findings.map { "\($0.ruleID)@\($0.offset)" })
        for var f in inner {
            let span = f.offset..<(f.offset + max(f.secret.utf8.count, 1))
            // The run holding the secret (runs are in `text` order), and a join inside the secret.
            var lo = 0, hi = joined.runs.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if joined.runs[mid].at <= f.offset { lo = mid + 1 } else { hi = mid }
            }
            guard lo > 0 else { continue }
            let run = joined.runs[lo - 1]
            guard run.joins.contains(where: { $0 > span.lowerBound && $0 < span.upperBound }) else { continue }
            if Filters.hasInlineAllow(lines.lineText(containing: run.source.lowerBound, upTo: run.source.upperBound)) {
                guard f.pairMembership != nil else { continue }
                f.inlineAllowed = true
            }
            place(&f, at: run.source, lines: &lines)
            guard !known.contains("\(f.ruleID)@\(f.offset)"), keep(f, input) else { continue }
            findings.append(f)
        }
    }

    /// The vendor words of `rules` when every one of them wants its vendor in the value's key path (scope
    /// `name`, a vendor given): a value is attributed to such a rule only when a word of its vendor is part
    /// of the key path's letters and digits (``attributed``). Nil when one of them may be attributed otherwise.
    static func keyPathVendorWords(_ rules: [CompiledRule]) -> [[UInt8]]? {
        var words = [[UInt8]]()
        for rule in rules {
            guard let spec = rule.named?.spec, !spec.vendor.isEmpty, spec.vendorScope == .name else { return nil }
            for w in spec.vendor where !words.contains(Array(w.utf8)) { words.append(Array(w.utf8)) }
        }
        return words
    }

    /// False when no word of `vendorWords` occurs in the letters and digits of `v`'s key path (its parents and
    /// its name), lowercased and run together: `NamedJudgement.squeezed`, in which ``attributed`` looks for a
    /// long vendor word and whose words hold a short one. `squeezed` is scratch space, reused between values.
    static func keyPathMayHold(_ vendorWords: [[UInt8]], _ v: NamedValue, squeezed: inout [UInt8]) -> Bool {
        squeezed.removeAll(keepingCapacity: true)
        func add(_ part: String) {
            for c in part.utf8 {
                if c >= 65 && c <= 90 { squeezed.append(c + 32) } else if (c >= 97 && c <= 122) || (c >= 48 && c <= 57) { squeezed.append(c) }
            }
        }
        for p in v.path { add(p) }
        add(v.name)
        return squeezed.withUnsafeBytes { text in
            vendorWords.contains { w in w.withUnsafeBytes { ByteSearch.occurs($0, in: text) } }
        }
    }

    /// True when the bytes right after a value start a template (`pypi-{{base64:40}}`, `pw_${PASSWORD}`,
    /// `<%= ENV["X"] %>`): the value is only the literal head of something filled in later.
    /// (A value taken from inside an escaped string is looked up on its line, where it is written.)
    static func continuesAsTemplate(_ buffer: UnsafeRawBufferPointer, value v: NamedValue) -> Bool {
        func opens(_ end: Int) -> Bool {
            guard end + 1 < buffer.count else { return false }
            let a = buffer[end], b = buffer[end + 1]
            return (a == 0x7B && (b == 0x7B || b == 0x25)) || (a == 0x24 && (b == 0x7B || b == 0x28)) || (a == 0x25 && b == 0x28)
                || (a == 0x3C && b == 0x25) || (a == 0x2E && b == 0x2E)
        }
        // (A value cut just inside the opener, `pw_$` before `{X}`, counts too.)
        guard v.derived else { return opens(v.range.upperBound) || (v.range.upperBound > 0 && opens(v.range.upperBound - 1)) }
        let needle = Array(v.value.utf8)
        guard !needle.isEmpty else { return false }
        var hi = v.range.lowerBound
        let ceiling = min(buffer.count, hi + 4096)
        while hi < ceiling, buffer[hi] != 0x0A { hi += 1 }
        var i = v.range.lowerBound
        while i + needle.count <= hi {
            if buffer[i] == needle[0], (0..<needle.count).allSatisfy({ buffer[i + $0] == needle[$0] }) { return opens(i + needle.count) || opens(i + needle.count - 1) }
            i += 1
        }
        return false
    }

    static let codeExtensions: Set<String> = [
        "swift", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "m", "mm", "java", "kt", "kts", "scala", "go", "rs", "js", "jsx",
        "mjs", "cjs", "ts", "tsx", "py", "rb", "php", "cs", "fs", "vb", "dart", "lua", "pl", "pm", "groovy", "ex", "exs", "erl",
        "hs", "clj", "zig", "nim", "jl", "r",
    ]

    /// True for a source file of a programming language (by extension).
    static func isSourceCode(_ lowerPath: String) -> Bool {
        guard let dot = lowerPath.lastIndex(of: "."), !lowerPath[dot...].contains("/") else { return false }
        return codeExtensions.contains(String(lowerPath[lowerPath.index(after: dot)...]))
    }

    /// True when the value's bytes are enclosed in quotes (or backticks) in the buffer.
    static func quoted(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard range.lowerBound > 0, range.upperBound < buffer.count else { return false }
        let open = buffer[range.lowerBound - 1], close = buffer[range.upperBound]
        return (open == 0x22 || open == 0x27 || open == 0x60) && close == open
    }

    /// Buffers up to this size are read whole; in larger ones (a vendored `sqlite3.c`, a big HAR) only the
    /// text around the prefilter's gate hits is, so a chance word in a huge file costs little.
    static let wholeBufferLimit = 16 * 1024
    static let gateReach = 4 * 1024
    /// How far around a gate word of the vendor-less rules the values are read.
    static let broadReach = 1024

    /// Pattern findings learn the name they were found under (`extra["name"]`).
    static func learnNames(_ values: [NamedValue], _ findings: inout [Finding]) {
        for i in findings.indices where findings[i].extra["name"] == nil {
            if let v = values.first(where: { !$0.name.isEmpty && $0.range.contains(findings[i].offset) }) {
                findings[i].extra["name"] = v.keyPath
            }
        }
    }

    /// Where no named-value rule applies, the pattern findings still learn their names: from the lines around
    /// each (so a finding's `extra["name"]` does not depend on whether some vendor's word occurs in the file).
    private func nameFindings(_ buffer: UnsafeRawBufferPointer, path: String, _ findings: inout [Finding]) {
        let offsets = findings.compactMap { $0.extra["name"] == nil ? $0.offset : nil }
        guard !offsets.isEmpty else { return }
        let whole = buffer.count <= Self.wholeBufferLimit
        Self.learnNames(extractValues(buffer, path: path, reach: Self.gateReach, whole: whole, around: offsets), &findings)
    }

    private func extractValues(_ buffer: UnsafeRawBufferPointer, path: String, reach: Int, whole: Bool,
                               around points: [Int]? = nil) -> [NamedValue] {
        guard !whole, buffer.count > 2 * reach else { return NamedValues.extract(buffer, path: path) }
        // Only the file's path named a provider (`hpack-test-case/haskell-http2-linear/story_30.json`, 1 MB): the
        // values worth reading are under secret words, so the windows are around those, and a large file
        // without one is not read at all.
        let centres = points ?? (gateEnds.isEmpty ? Self.secretWordEnds(buffer) : gateEnds)
        guard !centres.isEmpty else { return [] }
        var windows = [Range<Int>]()
        for end in centres.sorted() {
            var lo = max(0, end - reach), hi = min(buffer.count, end + reach)
            // Whole lines where the window holds a line break on that side; a line longer than the window (a
            // minified file, thousands of assignments on one line) is cut where the window ends instead of
            // at the gate word, which would cut the name or the value off.
            var k = lo
            while k > 0, k < end, buffer[k - 1] != 0x0A { k += 1 }
            if k < end { lo = k }
            var m = hi
            while m < buffer.count, m > end, buffer[m - 1] != 0x0A { m -= 1 }
            if m > end { hi = m }
            if let last = windows.last, lo <= last.upperBound {
                windows[windows.count - 1] = last.lowerBound..<max(last.upperBound, hi)
            } else {
                windows.append(lo..<hi)
            }
        }
        var out = [NamedValue]()
        for w in windows {
            for var v in NamedValues.extract(UnsafeRawBufferPointer(rebasing: buffer[w]), path: path) {
                v.range = (v.range.lowerBound + w.lowerBound)..<(v.range.upperBound + w.lowerBound)
                out.append(v)
            }
        }
        return out
    }

    /// The end offsets of ``BufferScanner/secretWords`` in `buffer` (any case; at most 4,096).
    static func secretWordEnds(_ buffer: UnsafeRawBufferPointer) -> [Int] {
        var ends = [Int]()
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return ends }
        var i = 0
        while i < buffer.count, ends.count < 4096 {
            let n = SecretWordTable.length(at: i, in: base, count: buffer.count, limit: buffer.count)
            if n > 0 { ends.append(i + n) }
            i += 1
        }
        return ends
    }

    private func place(_ f: inout Finding, at range: Range<Int>, lines: inout LineIndex) {
        let (line, column) = lines.position(of: range.lowerBound)
        let (endLine, endColumn) = lines.position(of: max(range.lowerBound, range.upperBound - 1))
        f.line = line
        f.column = column
        f.endLine = endLine
        f.endColumn = endColumn + 1
        f.offset = range.lowerBound
    }

    private func keep(_ f: Finding, _ input: InputContext) -> Bool {
        guard let filter = input.lineFilter else { return true }
        return filter.contains { $0.overlaps(f.line...f.endLine) }
    }

    private func evaluateNamed(_ rule: CompiledRule, _ v: NamedJudgement, buffer: UnsafeRawBufferPointer, input: InputContext,
                               lowerPath: String, lines: inout LineIndex) -> Finding? {
        guard let named = rule.named else { return nil }
        // How many components of the key path (the name, then its parents) the rule's names matched, at most.
        // A value after a bare word: the word must be the vendor's first name (its coined one), not any of its names.
        guard let depth = v.value.unlabelled ? (named.spec.vendor.first == v.squeezed ? 1 : nil)
            : namesDepth(named, v.candidates) ?? gluedVendorDepth(named, v) ?? camelVendorDepth(named, v) else { return nil }
        // A vendor-less framework rule (`framework-secret`) takes its name alone nested anywhere (`app:` /
        // `secret_key: v`), but not under a provider's key (`amplitude:` / `secret_key: v`): that value is the
        // provider's, for its own rule to report or for none.
        if depth == 1, named.spec.vendor.isEmpty, rule.rule.tags.contains("framework"), nestedUnderProvider(v.value) { return nil }
        let value = v.value.value
        if let shape = named.value, !((try? shape.matches(value, scratch: matchScratch)) ?? false) { return nil }
        if let min = rule.rule.entropy, Filters.entropy(Array(value.utf8)) < min { return nil }
        if v.classes < named.spec.valueClasses { return nil }
        guard attributed(named, v, buffer: buffer, lowerPath: lowerPath, lines: &lines) else { return nil }
        let lineText = lines.lineText(containing: v.value.range.lowerBound, upTo: v.value.range.upperBound)
        var facts = [String: String]()
        AccessFacts.around(v.value.range, rule: rule, buffer: buffer, scratch: matchScratch, into: &facts)
        guard let judged = judge(rule, secret: value, match: value, line: lineText, input: input, facts: facts) else { return nil }
        let secret = judged.secret, severity = judged.severity, inlineAllowed = judged.inlineAllowed
        var extra = judged.extra
        var f = Finding(rule: rule.rule, severity: severity, path: input.path, line: 0, column: 0, endLine: 0, endColumn: 0,
                        secret: secret, fingerprint: "")
        place(&f, at: v.value.range, lines: &lines)
        guard keep(f, input) else { return nil }
        extra["name"] = v.value.keyPath
        f.extra = extra
        f.inlineAllowed = inlineAllowed
        f.nameDepth = depth
        return f
    }

    /// How many components of a key path the rule's names take: one more than the index of the deepest of
    /// `candidates` (the name, then the name with its nearest parents in front) that one of them matches.
    func namesDepth(_ named: CompiledNamed, _ candidates: [String]) -> Int? {
        candidates.indices.last(where: { i in
            named.names.contains { (try? $0.matches(candidates[i], scratch: matchScratch)) ?? false }
        }).map { $0 + 1 }
    }

    /// A name whose last word glues one of the rule's vendor words (four letters or more) to a label in one case
    /// (`uclassifykey`, `openweatherapikey`, `$mapboxtoken`): the normalizer finds no word boundary in it, so the
    /// rule's names are tried on the name cut after the vendor word (`uclassify_key`). Depth 1 when one matches.
    /// The label must still be one the rule's names take; the vendor word alone (`uclassify`) is no label.
    func gluedVendorDepth(_ named: CompiledNamed, _ v: NamedJudgement) -> Int? {
        guard named.value != nil, let leaf = v.candidates.first else { return nil }
        let cut = leaf.utf8.lastIndex(of: 95).map { leaf.utf8.index(after: $0) } ?? leaf.startIndex
        let head = leaf[..<cut], last = leaf[cut...]
        for w in named.longVendor {
            let word = String(decoding: w, as: UTF8.self)
            guard last.count > word.count, last.hasPrefix(word) else { continue }
            if namesDepth(named, ["\(head)\(word)_\(last.dropFirst(word.count))"]) != nil { return 1 }
        }
        return nil
    }

    /// A name that writes one of the rule's vendor words (four letters or more) in camel case (`apiFlashKey`,
    /// `apiFlash: {api: v}`): the normalizer cuts the word at its capital (`api_flash_key`), so the rule's
    /// names are tried on the candidates with the pieces that spell a vendor word joined again (`apiflash_key`).
    /// Only pieces the normalizer cut at a change of case within one word of the name are joined, and only when
    /// together they spell a vendor word exactly; the names must still take the result. The depth is that of the
    /// deepest candidate they take, as for the candidates themselves.
    func camelVendorDepth(_ named: CompiledNamed, _ v: NamedJudgement) -> Int? {
        guard named.value != nil, !v.value.unlabelled, !v.candidates.isEmpty, named.holdsLongVendor(v.squeezed) else { return nil }
        var joinedAny = false
        let candidates = NamedJudgement.candidates(name: v.value.name, path: v.value.path) { name in
            guard let r = Self.joiningCamelVendorWords(name, named.longVendor) else { return NamedValue.normalize(name) }
            joinedAny = true
            return r
        }
        return joinedAny ? namesDepth(named, candidates) : nil
    }

    /// `name` normalized, with the words the normalizer cut from one word of `name` at a change of case
    /// (`apiFlash` → `api`, `flash`) joined again where together they spell one of `vendorWords` (lowercase):
    /// `apiFlashKey` → `apiflash_key`. Words apart in `name` (`api_flash`, `api-flash`) stay apart. Nil when
    /// nothing is joined.
    static func joiningCamelVendorWords(_ name: String, _ vendorWords: [[UInt8]]) -> String? {
        let longest = vendorWords.map(\.count).max() ?? 0
        var words: [String] = [], joined = false
        // The words of `name` between separators (anything but an ASCII letter or digit, as for the normalizer).
        for segment in name.utf8.split(whereSeparator: { c in !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) }) {
            let pieces = NamedValue.normalize(String(decoding: segment, as: UTF8.self)).split(separator: "_").map(String.init)
            var i = 0
            while i < pieces.count {
                var spelled = pieces[i], end: Int? = nil, j = i + 1
                while j < pieces.count, spelled.utf8.count < longest {
                    spelled += pieces[j]
                    if vendorWords.contains(where: { $0.elementsEqual(spelled.utf8) }) { end = j; break }
                    j += 1
                }
                if let end {
                    words.append(pieces[i...end].joined())
                    joined = true
                    i = end + 1
                } else {
                    words.append(pieces[i])
                    i += 1
                }
            }
        }
        return joined ? words.joined(separator: "_") : nil
    }

    /// True when a parent key of `v` names a provider of the rule set other than a framework's.
    func nestedUnderProvider(_ v: NamedValue) -> Bool {
        v.path.contains { parent in
            NamedValue.normalize(parent).split(separator: "_").contains { word in
                let w = String(word)
                return compiled.providerTokens.contains(w) && !compiled.frameworkTokens.contains(w)
            }
        }
    }

    /// True when the vendor is named where the rule's scope asks: in the key path, or (scope `near`) in the
    /// file path or within a few lines, and the key path does not name another provider.
    private func attributed(_ named: CompiledNamed, _ v: NamedJudgement, buffer: UnsafeRawBufferPointer, lowerPath: String,
                            lines: inout LineIndex) -> Bool {
        if named.spec.vendor.isEmpty { return true }
        if v.tokens.contains(where: { named.shortVendor.contains($0) }) { return true }
        if named.holdsLongVendor(v.squeezed) { return true }
        guard named.spec.vendorScope == .near else { return false }
        if v.tokens.contains(where: { compiled.providerTokens.contains($0) && !named.spec.vendor.contains($0) }) { return false }
        if named.holdsLongVendor(lowerPath) { return true }
        let window = Self.window(around: v.value.range, lines: named.spec.vendorLines, in: buffer)
        return named.longVendor.contains { Self.containsCaseless($0, in: buffer, range: window) }
    }

    /// The bytes from `count` lines before `range` to `count` lines after it, at most 4 KB either side.
    static func window(around range: Range<Int>, lines count: Int, in buffer: UnsafeRawBufferPointer) -> Range<Int> {
        var lo = min(range.lowerBound, buffer.count), newlines = 0
        let floor = max(0, lo - 4096)
        while lo > floor {
            if buffer[lo - 1] == 0x0A { newlines += 1; if newlines > count { break } }
            lo -= 1
        }
        var hi = min(range.upperBound, buffer.count)
        newlines = 0
        let ceiling = min(buffer.count, hi + 4096)
        while hi < ceiling {
            if buffer[hi] == 0x0A { newlines += 1; if newlines > count { break } }
            hi += 1
        }
        return lo..<hi
    }

    /// ASCII case-insensitive search of a lowercase `needle`.
    static func containsCaseless(_ needle: [UInt8], in buffer: UnsafeRawBufferPointer, range: Range<Int>) -> Bool {
        guard let first = needle.first, range.count >= needle.count else { return false }
        var i = range.lowerBound
        let last = range.upperBound - needle.count
        while i <= last {
            let c = buffer[i] | 0x20
            if c == first {
                var k = 1
                while k < needle.count, (buffer[i + k] >= 65 && buffer[i + k] <= 90 ? buffer[i + k] + 32 : buffer[i + k]) == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}

/// What the named-value rules need to know about one value, worked out once for all of them.
struct NamedJudgement {
    let value: NamedValue
    /// The normalized name, and the name with its nearest one, two and three parents in front.
    let candidates: [String]
    /// Words of the whole key path, normalized.
    let tokens: [String]
    /// The normalized key path joined by `_`, and without the `_` (`mind_tickle` written `MindTickle`).
    let joined: String
    let squeezed: String
    let classes: Int
    /// False for values no named rule reports: placeholders, references, masked values, code.
    let plausible: Bool
    /// The value is a UUID: only a rule that asks for one judges it (``CompiledNamed/takesUUIDs``).
    let isUUID: Bool

    /// Last words of a name that say the value is not the secret itself.
    static let notSecretSuffixes: Set<String> = [
        "id", "url", "uri", "host", "endpoint", "path", "file", "name", "header", "env", "var", "ref", "arn", "sha", "sha1",
        "sha256", "hash", "checksum", "digest", "etag", "commit", "fingerprint", "version", "region", "type", "length", "len",
        "size", "count", "ttl", "expiry", "expires", "prefix", "format", "scope", "scopes", "algorithm", "alg", "enabled",
        "label", "hint", "field", "param", "location", "mount", "arn", "kind", "rotation", "rotated", "at", "date", "hmac",
        "signature", "sig", "mode", "policy", "store", "provider", "source", "template", "placeholder", "example", "sample",
        "description", "desc", "help", "text", "title", "pattern", "regex", "validator", "schema", "class", "method", "timeout",
        "property", "properties", "prop", "setting", "option", "annotation", "attribute", "column", "table", "bucket",
    ]

    init(value: NamedValue) {
        self.value = value
        // Most values of a file are short (numbers, flags, words): judged out before any string work.
        guard value.value.utf8.count >= 8, !value.name.isEmpty else {
            candidates = []; tokens = []; joined = ""; squeezed = ""; classes = 0; plausible = false; isUUID = false
            return
        }
        let leaf = NamedValue.normalize(value.name)
        // (A normalized name has no empty word: its last word is what follows its last `_`.)
        let last = leaf.utf8.lastIndex(of: 95).map { String(leaf[leaf.utf8.index(after: $0)...]) } ?? leaf
        // The checks of the value come before the work on its key path: few values of a file pass them.
        // A UUID passes (most are ids: only the rules that ask for one judge it, see `isUUID`).
        let uuid = value.value.utf8.count == 36 && GenericValue.isUUID(Array(value.value.utf8))
        guard !leaf.isEmpty, !Self.notSecretSuffixes.contains(last), Self.plausibleValue(value.value) else {
            candidates = []; tokens = []; joined = ""; squeezed = ""; classes = 0; plausible = false; isUUID = false
            return
        }
        candidates = Self.candidates(leaf: leaf, path: value.path, normalize: NamedValue.normalize)
        let all = (value.path + [value.name]).map(NamedValue.normalize).filter { !$0.isEmpty }
        joined = all.joined(separator: "_")
        tokens = joined.split(separator: "_").map(String.init)
        squeezed = tokens.joined()
        var lower = false, upper = false, digit = false, other = false
        for c in value.value.utf8 {
            if c >= 97 && c <= 122 { lower = true } else if c >= 65 && c <= 90 { upper = true } else if c >= 48 && c <= 57 { digit = true } else { other = true }
        }
        classes = [lower, upper, digit, other].filter { $0 }.count
        plausible = !all.contains("encrypted_data")
        isUUID = uuid
    }

    /// The candidates of a name in `path`: the name as `normalize` gives it, then with its nearest one, two and
    /// three parents (as `normalize` gives them, empty ones left out) in front, joined by `_`.
    static func candidates(name: String, path: [String], normalize: (String) -> String) -> [String] {
        candidates(leaf: normalize(name), path: path, normalize: normalize)
    }

    private static func candidates(leaf: String, path: [String], normalize: (String) -> String) -> [String] {
        var candidates = [leaf], suffix = leaf
        for p in path.suffix(3).reversed().map(normalize) where !p.isEmpty {
            suffix = "\(p)_\(suffix)"
            candidates.append(suffix)
        }
        return candidates
    }

    static let referencePrefixes = [
        "arn:", "enc[", "ref+", "sm://", "projects/", "@microsoft.keyvault", "keyvault:", "ssm:", "secret:", "secrets/",
        "kms:", "file:", "/", "./", "~/", "http://", "https://", "awssm:", "azkv:", "gcpsm:", "doppler:", "infisical:", "env:",
        "%(", "%{", "#{", "@{", "$", "{", "[",
    ]
    static let referencePrefixBytes = referencePrefixes.map { Array($0.utf8) }
    /// Runs that mask a value.
    static let maskedNeedles = ByteNeedles(["***", "•", "…", "###", "~~~", "-----", "_____"])

    /// `webhook_secret`, `maintainxWebhookSecret`, `MAKINI_CLIENT_SECRET`, `keywarden-test-secret`: two or more
    /// words, each all lowercase, capitalised, or (between separators) all capitals. Random letters almost
    /// never fall into words like these.
    static func isWordsIdentifier(_ u: [UInt8]) -> Bool {
        // Letters, `_` and `-` only, checked before any word is cut out (most values hold other bytes).
        guard u.allSatisfy({ c in (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 45 }) else { return false }
        var words = [[UInt8]]()
        var current = [UInt8]()
        for c in u {
            let upper = c >= 65 && c <= 90, lower = c >= 97 && c <= 122
            guard upper || lower || c == 95 || c == 45 else { return false }
            if c == 95 || c == 45 {
                if !current.isEmpty { words.append(current) }
                current = []
            } else if upper, let last = current.last, last >= 97 {
                words.append(current)
                current = [c]
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { words.append(current) }
        guard words.count >= 2 else { return false }
        return words.allSatisfy { w in
            guard w.count >= 2, w.count <= 14 else { return false }
            let tail = w.dropFirst()
            let allLower = tail.allSatisfy { $0 >= 97 }
            let allUpper = w.allSatisfy { $0 <= 90 }
            return allLower || (allUpper && w.count <= 8)
        }
    }

    /// Whether `v` can be a secret at all (a UUID can: which rules judge one is decided by the caller).
    static func plausibleValue(_ v: String) -> Bool {
        let u = Array(v.utf8)
        guard u.count >= 8 else { return false }
        // Cheap byte tests first: most values of code are messages and identifiers.
        if u.contains(where: { $0 == 32 || $0 == 40 || $0 == 41 || $0 == 10 }) { return false }
        if u.allSatisfy({ $0 < 0x80 }) {
            // ASCII, nearly every value: the prefixes compared on bytes, without a lowercased copy.
            if referencePrefixBytes.contains(where: { p in
                p.count <= u.count && p.indices.allSatisfy { i in (u[i] >= 65 && u[i] <= 90 ? u[i] + 32 : u[i]) == p[i] }
            }) { return false }
        } else {
            let lower = v.lowercased()
            if referencePrefixes.contains(where: { lower.hasPrefix($0) }) { return false }
        }
        // A YAML tag (`!Ref`, `!vault`) or a Windows variable (`%DB_PASSWORD%`); a password may start with `!` or `%`.
        if v.hasPrefix("!"), v.dropFirst().allSatisfy({ $0.isLetter }) { return false }
        if v.hasPrefix("%"), v.hasSuffix("%") || v.dropFirst().allSatisfy({ $0.isLetter || $0 == "_" }) { return false }
        if Filters.isPlaceholder(v) { return false }
        // (Not `---` or `___`: base64url keys hold those by chance.)
        if maskedNeedles.occur(in: v) { return false }
        // Dotted identifiers (`settings.MAKINI_SECRET`, `config.webhookSecret`, `makini.oauth.client-secret`) are code.
        if !v.hasPrefix("eyJ"), u.contains(46), v.split(separator: ".").allSatisfy({ seg in
            seg.count < 32 && seg.first.map { $0.isLetter || $0 == "_" } == true && seg.allSatisfy { $0.isLetter || $0 == "_" || $0 == "-" }
        }) {
            return false
        }
        // A variable or an id given as the value (`webhook_secret: webhook_secret`, `= maintainxWebhookSecret;`,
        // `"maintainx-api-key-split"`, `keywarden-test-secret`).
        if u.count <= 64, isWordsIdentifier(u) { return false }
        // An environment variable's name given as the value (`secretKeyRef: key: MAKINI_WEBHOOK_SECRET`).
        if u.allSatisfy({ ($0 >= 65 && $0 <= 90) || $0 == 95 || ($0 >= 48 && $0 <= 57) }), u.contains(95), u.first.map({ $0 >= 65 && $0 <= 90 }) == true {
            let words = v.split(separator: "_")
            if words.count >= 2, words.allSatisfy({ $0.count <= 12 }) { return false }
        }
        return true
    }
}
