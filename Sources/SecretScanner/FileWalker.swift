import Foundation
import SystemSupport

/// Lists the regular files under a set of roots, without git: every file, in a stable order.
/// Symbolic links are not followed unless asked; a directory seen twice (a link loop) is entered once.
public struct FileWalker {
    public struct Options: Sendable {
        public var followSymlinks = false
        public init(followSymlinks: Bool = false) { self.followSymlinks = followSymlinks }
    }

    /// A file to scan: the path to open and the path to report.
    public struct Entry: Sendable {
        public let path: String
        public let displayPath: String
    }

    /// Directory names never descended into.
    static let skippedDirectories: Set<String> = [".git"]

    public let options: Options
    public private(set) var errors: [ScanNote] = []
    public private(set) var skipped: [ScanNote] = []

    public init(options: Options = Options()) { self.options = options }

    /// Every regular file under `roots`. A root is a path the user named, so it is read whatever it is: a
    /// regular file, a FIFO or process substitution (`<(...)`, `/dev/fd/N`), a character device
    /// (`/dev/stdin`), or a symbolic link to one of those; a directory is walked, and only what the walk
    /// finds follows the symbolic-link policy. Anything else (a socket) is skipped with a note.
    public mutating func files(under roots: [String]) -> [Entry] {
        var out = [Entry]()
        var seen = Set<FileID>()
        for root in roots {
            var st = stat()
            if stat(root, &st) != 0 {
                let code = errno
                var link = stat()
                if code == ENOENT, lstat(root, &link) == 0 {
                    skipped.append(ScanNote(.symbolicLink, path: root, "broken symbolic link"))
                } else {
                    errors.append(ScanNote(code == ENOENT ? .missing : .unreadable, path: root, SystemError.reason(code)))
                }
                continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFREG, S_IFIFO, S_IFCHR:
                out.append(Entry(path: root, displayPath: root))
            case S_IFDIR:
                walk(root, display: root == "." ? "" : root, into: &out, seen: &seen)
            default:
                skipped.append(ScanNote(.notContent, path: root, "not a file, FIFO or device keywarden can read"))
            }
        }
        return out
    }

    /// True when `path` names a directory (following a symbolic link): the paths a git-aware listing may
    /// take over; anything else the user named is read as it is.
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }

    private struct FileID: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    /// Walks the directory `root` (shown as `display`) with the shared ``DirectoryWalker``: regular files
    /// are listed, `.git` is not entered, symbolic links are followed only when asked, and a directory
    /// already seen (a link loop) is entered once.
    private mutating func walk(_ root: String, display: String, into out: inout [Entry], seen: inout Set<FileID>) {
        guard firstVisit(root, seen: &seen) else { return }
        let follow = options.followSymlinks
        var skipped: [ScanNote] = [], errors: [ScanNote] = []
        DirectoryWalker.walk(root, relative: display, sorted: true, visit: { entry in
            switch entry.kind {
            case .regular:
                out.append(Entry(path: entry.path, displayPath: entry.relative))
                return .skip
            case .directory:
                guard !Self.skippedDirectories.contains(entry.name) else { return .skip }
                return Self.firstVisit(entry.path, seen: &seen, skipped: &skipped) ? .enter : .skip
            case .symbolicLink:
                guard follow else { return .skip }
                var s = stat()
                guard stat(entry.path, &s) == 0 else {
                    skipped.append(ScanNote(.symbolicLink, path: entry.relative, "broken symbolic link"))
                    return .skip
                }
                if s.st_mode & S_IFMT == S_IFDIR {
                    return Self.firstVisit(entry.path, seen: &seen, skipped: &skipped) ? .enter : .skip
                }
                if s.st_mode & S_IFMT == S_IFREG { out.append(Entry(path: entry.path, displayPath: entry.relative)) }
                return .skip
            case .other:
                return .skip
            }
        }, cannotList: { path, error in
            errors.append(ScanNote(.unreadable, path: path, error.reason))
        })
        self.skipped += skipped
        self.errors += errors
    }

    private mutating func firstVisit(_ directory: String, seen: inout Set<FileID>) -> Bool {
        Self.firstVisit(directory, seen: &seen, skipped: &skipped)
    }

    /// False (with a note) when `directory` was entered before under another name (a symbolic link loop).
    private static func firstVisit(_ directory: String, seen: inout Set<FileID>, skipped: inout [ScanNote]) -> Bool {
        var st = stat()
        guard stat(directory, &st) == 0 else { return true }
        guard seen.insert(FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))).inserted else {
            skipped.append(ScanNote(.symbolicLink, path: directory, "directory already visited (symbolic link loop)"))
            return false
        }
        return true
    }
}
