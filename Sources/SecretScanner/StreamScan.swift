import Foundation
import SystemSupport

extension ScanSession {
    /// Text streams (standard input, a pipe, a file larger than this) are scanned in windows of this size...
    static let streamWindow = 8 << 20
    /// ...that overlap their neighbours by twice this: a finding belongs to the window where it starts at
    /// least this far from either edge, so every secret is seen whole, with this much context before it,
    /// once.
    static let streamMargin = 64 << 10

    /// Scans what `descriptor` holds (standard input, a FIFO, a large file) with bounded memory: text is
    /// scanned window by window, lines and columns counted across windows; an archive, UTF-16 text or
    /// binary content (judged by the first window) is read whole, up to `options.maxFileSize`, and scanned
    /// as a file would be. Past the size limit reading stops, and a note says what was not scanned.
    /// - Returns: the outcome and the bytes read.
    static func scanDescriptor(_ descriptor: Int32, _ context: InputContext, scanner: BufferScanner,
                               options: ScanOptions, name: String = "the file") -> (ContentOutcome, Int) {
        var reader = DescriptorReader(descriptor: descriptor, limit: options.maxFileSize, name: name)
        var buffer = [UInt8]()
        var out = ContentOutcome()
        do {
            try reader.fill(&buffer, upTo: streamWindow)
            let whole = buffer.withUnsafeBytes { b in
                ArchiveSignature.isArchive(b) || UTF16Text.order(of: b) != nil || looksBinary(b)
            }
            if whole {
                try reader.fill(&buffer, upTo: Int.max)
                out = buffer.withUnsafeBytes { scanContent($0, context, scanner: scanner, options: options) }
            } else {
                out = try scanWindows(&buffer, reader: &reader, context, scanner: scanner)
            }
        } catch {
            out.errors.append(ScanNote(.unreadable, path: context.path, "\(error)"))
        }
        if reader.truncated {
            out.skipped.append(ScanNote(.tooLarge, path: context.path,
                "\(name) is larger than the size limit (\(options.maxFileSize) bytes): only the first \(options.maxFileSize) bytes were scanned "
                + "(raise it with --max-file-size)"))
        }
        return (out, reader.total)
    }

    /// Text in overlapping windows: `buffer` holds the first window; each later window keeps the last
    /// 2 × margin bytes of the one before.
    private static func scanWindows(_ buffer: inout [UInt8], reader: inout DescriptorReader, _ context: InputContext,
                                    scanner: BufferScanner) throws(ScanError) -> ContentOutcome {
        let margin = streamMargin
        var base = 0, lineBase = 0, columnBase = 0, ownedFrom = 0
        var cap = FindingCap(path: context.path)
        var out = ContentOutcome()
        while true {
            let last = reader.finished
            let ownedTo = last ? base + buffer.count : base + buffer.count - margin
            var scanned: Result<[Finding], ScanError> = .success([])
            scanner.countedRange = (ownedFrom - base)..<(ownedTo - base)
            defer { scanner.countedRange = nil }
            buffer.withUnsafeBytes { b in
                do { scanned = .success(try scanner.scan(b, context)) } catch let e as ScanError { scanned = .failure(e) } catch {}
            }
            var found = try scanned.get()
            found = found.filter { (ownedFrom..<ownedTo).contains($0.offset + base) }
            for i in found.indices {
                if found[i].line == 1 {
                    found[i].column += columnBase
                    if found[i].endLine == 1 { found[i].endColumn += columnBase }
                }
                found[i].line += lineBase
                found[i].endLine += lineBase
                found[i].offset += base
            }
            cap.add(found, beyond: scanner.takeCapped())
            if last { break }
            let keepFrom = buffer.count - 2 * margin
            var newlines = 0, lastNewline = -1
            buffer.withUnsafeBytes { b in
                guard let start = b.baseAddress else { return }
                var offset = 0
                while offset < keepFrom, let hit = memchr(start + offset, 0x0A, keepFrom - offset) {
                    lastNewline = start.distance(to: UnsafeRawPointer(hit))
                    newlines += 1
                    offset = lastNewline + 1
                }
            }
            lineBase += newlines
            columnBase = lastNewline >= 0 ? keepFrom - lastNewline - 1 : columnBase + keepFrom
            base += keepFrom
            ownedFrom = ownedTo
            buffer.removeFirst(keepFrom)
            try reader.fill(&buffer, upTo: streamWindow)
        }
        (out.findings, out.warnings) = cap.finish()
        return out
    }
}

/// Reads a descriptor into a buffer with plain POSIX calls, up to a limit.
struct DescriptorReader {
    let descriptor: Int32
    let limit: Int
    /// What is read, for messages ("standard input").
    let name: String
    /// Bytes read so far (never more than `limit`).
    private(set) var total = 0
    /// True at the end of the input, or at the limit.
    private(set) var finished = false
    /// True when reading stopped at the limit with more input left.
    private(set) var truncated = false

    init(descriptor: Int32, limit: Int, name: String) {
        self.descriptor = descriptor
        self.limit = limit
        self.name = name
    }

    /// Reads until `buffer` holds `size` bytes, the input ends or the limit is reached.
    mutating func fill(_ buffer: inout [UInt8], upTo size: Int) throws(ScanError) {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while !finished, buffer.count < size {
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, min($0.count, size - buffer.count)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ScanError(.input, "cannot read \(name): \(SystemError.reason(errno))")
            }
            if n == 0 {
                finished = true
                return
            }
            if total + n > limit {
                buffer += chunk[0..<(limit - total)]
                total = limit
                finished = true
                truncated = true
                return
            }
            total += n
            buffer += chunk[0..<n]
        }
    }
}
