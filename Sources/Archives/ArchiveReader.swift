import CLibArchive
import SystemSupport

/// Limits that keep an archive from costing more than it is worth: how deep nested archives are opened,
/// how many bytes one archive may expand to in all, how far a level may expand over its own size (a zip
/// bomb), and the largest member.
public struct ArchiveLimits: Sendable, Equatable {
    /// Archives opened one inside the other, the outer one counting as 1 (0: archives are not opened).
    public var depth = 3
    /// Bytes extracted in all from one archive and everything nested in it.
    public var totalBytes = 1 << 30
    /// Bytes one archive level may expand to, as a multiple of its own size (checked past `ratioFloor`).
    public var ratio = 100
    /// Below this many extracted bytes a level is never judged by its ratio (small, very compressible files).
    public var ratioFloor = 1 << 20
    /// The largest member scanned (bytes); larger ones are left out with a note.
    public var memberBytes = 100 << 20

    public init() {}
}

/// Something in an archive that was not opened or read, and why.
public struct ArchiveProblem: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An encrypted member (no passphrase is ever tried).
        case encrypted
        /// An archive libarchive cannot read (truncated, damaged, an unsupported variant).
        case corrupt
        /// A member over the member size limit, or the archive's total over its limit.
        case tooLarge
        /// A level that expands more than the ratio limit allows (a compression bomb).
        case ratio
        /// An archive nested deeper than the depth limit.
        case tooDeep
        /// libarchive, which keywarden loads when the first archive is opened, could not be loaded.
        case unavailable
    }

    public var kind: Kind
    /// The archive or member, as `outer.zip!inner/path`.
    public var path: String
    /// What happened, for people.
    public var detail: String
}

/// Reads archives and compressed streams (zip, jar/war/apk, tar, tar.gz/tgz, gz, bz2, xz, and container
/// image tarballs: a tar of layer tars) with libarchive, from memory, and hands every member that is not
/// itself an archive to a callback, named `outer.zip!inner/path` (`!` between levels).
public enum ArchiveReader {
    /// Walks the archive in `buffer`, shown as `path`. Nested archives are opened up to `limits.depth`;
    /// everything not read is returned as a problem, never skipped silently.
    ///   - library: loads libarchive and returns nil, or says why it could not be loaded (tests replace it).
    public static func walk(_ buffer: UnsafeRawBufferPointer, path: String, limits: ArchiveLimits,
                            library: () -> String? = loadLibrary,
                            member: (String, UnsafeRawBufferPointer) -> Void) -> [ArchiveProblem] {
        var budget = limits.totalBytes
        var problems: [ArchiveProblem] = []
        guard limits.depth > 0 else {
            return [ArchiveProblem(kind: .tooDeep, path: path, detail: "archive not opened (archives are not opened)")]
        }
        if let failure = library() {
            return [ArchiveProblem(kind: .unavailable, path: path, detail: "archive not opened: " + failure)]
        }
        walkLevel(buffer, path: path, depth: 1, limits: limits, budget: &budget, problems: &problems, member: member)
        return problems
    }

    /// Loads libarchive (the first call; later ones repeat its answer): nil when it is ready, else why not.
    public static func loadLibrary() -> String? { keywarden_archive_load().map { String(cString: $0) } }

    /// Whether the library named `soname` would serve (nil) or why not; loads nothing for later use.
    public static func probeLibrary(_ soname: String) -> String? {
        failureMessage { keywarden_archive_probe(soname, $0, $1) == 1 }
    }

    private static func walkLevel(_ buffer: UnsafeRawBufferPointer, path: String, depth: Int, limits: ArchiveLimits,
                                  budget: inout Int, problems: inout [ArchiveProblem],
                                  member: (String, UnsafeRawBufferPointer) -> Void) {
        guard let archive = kw_archive_read_new() else {
            problems.append(ArchiveProblem(kind: .corrupt, path: path, detail: "archive not opened (libarchive could not start)"))
            return
        }
        defer { kw_archive_read_free(archive) }
        kw_archive_read_support_filter_all(archive)
        for support in [kw_archive_read_support_format_tar, kw_archive_read_support_format_zip, kw_archive_read_support_format_cpio,
                        kw_archive_read_support_format_7zip, kw_archive_read_support_format_raw] {
            _ = support(archive)
        }
        guard kw_archive_read_open_memory(archive, buffer.baseAddress, buffer.count) == ARCHIVE_OK else {
            problems.append(ArchiveProblem(kind: .corrupt, path: path, detail: "archive not opened: " + message(archive)))
            return
        }
        var extracted = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            var entry: OpaquePointer?
            let status = kw_archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { return }
            guard status >= ARCHIVE_WARN, let entry else {
                problems.append(ArchiveProblem(kind: .corrupt, path: path, detail: "archive not read to its end: " + message(archive)))
                return
            }
            guard kw_archive_entry_filetype(entry) & 0o170000 == 0o100000 else { continue }   // regular files only (AE_IFREG)
            let name = memberName(archive, entry, outer: path)
            let shown = path + "!" + name
            if kw_archive_entry_is_encrypted(entry) != 0 {
                problems.append(ArchiveProblem(kind: .encrypted, path: shown, detail: "encrypted member not opened"))
                continue
            }
            if kw_archive_entry_size_is_set(entry) != 0, kw_archive_entry_size(entry) > Int64(limits.memberBytes) {
                problems.append(ArchiveProblem(kind: .tooLarge, path: shown,
                                               detail: "member larger than the size limit (\(kw_archive_entry_size(entry)) bytes > \(limits.memberBytes)); raise it with --max-file-size"))
                continue
            }
            var data = [UInt8]()
            var stop: ArchiveProblem?
            while true {
                let n = chunk.withUnsafeMutableBytes { kw_archive_read_data(archive, $0.baseAddress, $0.count) }
                if n == 0 { break }
                if n < 0 {
                    let encrypted = kw_archive_read_has_encrypted_entries(archive) > 0
                    stop = ArchiveProblem(kind: encrypted ? .encrypted : .corrupt, path: shown,
                                          detail: encrypted ? "encrypted member not opened" : "member not read: " + message(archive))
                    break
                }
                extracted += n
                budget -= n
                if data.count + n > limits.memberBytes {
                    stop = ArchiveProblem(kind: .tooLarge, path: shown,
                                          detail: "member larger than the size limit (\(limits.memberBytes) bytes); raise it with --max-file-size")
                } else if budget < 0 {
                    problems.append(ArchiveProblem(kind: .tooLarge, path: path,
                                                   detail: "archive expands to more than \(limits.totalBytes) bytes; the rest was not read (raise it with --max-archive-size)"))
                    return
                } else if extracted > limits.ratioFloor, extracted / max(buffer.count, 1) > limits.ratio {
                    problems.append(ArchiveProblem(kind: .ratio, path: path,
                                                   detail: "archive expands more than \(limits.ratio) times its size (a compression bomb?); the rest was not read"))
                    return
                }
                if stop != nil { break }
                data += chunk[0..<n]
            }
            if let stop {
                problems.append(stop)
                if stop.kind == .corrupt { return }
                continue
            }
            data.withUnsafeBytes { bytes in
                guard ArchiveSignature.isArchive(bytes) else { return member(shown, bytes) }
                guard depth < limits.depth else {
                    problems.append(ArchiveProblem(kind: .tooDeep, path: shown,
                                                   detail: "nested archive not opened (deeper than \(limits.depth) levels; raise it with --archive-depth)"))
                    return
                }
                walkLevel(bytes, path: shown, depth: depth + 1, limits: limits, budget: &budget, problems: &problems, member: member)
            }
            if budget < 0 { return }
        }
    }

    /// The member's path; a bare compressed stream (`app.env.gz`) has none, so it is named after the
    /// archive without its compression suffix (`app.env`).
    private static func memberName(_ archive: OpaquePointer, _ entry: OpaquePointer, outer: String) -> String {
        if kw_archive_format(archive) == ARCHIVE_FORMAT_RAW {
            let last = outer.split(separator: "!").last.map(String.init) ?? outer
            let base = last.split(separator: "/").last.map(String.init) ?? last
            for suffix in [".gz", ".bz2", ".xz", ".tgz"] where base.hasSuffix(suffix) && base.count > suffix.count {
                return String(base.dropLast(suffix.count)) + (suffix == ".tgz" ? ".tar" : "")
            }
            return "data"
        }
        if let c = kw_archive_entry_pathname_utf8(entry) ?? kw_archive_entry_pathname(entry) { return String(cString: c) }
        return "?"
    }

    private static func message(_ archive: OpaquePointer) -> String {
        kw_archive_error_string(archive).map { String(cString: $0) } ?? "damaged or truncated (libarchive gave no reason)"
    }
}
