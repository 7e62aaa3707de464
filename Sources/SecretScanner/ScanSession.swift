public import Archives
public import Foundation
public import Hashing
import Synchronization
import SystemSupport

/// Limits and switches for scanning files.
public struct ScanOptions: Sendable {
    /// Files larger than this are skipped with a note (bytes).
    public var maxFileSize: Int = 100 * 1024 * 1024
    /// The largest single input keywarden scans, whatever `maxFileSize` says: 4 GiB less a byte
    /// (Vectorscan takes a 32-bit length). Anything larger is skipped with a note, never a trap.
    public static let largestInput = Int(UInt32.max)
    /// The limit applied: `maxFileSize`, at most `largestInput`.
    public var sizeLimit: Int { min(maxFileSize, Self.largestInput) }

    /// The note for an input of `size` bytes over `sizeLimit`.
    public func tooLargeDetail(_ size: Int) -> String {
        maxFileSize > Self.largestInput
            ? "larger than 4 GiB (\(size) bytes), the most keywarden scans as one input"
            : "larger than the size limit (\(size) bytes > \(maxFileSize); raise it with --max-file-size)"
    }
    /// Scan files that look binary (a NUL byte in the first 8 KiB).
    public var includeBinary = false
    /// Worker threads; 0 means one per core.
    public var threads = 0
    /// How archives are opened (depth 0: not at all) and the limits against compression bombs.
    public var archives = ArchiveLimits()

    public init() {}
}

/// What a scan found and what it could not do.
public struct ScanResult: Sendable {
    public var findings: [Finding] = []
    public var filesScanned = 0
    public var bytesScanned = 0
    /// Inputs that were deliberately not scanned, each with the reason (binary, too large, ...).
    public var skipped: [ScanNote] = []
    /// Inputs that could not be read, each with the reason. A scan with errors exits 2.
    public var errors: [ScanNote] = []
    /// Notes that do not stop the scan: configuration warnings, and a rule that gave up on part of a file
    /// (reason `.incomplete`, which makes the scan exit 2).
    public var warnings: [ScanNote] = []
    public var seconds = 0.0
    /// What a history scan took from its cache and what it read (nil: no cache used).
    public var historyCache: String?

    /// True when a rule gave up on part of an input: a clean result would not be trustworthy (exit 2).
    public var isIncomplete: Bool { warnings.contains { $0.reason == .incomplete } }

    public init() {}
}

/// Scans many inputs in parallel with bounded memory; results come back in input order.
public struct ScanSession: Sendable {
    public let rules: CompiledRules
    public let fingerprinter: Fingerprinter
    public let options: ScanOptions

    public init(rules: CompiledRules, fingerprinter: Fingerprinter, options: ScanOptions) {
        self.rules = rules
        self.fingerprinter = fingerprinter
        self.options = options
    }

    /// Scans files from disk.
    public func scanFiles(_ entries: [FileWalker.Entry]) -> ScanResult {
        let start = Date()
        let perFile = Mutex<[Int: FileOutcome]>([:])
        let warnings = Mutex<[ScanNote]>([])
        let opts = options
        let rules = self.rules, fingerprinter = self.fingerprinter
        // One input (a hook's file, a small CI change) is scanned on this thread: starting the thread
        // pool costs more than the scan.
        let pool = WorkerPool(threads: options.threads, atMost: max(entries.count, 1))
        pool.run(count: entries.count) { _, claim in
            let scanner = BufferScanner(rules, fingerprinter: fingerprinter)
            scanner.fingerprintsSideBySide = pool.workers == 1
            var reader = FileReader()
            var local = [Int: FileOutcome]()
            while let claimed = claim() {
                for i in claimed { local[i] = Self.scanOne(entries[i], scanner: scanner, reader: &reader, options: opts) }
            }
            let w = scanner.warnings
            perFile.withLock { all in all.merge(local) { a, _ in a } }
            if !w.isEmpty { warnings.withLock { $0 += w } }
        }
        var result = ScanResult()
        let outcomes = perFile.withLock { $0 }
        for i in entries.indices {
            guard let o = outcomes[i] else { continue }
            switch o {
            case .scanned(let content, let bytes):
                result.findings += content.findings
                if content.scanned {
                    result.filesScanned += 1
                    result.bytesScanned += bytes
                }
                result.skipped += content.skipped
                result.errors += content.errors
                result.warnings += content.warnings
            case .skipped(let reason, let why): result.skipped.append(ScanNote(reason, path: entries[i].displayPath, why))
            case .failed(let why): result.errors.append(ScanNote(.unreadable, path: entries[i].displayPath, why))
            }
        }
        result.warnings += warnings.withLock { $0 }
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    /// Scans bytes already in memory (standard input, a git blob).
    public func scanBytes(_ bytes: [UInt8], context: InputContext, postprocess: Bool = true) throws(ScanError) -> [Finding] {
        var warnings = [ScanNote]()
        return try scanBytes(bytes, context: context, postprocess: postprocess, warnings: &warnings)
    }

    /// The same, adding the scanner's notes (a rule that gave up) to `warnings`.
    public func scanBytes(_ bytes: [UInt8], context: InputContext, postprocess: Bool = true,
                          warnings: inout [ScanNote]) throws(ScanError) -> [Finding] {
        let scanner = BufferScanner(rules, fingerprinter: fingerprinter)
        var out = [Finding]()
        var failure: ScanError?
        bytes.withUnsafeBytes { buf in
            do { out = try scanner.scan(buf, context, postprocess: postprocess) } catch let e as ScanError { failure = e } catch {}
        }
        warnings += scanner.warnings
        if let failure { throw failure }
        return out
    }

    enum FileOutcome: Sendable {
        case scanned(ContentOutcome, Int)
        case skipped(ScanNote.Reason, String)
        case failed(String)
    }

    static func scanOne(_ entry: FileWalker.Entry, scanner: BufferScanner, reader: inout FileReader, options: ScanOptions) -> FileOutcome {
        let context = InputContext(path: entry.displayPath)
        // A file a global allowlist takes out by its path would give nothing: it is not read at all, so it costs
        // no time, leaves no note (a binary or too large file under an allowlisted `.build/` or `vendor/`) and is
        // not counted among the files scanned.
        if scanner.globallyAllowed(entry.displayPath) {
            var untouched = ContentOutcome()
            untouched.scanned = false
            return .scanned(untouched, 0)
        }
        switch reader.read(entry.path, limit: options.sizeLimit, wholeUpTo: streamWindow) {
        case .failure(let why): return .failed(why)
        case .tooLarge(let size):
            return .skipped(.tooLarge, options.tooLargeDetail(size))
        case .stream(let descriptor):
            // A large file or a pipe: scanned in windows, with bounded memory.
            defer { close(descriptor) }
            let (content, bytes) = scanDescriptor(descriptor, context, scanner: scanner, options: options)
            return .scanned(content, bytes)
        case .success(let count):
            return .scanned(reader.withBytes(count) { scanContent($0, context, scanner: scanner, options: options) }, count)
        }
    }

    /// The reason given for a skipped binary input.
    public static let binaryReason = "binary file"

    /// A NUL byte in the first 8 KiB: git's own test for binary content.
    public static func looksBinary(_ buffer: UnsafeRawBufferPointer) -> Bool {
        let n = min(buffer.count, 8000)
        guard n > 0, let base = buffer.baseAddress else { return false }
        return memchr(base, 0, n) != nil
    }
}

/// Reads whole files into one reusable buffer per worker.
struct FileReader {
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    enum Outcome {
        case success(Int)
        case tooLarge(Int)
        case failure(String)
        /// Not read: the open descriptor of a regular file over `wholeUpTo` bytes or of anything that is not
        /// a regular file (a FIFO, a device), for the caller to read in windows and close.
        case stream(Int32)
    }

    mutating func read(_ path: String, limit: Int, wholeUpTo: Int = .max) -> Outcome {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(SystemError.reason(errno)) }
        var handedOver = false
        defer { if !handedOver { close(fd) } }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(SystemError.reason(errno)) }
        let size = Int(st.st_size)
        if size > limit { return .tooLarge(size) }
        if st.st_mode & S_IFMT != S_IFREG || size > wholeUpTo {
            handedOver = true
            return .stream(fd)
        }
        if buffer.count < size + 1 { buffer = [UInt8](repeating: 0, count: size + 1) }
        var total = 0
        while true {
            if total == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
            let read = buffer.withUnsafeMutableBytes { raw in raw.baseAddress.map { Foundation.read(fd, $0 + total, raw.count - total) } }
            guard let n = read else { return .failure("no buffer to read into") }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(SystemError.reason(errno))
            }
            if n == 0 { break }
            total += n
            if total > limit { return .tooLarge(total) }
        }
        return .success(total)
    }

    func withBytes<R>(_ count: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}
