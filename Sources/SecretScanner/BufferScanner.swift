import Credentials
import Foundation
public import Hashing
import NamedValues
import PatternMatching
import SecretRules

/// Per-input options.
public struct InputContext: Sendable {
    /// The path reported in findings (relative to the scan root, or a git path).
    public var path: String
    /// When set, only findings touching one of these 1-based line ranges are kept (added lines of a diff).
    public var lineFilter: [ClosedRange<Int>]?
    /// The commit the content belongs to, for allowlists with `commits`.
    public var commit: String?

    public init(path: String, lineFilter: [ClosedRange<Int>]? = nil, commit: String? = nil) {
        self.path = path
        self.lineFilter = lineFilter
        self.commit = commit
    }
}

/// Scans byte buffers with a `CompiledRules`. One per worker thread: holds that worker's scratch space.
public final class BufferScanner {
    let compiled: CompiledRules
    public let fingerprinter: Fingerprinter
    /// Give split literals (`"ghp_abc" + "def"`) to the pattern rules where the named-value layer did not read
    /// the whole input (``joinedLiteralFindings(_:_:lines:into:)``). Off for a full history scan's workers: on
    /// git/git it cost 8% more time, with every blob read.
    public var readsJoinedLiterals = true
    /// Derive a buffer's fingerprints on several cores at once (`Fingerprinter.prepare`): for a scanner that
    /// has the machine to itself (one file, a hook's staged files). Off for one of several workers, which
    /// already keep the cores busy (threads started under them only cost switches and memory): their
    /// buffers' secrets are still derived two at a time, on the worker's own thread.
    public var fingerprintsSideBySide = true
    let prefilterScratch: PrefilterScratch
    let matchScratch = MatchScratch()
    /// For the rules of a repository's or user's config: lower PCRE2 limits than the built-in rules get.
    private let userMatchScratch = MatchScratch(matchLimit: RuleBudget.userMatchLimit, depthLimit: RuleBudget.userDepthLimit)
    /// This input's budget per rule (by index), and the rules that gave up on it (each reported once).
    private var budgets: [Int: RegexBudget] = [:]
    /// The path `globallyAllowed` answered for last, and its answer: a file scan asks for one path up to three
    /// times in a row (`ScanSession.scanOne`, `scan`, `pathFindings`), and the path regexes run once.
    private var lastAllowCheck: (path: String, allowed: Bool)?
    private var gaveUp = Set<Int>()
    /// Per rule (by index), once looked at: its pattern's leading run of a class before a group of words.
    private var leadingRuns: [Int: LeadingRun?] = [:]
    /// The path-scoped rules that apply to each path asked about (``pathScopedRules(for:)``), up to
    /// ``scopedRulesKept`` paths: a history scan reads many versions of each path, not in a row.
    private var scopedRules: [String: [Int]] = [:]
    static let scopedRulesKept = 8192
    private var inputSize = 0
    private var candidates: [[Int]]
    /// The own matching-database scratch of each rule looked for by its keywords (`GatedPrefilter`), made on use.
    private var gatedScratch: [Int: PrefilterScratch] = [:]
    /// Which gate words of named-value rules the last prefilter pass saw, and where (end offsets).
    var gateHits: [Bool]
    /// The gate words set in `gateHits`, in the order seen (a buffer holds few of the thousand: clearing and
    /// reading them through this list costs a buffer nothing per gate word it does not hold).
    var hitGates: [Int] = []
    var gateEnds: [Int] = []
    /// The gate word of each of `gateEnds`.
    private var gateEndGates: [Int] = []
    /// The value-probe scratch of each gate word probed (``ValueProbes``), made on use.
    private var probeScratch: [Int: PrefilterScratch] = [:]
    /// Inputs larger than this are not rebuilt for the value probe (``DerivedText``): its copy would double the
    /// memory a large file takes while it is scanned.
    static let largestRebuilt = 8 << 20
    /// Whether gate words are closed where their rules' value shapes do not occur (off only in tests of the
    /// words' other conditions).
    var probesValues = true
    /// Per gate word: true when it is short enough to count only at the start of a word (``startsWord``).
    let gateNeedsWordStart: [Bool]
    /// Gate words up to this length must start a word.
    static let shortGateWord = 4
    /// Per gate word: true when only vendor-specific named rules use it and it is no secret word itself, so it
    /// counts only with a secret word near it (``secretWordNear``).
    let gateNeedsSecretWord: [Bool]
    /// Per gate word: one of its rules is tagged `vendor-then-value` (it takes `cloudsmith v` in notes and logs).
    let gateTakesBareValue: [Bool]
    /// Per gate word: true when only the vendor-less named rules (passwords, framework secrets) use it, so a hit
    /// counts only where it names a value (``namesAValue``): "pass", "secret_key" and the like are common words of
    /// prose and code, and each hit would send its lines through the named-value layer.
    let gateNeedsAssignment: [Bool]
    /// Per gate word: all its rules want their vendor in the value's key path, so the word counts only as part
    /// of a name (in files where names are followed by operators).
    let gateNeedsName: [Bool]
    /// Words one of which the named-value rules' names hold (lowercase).
    static let secretWords: [[UInt8]] = ["key", "token", "secret", "pass", "pwd", "auth", "cred", "api", "bearer"]
        .map { Array($0.utf8) }
    /// How far before and after a vendor's word a secret word is looked for (a YAML parent and its child, the
    /// comment above an assignment, `vendorApiKey`, a chat export's message a few messages on: at 160 bytes
    /// the context matrix missed such keys on some seeds).
    static let secretWordReach = 512

    /// True when one of ``secretWords`` occurs (any case) within ``secretWordReach`` bytes of `start..<end`.
    /// (One pass over the window for all the words: a search per word was a few percent of a scan.)
    static func secretWordNear(_ buffer: UnsafeRawBufferPointer, start: Int, end: Int) -> Bool {
        let lo = max(0, start - secretWordReach), hi = min(buffer.count, end + secretWordReach)
        guard lo < hi, let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        for i in lo..<hi where SecretWordTable.length(at: i, in: base, count: buffer.count, limit: hi) > 0 { return true }
        return false
    }

    /// True when the name holding a gate word at `start` is followed as a name is followed by its value: the name
    /// (letters, digits, `_`, `.`, `-`), maybe a closing quote, blanks, then an operator or a line end (`pass = `,
    /// `"password":`, `getenv("DB_PASS", ...)`, `<password>`, `password</key>`, `PASSWORD || "..."`,
    /// `\"password\"`, a YAML `name: DB_PASSWORD` line), or a quoted name followed by `value` (`key="DbPassword"
    /// value="..."`). Prose (`first pass over`, `bypass the`), calls (`setPassword(`, `$(pwd)`) and constants used
    /// as arguments (`ERR_R_PASSED_NULL_PARAMETER)`) are not.
    static func namesAValue(_ buffer: UnsafeRawBufferPointer, start: Int) -> Bool {
        var i = nameEnd(buffer, start: start)
        guard i < min(buffer.count, start + Self.nameReach) else { return true }
        let quoted = buffer[i] == 0x22 || buffer[i] == 0x27 || buffer[i] == 0x60  // " ' `
        if quoted { i += 1 } else if let close = arraySuffixEnd(buffer, at: i) { return equalsAfter(buffer, close) }
        while i < buffer.count, buffer[i] == 0x20 || buffer[i] == 0x09 { i += 1 }
        guard i < buffer.count else { return true }
        if !quoted { i = afterDeclaredType(buffer, at: i) }
        if quoted && buffer[i] == 0x7B { return true }   // `variable "db_password" {`
        switch buffer[i] {
        // = : > < , ] } | ? \ & and line ends
        case 0x3D, 0x3A, 0x3E, 0x3C, 0x2C, 0x5D, 0x7D, 0x7C, 0x3F, 0x5C, 0x26, 0x0A, 0x0D: return true
        default:
            return quoted && containsCaseless(valueWord, in: buffer, range: i..<min(buffer.count, i + valueWord.count))
        }
    }

    /// How far a name is followed from the gate word in it.
    static let nameReach = 256

    /// Where the name holding the word at `start` ends: letters, digits, `_`, `.`, `-`, at most `nameReach` bytes.
    static func nameEnd(_ buffer: UnsafeRawBufferPointer, start: Int) -> Int {
        var i = start
        let limit = min(buffer.count, start + nameReach)
        while i < limit, isNameByte(buffer[i]) { i += 1 }
        return i
    }

    /// A byte of a name as `nameEnd` and `nameStart` read it: a letter, a digit, `_`, `.` or `-`.
    static func isNameByte(_ c: UInt8) -> Bool {
        let letter = (c | 0x20) >= 97 && (c | 0x20) <= 122
        return letter || (c >= 48 && c <= 57) || c == 95 || c == 46 || c == 45
    }

    /// Stricter than `namesAValue`, for a vendor's name that its rules want in a key path: the name holding the
    /// word at `start` is followed (after a closing quote and blanks) by `=` or by a `:` that does not start
    /// `://`, or is a tag or a section header (`<github>`, a line `[github]`). Prose that punctuates the name
    /// ("on GitHub, ...", "[GitHub](https://...)"), URLs and expressions (`${{ github.token }}`) do not count.
    static func namesAValueStrictly(_ buffer: UnsafeRawBufferPointer, start: Int) -> Bool {
        var i = nameEnd(buffer, start: start)
        guard i < buffer.count else { return false }
        let opener = start > 0 ? buffer[start - 1] : 0
        if opener == 0x3C && buffer[i] == 0x3E { return true }   // <name>
        if opener == 0x5B && buffer[i] == 0x5D {   // [name] as a section header: the line ends after it
            return i + 1 >= buffer.count || buffer[i + 1] == 0x0A || buffer[i + 1] == 0x0D
        }
        let quoted = buffer[i] == 0x22 || buffer[i] == 0x27
        if quoted {
            i += 1   // a quoted name's closing quote
            // `os.environ["NAME"] =`, `$_ENV['NAME'] =`: a quoted key in brackets, assigned.
            // Also a key of a chain of them: `config["algolia"]["api_key"] =`.
            if i < buffer.count, buffer[i] == 0x5D { return equalsAfter(buffer, afterSubscripts(buffer, i + 1)) }
        } else if let close = arraySuffixEnd(buffer, at: i) {
            return equalsAfter(buffer, close)   // `char kName[] = "..."`
        } else if buffer[i] == 0x28 || buffer[i] == 0x7B {
            // A client made or configured under the vendor's name, its key an argument or field:
            // `discord.Client(secret="...")`, `new Discord({ secret })`, `discord.Config{Secret: ...}`. (Only
            // when named arguments or fields follow: a plain call, `slack.send(message)`, sent every file that
            // calls a vendor's SDK through the named-value layer, 10% more time on a history scan.)
            return opensNamedArguments(buffer, at: i)
        } else if doBlock(buffer, at: i) {
            return true   // Ruby `Discord.configure do |config|`
        }
        while i < buffer.count, buffer[i] == 0x20 || buffer[i] == 0x09 { i += 1 }
        guard i < buffer.count else { return false }
        if !quoted { i = afterDeclaredType(buffer, at: i) }
        // (`==` compares: `if: ${{ github.event_name == 'push' }}` names nothing.)
        if buffer[i] == 0x3D { return !(i + 1 < buffer.count && buffer[i + 1] == 0x3D) }
        if quoted {
            // `os.Setenv("NAME", "...")`, `define('NAME', ...)`, `props.put("name", ...)`: a call's first argument
            // names its second.
            if buffer[i] == 0x2C {
                return opensCall(buffer, nameStart: start) || followsNameKey(buffer, nameStart: start)
                    || afterConfigField(buffer, nameStart: start)
            }
            // `variable "name" {` (Terraform, HCL): a block labelled with the name.
            if buffer[i] == 0x7B { return true }
            // `<entry key="name">value</entry>`: an attribute naming the element's text.
            if buffer[i] == 0x3E { return true }
            if buffer[i] == 0x0A || buffer[i] == 0x0D { return followsNameKey(buffer, nameStart: start) }
            // A lookup's default: Ruby `ENV.fetch("NAME") { "..." }`, Kotlin `getenv("NAME") ?: "..."`, `|| "..."`,
            // `?? "..."`.
            if buffer[i] == 0x29 {
                var j = i + 1
                while j < buffer.count, buffer[j] == 0x20 || buffer[j] == 0x09 { j += 1 }
                guard j < buffer.count else { return false }
                if buffer[j] == 0x7B { return true }
                guard j + 1 < buffer.count else { return false }
                let a = buffer[j], b = buffer[j + 1]
                return (a == 0x3F && (b == 0x3A || b == 0x3F)) || (a == 0x7C && b == 0x7C)
            }
            // `resource "discord_bot" "main" {` (Terraform): a block's first label.
            if buffer[i] == 0x22, hclSecondLabelOpensBlock(buffer, at: i) { return true }
        } else if rAssignment(buffer, at: i) {
            return true
        } else if buffer[i] == 0x7B || buffer[i] == 0x0A || buffer[i] == 0x0D {
            // `discord {` opening an HCL block on a line of its own, and Kubernetes' `- name: DISCORD_TOKEN`
            // (its value is on the next line).
            guard buffer[i] == 0x7B else { return followsNameKey(buffer, nameStart: start) }
            // (Ruby's `Discord.configure { |c| ... }` too.)
            var j = i + 1
            while j < buffer.count, buffer[j] == 0x20 { j += 1 }
            return (j < buffer.count && buffer[j] == 0x7C) || startsLine(buffer, nameStart: start) && endsLine(buffer, i + 1)
        }
        return buffer[i] == 0x3A && !(i + 1 < buffer.count && buffer[i + 1] == 0x2F)
    }

    /// True when the name holding the word at `start` is assigned or labelled (`=`, `:=`, `=>`, `:`) with
    /// nothing on the rest of its line that can hold a literal: no quote or backtick, no `{`, `[` or `(` right
    /// after the operator, and something other than blanks after it (a value on the next lines is not judged
    /// here). In source code that is code (`let column = tokens[k].column`, `func f(column: Int)`), not a value
    /// a rule could take.
    static func assignsOnlyCode(_ buffer: UnsafeRawBufferPointer, start: Int) -> Bool {
        var i = nameEnd(buffer, start: start)
        while i < buffer.count, buffer[i] == 0x20 || buffer[i] == 0x09 { i += 1 }
        guard i < buffer.count else { return false }
        let op = buffer[i]
        guard op == 0x3D || op == 0x3A else { return false }
        // `Column::Client`: a path, not a label.
        if op == 0x3A, i + 1 < buffer.count, buffer[i + 1] == 0x3A { return false }
        i += 1
        if i < buffer.count, buffer[i] == 0x3D || buffer[i] == 0x3E { i += 1 }
        var sawValue = false
        while i < buffer.count, buffer[i] != 0x0A {
            switch buffer[i] {
            case 0x22, 0x27, 0x60: return false
            case 0x20, 0x09, 0x0D: break
            // An object, a list or a parenthesised value given to the name (`github = {`, `github: [`, Python's
            // `GITHUB_TOKEN = (` before implicitly joined literals); a subscript or a call later on the line
            // (`tokens[k]`, `f(x)`) opens none.
            case 0x7B where !sawValue, 0x5B where !sawValue, 0x28 where !sawValue: return false
            default: sawValue = true
            }
            i += 1
        }
        return sawValue
    }

    /// The start of the name (letters, digits, `_`, `.`, `-`) holding the byte at `index`.
    static func nameStart(_ buffer: UnsafeRawBufferPointer, holding index: Int) -> Int {
        var i = index
        while i > 0, index - i < nameReach, isNameByte(buffer[i - 1]) { i -= 1 }
        return i
    }

    /// True when only blanks stand between the line's start and the name holding `nameStart`.
    static func startsLine(_ buffer: UnsafeRawBufferPointer, nameStart: Int) -> Bool {
        var i = Self.nameStart(buffer, holding: nameStart)
        while i > 0, buffer[i - 1] == 0x20 || buffer[i - 1] == 0x09 { i -= 1 }
        return i == 0 || buffer[i - 1] == 0x0A
    }

    /// True when only blanks (or a `#` comment) stand between `i` and the line's end.
    static func endsLine(_ buffer: UnsafeRawBufferPointer, _ i: Int) -> Bool {
        var j = i
        while j < buffer.count, buffer[j] == 0x20 || buffer[j] == 0x09 || buffer[j] == 0x0D { j += 1 }
        return j >= buffer.count || buffer[j] == 0x0A || buffer[j] == 0x23
    }

    /// True when the name holding `nameStart` is the value of a `name:` key (`- name: DISCORD_TOKEN`), maybe
    /// quoted: the list entry whose `value:` follows.
    static func followsNameKey(_ buffer: UnsafeRawBufferPointer, nameStart: Int) -> Bool {
        var i = Self.nameStart(buffer, holding: nameStart)
        if i > 0, buffer[i - 1] == 0x22 || buffer[i - 1] == 0x27 { i -= 1 }
        while i > 0, buffer[i - 1] == 0x20 || buffer[i - 1] == 0x09 { i -= 1 }
        guard i > 0, buffer[i - 1] == 0x3A else { return false }
        i -= 1
        if i > 0, buffer[i - 1] == 0x22 || buffer[i - 1] == 0x27 { i -= 1 }   // JSON's `"name":`
        for key in pairKeyWords where i >= key.count {
            var same = true
            for k in 0..<key.count where buffer[i - key.count + k] | 0x20 != key[k] { same = false; break }
            guard same else { continue }
            let before = i - key.count
            return before == 0 || !((buffer[before - 1] | 0x20) >= 97 && (buffer[before - 1] | 0x20) <= 122) && buffer[before - 1] != 0x5F
        }
        return false
    }

    /// The keys whose value names the pair's other value (`{"name": N, "value": V}`, Postman's `"key"`), or
    /// labels the record's other fields (a Jenkins credential's `id: algolia-api-key` then `secret: v`; see
    /// ``NamedValues``' records).
    /// (Letters only: the comparison ignores case by setting bit 5, which `_` does not survive. Longest first: a
    /// key that ends another is tried after it.)
    static let pairKeyWords = ["variable", "name", "key", "id"].map { Array($0.utf8) }

    /// True when the name at `start` is a record's label given where ``followsNameKey(_:nameStart:)`` does not
    /// look: the text of a credential's `<id>` element (Jenkins' credentials.xml), or a component of a path that
    /// a pair's name key gives (`"Name": "/prod/algolia/api_key"`, an AWS SSM parameter).
    static func labelsARecord(_ buffer: UnsafeRawBufferPointer, start: Int) -> Bool {
        var i = start
        while i > 0, start - i < 200, isNameByte(buffer[i - 1]) || buffer[i - 1] == 0x2F { i -= 1 }
        guard i > 0 else { return false }
        if buffer[i - 1] == 0x3E {
            for tag in recordIdTags where i >= tag.count {
                var same = true
                for k in 0..<tag.count where buffer[i - tag.count + k] != tag[k] { same = false; break }
                if same { return true }
            }
            return false
        }
        // The argument of a command's name flag (`--name algolia-api-key`, `--secret-id prod/algolia`) or of a
        // `set` subcommand (`gh secret set ALGOLIA_API_KEY`): what ``NamedValues`` names a value flag's value by.
        // (A quoted name: `dotnet user-secrets set "Algolia:ApiKey" ...`.)
        var b = i
        if buffer[b - 1] == 0x22 || buffer[b - 1] == 0x27, b >= 2, buffer[b - 2] == 0x20 || buffer[b - 2] == 0x09 { b -= 1 }
        if buffer[b - 1] == 0x20 || buffer[b - 1] == 0x09 {
            var e = b - 1
            while e > 0, buffer[e - 1] == 0x20 || buffer[e - 1] == 0x09 { e -= 1 }
            var w = e
            while w > 0, e - w < 16, isNameByte(buffer[w - 1]) || buffer[w - 1] == 0x3A { w -= 1 }
            if w < e, w == 0 || buffer[w - 1] == 0x20 || buffer[w - 1] == 0x09 {
                let word = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[w..<e]), as: UTF8.self)
                if commandNameWords.contains(word) || word.hasSuffix(":set") { return true }
            }
        }
        // A path: `/` opens it, and a pair's name key holds it.
        guard i < start, buffer[i] == 0x2F, buffer[i - 1] == 0x22 || buffer[i - 1] == 0x27 else { return false }
        return followsNameKey(buffer, nameStart: i)
    }

    /// True when the name at `start` is the first cell of a table row that gives its value in another cell: a
    /// Markdown row (`| ALGOLIA_API_KEY | v |`, the line opening with `|`) or a CSV row (`ALGOLIA_API_KEY,v`, the
    /// name opening the line). ``NamedValues``' tables pair them only under a header of names and values.
    static func namesATableRow(_ buffer: UnsafeRawBufferPointer, start: Int) -> Bool {
        var e = nameEnd(buffer, start: start)
        while e < buffer.count, buffer[e] == 0x60 || buffer[e] == 0x22 { e += 1 }
        var s = Self.nameStart(buffer, holding: start)
        while s > 0, buffer[s - 1] == 0x60 || buffer[s - 1] == 0x22 { s -= 1 }
        if e < buffer.count, buffer[e] == 0x2C { return s == 0 || buffer[s - 1] == 0x0A }
        while e < buffer.count, buffer[e] == 0x20 || buffer[e] == 0x09 { e += 1 }
        guard e < buffer.count, buffer[e] == 0x7C else { return false }
        while s > 0, buffer[s - 1] == 0x20 || buffer[s - 1] == 0x09 { s -= 1 }
        guard s > 0, buffer[s - 1] == 0x7C else { return false }
        s -= 1
        while s > 0, buffer[s - 1] == 0x20 || buffer[s - 1] == 0x09 { s -= 1 }
        return s == 0 || buffer[s - 1] == 0x0A
    }

    /// The words before a command's name for the value it stores (see ``labelsARecord(_:start:)``).
    static let commandNameWords: Set<String> = ["--name", "-n", "--key", "--secret-id", "set"]

    static let recordIdTags = NamedValues.recordIdElements.map { Array("<\($0)>".utf8) }

    /// True when a quoted name is the second argument of Gradle's `buildConfigField "String", "NAME", "..."` (or
    /// `resValue`), written without parentheses in Groovy: the call's name is earlier on the line.
    static func afterConfigField(_ buffer: UnsafeRawBufferPointer, nameStart: Int) -> Bool {
        let end = Self.nameStart(buffer, holding: nameStart)
        var lo = end
        let floor = max(0, lo - 200)
        while lo > floor, buffer[lo - 1] != 0x0A { lo -= 1 }
        return configFieldCalls.contains { containsCaseless($0, in: buffer, range: lo..<end) }
    }

    static let configFieldCalls = [Array("buildconfigfield".utf8), Array("resvalue".utf8)]

    /// True when a quoted HCL label starts at `i` and `{` follows it (`"main" {`).
    static func hclSecondLabelOpensBlock(_ buffer: UnsafeRawBufferPointer, at i: Int) -> Bool {
        var j = i + 1
        while j < buffer.count, j - i < 128, buffer[j] != 0x22, buffer[j] != 0x0A { j += 1 }
        guard j < buffer.count, buffer[j] == 0x22 else { return false }
        return Self.opensBlock(buffer, after: j + 1)
    }

    static func opensBlock(_ buffer: UnsafeRawBufferPointer, after i: Int) -> Bool {
        var j = i
        while j < buffer.count, buffer[j] == 0x20 || buffer[j] == 0x09 { j += 1 }
        return j < buffer.count && buffer[j] == 0x7B
    }

    /// True when the `(` or `{` at `i` opens named arguments or fields: maybe blanks and line ends, then `{` or a
    /// name followed by `=` (not `==`) or `:` (not `::`).
    static func opensNamedArguments(_ buffer: UnsafeRawBufferPointer, at i: Int) -> Bool {
        var j = i + 1
        let limit = min(buffer.count, i + 256)
        while j < limit, buffer[j] == 0x20 || buffer[j] == 0x09 || buffer[j] == 0x0A || buffer[j] == 0x0D { j += 1 }
        guard j < limit else { return false }
        if buffer[j] == 0x7B { return true }
        let nameStart = j
        while j < limit, (buffer[j] | 0x20) >= 97 && (buffer[j] | 0x20) <= 122 || (buffer[j] >= 48 && buffer[j] <= 57) || buffer[j] == 0x5F { j += 1 }
        guard j > nameStart else { return false }
        while j < limit, buffer[j] == 0x20 || buffer[j] == 0x09 { j += 1 }
        guard j + 1 < buffer.count else { return false }
        return (buffer[j] == 0x3D && buffer[j + 1] != 0x3D) || (buffer[j] == 0x3A && buffer[j + 1] != 0x3A)
    }

    /// True when ` do` and then `|` or the line's end follow at `i` (a Ruby block).
    static func doBlock(_ buffer: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard i + 3 <= buffer.count, buffer[i] == 0x20, buffer[i + 1] == 0x64, buffer[i + 2] == 0x6F else { return false }
        var j = i + 3
        while j < buffer.count, buffer[j] == 0x20 { j += 1 }
        return j >= buffer.count || buffer[j] == 0x0A || buffer[j] == 0x0D || buffer[j] == 0x7C
    }

    /// The index after `[]` or `[digits]` at `i` (an array's declared size), or nil.
    static func arraySuffixEnd(_ buffer: UnsafeRawBufferPointer, at i: Int) -> Int? {
        guard i < buffer.count, buffer[i] == 0x5B else { return nil }
        var j = i + 1
        while j < buffer.count, j - i < 8, buffer[j] >= 48 && buffer[j] <= 57 { j += 1 }
        return j < buffer.count && buffer[j] == 0x5D ? j + 1 : nil
    }

    /// The offset after the subscripts that follow `i` (`["api_key"]`, `['a']['b']`, at most four, each on one line
    /// and under 100 bytes): `i` itself when none follows.
    static func afterSubscripts(_ buffer: UnsafeRawBufferPointer, _ i: Int) -> Int {
        var j = i
        for _ in 0..<4 {
            guard j < buffer.count, buffer[j] == 0x5B else { break }
            var k = j + 1
            while k < buffer.count, k - j < 100, buffer[k] != 0x5D, buffer[k] != 0x0A { k += 1 }
            guard k < buffer.count, buffer[k] == 0x5D else { break }
            j = k + 1
        }
        return j
    }

    /// True when blanks and then a single `=` (not `==`) follow `i`.
    static func equalsAfter(_ buffer: UnsafeRawBufferPointer, _ i: Int) -> Bool {
        var j = i
        while j < buffer.count, buffer[j] == 0x20 || buffer[j] == 0x09 { j += 1 }
        return j < buffer.count && buffer[j] == 0x3D && !(j + 1 < buffer.count && buffer[j + 1] == 0x3D)
    }

    /// R's assignment `name <- "value"` (and `<<-`) at `i`: a blank or a quote after it (`x <-1` compares).
    static func rAssignment(_ buffer: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard i + 2 < buffer.count, buffer[i] == 0x3C else { return false }
        let dash = buffer[i + 1] == 0x2D ? i + 1 : (buffer[i + 1] == 0x3C && buffer[i + 2] == 0x2D ? i + 2 : nil)
        guard let dash, dash + 1 < buffer.count else { return false }
        let next = buffer[dash + 1]
        return next == 0x20 || next == 0x09 || next == 0x22 || next == 0x27
    }

    /// True when the quoted name holding `nameStart` is a call's first argument (its opening quote follows `(`),
    /// or the first of a pair in braces (C# `{ "Name", "..." }`).
    static func opensCall(_ buffer: UnsafeRawBufferPointer, nameStart: Int) -> Bool {
        var i = Self.nameStart(buffer, holding: nameStart)
        guard i > 0, buffer[i - 1] == 0x22 || buffer[i - 1] == 0x27 else { return false }
        i -= 1
        while i > 0, buffer[i - 1] == 0x20 || buffer[i - 1] == 0x09 { i -= 1 }
        return i > 0 && (buffer[i - 1] == 0x28 || buffer[i - 1] == 0x7B)
    }

    /// Go declares a constant or variable with its type between the name and the `=` (`const apiKey string =
    /// "..."`, `var token string = ...`), Visual Basic with `As Type` (`Dim apiKey As String = "..."`): where
    /// such a type and blanks stand at `i` before an `=`, the index of that `=`; otherwise `i`. (In Go only
    /// `string`, the type a key is declared with; `apiKey string` alone, a struct field or a parameter, names no
    /// value.)
    static func afterDeclaredType(_ buffer: UnsafeRawBufferPointer, at i: Int) -> Int {
        var j = i
        if matches(stringTypeWord, buffer, at: i) {
            j = i + stringTypeWord.count
        } else if matches(asWord, buffer, at: i) || matches(asWordUpper, buffer, at: i) {
            // Visual Basic: `Dim apiKey As String = "..."`.
            j = i + asWord.count
            let blanks = j
            while j < buffer.count, buffer[j] == 0x20 || buffer[j] == 0x09 { j += 1 }
            guard j > blanks else { return i }
            let typeStart = j
            while j < buffer.count, (buffer[j] | 0x20) >= 97 && (buffer[j] | 0x20) <= 122 { j += 1 }
            guard j > typeStart else { return i }
        } else {
            return i
        }
        let end = j
        while j < buffer.count, buffer[j] == 0x20 || buffer[j] == 0x09 { j += 1 }
        guard j > end, j < buffer.count, buffer[j] == 0x3D else { return i }
        return j + 1 < buffer.count && buffer[j + 1] == 0x3D ? i : j   // not `==`
    }

    private static func matches(_ word: [UInt8], _ buffer: UnsafeRawBufferPointer, at i: Int) -> Bool {
        guard i + word.count < buffer.count else { return false }
        for k in 0..<word.count where buffer[i + k] != word[k] { return false }
        return true
    }

    static let asWord = Array("As".utf8), asWordUpper = Array("AS".utf8)

    static let stringTypeWord = Array("string".utf8)

    /// The attribute that follows a quoted name in a key/value pair (`key="DbPassword" value="..."`), made once
    /// rather than on every gate hit.
    static let valueWord = Array("value".utf8)

    /// True for the files where a blank alone may separate a name from its value: `.properties` (`db.password
    /// s3cret`), Dockerfiles (`ENV DB_PASSWORD s3cret`) and `.conf`/`.cfg` files (`requirepass s3cret`): there
    /// every hit of a password word counts.
    static func blankSeparatedConfig(_ path: String) -> Bool {
        NamedValues.blankSeparatesNames(lowercasedPath: path.lowercased())
    }

    /// True for the files where a name may stand without an operator after it (`blankSeparatedConfig`, and
    /// notes and logs, whose labelled lines count the words before the label).
    static func namesStandAlone(_ path: String) -> Bool {
        NamedValues.namesStandAlone(lowercasedPath: path.lowercased())
    }

    /// True when `ACCESS` or `PRIVATE` (any case) follows a vendor's name ending at `end`, right after it or past
    /// blanks on the same line: a label of notes and logs that stands for a key (`clockify PRIVATE v`).
    static func keyLabelAfter(_ buffer: UnsafeRawBufferPointer, end: Int) -> Bool {
        var i = end
        while i < buffer.count, i < end + 8, buffer[i] == 0x20 || buffer[i] == 0x09 { i += 1 }
        return keyLabels.contains { word in
            i + word.count <= buffer.count && Self.containsCaseless(word, in: buffer, range: i..<(i + word.count))
        }
    }
    private static let keyLabels = [Array("access".utf8), Array("private".utf8)]

    /// True when the name holding a vendor's word, from `start` on, ends in `_sk_live` or `_sk_test` (any case):
    /// a name for the vendor's secret key in live or test mode (`HIGHNOTE_SK_LIVE=`), though no key, token or
    /// secret word is in it.
    static func namesModeSecretKey(_ buffer: UnsafeRawBufferPointer, start: Int) -> Bool {
        let end = nameEnd(buffer, start: start)
        guard end - 8 > start, buffer[end - 8] == 0x5F else { return false }
        return modeKeySuffixes.contains { Self.containsCaseless($0, in: buffer, range: (end - 7)..<end) }
    }
    private static let modeKeySuffixes = [Array("sk_live".utf8), Array("sk_test".utf8)]

    /// True when the word at `start..<end` starts its line (blanks before it at most) and a blank follows it:
    /// a vendor's name before a value (`cloudsmith v`).
    static func startsBareLine(_ buffer: UnsafeRawBufferPointer, start: Int, end: Int) -> Bool {
        guard end < buffer.count, buffer[end] == 0x20 || buffer[end] == 0x09 else { return false }
        var i = start
        while i > 0, buffer[i - 1] == 0x20 || buffer[i - 1] == 0x09 { i -= 1 }
        return i == 0 || buffer[i - 1] == 0x0A
    }

    /// True when `start` begins a word: the buffer's start, a byte that is not an ASCII letter before it, or a
    /// lowercase letter before an uppercase one (camelCase).
    static func startsWord(_ buffer: UnsafeRawBufferPointer, at start: Int) -> Bool {
        guard start > 0, start < buffer.count else { return true }
        let before = buffer[start - 1], first = buffer[start]
        let beforeIsLetter = (before | 0x20) >= 97 && (before | 0x20) <= 122
        if !beforeIsLetter { return true }
        return before >= 97 && first >= 65 && first <= 90
    }
    /// Non-fatal problems met while scanning (a pattern that hit its backtracking limit), for the summary.
    public private(set) var warnings: [ScanNote] = []
    /// Findings of each rule in the buffer being scanned, and matches counted past the cap (``FindingCap``).
    private var foundPerRule: [String: Int] = [:]
    private var capped: [String: Int] = [:]
    /// The part of the buffer whose matches count towards the cap (a streamed window's own part; nil: all).
    var countedRange: Range<Int>?

    public init(_ compiled: CompiledRules, fingerprinter: Fingerprinter) {
        self.compiled = compiled
        self.fingerprinter = fingerprinter
        prefilterScratch = compiled.prefilter.makeScratch()
        candidates = Array(repeating: [], count: compiled.prefilterToRule.count)
        gateHits = Array(repeating: false, count: compiled.gateWords.count)
        gateNeedsWordStart = compiled.gateWords.map { word in
            word.count <= Self.shortGateWord && word.first.map { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 } == true
        }
        var vendorOnly = [Bool](repeating: true, count: compiled.gateWords.count)
        var broadOnly = [Bool](repeating: true, count: compiled.gateWords.count)
        var nameScopedOnly = [Bool](repeating: true, count: compiled.gateWords.count)
        var bare = [Bool](repeating: false, count: compiled.gateWords.count)
        for (rule, gates) in compiled.ruleGates {
            let spec = compiled.rules[rule].named?.spec
            let vendorLess = spec?.vendor.isEmpty != false
            let takesBare = compiled.rules[rule].rule.tags.contains(Rule.vendorThenValue)
            for g in gates {
                if takesBare { bare[g] = true }
                if vendorLess { vendorOnly[g] = false } else { broadOnly[g] = false }
                if vendorLess || spec?.vendorScope != .name { nameScopedOnly[g] = false }
            }
        }
        gateTakesBareValue = bare
        gateNeedsName = compiled.gateWords.indices.map { g in
            nameScopedOnly[g] && compiled.gateWords[g].first.map { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 } == true
        }
        // (Not flags such as `--password`: a flag's value follows a blank.)
        gateNeedsAssignment = compiled.gateWords.indices.map { g in
            broadOnly[g] && compiled.gateWords[g].first.map { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 || $0 == 95 || $0 == 46 } == true
        }
        gateNeedsSecretWord = compiled.gateWords.indices.map { g in
            vendorOnly[g] && !compiled.gateWords[g].withUnsafeBytes { word in
                Self.secretWords.contains { Self.containsCaseless($0, in: word, range: 0..<word.count) }
            }
        }
    }

    /// Lines longer than this around a candidate are not extended further back for context.
    static let lineBack = 1024
    /// How far back from a candidate's end a rule that can span lines may start.
    static let multilineBack = 16 * 1024
    /// How far past a candidate's end the confirming match may look.
    static let forward = 64

    /// Scans one buffer and returns its findings in order of position.
    /// - Parameter postprocess: merge overlapping findings and Mindtickle pairs (off only for `rules check`).
    public func scan(_ buffer: UnsafeRawBufferPointer, _ input: InputContext, postprocess: Bool = true) throws(ScanError) -> [Finding] {
        let path = input.path
        if globallyAllowed(path) { return [] }
        budgets.removeAll(keepingCapacity: true)
        gaveUp.removeAll(keepingCapacity: true)
        inputSize = buffer.count
        var lines = LineIndex(buffer)
        foundPerRule.removeAll(keepingCapacity: true)
        var findings = try match(buffer, input, lines: &lines)
        findings += try decodedFindings(buffer, input, lines: &lines)
        PathContext.apply(to: &findings, path: path)
        fillFingerprints(&findings)
        // A finding of a rule that flags the file by its name (fingerprinted already) is placed at 1:1 with the path
        // as its "secret": it is not in the buffer, so it is kept out of the merging of overlapping findings (it took
        // a key found within the path's length of the start of the file for an overlap, and one of the two was dropped).
        let byPath = pathFindings(path)
        guard postprocess else { return byPath + findings.filter { !$0.inlineAllowed } }
        return byPath + Postprocess.run(findings, lines: lines, buffer: buffer, pairs: compiled.ruleSet.pairs)
    }

    /// Gives every finding of this buffer its fingerprint. Findings are made without one (`""`), and the
    /// secrets are derived here, together, so that several run side by side (`Fingerprinter.prepare`).
    private func fillFingerprints(_ findings: inout [Finding]) {
        let missing = findings.indices.filter { findings[$0].fingerprint.isEmpty }
        guard !missing.isEmpty else { return }
        // Two derivations side by side cost about what one does: a buffer's secrets are derived in pairs, on
        // every core when this is the only worker, else on this worker's thread.
        if missing.count > 1 || fingerprintsSideBySide {
            fingerprinter.prepare(missing.map { findings[$0].secret }, onEveryCore: fingerprintsSideBySide)
        }
        for i in missing { findings[i].fingerprint = fingerprinter.fingerprint(findings[i].secret) }
    }

    /// Every rule over one buffer: prefilter, then confirmation in windows around the candidates.
    /// - Parameter named: also run the named-value rules (not on values already taken from a named value).
    func match(_ buffer: UnsafeRawBufferPointer, _ input: InputContext, lines: inout LineIndex, named: Bool = true) throws(ScanError) -> [Finding] {
        let path = input.path
        // (Both worked out from the path on first need: most buffers have no gate word that asks.)
        var blankSeparated: Bool?
        var standAlone: Bool?
        var sourceCode: Bool?
        var labelsKeys: Bool?
        var touched = [Int]()
        let ruleCount = compiled.prefilterToRule.count
        var anyGate = false
        let gatedFrom = compiled.gatedKeywordsFrom
        var gatedHits = [Int]()
        for g in hitGates { gateHits[g] = false }
        hitGates.removeAll(keepingCapacity: true)
        gateEnds.removeAll(keepingCapacity: true)
        gateEndGates.removeAll(keepingCapacity: true)
        do {
            try compiled.prefilter.scan(buffer, scratch: prefilterScratch) { pattern, end in
                if pattern >= gatedFrom {
                    // A keyword of a rule looked for only where its keywords occur: noted once.
                    if !gatedHits.contains(pattern - gatedFrom) { gatedHits.append(pattern - gatedFrom) }
                    return
                }
                if pattern >= ruleCount {
                    let gate = pattern - ruleCount
                    // A short gate word counts only at the start of a word (`een` of EEN_API_KEY or myEenKey, not of
                    // between): inside words, such words occur in nearly every file and would send each one
                    // through the named-value layer.
                    if gateNeedsWordStart[gate], !Self.startsWord(buffer, at: end - compiled.gateWords[gate].count) { return }
                    if gateNeedsAssignment[gate], !Self.namesAValue(buffer, start: end - compiled.gateWords[gate].count) {
                        if blankSeparated == nil { blankSeparated = Self.blankSeparatedConfig(path) }
                        if blankSeparated == false { return }
                    }
                    // A vendor's name that its rules want in the value's key path counts only where it is part of a
                    // name (`GITHUB_CLIENT_SECRET=`, `github:`, `"github": {`, `<github>`): not in a URL or prose.
                    if gateNeedsName[gate], !gateHits[gate] {
                        let start = end - compiled.gateWords[gate].count
                        var named = Self.namesAValueStrictly(buffer, start: start) || Self.labelsARecord(buffer, start: start)
                            || Self.namesATableRow(buffer, start: start)
                        // In source code a name given only code (`let column = tokens[k].column`, `column: Int`)
                        // names no literal: the vendor's rules have nothing there to judge.
                        if named, Self.assignsOnlyCode(buffer, start: start) {
                            if sourceCode == nil { sourceCode = Self.isSourceCode(path.lowercased()) }
                            named = sourceCode == false
                        }
                        if !named {
                            if standAlone == nil { standAlone = Self.namesStandAlone(path) }
                            if standAlone == false { return }
                        }
                    }
                    // A vendor's name (semaphore, linear, square, fileio) counts only with a secret word near it:
                    // the named-value rules it gates report values under such words, and the bare word is common.
                    // (Not narrower: a key is also given in prose near the name, "is the Makini sandbox up?" /
                    // "use this client secret: ...", and a vendor's header name sits near the secret it signs.)
                    // In notes and logs, a key label right after the name counts as well (`clockify PRIVATE v`,
                    // `weatherbitACCESS v`: ``NamedValues/labelsKeys(lowercasedPath:)``), and for the rules tagged
                    // `vendor-then-value` the name starting a line before a value (`cloudsmith v`). So does a name
                    // of a secret key by its mode after the name (`HIGHNOTE_SK_LIVE=`), in any file.
                    if gateNeedsSecretWord[gate], !gateHits[gate],
                       !Self.secretWordNear(buffer, start: end - compiled.gateWords[gate].count, end: end),
                       !Self.namesModeSecretKey(buffer, start: end - compiled.gateWords[gate].count) {
                        if labelsKeys == nil { labelsKeys = NamedValues.labelsKeys(lowercasedPath: path.lowercased()) }
                        guard labelsKeys == true, Self.keyLabelAfter(buffer, end: end)
                                || gateTakesBareValue[gate] && Self.startsBareLine(buffer, start: end - compiled.gateWords[gate].count, end: end)
                        else { return }
                    }
                    if !gateHits[gate] { hitGates.append(gate) }
                    gateHits[gate] = true
                    anyGate = true
                    if gateEnds.count < 4096 { gateEnds.append(end); gateEndGates.append(gate) }
                    return
                }
                if candidates[pattern].isEmpty { touched.append(pattern) }
                candidates[pattern].append(end)
            }
        } catch {
            throw ScanError(.input, "\(path): \(error)")
        }
        if anyGate, named, probesValues {
            try closeGatesWithoutValues(buffer, path: path)
            anyGate = !hitGates.isEmpty
        }
        defer { for p in touched { candidates[p].removeAll(keepingCapacity: true) } }
        var work = [(rule: Int, windows: [Range<Int>])]()
        for p in touched.sorted() {
            let ruleIndex = compiled.prefilterToRule[p]
            work.append((ruleIndex, windows(for: candidates[p], rule: compiled.rules[ruleIndex], in: buffer)))
        }
        if !gatedHits.isEmpty {
            try gatedWork(gatedHits, buffer: buffer, path: path, into: &work)
        }
        for ruleIndex in compiled.unfilteredRules { work.append((ruleIndex, [0..<buffer.count])) }
        let scoped = work.count
        for ruleIndex in pathScopedRules(for: path) { work.append((ruleIndex, [0..<buffer.count])) }
        var findings = [Finding]()
        for (n, item) in work.enumerated() {
            let rule = compiled.rules[item.rule]
            // (The path-scoped rules were just found to apply.)
            guard !gaveUp.contains(item.rule), n >= scoped || ruleApplies(rule, to: path) else { continue }
            // Only the regex search draws on the budget; judging the matches (validators, fingerprints) does not.
            let budget = budget(for: item.rule)
            budget.begin()
            for window in item.windows {
                guard confirm(rule, index: item.rule, in: buffer, window: window, input: input, budget: budget,
                              lines: &lines, into: &findings) else { break }
            }
            budget.end()
        }
        if named {
            let joinsRead = compiled.namedRules.isEmpty ? false
                : try namedFindings(buffer, input, lines: &lines, anyGate: anyGate, into: &findings)
            // Split literals where the named-value layer did not read the whole input: a `ghp_` token written as
            // `"ghp_abc" + "def"` in a file no vendor's word opened.
            if !joinsRead, readsJoinedLiterals { try joinedLiteralFindings(buffer, input, lines: &lines, into: &findings) }
        }
        return findings
    }

    /// Closes the gate words whose rules' value shapes the buffer does not hold, as written or as the named-value
    /// layer may rebuild its values (``ValueProbes``, ``DerivedText``): those rules have nothing to report there.
    private func closeGatesWithoutValues(_ buffer: UnsafeRawBufferPointer, path: String) throws(ScanError) {
        var derived: DerivedText.Outcome?
        var closed = [Int]()
        for g in hitGates {
            guard let probe = compiled.valueProbes.probe(for: g, in: compiled), let database = probe.prefilter() else { continue }
            let scratch = probeScratch[g] ?? { let made = database.makeScratch(); probeScratch[g] = made; return made }()
            var seen = try Self.holds(database, buffer, scratch: scratch, path: path)
            if !seen {
                // (A large input is not copied to be rebuilt: the gate word stays open, and the named-value layer
                // reads only the text around its gate words there anyway.)
                if derived == nil {
                    derived = buffer.count > Self.largestRebuilt ? .unknown
                        : DerivedText.make(buffer, properties: path.lowercased().hasSuffix(".properties"))
                }
                switch derived {
                case .text(let text)?:
                    var failure: ScanError?
                    text.withUnsafeBytes { raw in
                        do { seen = try Self.holds(database, raw, scratch: scratch, path: path) } catch let e as ScanError { failure = e } catch {}
                    }
                    if let failure { throw failure }
                case .unknown?: seen = true
                case .same?, nil: break
                }
            }
            if !seen { closed.append(g) }
        }
        guard !closed.isEmpty else { return }
        for g in closed { gateHits[g] = false }
        hitGates.removeAll { !gateHits[$0] }
        var kept = 0
        for k in gateEnds.indices where gateHits[gateEndGates[k]] {
            gateEnds[kept] = gateEnds[k]
            gateEndGates[kept] = gateEndGates[k]
            kept += 1
        }
        gateEnds.removeLast(gateEnds.count - kept)
        gateEndGates.removeLast(gateEndGates.count - kept)
    }

    /// True when the probe `database` reports a candidate anywhere in `bytes`.
    private static func holds(_ database: Prefilter, _ bytes: UnsafeRawBufferPointer, scratch: PrefilterScratch,
                              path: String) throws(ScanError) -> Bool {
        var seen = false
        do {
            try database.scan(bytes, scratch: scratch) { _, _ in seen = true }
        } catch {
            throw ScanError(.input, "\(path): \(error)")
        }
        return seen
    }

    /// The windows of the rules looked for only where their keywords occur (`prefilter = "keywords"`), for the
    /// keywords this input holds (`hits`, indices into `gatedWordRules`): each rule's own database is run over the
    /// input, and its candidates become windows as the one pass's do. Merged into `work` in rule order, the order
    /// the one pass gives. A rule whose pattern the engine cannot take reads the whole input.
    private func gatedWork(_ hits: [Int], buffer: UnsafeRawBufferPointer, path: String,
                           into work: inout [(rule: Int, windows: [Range<Int>])]) throws(ScanError) {
        var rules = [Int]()
        for h in hits { for r in compiled.gatedWordRules[h] where !rules.contains(r) { rules.append(r) } }
        for r in rules {
            let rule = compiled.rules[r]
            guard let prefilter = compiled.gatedPrefilters[r]?.prefilter() else {
                work.append((r, [0..<buffer.count]))
                continue
            }
            let scratch = gatedScratch[r] ?? { let made = prefilter.makeScratch(); gatedScratch[r] = made; return made }()
            var ends = [Int]()
            do {
                try prefilter.scan(buffer, scratch: scratch) { _, end in ends.append(end) }
            } catch {
                throw ScanError(.input, "\(path): \(error)")
            }
            if !ends.isEmpty { work.append((r, windows(for: ends, rule: rule, in: buffer))) }
        }
        work.sort { $0.rule < $1.rule }
    }

    /// The findings in text made from the input (decoded, unescaped, joined), with positions in that text: the
    /// caller places them in the input. Of the input's context only its path and commit carry over.
    func matchDerived(_ text: [UInt8], _ input: InputContext, named: Bool) throws(ScanError) -> [Finding] {
        var inner = [Finding]()
        var failure: ScanError?
        text.withUnsafeBytes { raw in
            var innerLines = LineIndex(raw)
            do {
                inner = try match(raw, InputContext(path: input.path, commit: input.commit), lines: &innerLines, named: named)
            } catch let e as ScanError { failure = e } catch {}
        }
        if let failure { throw failure }
        return inner
    }

    /// Findings inside base64-encoded text (a Kubernetes `Secret`'s `data:` values, an encoded `.env`):
    /// each run that decodes to text is scanned, and what it holds is reported at the encoded run's place.
    private func decodedFindings(_ buffer: UnsafeRawBufferPointer, _ input: InputContext, lines: inout LineIndex) throws(ScanError) -> [Finding] {
        var out = [Finding]()
        for run in Base64Runs.find(in: buffer) {
            guard let decoded = Base64Runs.decodeText(UnsafeRawBufferPointer(rebasing: buffer[run])) else { continue }
            let inner = try matchDerived(decoded, input, named: true)
            let (line, column) = lines.position(of: run.lowerBound)
            let (endLine, endColumn) = lines.position(of: run.upperBound - 1)
            if let filter = input.lineFilter, !filter.contains(where: { $0.overlaps(line...endLine) }) { continue }
            for var f in inner {
                f.line = line
                f.column = column
                f.endLine = endLine
                f.endColumn = endColumn + 1
                f.offset = run.lowerBound
                f.extra["encoding"] = "base64"
                out.append(f)
            }
        }
        return out
    }

    /// The path-scoped rules that apply to `path`, kept for the buffers of the same input that follow (decoded
    /// runs, reassembled values) and for later inputs at the same path: each costs a regex match on the path
    /// per rule.
    private func pathScopedRules(for path: String) -> [Int] {
        if let known = scopedRules[path] { return known }
        let rules = compiled.pathScopedRules.filter { ruleApplies(compiled.rules[$0], to: path) }
        if scopedRules.count >= Self.scopedRulesKept { scopedRules.removeAll(keepingCapacity: true) }
        scopedRules[path] = rules
        return rules
    }

    func ruleApplies(_ rule: CompiledRule, to path: String) -> Bool {
        if let p = rule.path, !((try? p.matches(path, scratch: matchScratch)) ?? false) { return false }
        return !rule.allowlists.contains { $0.allowsWholePath(path, scratch: matchScratch) }
    }

    /// Merged windows around the candidate end offsets of one rule.
    private func windows(for ends: [Int], rule: CompiledRule, in buffer: UnsafeRawBufferPointer) -> [Range<Int>] {
        let spans = rule.mayCrossLines
        var out = [Range<Int>]()
        for end in ends {
            var start: Int
            if spans {
                start = max(0, end - Self.multilineBack)
            } else {
                start = max(0, end - Self.lineBack)
                // Back to the start of the line when it is near, so anchors and context look right.
                var i = end - 1
                let floor = max(0, end - Self.lineBack)
                while i >= floor, buffer[i] != 0x0A { i -= 1 }
                start = i >= floor ? i + 1 : floor
            }
            let stop = min(buffer.count, end + Self.forward)
            if let last = out.last, start <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, stop)
            } else {
                out.append(start..<stop)
            }
        }
        return out
    }

    /// The budget of rule `index` on the current input, made on first use (`RuleBudget`).
    private func budget(for index: Int) -> RegexBudget {
        if let b = budgets[index] { return b }
        let b = RuleBudget.make(builtIn: compiled.rules[index].rule.isBuiltIn, inputBytes: inputSize)
        budgets[index] = b
        return b
    }

    /// Runs `rule`'s regex over one window, judging its matches as they come. Only the regex search draws on
    /// `budget` (it is paused while a match is judged: validators, fingerprints). Past the cap of findings for
    /// this rule and input, matches are only counted, so that a line of one key repeated half a million times
    /// costs a count each. False when the rule gave up on this input (its backtracking limit or its time
    /// budget): reported once, as an incomplete scan, and the rule skips the rest of the input (the findings
    /// made before still count).
    private func confirm(_ rule: CompiledRule, index: Int, in buffer: UnsafeRawBufferPointer, window: Range<Int>, input: InputContext,
                         budget: RegexBudget, lines: inout LineIndex, into findings: inout [Finding]) -> Bool {
        guard let regex = rule.regex else { return true }
        var completed = true
        var found = foundPerRule[rule.rule.id, default: 0]
        var beyond = 0
        func take(_ m: RegexMatch) -> Bool {
            // Matches in a streamed window's margins belong to its neighbour, which counts them.
            let counted = countedRange?.contains(m.range.lowerBound) ?? true
            if found >= FindingCap.perRule {
                if counted { beyond += 1 }
            } else {
                budget.end()
                if let f = evaluate(rule, match: m, buffer: buffer, input: input, lines: &lines) {
                    findings.append(f)
                    if counted { found += 1 }
                }
                budget.begin()
            }
            return true
        }
        let scratch = rule.rule.isBuiltIn ? matchScratch : userMatchScratch
        do {
            if let run = leadingRun(index, regex) {
                try run.forEachMatch(of: regex, in: buffer, range: window, scratch: scratch, budget: budget, take)
            } else {
                try regex.forEachMatch(in: buffer, range: window, scratch: scratch, budget: budget, take)
            }
        } catch {
            completed = false
            if gaveUp.insert(index).inserted {
                let why = error.code == .budget
                    ? "used up its time budget (\(RuleBudget.describe(budget.seconds)) CPU for this file)"
                    : "hit its backtracking limit (\(error.message))"
                warnings.append(ScanNote(.incomplete, path: input.path,
                                         "rule '\(rule.rule.id)' \(why); the rest of this file was not checked by it, so the scan is incomplete"))
            }
        }
        foundPerRule[rule.rule.id] = found
        if beyond > 0 { capped[rule.rule.id, default: 0] += beyond }
        return completed
    }

    /// The rule's `LeadingRun` (found on first use), or nil when its pattern does not start that way.
    private func leadingRun(_ index: Int, _ regex: CompiledRegex) -> LeadingRun? {
        if let known = leadingRuns[index] { return known }
        let run = LeadingRun.of(regex.pattern)
        leadingRuns[index] = .some(run)
        return run
    }

    /// Matches of each rule (by id) counted past ``FindingCap/perRule`` since the last call, for the input's note.
    func takeCapped() -> [String: Int] {
        defer { capped = [:] }
        return capped
    }

    private func evaluate(_ rule: CompiledRule, match m: RegexMatch, buffer: UnsafeRawBufferPointer, input: InputContext,
                          lines: inout LineIndex) -> Finding? {
        let secretRange: Range<Int>
        if let g = rule.secretGroup {
            guard g - 1 < m.groups.count, let r = m.groups[g - 1] else { return nil }
            secretRange = r
        } else {
            secretRange = m.groups.first(where: { $0.map { !$0.isEmpty } ?? false }).flatMap { $0 } ?? m.range
        }
        guard !secretRange.isEmpty else { return nil }
        let secretBytes = UnsafeRawBufferPointer(rebasing: buffer[secretRange])
        if !rule.keywords.isEmpty, !Self.containsKeyword(rule.keywords, buffer: buffer, around: m.range) { return nil }
        if let min = rule.rule.entropy, Filters.entropy(secretBytes) < min { return nil }
        var secret = String(decoding: secretBytes, as: UTF8.self)
        // (Password and hash validators judge placeholders themselves: a crypt hash starts with `$`.)
        if !Validators.judgesPlaceholders(rule.rule.validator), Filters.isPlaceholder(secret) { return nil }
        let lineText = lines.lineText(containing: m.range.lowerBound, upTo: m.range.upperBound)
        let matchText = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[m.range]), as: UTF8.self)
        var facts = rule.regex.map { AccessFacts.groups(of: $0, match: m, buffer: buffer) } ?? [:]
        AccessFacts.around(secretRange, rule: rule, buffer: buffer, scratch: matchScratch, into: &facts)
        guard let judged = judge(rule, secret: secret, match: matchText, line: lineText, input: input, facts: facts) else { return nil }
        secret = judged.secret
        let severity = judged.severity, extra = judged.extra, inlineAllowed = judged.inlineAllowed
        let (line, column) = lines.position(of: secretRange.lowerBound)
        let (endLine, endColumn) = lines.position(of: secretRange.upperBound - 1)
        if let filter = input.lineFilter, !filter.contains(where: { $0.overlaps(line...endLine) }) { return nil }
        var f = Finding(rule: rule.rule, severity: severity, path: input.path, line: line, column: column, endLine: endLine,
                        endColumn: endColumn + 1, secret: secret, fingerprint: "")
        f.extra = extra
        f.offset = secretRange.lowerBound
        f.inlineAllowed = inlineAllowed
        return f
    }

    /// What a candidate of `rule` becomes once judged: nil when an inline allow (on a line of a rule that is not
    /// a pair half), an allowlist, a publicly known example key (`[[example_keys]]`) or the rule's validator
    /// rules it out; else the secret (a validator may
    /// normalize it), its severity (a validator may lower it), the validator's facts, and whether its line
    /// carries an inline allow (a pair half is kept, marked, so that the allow covers its pair).
    func judge(_ rule: CompiledRule, secret: String, match: String, line: String, input: InputContext, facts: [String: String] = [:])
        -> (secret: String, severity: Severity, extra: [String: String], inlineAllowed: Bool)? {
        let inlineAllowed = Filters.hasInlineAllow(line)
        if inlineAllowed, rule.rule.pair == nil { return nil }
        for a in rule.allowlists + compiled.globalAllowlists
        where a.allows(path: input.path, secret: secret, match: match, line: line, commit: input.commit, scratch: matchScratch) {
            return nil
        }
        if !compiled.exampleKeyDigests.isEmpty, compiled.exampleKeyDigests.contains(Digest.sha256(Array(secret.utf8))) { return nil }
        var severity = rule.rule.severity
        var extra = facts
        var secret = secret
        if let v = rule.rule.validator {
            switch Validators.run(v, secret: secret, facts: facts) {
            case .reject: return nil
            case .accept(let learned, let change, let normalized):
                extra.merge(learned) { _, new in new }
                if let normalized { secret = normalized }
                if case .lowerTo(let s) = change, let lowered = Severity(rawValue: s) { severity = min(severity, lowered) }
            }
        }
        return (secret, severity, extra, inlineAllowed)
    }

    /// Whether a global allowlist's `paths` take the whole file out of the scan.
    func globallyAllowed(_ path: String) -> Bool {
        if compiled.globalAllowlists.isEmpty { return false }
        if let last = lastAllowCheck, last.path == path { return last.allowed }
        let allowed = compiled.globalAllowlists.contains { $0.allowsWholePath(path, scratch: matchScratch) }
        lastAllowCheck = (path, allowed)
        return allowed
    }

    /// Findings of the rules that flag a file by its path alone (key stores): these apply to binary files too,
    /// except where a global allowlist takes the path out (as `scan` does for text).
    public func pathFindings(_ path: String) -> [Finding] {
        guard !compiled.pathOnlyRules.isEmpty, !globallyAllowed(path) else { return [] }
        var found = compiled.pathOnlyRules.map { compiled.rules[$0] }.filter { ruleApplies($0, to: path) }.map { pathFinding($0, path: path) }
        PathContext.apply(to: &found, path: path)
        return found
    }

    private func pathFinding(_ rule: CompiledRule, path: String) -> Finding {
        Finding(rule: rule.rule, severity: rule.rule.severity, path: path, line: 1, column: 1, endLine: 1, endColumn: 1,
                secret: path, fingerprint: fingerprinter.fingerprint(path))
    }

    /// True when one of `keywords` (lowercase) occurs, case-insensitively, within 256 bytes of `range`.
    static func containsKeyword(_ keywords: [[UInt8]], buffer: UnsafeRawBufferPointer, around range: Range<Int>) -> Bool {
        let lo = max(0, range.lowerBound - 256), hi = min(buffer.count, range.upperBound + 256)
        var lowered = [UInt8](repeating: 0, count: hi - lo)
        for i in lo..<hi {
            let c = buffer[i]
            lowered[i - lo] = (c >= 65 && c <= 90) ? c + 32 : c
        }
        return lowered.withUnsafeBytes { window in
            keywords.contains { k in !k.isEmpty && k.withUnsafeBytes { ByteSearch.occurs($0, in: window) } }
        }
    }
}

extension CompiledRule {
    /// True when the pattern can match across a line break (then its confirming window reaches further back).
    var mayCrossLines: Bool {
        guard let r = rule.regex else { return false }
        return ["\\n", "\\s", "(?s", "\\r", "[^", "\\S", "\\W", "\\D"].contains { ByteSearch.contains(r, $0) }
    }
}
