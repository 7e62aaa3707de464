internal import Foundation
internal import SystemSupport

/// Where a repository's files are, found as git finds them but without libgit2, for the common case only: a
/// work tree with a `.git` folder (or a `.git` file naming a linked work tree's git directory), found by
/// walking up from where the command starts, with no environment variable that changes discovery.
///
/// It is a shortcut, never a second opinion: whenever anything is unusual it gives nil and the repository
/// is opened by libgit2 exactly as before. Unusual means: `GIT_DIR`, `GIT_WORK_TREE`, `GIT_COMMON_DIR`,
/// `GIT_OBJECT_DIRECTORY`, `GIT_ALTERNATE_OBJECT_DIRECTORIES`, `GIT_CEILING_DIRECTORIES`, `GIT_NAMESPACE` or
/// `GIT_DISCOVERY_ACROSS_FILESYSTEM` set; a bare repository, or a start inside a git directory; a walk that
/// would cross onto another file system; a git directory or work tree owned by another user (libgit2's
/// ownership check and `safe.directory` then decide); a config with `core.worktree`, `core.bare = true`,
/// an `[extensions]` section (SHA-256 objects, reftable, per-work-tree config...), an include, or a line it
/// does not understand; a `HEAD` or ref it cannot read exactly.
struct GitLayout: Equatable {
    /// The git directory (`<root>/.git`, or a linked work tree's directory under the main one's `worktrees/`).
    let gitDirectory: String
    /// Where the objects, the shared refs and the config are: the git directory, or the main one for a
    /// linked work tree.
    let commonDirectory: String
    /// The top of the work tree, symlinks resolved.
    let workTreeRoot: String

    /// The environment variables that change how git finds or reads a repository.
    static let discoveryVariables = ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
                                     "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CEILING_DIRECTORIES", "GIT_NAMESPACE",
                                     "GIT_DISCOVERY_ACROSS_FILESYSTEM"]

    /// The layout of the repository holding directory `start` (absolute), or nil when libgit2 should find it.
    static func discover(from start: String, environment: [String: String]) -> GitLayout? {
        guard !discoveryVariables.contains(where: { !(environment[$0] ?? "").isEmpty }) else { return nil }
        let startDirectory = PathUtilities.canonical(start)
        var startInfo = stat()
        guard startDirectory.hasPrefix("/"), stat(startDirectory, &startInfo) == 0, startInfo.st_mode & S_IFMT == S_IFDIR else { return nil }
        var directory = startDirectory
        while true {
            var info = stat()
            guard stat(directory, &info) == 0, info.st_dev == startInfo.st_dev else { return nil }
            let dotGit = directory == "/" ? "/.git" : directory + "/.git"
            var entry = stat()
            if lstat(dotGit, &entry) == 0 {
                switch entry.st_mode & S_IFMT {
                case S_IFDIR: return layout(gitDirectory: dotGit, workTree: directory, workTreeInfo: info)
                case S_IFREG:
                    guard let named = gitFileTarget(dotGit, relativeTo: directory) else { return nil }
                    return layout(gitDirectory: named, workTree: directory, workTreeInfo: info)
                default: return nil
                }
            }
            // A git directory itself (a bare repository, or somewhere inside `.git`): libgit2's case.
            if access(directory + "/HEAD", F_OK) == 0 || directory.hasSuffix("/.git") || directory.contains("/.git/") { return nil }
            let parent = (directory as NSString).deletingLastPathComponent
            if parent == directory || parent.isEmpty { return nil }
            directory = parent
        }
    }

    /// The git directory a `.git` file names (`gitdir: <path>`, relative to the folder holding the file).
    private static func gitFileTarget(_ path: String, relativeTo directory: String) -> String? {
        guard let text = smallFile(path), text.hasPrefix("gitdir: ") else { return nil }
        let named = text.dropFirst("gitdir: ".count).trimmingCharacters(in: .newlines)
        guard !named.isEmpty, !named.contains("\n") else { return nil }
        return PathUtilities.canonical(PathUtilities.absolute(named, relativeTo: directory))
    }

    private static func layout(gitDirectory: String, workTree: String, workTreeInfo: stat) -> GitLayout? {
        var gitInfo = stat()
        guard stat(gitDirectory, &gitInfo) == 0, gitInfo.st_mode & S_IFMT == S_IFDIR,
              gitInfo.st_uid == geteuid(), workTreeInfo.st_uid == geteuid() else { return nil }
        var common = gitDirectory
        if access(gitDirectory + "/commondir", F_OK) == 0 {
            guard let text = smallFile(gitDirectory + "/commondir") else { return nil }
            let named = text.trimmingCharacters(in: .newlines)
            guard !named.isEmpty, !named.contains("\n") else { return nil }
            common = PathUtilities.canonical(PathUtilities.absolute(named, relativeTo: gitDirectory))
            // Per-work-tree config is an extension (refused below when the main config enables it).
            guard access(gitDirectory + "/config.worktree", F_OK) != 0 else { return nil }
        }
        var headInfo = stat(), objectsInfo = stat(), refsInfo = stat()
        guard lstat(gitDirectory + "/HEAD", &headInfo) == 0, headInfo.st_mode & S_IFMT == S_IFREG,
              stat(common + "/objects", &objectsInfo) == 0, objectsInfo.st_mode & S_IFMT == S_IFDIR,
              stat(common + "/refs", &refsInfo) == 0, refsInfo.st_mode & S_IFMT == S_IFDIR,
              let config = smallFile(common + "/config"), configIsPlain(config) else { return nil }
        return GitLayout(gitDirectory: PathUtilities.trimmingTrailingSlash(gitDirectory),
                         commonDirectory: PathUtilities.trimmingTrailingSlash(common),
                         workTreeRoot: PathUtilities.canonical(workTree))
    }

    /// Whether a repository config sets nothing that moves the work tree or changes how the repository is
    /// read, and has no line this reader does not understand. Read byte by byte (ASCII syntax; values and
    /// subsection names may hold any bytes): it runs on every staged scan.
    static func configIsPlain(_ text: String) -> Bool {
        var section: [UInt8] = []
        for raw in text.utf8.split(separator: 10, omittingEmptySubsequences: false) {
            let line = trimmed(raw[...])
            guard let first = line.first, first != 35, first != 59 else { continue }   // blank, `#`, `;`
            if first == 91 {                                                            // `[`
                guard let close = line.firstIndex(of: 93) else { return false }
                let header = line[line.index(after: line.startIndex)..<close]
                let rest = trimmed(line[line.index(after: close)...])
                guard rest.isEmpty || rest.first == 35 || rest.first == 59 else { return false }
                let name = header.prefix { $0 != 32 }.map { $0 | 0x20 }   // ASCII lower case
                // `[core.worktree]`-style dotted headers are valid git but rare: not read here.
                guard !name.isEmpty, !name.contains(46), !header.contains(9),
                      name.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }) else { return false }
                if name.elementsEqual("extensions".utf8) || name.elementsEqual("include".utf8) || name.elementsEqual("includeif".utf8) { return false }
                section = name
                continue
            }
            // A continued value: not read here.
            if line.last == 92 { return false }
            let keyBytes = line.prefix { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
            guard !keyBytes.isEmpty else { return false }
            let afterKey = trimmed(line.dropFirst(keyBytes.count))
            guard afterKey.isEmpty || afterKey.first == 61 || afterKey.first == 35 || afterKey.first == 59 else { return false }
            guard section.elementsEqual("core".utf8) else { continue }
            var value = afterKey.first == 61 ? trimmed(afterKey.dropFirst()) : Substring("true").utf8[...]
            if let comment = value.firstIndex(where: { $0 == 35 || $0 == 59 }) { value = trimmed(value[..<comment]) }
            let lowered = String(decoding: value.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
            switch String(decoding: keyBytes.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self) {
            case "worktree": return false
            case "bare": if !["false", "no", "off", "0"].contains(lowered) { return false }
            case "repositoryformatversion": if lowered != "0" && lowered != "1" { return false }
            default: continue
            }
        }
        return true
    }

    /// `bytes` without the spaces, tabs and carriage returns at either end.
    private static func trimmed<S: BidirectionalCollection>(_ bytes: S) -> S.SubSequence where S.Element == UInt8, S.SubSequence == S {
        var part = bytes[...]
        while let c = part.first, c == 32 || c == 9 || c == 13 { part = part.dropFirst() }
        while let c = part.last, c == 32 || c == 9 || c == 13 { part = part.dropLast() }
        return part
    }

    /// A small file's text (at most 64 KiB; a longer, unreadable or non-regular one gives nil).
    static func smallFile(_ path: String) -> String? {
        RegularFile.read(path, atMost: 64 << 10, followLinks: true).flatMap { String(validating: $0, as: UTF8.self) }
    }

    // MARK: HEAD

    /// What `HEAD` points to, read from the files.
    enum Head: Equatable {
        case commit(ObjectID)
        /// A branch with no commit yet.
        case unborn
        /// Not read here (a ref this reader cannot follow exactly): ask libgit2.
        case unknown
    }

    /// `HEAD`, followed through symbolic refs (at most five), loose refs and `packed-refs`.
    func head() -> Head {
        guard var text = Self.smallFile(gitDirectory + "/HEAD") else { return .unknown }
        for _ in 0..<5 {
            let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let id = Self.objectID(line) { return .commit(id) }
            guard line.hasPrefix("ref: ") else { return .unknown }
            let name = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            guard name.hasPrefix("refs/"), !name.contains(".."), !name.hasSuffix("/"), !name.contains("//") else { return .unknown }
            // Refs of one work tree live in its own git directory; the rest are shared.
            let perWorkTree = ["refs/bisect/", "refs/worktree/", "refs/rewritten/"].contains { name.hasPrefix($0) }
            let loose = (perWorkTree ? gitDirectory : commonDirectory) + "/" + name
            var info = stat()
            if lstat(loose, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFREG, let next = Self.smallFile(loose) else { return .unknown }
                text = next
                continue
            }
            guard errno == ENOENT || errno == ENOTDIR else { return .unknown }
            return packedRef(name)
        }
        return .unknown
    }

    /// Ref `name` in `packed-refs`: its commit, `.unborn` when it is not there either.
    private func packedRef(_ name: String) -> Head {
        let path = commonDirectory + "/packed-refs"
        guard access(path, F_OK) == 0 else { return errno == ENOENT ? .unborn : .unknown }
        // packed-refs can be large (tags): read whole, but not without bound.
        guard let data = RegularFile.read(path, atMost: 256 << 20, followLinks: true) else { return .unknown }
        let wanted = Array(name.utf8)
        var found: Head = .unborn
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var start = 0
            while start < raw.count {
                var end = start
                while end < raw.count, raw[end] != 10 { end += 1 }
                var stop = end
                if stop > start, raw[stop - 1] == 13 { stop -= 1 }
                let line = UnsafeRawBufferPointer(rebasing: raw[start..<stop])
                if line.count == 41 + wanted.count, line[40] == 32, line[41...].elementsEqual(wanted) {
                    found = ObjectID(hexDigits: UnsafeRawBufferPointer(rebasing: line[0..<40])).map { .commit($0) } ?? .unknown
                    return
                }
                start = end + 1
            }
        }
        return found
    }

    private static func objectID(_ text: String) -> ObjectID? {
        guard text.utf8.count == 40 else { return nil }
        return Array(text.utf8).withUnsafeBytes { ObjectID(hexDigits: $0) }
    }
}
