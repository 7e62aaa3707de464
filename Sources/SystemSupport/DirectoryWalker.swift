#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Walks a directory tree with `opendir`/`readdir`, depth first, and asks its caller about every entry:
/// what to record and which directories to enter. The plain file walk (every file, optionally through
/// symbolic links) and git's work-tree walk (tracked files, and untracked ones no ignore rule excludes)
/// are two callers of this one walk.
public enum DirectoryWalker {
    /// What an entry is, from `readdir`'s type (or `lstat` where the file system does not say).
    public enum Kind: Sendable, Equatable {
        case regular, directory, symbolicLink, other
    }

    /// One entry of a listed directory.
    public struct Entry {
        /// The listed directory as the walk spells it (the root joined with `relativeDirectory`).
        public let directory: String
        /// The listed directory relative to the root ("" for the root itself).
        public let relativeDirectory: String
        /// The entry's name.
        public let name: String
        public let kind: Kind

        /// The entry's path as the walk spells it: the root joined with `relative`.
        public var path: String { Self.join(directory, name) }
        /// The entry's path relative to the root.
        public var relative: String { Self.join(relativeDirectory, name) }

        /// `parent/name`, without doubling a trailing slash; `name` alone when `parent` is empty.
        public static func join(_ parent: String, _ name: String) -> String {
            parent.isEmpty ? name : (parent.hasSuffix("/") ? parent + name : parent + "/" + name)
        }
    }

    /// What to do with a directory entry (or a symbolic link to one).
    public enum Step: Sendable {
        case enter, skip
    }

    /// Lists `root` and, through `visit`, every entry below it that `visit` lets it enter.
    ///
    /// - Parameters:
    ///   - root: the directory to start in, as the caller wants paths spelled (relative or absolute).
    ///   - relative: how `root` is spelled in ``Entry/relative`` ("" by default: entries relative to `root`).
    ///   - sorted: list each directory's entries in name order (stable output); off where the caller
    ///     orders the result itself.
    ///   - visit: called for each entry (never `.` or `..`); `.enter` descends into it (meant for a
    ///     directory, or a symbolic link to one).
    ///   - cannotList: called with the directory's path and the `SystemError` when it cannot be opened;
    ///     throw to stop the walk, return to go on with the next entry.
    public static func walk<E: Error>(_ root: String, relative: String = "", sorted: Bool,
                                      visit: (Entry) throws(E) -> Step,
                                      cannotList: (String, SystemError) throws(E) -> Void) throws(E) {
        try descend(root, relative: relative, sorted: sorted, visit: visit, cannotList: cannotList)
    }

    private static func descend<E: Error>(_ directory: String, relative: String, sorted: Bool,
                                       visit: (Entry) throws(E) -> Step,
                                       cannotList: (String, SystemError) throws(E) -> Void) throws(E) {
        let entries: [(name: String, kind: Kind)]
        do {
            entries = try list(directory, sorted: sorted)
        } catch {
            try cannotList(directory, error)
            return
        }
        for (name, kind) in entries {
            let entry = Entry(directory: directory, relativeDirectory: relative, name: name, kind: kind)
            if try visit(entry) == .enter {
                try descend(entry.path, relative: entry.relative, sorted: sorted, visit: visit, cannotList: cannotList)
            }
        }
    }

    /// The entries of `directory` (without `.` and `..`) with their kinds.
    public static func list(_ directory: String, sorted: Bool) throws(SystemError) -> [(name: String, kind: Kind)] {
        guard let handle = opendir(directory) else { throw SystemError("cannot list", directory) }
        var entries: [(name: String, kind: Kind)] = []
        var unknown: [Int] = []
        while let entry = readdir(handle) {
            let name = DirectoryEntry.name(entry)
            if name == "." || name == ".." { continue }
            let kind: Kind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .regular
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_UNKNOWN):
                kind = .other
                unknown.append(entries.count)
            default: kind = .other
            }
            entries.append((name, kind))
        }
        closedir(handle)
        for i in unknown {
            var info = stat()
            guard lstat(Entry.join(directory, entries[i].name), &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG: entries[i].kind = .regular
            case S_IFDIR: entries[i].kind = .directory
            case S_IFLNK: entries[i].kind = .symbolicLink
            default: break
            }
        }
        if sorted { entries.sort { $0.name < $1.name } }
        return entries
    }
}
