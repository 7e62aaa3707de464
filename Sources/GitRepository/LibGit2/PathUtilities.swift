internal import Foundation

/// Small path helpers shared by the repository code.
enum PathUtilities {
    /// `path` made absolute against `base`, with `.` and `..` components removed (no symlink resolution).
    static func absolute(_ path: String, relativeTo base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        return (joined as NSString).standardizingPath
    }

    /// `path` with symlinks resolved when it exists; unchanged otherwise.
    static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func trimmingTrailingSlash(_ path: String) -> String {
        var p = path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        return p
    }
}

extension GitRepository {
    /// The root of the git work tree holding `directory`: the nearest folder, `directory` itself or one of
    /// its parents, that has a `.git` entry (a folder, or the file a linked work tree or submodule has).
    /// A plain walk of the file system, without opening the repository: cheap enough for every start-up.
    /// nil outside any work tree.
    public static func enclosingWorkTree(of directory: String) -> String? {
        var dir = PathUtilities.trimmingTrailingSlash(directory)
        while true {
            if access(dir + "/.git", F_OK) == 0 { return dir }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir || parent.isEmpty { return nil }
            dir = parent
        }
    }
}
