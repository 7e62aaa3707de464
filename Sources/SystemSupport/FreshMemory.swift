#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Fresh memory that is about to be filled whole (a file read into it, a table written entry by entry).
public enum FreshMemory {
    /// Buffers from this size on are worth populating first.
    public static let populateFrom = 256 << 10

    /// Populates the pages of a fresh buffer in one call (`MADV_POPULATE_WRITE`, Linux 5.14) instead of a page
    /// fault for each as it is filled: on the virtual machines these benchmarks run on, a fault costs about a
    /// microsecond and a half, so a 4 MB git index read page by page took 6.3 ms and populated first 2.4 ms (a
    /// C program reading the 27,000-entry monorepo index). Only whole pages inside the buffer; nothing where
    /// the call is not known (older kernels, other systems) or for buffers under ``populateFrom``.
    public static func populate(_ base: UnsafeMutableRawPointer, _ size: Int) {
        #if os(Linux)
        guard size >= populateFrom else { return }
        let page = Int(getpagesize())
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + size) / page * page
        guard end > start, let first = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(first, end - start, 23)   // MADV_POPULATE_WRITE; EINVAL on older kernels
        #endif
    }
}
