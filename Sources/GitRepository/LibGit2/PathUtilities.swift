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
