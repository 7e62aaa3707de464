internal import CPCRE2
import Foundation
import Synchronization

/// One match of a `CompiledRegex`: byte ranges into the subject, the whole match first, then each group
/// (nil where the group did not take part).
public struct RegexMatch: Sendable, Equatable {
    public let range: Range<Int>
    public let groups: [Range<Int>?]

    public init(range: Range<Int>, groups: [Range<Int>?]) {
        self.range = range
        self.groups = groups
    }
}

/// A PCRE2 pattern compiled once and shared by all workers.
///
/// Matching is byte-oriented (no UTF mode), so invalid UTF-8 in the input never fails a match.
/// A pattern made with `init(deferring:)` is compiled on first use instead: a small scan touches a few
/// of the hundreds of built-in patterns, and compiling them all cost it more than the scan.
///
/// Matching starts in PCRE2's interpreter and moves to JIT code once the pattern has been handed
/// `jitAfterBytes` bytes of subject: JIT-compiling a pattern costs about as much as interpreting a few
/// kilobytes with it, so a small scan never pays for it and a large one pays once per pattern.
public final class CompiledRegex: @unchecked Sendable {
    // @unchecked: `code`, `compiledCaptureCount` and `failure` are written only under `lock`, once, before
    // `compiled` is set; `jitCode` under `lock`, once, before `jitted` is set. PCRE2 allows concurrent
    // matching on one code object; the JIT compiles a copy of `code`, never the object others match with.
    private var code: OpaquePointer?
    private var jitCode: OpaquePointer?
    private var compiledCaptureCount = 0
    private var failure: PatternError?
    private let lock = Mutex<Void>(())
    /// Set (after `code`, under `lock`) once the pattern is compiled.
    private let compiled = Atomic<Bool>(false)
    /// Set (after `jitCode`, under `lock`) once matching has moved to JIT code, or stays interpreted because
    /// the JIT failed; subject bytes are counted only until then.
    private let jitted = Atomic<Bool>(false)
    /// Subject bytes handed to `forEachMatch` and `matches` before `jitted` was set.
    private let subjectBytes = Atomic<Int>(0)
    private let options: UInt32

    /// Subject bytes a pattern is interpreted on before it is JIT-compiled. Over the built-in rules' patterns the
    /// median JIT compile (10 µs) cost as much as interpreting 3.5 KB instead of running JIT code on it.
    package static let jitAfterBytes = 4 * 1024

    /// The pattern text as given.
    public let pattern: String

    /// Compiles `pattern`; throws `.invalidPattern` with PCRE2's message and the error offset.
    public init(_ pattern: String, caseless: Bool = false, multiline: Bool = false) throws(PatternError) {
        self.pattern = pattern
        options = Self.options(caseless: caseless, multiline: multiline)
        _ = try compiledCode()
    }

    /// Keeps `pattern` to compile on first use; a pattern that does not compile fails that use.
    public init(deferring pattern: String, caseless: Bool = false, multiline: Bool = false) {
        self.pattern = pattern
        options = Self.options(caseless: caseless, multiline: multiline)
    }

    private static func options(caseless: Bool, multiline: Bool) -> UInt32 {
        // The offset limit lets a budgeted search try a few start positions per call (`RegexBudget`).
        var options: UInt32 = PCRE2_USE_OFFSET_LIMIT
        if caseless { options |= PCRE2_CASELESS }
        if multiline { options |= PCRE2_MULTILINE }
        return options
    }

    deinit {
        if let code { pcre2_code_free_8(code) }
        if let jitCode { pcre2_code_free_8(jitCode) }
    }

    /// True once matching uses JIT code (for tests).
    package var isJITCompiled: Bool { jitted.load(ordering: .acquiring) && jitCode != nil }

    /// The code to match a subject of `length` bytes with, and its number of groups: the JIT code once there is
    /// some, else the interpreted code, JIT-compiling a copy of it when this subject takes the count over
    /// `jitAfterBytes`.
    private func matchingCode(forSubjectOf length: Int) throws(PatternError) -> (code: OpaquePointer, captures: Int) {
        // Once `jitted` is set nothing changes: read without the lock or the count (every match asks).
        if jitted.load(ordering: .acquiring) {
            if let jitCode { return (jitCode, compiledCaptureCount) }
            return try compiledCode()
        }
        let interpreted = try compiledCode()
        let total = subjectBytes.wrappingAdd(length, ordering: .relaxed).newValue
        guard total >= Self.jitAfterBytes else { return interpreted }
        let jit: OpaquePointer? = lock.withLock { _ in
            if !jitted.load(ordering: .relaxed), let copy = pcre2_code_copy_8(interpreted.code) {
                if pcre2_jit_compile_8(copy, UInt32(PCRE2_JIT_COMPLETE)) == 0 {
                    jitCode = copy
                } else {
                    // Without JIT code the copy is only the interpreted code again.
                    pcre2_code_free_8(copy)
                }
            }
            jitted.store(true, ordering: .releasing)
            return jitCode
        }
        return (jit ?? interpreted.code, interpreted.captures)
    }

    /// The compiled (interpreted) code and its number of groups, compiling it first.
    private func compiledCode() throws(PatternError) -> (code: OpaquePointer, captures: Int) {
        if compiled.load(ordering: .acquiring), let code { return (code, compiledCaptureCount) }
        let state: (code: OpaquePointer?, captures: Int, failure: PatternError?) = lock.withLock { _ in
            if code == nil, self.failure == nil {
                var errorCode: Int32 = 0
                var errorOffset: Int = 0
                let made: OpaquePointer? = pattern.withCString { p in
                    p.withMemoryRebound(to: UInt8.self, capacity: 1) {
                        pcre2_compile_8($0, Int(bitPattern: UInt(pattern.utf8.count)), options, &errorCode, &errorOffset, nil)
                    }
                }
                if let made {
                    var count: UInt32 = 0
                    pcre2_pattern_info_8(made, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
                    compiledCaptureCount = Int(count)
                    code = made
                    compiled.store(true, ordering: .releasing)
                } else {
                    self.failure = PatternError(.invalidPattern(offset: errorOffset),
                                                Self.message(for: errorCode) + " at offset \(errorOffset)")
                }
            }
            return (code, compiledCaptureCount, self.failure)
        }
        if let failure = state.failure { throw failure }
        guard let code = state.code else { throw PatternError(.engine, "pattern was not compiled") }
        return (code, state.captures)
    }

    /// The number of capturing groups (0 for a deferred pattern that does not compile).
    public var captureCount: Int { (try? compiledCode())?.captures ?? 0 }

    /// The number of a named group, if the pattern has one by that name.
    public func groupNumber(named name: String) -> Int? {
        guard let code = try? compiledCode().code else { return nil }
        let n = name.withCString { p in
            p.withMemoryRebound(to: UInt8.self, capacity: 1) { pcre2_substring_number_from_name_8(code, $0) }
        }
        return n > 0 ? Int(n) : nil
    }

    /// Calls `body` for each non-overlapping match that starts in `range` and ends inside it.
    /// `subject` is the whole buffer, so that anchors and look-behind see the real context before `range`.
    /// Returns `false` from `body` to stop early. Throws `.matchLimit` when the pattern backtracks too much
    /// on one attempt, and `.budget` when `budget` (the rule's allowance for this input) is used up.
    /// `lastStart`, when given, is the last offset a match may start at (it may still end past it).
    ///
    /// PCRE2's match limit bounds one attempt and starts again at every start position, so one call over a
    /// long subject is unbounded (`(?:(a|aa)+;|!)` spent seconds on a few kilobytes). With a budget, each
    /// call may start a match at only `budget.startsPerCall` positions (PCRE2's offset limit), and the
    /// budget is checked between calls.
    public func forEachMatch(in subject: UnsafeRawBufferPointer, range: Range<Int>, scratch: MatchScratch,
                             budget: RegexBudget? = nil, lastStart startLimit: Int? = nil,
                             _ body: (RegexMatch) -> Bool) throws(PatternError) {
        let (code, captureCount) = try matchingCode(forSubjectOf: max(0, min(range.upperBound, subject.count) - range.lowerBound))
        guard let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        guard let context = scratch.context, let data = scratch.matchData(pairs: captureCount + 1) else {
            throw PatternError(.engine, "PCRE2 could not allocate its match state")
        }
        var start = range.lowerBound
        let end = min(range.upperBound, subject.count)
        let limit = min(end, startLimit ?? end)
        while start <= limit {
            var lastStart = limit
            if let budget {
                if budget.overrun() { throw PatternError(.budget, "it used up its time budget for this input") }
                lastStart = min(limit, start + budget.startsPerCall - 1)
                pcre2_set_offset_limit_8(context, lastStart)
            } else {
                pcre2_set_offset_limit_8(context, startLimit == nil ? Self.unset : lastStart)
            }
            let rc = pcre2_match_8(code, base, end, start, 0, data, context)
            if rc == PCRE2_ERROR_NOMATCH {
                if lastStart < limit {
                    start = lastStart + 1
                    continue
                }
                return
            }
            if rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT
                || rc == PCRE2_ERROR_JIT_STACKLIMIT {
                throw PatternError(.matchLimit, "pattern exceeded its backtracking limit")
            }
            if rc < 0 { throw PatternError(.engine, Self.message(for: rc)) }
            guard let ov = pcre2_get_ovector_pointer_8(data) else { throw PatternError(.engine, "PCRE2 returned no match offsets") }
            let pairs = Int(rc == 0 ? UInt32(captureCount + 1) : UInt32(rc))
            let whole = Int(ov[0])..<Int(ov[1])
            var groups = [Range<Int>?]()
            groups.reserveCapacity(captureCount)
            for g in stride(from: 1, through: captureCount, by: 1) {
                if g < pairs, ov[2 * g] != Self.unset {
                    groups.append(Int(ov[2 * g])..<Int(ov[2 * g + 1]))
                } else {
                    groups.append(nil)
                }
            }
            if !body(RegexMatch(range: whole, groups: groups)) { return }
            start = whole.isEmpty ? whole.upperBound + 1 : whole.upperBound
        }
    }

    /// True when the pattern matches anywhere in `text`: one PCRE2 call on the string's own bytes, without the
    /// copy of them, the match's groups and the loop of `forEachMatch` (a path is tested against every
    /// path-scoped rule, a value's name against every named rule's names).
    public func matches(_ text: String, scratch: MatchScratch) throws(PatternError) -> Bool {
        let (code, captureCount) = try matchingCode(forSubjectOf: text.utf8.count)
        guard let context = scratch.context, let data = scratch.matchData(pairs: captureCount + 1) else {
            throw PatternError(.engine, "PCRE2 could not allocate its match state")
        }
        // (A budgeted search may have left an offset limit in the worker's context.)
        pcre2_set_offset_limit_8(context, Self.unset)
        var text = text
        let rc: Int32 = text.withUTF8 { u in
            if let base = u.baseAddress { return pcre2_match_8(code, base, u.count, 0, 0, data, context) }
            // An empty text is matched too (a pattern may match the empty string): at an address of no bytes.
            var none: UInt8 = 0
            return pcre2_match_8(code, &none, 0, 0, 0, data, context)
        }
        if rc == PCRE2_ERROR_NOMATCH { return false }
        if rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT
            || rc == PCRE2_ERROR_JIT_STACKLIMIT {
            throw PatternError(.matchLimit, "pattern exceeded its backtracking limit")
        }
        if rc < 0 { throw PatternError(.engine, Self.message(for: rc)) }
        return true
    }

    /// PCRE2_UNSET (~(size_t)0) as Swift imports size_t.
    private static let unset = Int(bitPattern: UInt.max)

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : "PCRE2 error \(code)"
    }
}

/// A rule's allowance of CPU time on one input (issue 14): its windows, and the decoded text inside that
/// input, draw on one budget; once it is spent the rule stops on that input and the scan reports it.
///
/// Time is this thread's CPU time, so a loaded machine does not use up a budget: the wall clock (cheap to
/// read) only decides when the CPU clock (a system call) is worth reading. Work is timed between `begin`
/// and `end`; `forEachMatch` asks `overrun` between its calls.
public final class RegexBudget {
    /// CPU seconds this rule may spend on the input.
    public let seconds: Double
    /// How many start positions one PCRE2 call may try (its worst case is this times the match limit).
    public let startsPerCall: Int
    /// True once the budget ran out.
    public private(set) var exhausted = false
    /// CPU seconds spent so far, in finished `begin`/`end` spans.
    public private(set) var spent = 0.0
    private var cpuAtBegin = 0.0
    private var nextCheck = Double.infinity

    public init(seconds: Double, startsPerCall: Int) {
        self.seconds = seconds
        self.startsPerCall = max(1, startsPerCall)
    }

    /// Starts timing work charged to this budget.
    public func begin() {
        cpuAtBegin = Self.threadCPU()
        // CPU time cannot run ahead of the wall clock, so nothing needs checking before this moment.
        nextCheck = Self.wall() + max(0, seconds - spent)
    }

    /// Stops timing; the span is added to `spent`.
    public func end() {
        spent += Self.threadCPU() - cpuAtBegin
        nextCheck = .infinity
    }

    /// True when the budget is used up (checked between PCRE2 calls, inside `begin`/`end`).
    func overrun() -> Bool {
        if exhausted { return true }
        let now = Self.wall()
        guard now >= nextCheck else { return false }
        let used = spent + Self.threadCPU() - cpuAtBegin
        if used >= seconds {
            exhausted = true
            return true
        }
        nextCheck = now + (seconds - used)
        return false
    }

    static func wall() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// Per-worker PCRE2 state: match data, a match context with limits, and a JIT stack. Not shareable.
/// When PCRE2 cannot allocate them, matching with this scratch throws `.engine`.
public final class MatchScratch {
    fileprivate let context: OpaquePointer?
    private let jitStack: OpaquePointer?
    private var data: OpaquePointer?
    private var dataPairs = 0

    /// - Parameter matchLimit: PCRE2's match limit (backtracking steps per match attempt), for the interpreter
    ///   and the JIT.
    /// - Parameter depthLimit: the interpreter's limit on nested backtracking points (the JIT's is its stack).
    public init(matchLimit: UInt32 = 2_000_000, depthLimit: UInt32 = 100_000) {
        context = pcre2_match_context_create_8(nil)
        guard let context else {
            jitStack = nil
            return
        }
        pcre2_set_match_limit_8(context, matchLimit)
        pcre2_set_depth_limit_8(context, depthLimit)
        // The interpreter keeps its backtracking points on the heap, up to 20 GB by default: 32 MiB here (the JIT's
        // stack is at most 1 MiB). A pattern with 200 groups took 0.5 GB on 500 bytes before the depth limit stopped it.
        pcre2_set_heap_limit_8(context, 32 * 1024)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        if let data { pcre2_match_data_free_8(data) }
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        if let context { pcre2_match_context_free_8(context) }
    }

    /// Match data for at least `pairs` offset pairs; nil when PCRE2 cannot allocate it.
    fileprivate func matchData(pairs: Int) -> OpaquePointer? {
        if let data, dataPairs >= pairs { return data }
        if let data { pcre2_match_data_free_8(data) }
        let size = max(pairs, 16)
        data = pcre2_match_data_create_8(UInt32(size), nil)
        dataPairs = data == nil ? 0 : size
        return data
    }
}
