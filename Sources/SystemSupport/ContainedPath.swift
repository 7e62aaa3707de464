#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Paths that a scanned repository names (its `.keywarden.toml`) and keywarden then reads or writes: they
/// must stay inside a folder keywarden chose (the work tree, the git directory), with no symbolic link
/// anywhere between that folder and the file. A repository is untrusted input: `../../.bashrc`, an
/// absolute path or a committed link to `~/.ssh` must never take keywarden outside it.
public enum ContainedPath {
    /// The components of `relative`, or an error when it is empty, absolute or climbs with `..`.
    public static func components(_ relative: String, under root: String) throws(SystemError) -> [String] {
        guard !relative.hasPrefix("/") else { throw SystemError("refusing an absolute path", relative, number: EPERM) }
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        guard !parts.isEmpty else { throw SystemError("refusing an empty path", relative, number: EINVAL) }
        guard !parts.contains("..") else { throw SystemError("refusing a path that leaves \(root)", relative, number: EPERM) }
        return parts
    }

    /// `relative` joined to `root` after checking that it is relative, has no `..`, and that no existing
    /// component below `root` is a symbolic link (a missing tail is fine: it may be created).
    public static func resolve(_ relative: String, under root: String) throws(SystemError) -> String {
        let parts = try components(relative, under: root)
        var path = root.hasSuffix("/") ? String(root.dropLast()) : root
        var missing = false
        for part in parts {
            path += "/" + part
            if missing { continue }
            var info = stat()
            if lstat(path, &info) != 0 {
                missing = true
                continue
            }
            if info.st_mode & S_IFMT == S_IFLNK {
                throw SystemError("refusing a symbolic link on the path", path, number: ELOOP)
            }
        }
        return path
    }

    /// Opens `relative` under `root` for appending, creating missing folders (`0700`) and the file
    /// (`0600`), each component opened with `O_NOFOLLOW` so that a link swapped in at any point is refused.
    /// The file must be regular. Returns the descriptor (the caller closes it).
    public static func openForAppending(_ relative: String, under root: String) throws(SystemError) -> Int32 {
        let parts = try components(relative, under: root)
        var directory = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw SystemError("cannot open", root) }
        var path = root
        for part in parts.dropLast() {
            path += "/" + part
            if mkdirat(directory, part, 0o700) != 0, errno != EEXIST {
                let e = SystemError("cannot create", path)
                close(directory)
                throw e
            }
            let next = openat(directory, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let e = SystemError(errno == ELOOP || errno == ENOTDIR ? "refusing a symbolic link or non-folder on the path" : "cannot open", path)
            close(directory)
            guard next >= 0 else { throw e }
            directory = next
        }
        path += "/" + parts[parts.count - 1]
        let fd = openat(directory, parts[parts.count - 1], O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        let failure = fd < 0 ? SystemError(errno == ELOOP ? "refusing a symbolic link" : "cannot open", path) : nil
        close(directory)
        if let failure { throw failure }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw SystemError("refusing a file that is not regular", path, number: EINVAL)
        }
        return fd
    }

    /// Opens any `path` for appending (the user's own choice of audit log: links are followed), creating
    /// the file `0600`; it must be a regular file.
    public static func openForAppending(_ path: String) throws(SystemError) -> Int32 {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError("cannot open", path) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw SystemError("refusing a file that is not regular", path, number: EINVAL)
        }
        return fd
    }
}
