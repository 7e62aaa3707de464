internal import Foundation
import SystemSupport
import Synchronization

/// FIFOs, sockets and devices where a repository keeps its files. libgit2 opens what it reads without
/// `O_NONBLOCK`, so a FIFO planted where it expects a loose object, a ref, a pack index or the config (a
/// hostile repository, or one copied with such a file in it) makes a history or range scan wait forever for a
/// writer. git itself never writes such files. Before libgit2 opens a repository, its git directories are
/// looked through for them (the top of each, `refs/`, `info/` and the object folders: what libgit2 reads for
/// keywarden's scans) and the open fails with an error naming them: the scan stops with exit 2 instead of
/// hanging. (keywarden's own readers of the index, packs and loose objects open files non-blocking and read
/// regular files only.)
enum SpecialFiles {
    /// A file that is neither a regular file nor a folder (after following a symbolic link), relative to the git
    /// directory it was found under, with what it is.
    struct Found: Equatable {
        let path: String
        let kind: String
    }

    /// The special files under `gitDirectory` and `commonDirectory` (the same folder for most repositories), at
    /// most `limit` of them.
    static func find(gitDirectory: String, commonDirectory: String, limit: Int = 8) -> [Found] {
        var found: [Found] = []
        for top in Array(Set([gitDirectory, commonDirectory])).sorted() {
            walk(top, relative: "", depth: 0, into: &found, limit: limit) { relative, depth in
                // The top level's files, refs/ and info/ to any depth, and what objects/ and its folders (the
                // fan-out folders, pack/, info/) hold.
                if depth == 0 { return ["refs", "info", "objects"].contains(relative) }
                return relative.hasPrefix("refs/") || relative.hasPrefix("info/") || (relative.hasPrefix("objects/") && depth == 1)
            }
        }
        return found
    }

    /// Throws an error naming them when the repository holds special files (each folder pair is looked
    /// through once per process: the workers of a history scan each open the repository).
    static func refuse(gitDirectory: String, commonDirectory: String) throws(GitError) {
        let key = gitDirectory + "\n" + commonDirectory
        if checked.withLock({ $0.contains(key) }) { return }
        let found = find(gitDirectory: gitDirectory, commonDirectory: commonDirectory)
        guard !found.isEmpty else {
            checked.withLock { _ = $0.insert(key) }
            return
        }
        let named = found.prefix(3).map { "\($0.path) (\($0.kind))" }.joined(separator: ", ")
        let more = found.count > 3 ? " and \(found.count - 3) more" + (found.count == 8 ? " at least" : "") : ""
        throw GitError(.io, "the repository \(gitDirectory) holds files that are not regular files where git keeps its own: "
                       + "\(named)\(more). Reading one would wait for a writer forever, so nothing of this repository is read; "
                       + "git never writes such files: remove them, or scan a fresh clone")
    }

    private static let checked = Mutex<Set<String>>([])

    /// Whether `path` is a folder, a symbolic link followed.
    private static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Looks through folder `path` (`relative` to the git directory), descending into the folders `descend` allows.
    private static func walk(_ path: String, relative: String, depth: Int, into found: inout [Found], limit: Int,
                             descend: (String, Int) -> Bool) {
        guard depth < 16, found.count < limit, let folder = opendir(path) else { return }
        defer { closedir(folder) }
        while found.count < limit, let entry = readdir(folder) {
            let name = DirectoryEntry.name(entry)
            if name == "." || name == ".." { continue }
            let full = path + "/" + name, rel = relative.isEmpty ? name : relative + "/" + name
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): continue
            case Int32(DT_DIR): if descend(rel, depth) { walk(full, relative: rel, depth: depth + 1, into: &found, limit: limit, descend: descend) }
            default:
                // A FIFO, socket or device, or a link or an entry of unknown kind: what it is, links followed (a link
                // that leads nowhere is left to the reader: it fails to open, an error, not a wait).
                if let kind = RegularFile.blockingKind(full, followLinks: true) {
                    found.append(Found(path: rel, kind: kind))
                } else if descend(rel, depth), isFolder(full) {
                    walk(full, relative: rel, depth: depth + 1, into: &found, limit: limit, descend: descend)
                }
            }
        }
    }
}
