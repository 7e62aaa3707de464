import Foundation

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

    /// Every regular file under `roots` (a root that is a file is listed as itself).
    public mutating func files(under roots: [String]) -> [Entry] {
        var out = [Entry]()
        var seen = Set<FileID>()
        for root in roots {
            var st = stat()
            let rc = options.followSymlinks ? stat(root, &st) : lstat(root, &st)
            if rc != 0 {
                let code = errno
                errors.append(ScanNote(code == ENOENT ? .missing : .unreadable, path: root, String(cString: strerror(code))))
                continue
            }
            let mode = st.st_mode & S_IFMT
            if mode == S_IFREG {
                out.append(Entry(path: root, displayPath: root))
            } else if mode == S_IFDIR {
                walk(root, display: root == "." ? "" : root, into: &out, seen: &seen)
            } else if mode == S_IFLNK {
                skipped.append(ScanNote(.symbolicLink, path: root, "symbolic link not followed (use --follow-symlinks)"))
            }
        }
        return out
    }

    private struct FileID: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private mutating func walk(_ dir: String, display: String, into out: inout [Entry], seen: inout Set<FileID>) {
        var st = stat()
        if stat(dir, &st) == 0 {
            let id = FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            if seen.contains(id) {
                skipped.append(ScanNote(.symbolicLink, path: dir, "directory already visited (symbolic link loop)"))
                return
            }
            seen.insert(id)
        }
        guard let handle = opendir(dir) else {
            errors.append(ScanNote(.unreadable, path: dir, String(cString: strerror(errno))))
            return
        }
        var names = [(String, UInt8)]()
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            names.append((name, entry.pointee.d_type))
        }
        closedir(handle)
        names.sort { $0.0 < $1.0 }
        for (name, type) in names {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            let shown = display.isEmpty ? name : (display.hasSuffix("/") ? display + name : display + "/" + name)
            var kind = type
            if kind == UInt8(DT_UNKNOWN) {
                var s = stat()
                if lstat(path, &s) == 0 {
                    let m = s.st_mode & S_IFMT
                    kind = m == S_IFDIR ? UInt8(DT_DIR) : m == S_IFREG ? UInt8(DT_REG) : m == S_IFLNK ? UInt8(DT_LNK) : 0
                }
            }
            switch Int32(kind) {
            case Int32(DT_REG):
                out.append(Entry(path: path, displayPath: shown))
            case Int32(DT_DIR):
                if !Self.skippedDirectories.contains(name) { walk(path, display: shown, into: &out, seen: &seen) }
            case Int32(DT_LNK):
                guard options.followSymlinks else { continue }
                var s = stat()
                guard stat(path, &s) == 0 else {
                    skipped.append(ScanNote(.symbolicLink, path: shown, "broken symbolic link"))
                    continue
                }
                if s.st_mode & S_IFMT == S_IFDIR {
                    walk(path, display: shown, into: &out, seen: &seen)
                } else if s.st_mode & S_IFMT == S_IFREG {
                    out.append(Entry(path: path, displayPath: shown))
                }
            default:
                continue
            }
        }
    }
}
