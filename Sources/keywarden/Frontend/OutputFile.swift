import SystemSupport

/// Writes a report or calendar file so that a reader (a CI upload step, a calendar program polling the
/// file) never sees half of it.
enum OutputFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A regular file, or a new one, is replaced atomically (a new file is created `0600`, less the umask;
    /// an existing one keeps its bits). There is no fsync: a report or calendar is re-made by the next run,
    /// and syncing cost a small scan more than the scan itself. Only a character device or a FIFO
    /// (`/dev/null`, `/dev/stdout`, a pipe) is written in place; a symbolic link to anything else is
    /// refused, since the path may come from a scanned repository (`keywarden.sarif -> ../../victim`).
    static func write(_ text: String, to path: String) throws {
        do {
            try AtomicFile.write(text.utf8, to: path, options: AtomicFile.Options(mode: .keep, writesThroughSpecialFiles: true, newFileMode: 0o600))
        } catch {
            throw Failure(description: error.message)
        }
    }
}
