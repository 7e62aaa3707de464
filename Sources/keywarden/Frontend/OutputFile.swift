import SystemSupport

/// Writes a report or calendar file so that a reader (a CI upload step, a calendar program polling the
/// file) never sees half of it.
enum OutputFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A regular file, or a new one, is replaced atomically, keeping an existing file's permission bits.
    /// There is no fsync: a report or calendar is re-made by the next run, and syncing cost a small scan
    /// more than the scan itself. Anything else (a device such as /dev/null, a FIFO, a symbolic link) is
    /// written in place, since replacing it with a regular file would break it.
    static func write(_ text: String, to path: String) throws {
        do {
            try AtomicFile.write(text.utf8, to: path, options: AtomicFile.Options(mode: .keep, writesThroughSpecialFiles: true))
        } catch {
            throw Failure(description: error.reason)
        }
    }
}
