#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// git's ignore rules, decided the way git itself decides them.
///
/// libgit2's `git_ignore_path_is_ignored` disagrees with git in ways that matter to a scanner: a
/// subfolder's `.gitignore` that re-includes a file (`!.env`) is not honoured when a parent's file
/// excludes it (libgit2 issues 6461 and 7284), so a work-tree scan skipped a file that `git add .` would
/// commit. These rules follow git's documented semantics instead (gitignore(5)):
///
/// - pattern files, most specific first: the `.gitignore` of the path's own folder, then each parent's up
///   to the root, then `info/exclude`, then `core.excludesFile`; within one file the last matching line
///   wins, and the first file with a matching line decides;
/// - a path under an excluded folder is excluded, whatever a deeper file says ("it is not possible to
///   re-include a file if a parent directory of that file is excluded");
/// - `!` negates, a trailing `/` matches folders only, a pattern with no other `/` matches the name at
///   any depth, otherwise it is anchored at its file's folder; `*`, `?`, `[...]` (with `!`/`^`, ranges and
///   `[:class:]`) never match `/`, and `**` matches across folders in `**/x`, `x/**/y` and `x/**`;
///   trailing spaces are dropped unless escaped, `\` escapes, `#` starts a comment.
///
/// Matching is a left-to-right pass over the pattern with the set of reachable text positions, so its
/// cost is (pattern length × path length) whatever a hostile `.gitignore` contains: no backtracking.
/// `.gitignore` files are read without following symbolic links (as git does since 2.32), and only when
/// they are regular files.
public final class IgnoreRules {
    /// One line of a pattern file.
    struct Pattern {
        let tokens: [Token]
        let negative: Bool
        let directoryOnly: Bool
        /// No `/` but a trailing one: matched against the last path component only.
        let nameOnly: Bool
    }

    /// One pattern file: its lines, and the folder (relative to the root, "" for the root) it applies below.
    struct PatternList {
        let base: String
        let patterns: [Pattern]
    }

    enum Token: Equatable {
        case byte(UInt8)
        case anyByte
        case bracket(BracketSet)
        /// `*`: any run of bytes without `/` (with `/` too when matching a name only).
        case star
        /// `**` at the end after a `/`: anything, `/` included.
        case anything
        /// `**/` at the start or after a `/`: nothing, or any run of whole folders (text ending in `/`).
        case folders
        /// An unterminated `[`: the pattern never matches (as in git).
        case never
    }

    struct BracketSet: Equatable {
        var members = [Bool](repeating: false, count: 256)
        var negated = false
        func contains(_ byte: UInt8) -> Bool { members[Int(byte)] != negated }
    }

    /// The work tree root, absolute.
    let root: String
    /// `info/exclude`, then `core.excludesFile`.
    let global: [PatternList]
    /// Each folder's own `.gitignore` (nil: none), read once.
    private var perFolder: [String: PatternList?] = [:]
    /// Each folder's verdict (excluded itself, or below an excluded folder), decided once.
    private var folderExcluded: [String: Bool] = [:]

    /// Rules for the work tree at `root`, with `info/exclude` from `commonGitDirectory` and the user's
    /// `core.excludesFile` (nil: the default `$XDG_CONFIG_HOME/git/ignore` or `~/.config/git/ignore`).
    public init(root: String, commonGitDirectory: String, excludesFile: String?, environment: [String: String]) {
        self.root = root
        var global: [PatternList] = []
        let common = commonGitDirectory.hasSuffix("/") ? commonGitDirectory : commonGitDirectory + "/"
        if let text = Self.readPatternFile(common + "info/exclude") {
            global.append(PatternList(base: "", patterns: Self.parse(text)))
        }
        let userFile: String?
        if let excludesFile, !excludesFile.isEmpty {
            userFile = excludesFile
        } else if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            userFile = xdg + "/git/ignore"
        } else if let home = environment["HOME"], !home.isEmpty {
            userFile = home + "/.config/git/ignore"
        } else {
            userFile = nil
        }
        if let userFile, let text = Self.readPatternFile(userFile, followLinks: true) {
            global.append(PatternList(base: "", patterns: Self.parse(text)))
        }
        self.global = global
    }

    /// Rules from explicit pattern texts (tests): `files` maps a folder ("" for the root) to its
    /// `.gitignore` text; folders not listed have none.
    init(root: String, files: [String: String], global: [String] = []) {
        self.root = root
        self.global = global.map { PatternList(base: "", patterns: Self.parse(Array($0.utf8))) }
        for (folder, text) in files { perFolder[folder] = PatternList(base: folder, patterns: Self.parse(Array(text.utf8))) }
        fixedFiles = true
    }

    /// True when the per-folder files were given (tests): nothing is read from disk.
    private var fixedFiles = false

    /// Whether git ignores `relative` (a path relative to the root, `/`-separated, no trailing slash).
    public func isIgnored(_ relative: String, isDirectory: Bool) -> Bool {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !parts.isEmpty else { return false }
        let parent = parts.dropLast().joined(separator: "/")
        if !parent.isEmpty, excluded(folder: parent) { return true }
        return decide(parts.joined(separator: "/"), name: parts[parts.count - 1], folder: parent, isDirectory: isDirectory)
    }

    /// Whether `folder` (relative, non-empty) is excluded itself or lies under an excluded folder.
    private func excluded(folder: String) -> Bool {
        if let known = folderExcluded[folder] { return known }
        let slash = folder.lastIndex(of: "/")
        let parent = slash.map { String(folder[..<$0]) } ?? ""
        let name = slash.map { String(folder[folder.index(after: $0)...]) } ?? folder
        let verdict = (!parent.isEmpty && excluded(folder: parent))
            || decide(folder, name: name, folder: parent, isDirectory: true)
        folderExcluded[folder] = verdict
        return verdict
    }

    /// The verdict of the pattern files for `path` (whose parent folder is `folder`), ancestors not considered.
    private func decide(_ path: String, name: String, folder: String, isDirectory: Bool) -> Bool {
        let pathBytes = Array(path.utf8), nameBytes = Array(name.utf8)
        var lists: [PatternList] = []
        var current: String? = folder
        while let f = current {
            if let list = patternList(in: f) { lists.append(list) }
            if f.isEmpty { current = nil } else { current = f.lastIndex(of: "/").map { String(f[..<$0]) } ?? "" }
        }
        lists += global
        for list in lists {
            for pattern in list.patterns.reversed() where Self.matches(pattern, path: pathBytes, name: nameBytes,
                                                                         base: list.base, isDirectory: isDirectory) {
                return !pattern.negative
            }
        }
        return false
    }

    /// `folder/.gitignore`, parsed once (nil when there is none).
    private func patternList(in folder: String) -> PatternList? {
        if let known = perFolder[folder] { return known }
        if fixedFiles { return nil }
        let path = folder.isEmpty ? root + "/.gitignore" : root + "/" + folder + "/.gitignore"
        let list = Self.readPatternFile(path).map { PatternList(base: folder, patterns: Self.parse($0)) }
        perFolder[folder] = list
        return list
    }

    static func matches(_ pattern: Pattern, path: [UInt8], name: [UInt8], base: String, isDirectory: Bool) -> Bool {
        if pattern.directoryOnly && !isDirectory { return false }
        if pattern.nameOnly { return globMatch(pattern.tokens, name, pathAware: false) }
        var text = path[...]
        if !base.isEmpty {
            let prefix = Array(base.utf8) + [UInt8(ascii: "/")]
            guard path.count > prefix.count, path.starts(with: prefix) else { return false }
            text = path[prefix.count...]
        }
        return globMatch(pattern.tokens, Array(text), pathAware: true)
    }

    // MARK: reading and parsing

    /// The bytes of a pattern file; nil when it is missing, not a regular file, or (unless `followLinks`)
    /// a symbolic link. Files beyond 8 MiB are read up to that size.
    static func readPatternFile(_ path: String, followLinks: Bool = false) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let limit = 8 << 20
        var bytes = [UInt8](repeating: 0, count: min(Int(info.st_size), limit))
        var filled = 0
        while filled < bytes.count {
            let n = bytes[filled...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            filled += n
        }
        return Array(bytes[..<filled])
    }

    /// The patterns of one file, in order.
    static func parse(_ text: [UInt8]) -> [Pattern] {
        var patterns: [Pattern] = []
        for rawLine in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if let pattern = parseLine(Array(rawLine)) { patterns.append(pattern) }
        }
        return patterns
    }

    static func parseLine(_ raw: [UInt8]) -> Pattern? {
        var line = raw
        if line.first == UInt8(ascii: "#") { return nil }
        // Trailing spaces go, unless escaped with a backslash.
        while line.last == UInt8(ascii: " ") {
            var backslashes = 0
            var i = line.count - 2
            while i >= 0, line[i] == UInt8(ascii: "\\") { backslashes += 1; i -= 1 }
            if backslashes % 2 == 1 { break }
            line.removeLast()
        }
        var negative = false
        if line.first == UInt8(ascii: "!") { negative = true; line.removeFirst() }
        var directoryOnly = false
        if line.last == UInt8(ascii: "/") { directoryOnly = true; line.removeLast() }
        if line.isEmpty { return nil }
        let nameOnly = !line.contains(UInt8(ascii: "/"))
        if line.first == UInt8(ascii: "/") { line.removeFirst() }
        if line.isEmpty { return nil }
        return Pattern(tokens: tokenize(line, pathAware: !nameOnly), negative: negative, directoryOnly: directoryOnly,
                       nameOnly: nameOnly)
    }

    /// The tokens of a glob. With `pathAware`, `**` is special only where git makes it so.
    static func tokenize(_ p: [UInt8], pathAware: Bool) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        let slash = UInt8(ascii: "/")
        while i < p.count {
            let c = p[i]
            switch c {
            case UInt8(ascii: "\\"):
                if i + 1 < p.count { tokens.append(.byte(p[i + 1])); i += 2 } else { tokens.append(.never); i += 1 }
            case UInt8(ascii: "?"):
                tokens.append(.anyByte); i += 1
            case UInt8(ascii: "*"):
                var j = i
                while j < p.count, p[j] == UInt8(ascii: "*") { j += 1 }
                let run = j - i
                let atStart = i == 0 || p[i - 1] == slash
                if pathAware, run >= 2, atStart, j == p.count {
                    tokens.append(.anything); i = j
                } else if pathAware, run >= 2, atStart, p[j] == slash {
                    tokens.append(.folders); i = j + 1
                } else {
                    tokens.append(pathAware ? .star : .anything); i = j
                }
            case UInt8(ascii: "["):
                if let (set, next) = bracket(p, from: i) {
                    tokens.append(.bracket(set)); i = next
                } else {
                    tokens.append(.never); i = p.count
                }
            default:
                tokens.append(.byte(c)); i += 1
            }
        }
        return tokens
    }

    /// The bracket expression starting at `p[start] == "["`, and the index after its `]`; nil when it
    /// is not terminated.
    static func bracket(_ p: [UInt8], from start: Int) -> (BracketSet, Int)? {
        var set = BracketSet()
        var i = start + 1
        if i < p.count, p[i] == UInt8(ascii: "!") || p[i] == UInt8(ascii: "^") { set.negated = true; i += 1 }
        var first = true
        var previous: UInt8?
        while i < p.count {
            var c = p[i]
            if c == UInt8(ascii: "]"), !first { return (set, i + 1) }
            first = false
            if c == UInt8(ascii: "["), i + 1 < p.count, p[i + 1] == UInt8(ascii: ":") {
                // [:class:]
                var j = i + 2
                while j + 1 < p.count, !(p[j] == UInt8(ascii: ":") && p[j + 1] == UInt8(ascii: "]")) { j += 1 }
                if j + 1 < p.count {
                    let name = String(decoding: p[(i + 2)..<j], as: UTF8.self)
                    for b in 0..<256 where characterClass(name, UInt8(b)) { set.members[b] = true }
                    i = j + 2
                    previous = nil
                    continue
                }
            }
            if c == UInt8(ascii: "\\") {
                guard i + 1 < p.count else { return nil }
                i += 1
                c = p[i]
            }
            if c == UInt8(ascii: "-"), let low = previous, i + 1 < p.count, p[i + 1] != UInt8(ascii: "]") {
                var high = p[i + 1]
                var step = 2
                if high == UInt8(ascii: "\\"), i + 2 < p.count { high = p[i + 2]; step = 3 }
                if low <= high { for b in low...high { set.members[Int(b)] = true } }
                i += step
                previous = nil
                continue
            }
            set.members[Int(c)] = true
            previous = c
            i += 1
        }
        return nil
    }

    static func characterClass(_ name: String, _ b: UInt8) -> Bool {
        let c = Int32(b)
        switch name {
        case "alnum": return isalnum(c) != 0
        case "alpha": return isalpha(c) != 0
        case "blank": return b == 0x20 || b == 0x09
        case "cntrl": return iscntrl(c) != 0
        case "digit": return isdigit(c) != 0
        case "graph": return isgraph(c) != 0
        case "lower": return islower(c) != 0
        case "print": return isprint(c) != 0
        case "punct": return ispunct(c) != 0
        case "space": return isspace(c) != 0
        case "upper": return isupper(c) != 0
        case "xdigit": return isxdigit(c) != 0
        default: return false
        }
    }

    // MARK: matching

    /// Whether `tokens` match all of `text`: one pass over the tokens with the set of text positions
    /// reachable so far. With `pathAware`, only `.anything` and `.folders` cross `/`.
    static func globMatch(_ tokens: [Token], _ text: [UInt8], pathAware: Bool) -> Bool {
        let n = text.count
        let slash = UInt8(ascii: "/")
        var reach = [Bool](repeating: false, count: n + 1)
        reach[0] = true
        var next = [Bool](repeating: false, count: n + 1)
        for token in tokens {
            for j in 0...n { next[j] = false }
            switch token {
            case .never:
                return false
            case .byte(let b):
                for j in 0..<n where reach[j] && text[j] == b { next[j + 1] = true }
            case .anyByte:
                for j in 0..<n where reach[j] && !(pathAware && text[j] == slash) { next[j + 1] = true }
            case .bracket(let set):
                for j in 0..<n where reach[j] && !(pathAware && text[j] == slash) && set.contains(text[j]) { next[j + 1] = true }
            case .star:
                for j in 0...n {
                    next[j] = reach[j] || (j > 0 && next[j - 1] && !(pathAware && text[j - 1] == slash))
                }
            case .anything:
                for j in 0...n { next[j] = reach[j] || (j > 0 && next[j - 1]) }
            case .folders:
                var started = false
                for j in 0...n {
                    if j > 0, started, text[j - 1] == slash { next[j] = true }
                    if reach[j] { next[j] = true }
                    // A folder run starts at a reachable position and must not begin with `/`.
                    if reach[j], j < n, text[j] != slash { started = true }
                }
            }
            swap(&reach, &next)
            if !reach.contains(true) { return false }
        }
        return reach[n]
    }
}
