/// The lines a new version of a file adds to its old version: keywarden's own line diff, in place of libgit2's
/// `git_patch_from_blobs` with no context lines, for the staged-changes reader.
///
/// A line is its bytes up to and including `\n`; a last line without `\n` is a line too, and it differs from
/// the same text with `\n` (as in git: old `a` against new `a\nb\n` adds lines 1 and 2). An empty buffer has
/// no lines, and `\r` is an ordinary byte.
///
/// The edit script is minimal (fewest insertions plus deletions), so:
/// - identical versions give `[]`, and a version that only deletes lines gives `[]`;
/// - a version that only appends lines gives exactly those lines;
/// - every line of `new` whose exact content (terminator included) occurs nowhere in `old` is reported;
/// - the ranges are 1-based, ascending, and neither overlap nor touch (touching runs are merged).
///
/// How:
/// 1. the common first lines are set aside, then the common last lines of what remains (first the start, so
///    that lines appended after a copy of the file's last line are the ones reported);
/// 2. the remaining lines are hashed and grouped into classes of byte-identical lines (a hash match is
///    confirmed by comparing the bytes), so that comparing two lines is comparing two integers;
/// 3. a line whose content occurs nowhere in the other version can match nothing: it is changed without a
///    search (as in git's xdiff), which keeps a rewritten file cheap;
/// 4. the other lines go through Myers' O(ND) search in its linear-space form: the middle snake of each range
///    splits it in two, and the ranges wait on an explicit stack, never on the call stack;
/// 5. among minimal scripts, the choice is then made as xdiff's compaction makes it (without the indent
///    heuristic, which libgit2 leaves off): each run of changed lines on either side is slid as far down as
///    identical lines allow, then back up to the lowest place where it faces a change on the other side, if
///    it passed one. So a line inserted among identical copies is the last copy (old `a`, new `a a`: line 2),
///    and an insertion next to a deletion stays with it (old `X a`, new `a a`: line 1). Only `new`'s lines
///    are reported, so the order of deletions and insertions inside a hunk does not matter.
///
/// Steps 3 and 4 split and discard as xdiff does (the end of the forward snake when the two corners' diagonals
/// differ by an odd number, else the start of the backward one, diagonals from the highest), so where xdiff's
/// script is minimal the added lines are usually the same as libgit2's. They differ where xdiff gives up
/// minimality: it also sets aside lines repeated many times among lines that match nothing, even with
/// `--minimal`, and it cuts the search short on large inputs; this diff stays minimal and gives up instead
/// (below). `git diff` itself also applies the indent heuristic, which moves some runs.
///
/// Cost: splitting, hashing and trimming are linear in the bytes. The search and the compaction count their
/// steps (each diagonal examined, each line pair compared, each line a run is slid over): past `budget` the
/// result is nil, and the caller asks libgit2. Memory is linear in the number of lines.
enum LineDiff {
    /// The 1-based line numbers of `new` that are added relative to `old`, as ascending, non-overlapping,
    /// non-adjacent closed ranges (adjacent ranges merged), or nil when the diff would cost more than `budget`
    /// steps (the caller then falls back to libgit2).
    static func addedLines(old: UnsafeRawBufferPointer, new: UnsafeRawBufferPointer, budget: Int = 50_000_000) -> [ClosedRange<Int>]? {
        let a = Lines(old), b = Lines(new)
        if b.count == 0 { return [] }
        if a.count == 0 { return [1...b.count] }
        let shorter = min(a.count, b.count)
        var prefix = 0
        while prefix < shorter, Lines.same(a, prefix, b, prefix) { prefix += 1 }
        var suffix = 0
        while suffix < shorter - prefix, Lines.same(a, a.count - 1 - suffix, b, b.count - 1 - suffix) { suffix += 1 }
        // Only deletions, or nothing at all.
        if prefix + suffix == b.count { return [] }
        // Only one insertion. The compaction would leave it there: its first line differs from the line after
        // it (which is `old`'s first line after the prefix, the prefix being as long as it can be), so it
        // cannot slide down, and with no change in `old` it ends as low as it can go.
        if prefix + suffix == a.count { return [(prefix + 1)...(b.count - suffix)] }

        var oldChanged = [Bool](repeating: false, count: a.count)
        var newChanged = [Bool](repeating: false, count: b.count)
        let oldMiddle = prefix..<(a.count - suffix), newMiddle = prefix..<(b.count - suffix)

        // Classes of identical lines, and how often each occurs on each side.
        var classes = LineClasses(old: a, new: b, lineCount: oldMiddle.count + newMiddle.count)
        var oldClass = [Int](), newClass = [Int]()
        oldClass.reserveCapacity(oldMiddle.count)
        newClass.reserveCapacity(newMiddle.count)
        for i in oldMiddle { oldClass.append(classes.classify(0, i)) }
        for i in newMiddle { newClass.append(classes.classify(1, i)) }
        var inOld = [Int](repeating: 0, count: classes.count), inNew = [Int](repeating: 0, count: classes.count)
        for c in oldClass { inOld[c] += 1 }
        for c in newClass { inNew[c] += 1 }
        // A class on one side of the middle only may still occur in the common first and last lines (the same
        // in both versions): counted there too, as xdiff counts a line's copies in the whole other file. Only
        // the common lines as long as such a class's lines (by a 4,096-bucket filter) are hashed and looked up.
        var lengthFilter = [Bool](repeating: false, count: 4096)
        var filtering = false
        for c in 0..<classes.count where inOld[c] == 0 || inNew[c] == 0 {
            lengthFilter[classes.length(c) & 4095] = true
            filtering = true
        }
        if filtering {
            for common in [0..<prefix, (a.count - suffix)..<a.count] {
                for i in common where lengthFilter[a.length(i) & 4095] {
                    if let c = classes.find(0, i) { inOld[c] += 1; inNew[c] += 1 }
                }
            }
        }

        // Lines without a counterpart are changed; the others are searched, by their position in the middle.
        var searchedOld: [Int] = [], searchedNew: [Int] = []
        var oldLine: [Int] = [], newLine: [Int] = []
        for (k, c) in oldClass.enumerated() {
            if inNew[c] == 0 { oldChanged[prefix + k] = true } else { searchedOld.append(c); oldLine.append(prefix + k) }
        }
        for (k, c) in newClass.enumerated() {
            if inOld[c] == 0 { newChanged[prefix + k] = true } else { searchedNew.append(c); newLine.append(prefix + k) }
        }

        var search = Search(searchedOld, searchedNew, budget: budget)
        guard search.run() else { return nil }
        for (k, line) in oldLine.enumerated() where search.deleted[k] { oldChanged[line] = true }
        for (k, line) in newLine.enumerated() where search.inserted[k] { newChanged[line] = true }

        // The compaction, `old` first and then `new` (as xdiff does), with what the search left of the budget.
        var remaining = budget - search.work
        var compactOld = Compaction(lines: a, changed: oldChanged, other: newChanged, limit: remaining)
        guard compactOld.run() else { return nil }
        remaining -= compactOld.steps
        var compactNew = Compaction(lines: b, changed: newChanged, other: compactOld.changed, limit: remaining)
        guard compactNew.run() else { return nil }

        var ranges: [ClosedRange<Int>] = []
        var i = 0
        let changed = compactNew.changed
        while i < changed.count {
            guard changed[i] else { i += 1; continue }
            let start = i
            while i < changed.count, changed[i] { i += 1 }
            ranges.append((start + 1)...i)
        }
        return ranges
    }

    // MARK: - Lines

    /// A buffer cut into lines, by offsets.
    private struct Lines {
        let bytes: UnsafeRawBufferPointer
        /// Where each line starts, then the end of the buffer: line `i` is `bounds[i]..<bounds[i + 1]`.
        let bounds: [Int]
        var count: Int { bounds.count - 1 }

        init(_ bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
            var bounds = [0]
            let n = bytes.count
            var i = 0
            if let base = bytes.baseAddress {
                // Eight bytes at a time while none of them is `\n` (a zero byte of `word ^ 0x0A0A...` sets its top bit
                // in `(x - 0x0101...) & ~x & 0x8080...`, and a word without one gives 0), byte by byte otherwise.
                while i < n {
                    if i + 8 <= n {
                        let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
                        if (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
                        for j in i..<(i + 8) where base.load(fromByteOffset: j, as: UInt8.self) == 10 { bounds.append(j + 1) }
                        i += 8
                    } else {
                        if base.load(fromByteOffset: i, as: UInt8.self) == 10 { bounds.append(i + 1) }
                        i += 1
                    }
                }
            }
            if let last = bounds.last, last != n { bounds.append(n) }
            self.bounds = bounds
        }

        func length(_ i: Int) -> Int { bounds[i + 1] - bounds[i] }

        /// Where line `i` starts in memory (a buffer holding a line has an address: lines are never empty).
        func start(_ i: Int) -> UnsafeRawPointer? { bytes.baseAddress.map { $0 + bounds[i] } }

        /// Line `i` of `x` and line `j` of `y` hold the same bytes.
        static func same(_ x: Lines, _ i: Int, _ y: Lines, _ j: Int) -> Bool {
            let n = x.length(i)
            guard n == y.length(j), let p = x.start(i), let q = y.start(j) else { return false }
            return equalBytes(p, q, n)
        }

        /// Lines `i` and `j` of this buffer hold the same bytes.
        func same(_ i: Int, _ j: Int) -> Bool { Lines.same(self, i, self, j) }
    }

    private static func equalBytes(_ p: UnsafeRawPointer, _ q: UnsafeRawPointer, _ n: Int) -> Bool {
        var k = 0
        while k + 8 <= n {
            if p.loadUnaligned(fromByteOffset: k, as: UInt64.self) != q.loadUnaligned(fromByteOffset: k, as: UInt64.self) { return false }
            k += 8
        }
        while k < n {
            if p.load(fromByteOffset: k, as: UInt8.self) != q.load(fromByteOffset: k, as: UInt8.self) { return false }
            k += 1
        }
        return true
    }

    /// A 64-bit hash of `n` bytes at `p`, eight at a time. Only a shortcut: equal hashes are confirmed by the bytes.
    private static func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: n)
        var k = 0
        while k + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* multiplier
            h ^= h >> 29
            k += 8
        }
        var tail: UInt64 = 0
        while k < n {
            tail = tail << 8 | UInt64(p.load(fromByteOffset: k, as: UInt8.self))
            k += 1
        }
        h = (h ^ tail) &* multiplier
        h ^= h >> 32
        h = h &* 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return h
    }

    // MARK: - Classes of identical lines

    /// Numbers byte-identical lines alike, through an open-addressing table at most half full.
    private struct LineClasses {
        /// The two versions: side 0 is `old`, side 1 is `new`.
        private let sides: (Lines, Lines)
        private var slots: [Int]   // a class number plus one; 0 for a free slot
        private let mask: Int
        private var hashes: [UInt64] = []
        /// The first line seen of each class.
        private var representatives: [(side: Int, line: Int)] = []
        var count: Int { hashes.count }

        init(old: Lines, new: Lines, lineCount: Int) {
            sides = (old, new)
            var capacity = 16
            while capacity < 2 * lineCount { capacity <<= 1 }
            slots = [Int](repeating: 0, count: capacity)
            mask = capacity - 1
            hashes.reserveCapacity(lineCount)
            representatives.reserveCapacity(lineCount)
        }

        private func lines(_ side: Int) -> Lines { side == 0 ? sides.0 : sides.1 }

        /// The length of the lines of class `c`.
        func length(_ c: Int) -> Int {
            let r = representatives[c]
            return lines(r.side).length(r.line)
        }

        /// The class of line `i` of `side` (a new class when no line seen before holds the same bytes).
        mutating func classify(_ side: Int, _ i: Int) -> Int {
            let (slot, hash, found) = probe(side, i)
            if let found { return found }
            slots[slot] = hashes.count + 1
            hashes.append(hash)
            representatives.append((side, i))
            return hashes.count - 1
        }

        /// The class of line `i` of `side`, when a line seen before holds the same bytes.
        func find(_ side: Int, _ i: Int) -> Int? { probe(side, i).found }

        /// Where line `i` of `side` is or would be in the table, its hash, and its class when it has one.
        private func probe(_ side: Int, _ i: Int) -> (slot: Int, hash: UInt64, found: Int?) {
            let x = lines(side)
            let h = x.start(i).map { LineDiff.hash($0, x.length(i)) } ?? 0
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let s = slots[slot]
                if s == 0 { return (slot, h, nil) }
                let c = s - 1, r = representatives[c]
                if hashes[c] == h, Lines.same(lines(r.side), r.line, x, i) { return (slot, h, c) }
                slot = (slot + 1) & mask
            }
        }
    }

    // MARK: - Myers' search

    /// Myers' O(ND) search for a minimal edit script between two sequences of class numbers, in linear space:
    /// each range is trimmed of its common ends, and split at a point of a minimal path found by running the
    /// search from both corners until they meet (the "middle snake").
    private struct Search {
        let a: [Int], b: [Int]
        private(set) var deleted: [Bool]
        private(set) var inserted: [Bool]
        /// Steps so far: diagonals examined and line pairs compared.
        private(set) var work = 0
        let budget: Int
        /// The furthest `x` reached on each diagonal `k = x - y`, stored at `k + offset`, searching forward
        /// from the range's start and backward from its end.
        private var forward: [Int], backward: [Int]
        private let offset: Int

        init(_ a: [Int], _ b: [Int], budget: Int) {
            self.a = a
            self.b = b
            self.budget = budget
            deleted = [Bool](repeating: false, count: a.count)
            inserted = [Bool](repeating: false, count: b.count)
            // Diagonals run from -b.count to a.count, with one guard cell beyond each end.
            offset = b.count + 1
            forward = [Int](repeating: 0, count: a.count + b.count + 3)
            backward = forward
        }

        /// Marks the deleted and inserted lines; false when the budget ran out (or, defensively, when a split
        /// point came out where it cannot be).
        mutating func run() -> Bool {
            var ranges = [(a0: 0, a1: a.count, b0: 0, b1: b.count)]
            while var r = ranges.popLast() {
                while r.a0 < r.a1, r.b0 < r.b1, a[r.a0] == b[r.b0] { r.a0 += 1; r.b0 += 1; work += 1 }
                while r.a0 < r.a1, r.b0 < r.b1, a[r.a1 - 1] == b[r.b1 - 1] { r.a1 -= 1; r.b1 -= 1; work += 1 }
                if r.a0 == r.a1 {
                    for y in r.b0..<r.b1 { inserted[y] = true }
                } else if r.b0 == r.b1 {
                    for x in r.a0..<r.a1 { deleted[x] = true }
                } else {
                    guard let (x, y) = split(r.a0, r.a1, r.b0, r.b1) else { return false }
                    ranges.append((x, r.a1, y, r.b1))
                    ranges.append((r.a0, x, r.b0, y))
                }
                if work > budget { return false }
            }
            return true
        }

        /// A point on a minimal path from `(a0, b0)` to `(a1, b1)`, other than those two corners: the end of
        /// the forward middle snake when the diagonals differ by an odd number, else the start of the backward
        /// one. The range's first elements differ and so do its last ones, so the edit distance is at least 2
        /// and each half gets a part of it. Nil past the budget.
        private mutating func split(_ a0: Int, _ a1: Int, _ b0: Int, _ b1: Int) -> (Int, Int)? {
            let dmin = a0 - b1, dmax = a1 - b0
            let fmid = a0 - b0, bmid = a1 - b1
            let odd = (fmid - bmid) & 1 != 0
            var fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid
            forward[fmid + offset] = a0
            backward[bmid + offset] = a1
            // The searches meet after at most half the larger possible distance each; the bound is only a guard.
            let rounds = (a1 - a0 + b1 - b0) / 2 + 2
            for _ in 0..<rounds {
                // Forward, one more edit: each diagonal extends from its neighbours (-1 marks "none").
                if fmin > dmin { fmin -= 1; forward[fmin - 1 + offset] = -1 } else { fmin += 1 }
                if fmax < dmax { fmax += 1; forward[fmax + 1 + offset] = -1 } else { fmax -= 1 }
                var k = fmax
                while k >= fmin {
                    let lower = forward[k - 1 + offset], upper = forward[k + 1 + offset]
                    var x = lower >= upper ? lower + 1 : upper
                    var y = x - k
                    let x0 = x
                    while x < a1, y < b1, a[x] == b[y] { x += 1; y += 1 }
                    work += 1 + x - x0
                    forward[k + offset] = x
                    if odd, bmin <= k, k <= bmax, backward[k + offset] <= x {
                        return Self.inside(x, y, a0, a1, b0, b1) ? (x, y) : nil
                    }
                    k -= 2
                }
                // Backward, one more edit (Int.max marks "none").
                if bmin > dmin { bmin -= 1; backward[bmin - 1 + offset] = Int.max } else { bmin += 1 }
                if bmax < dmax { bmax += 1; backward[bmax + 1 + offset] = Int.max } else { bmax -= 1 }
                k = bmax
                while k >= bmin {
                    let lower = backward[k - 1 + offset], upper = backward[k + 1 + offset]
                    var x = lower < upper ? lower : upper - 1
                    var y = x - k
                    let x0 = x
                    while x > a0, y > b0, a[x - 1] == b[y - 1] { x -= 1; y -= 1 }
                    work += 1 + x0 - x
                    backward[k + offset] = x
                    if !odd, fmin <= k, k <= fmax, x <= forward[k + offset] {
                        return Self.inside(x, y, a0, a1, b0, b1) ? (x, y) : nil
                    }
                    k -= 2
                }
                if work > budget { return nil }
            }
            return nil
        }

        /// The point is in the range and is neither of its corners, so both halves are smaller than the range.
        private static func inside(_ x: Int, _ y: Int, _ a0: Int, _ a1: Int, _ b0: Int, _ b1: Int) -> Bool {
            a0 <= x && x <= a1 && b0 <= y && y <= b1 && !(x == a0 && y == b0) && !(x == a1 && y == b1)
        }
    }

    // MARK: - Compaction

    /// Slides the runs of changed lines of one side, keeping the script minimal, the way xdiff's
    /// `xdl_change_compact` does without the indent heuristic. A run can move down by one when its first line
    /// equals the line after it (and up by one when its last line equals the line before it); the other side's
    /// runs are walked in step, since each slide moves one matched line from one end of the run to the other.
    private struct Compaction {
        let lines: Lines
        private(set) var changed: [Bool]
        let other: [Bool]
        let limit: Int
        /// Lines slid over and lines walked; past `limit` the compaction stops and reports it.
        private(set) var steps = 0

        /// A run of changed lines, `start..<end`, possibly empty (between two matched lines).
        private struct Run { var start = 0, end = 0 }

        init(lines: Lines, changed: [Bool], other: [Bool], limit: Int) {
            self.lines = lines
            self.changed = changed
            self.other = other
            self.limit = limit
        }

        private static func isSet(_ flags: [Bool], _ i: Int) -> Bool { i >= 0 && i < flags.count && flags[i] }

        private static func first(_ flags: [Bool]) -> Run {
            var r = Run()
            while isSet(flags, r.end) { r.end += 1 }
            return r
        }

        /// The run after `r`, past the matched line that ends it; false when `r` ends the file.
        private static func next(_ flags: [Bool], _ r: inout Run) -> Bool {
            guard r.end < flags.count else { return false }
            r.start = r.end + 1
            r.end = r.start
            while isSet(flags, r.end) { r.end += 1 }
            return true
        }

        /// The run before `r`, before the matched line that starts it; false when `r` starts the file.
        private static func previous(_ flags: [Bool], _ r: inout Run) -> Bool {
            guard r.start > 0 else { return false }
            r.end = r.start - 1
            r.start = r.end
            while isSet(flags, r.start - 1) { r.start -= 1 }
            return true
        }

        private mutating func slideDown(_ r: inout Run) -> Bool {
            guard steps <= limit, r.end < changed.count, lines.same(r.start, r.end) else { return false }
            changed[r.start] = false
            changed[r.end] = true
            r.start += 1
            r.end += 1
            steps += 1
            while Self.isSet(changed, r.end) { r.end += 1; steps += 1 }
            return true
        }

        private mutating func slideUp(_ r: inout Run) -> Bool {
            guard steps <= limit, r.start > 0, lines.same(r.start - 1, r.end - 1) else { return false }
            r.start -= 1
            r.end -= 1
            changed[r.start] = true
            changed[r.end] = false
            steps += 1
            while Self.isSet(changed, r.start - 1) { r.start -= 1; steps += 1 }
            return true
        }

        /// False when the limit was passed (the runs are then left valid but not all compacted). One walk over
        /// both sides is linear and not counted; the slides, and the other side's runs they pass, are.
        mutating func run() -> Bool {
            var g = Self.first(changed), go = Self.first(other)
            walk: while true {
                if g.end > g.start {
                    var size = 0, earliestEnd = 0, facingEnd = -1
                    repeat {
                        size = g.end - g.start
                        facingEnd = -1
                        // Up as far as it goes (merging with runs above), then down as far as it goes, noting
                        // the lowest place where the run faces a change on the other side.
                        while slideUp(&g) {
                            guard Self.previous(other, &go) else { break walk }
                            steps += go.end - go.start
                        }
                        earliestEnd = g.end
                        if go.end > go.start { facingEnd = g.end }
                        while slideDown(&g) {
                            guard Self.next(other, &go) else { break walk }
                            steps += go.end - go.start
                            if go.end > go.start { facingEnd = g.end }
                        }
                    } while size != g.end - g.start && steps <= limit
                    // Back up to face the other side's change, when the run passed one.
                    if g.end != earliestEnd, facingEnd != -1 {
                        while go.end == go.start {
                            guard slideUp(&g), Self.previous(other, &go) else { break walk }
                        }
                    }
                }
                guard steps <= limit, Self.next(changed, &g), Self.next(other, &go) else { break }
            }
            return steps <= limit
        }
    }
}
