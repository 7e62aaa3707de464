#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The name of an entry `readdir` returned, read where it lies.
///
/// `withUnsafeBytes(of: entry.pointee.d_name)` copies the whole 256-byte `d_name` array first, but `readdir`'s record
/// for a short name is shorter than `struct dirent` (its `d_reclen`), and the last record of the directory stream's
/// buffer may end right before an unmapped page: the copy then read past the record and crashed the process
/// (SIGSEGV in `memmove`, seen in a cache-folder write on a background thread). This reads up to the name's NUL only.
public enum DirectoryEntry {
    /// The name of the entry at `entry` (a `dirent` from `readdir`).
    public static func name(_ entry: UnsafeRawPointer) -> String {
        let start = entry.advanced(by: nameOffset)
        let length = strlen(start.assumingMemoryBound(to: CChar.self))
        return String(decoding: UnsafeRawBufferPointer(start: start, count: length), as: UTF8.self)
    }

    /// Where `d_name` starts in a `dirent`.
    public static let nameOffset: Int = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
}
