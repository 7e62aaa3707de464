import Archives
import Foundation
import SystemSupport

/// What scanning the content of one input gave: its findings and what was not scanned in it.
struct ContentOutcome: Sendable {
    var findings: [Finding] = []
    var skipped: [ScanNote] = []
    var errors: [ScanNote] = []
    var warnings: [ScanNote] = []
    /// False when the input as a whole was skipped (a binary file).
    var scanned = true

    mutating func add(_ other: ContentOutcome) {
        findings += other.findings
        skipped += other.skipped
        errors += other.errors
        warnings += other.warnings
    }
}

extension ScanSession {
    /// Scans one input's bytes, whatever they hold: an archive's members (each reported as
    /// `outer.zip!inner/path`, with its own line numbers), UTF-16 text (decoded, lines as in the original),
    /// or text; binary content is skipped with a note unless `--include-binary` asks for it. The same for
    /// files, standard input and git blobs. Findings are capped per rule (``FindingCap``).
    static func scanContent(_ buffer: UnsafeRawBufferPointer, _ context: InputContext, scanner: BufferScanner,
                            options: ScanOptions) -> ContentOutcome {
        if options.archives.depth > 0, ArchiveSignature.isArchive(buffer) {
            var out = ContentOutcome()
            var limits = options.archives
            limits.memberBytes = min(limits.memberBytes, options.maxFileSize)
            let problems = ArchiveReader.walk(buffer, path: context.path, limits: limits) { path, member in
                // Members are whole files: every line counts, whatever lines the outer file changed.
                var inner = scanText(member, InputContext(path: path, commit: context.commit), scanner: scanner, options: options)
                inner.scanned = true
                // The file itself, for reports that must point at something in the repository (SARIF).
                for i in inner.findings.indices { inner.findings[i].extra["archive"] = context.path }
                out.add(inner)
            }
            for p in problems {
                out.skipped.append(ScanNote(p.kind == .tooLarge || p.kind == .ratio ? .tooLarge : .archive, path: p.path, p.detail))
            }
            return out
        }
        return scanText(buffer, context, scanner: scanner, options: options)
    }

    /// One input that is not an archive: UTF-16 decoded, binary skipped (unless asked), text scanned.
    private static func scanText(_ buffer: UnsafeRawBufferPointer, _ context: InputContext, scanner: BufferScanner,
                                 options: ScanOptions) -> ContentOutcome {
        var out = ContentOutcome()
        if let text = UTF16Text.decode(buffer) {
            // UTF-16 text looks binary to the NUL test: scanned as text, lines as in the input.
            text.withUnsafeBytes { out = scanCapped($0, context, scanner: scanner) }
            for i in out.findings.indices { out.findings[i].extra["encoding"] = "utf-16" }
            return out
        }
        if !options.includeBinary, looksBinary(buffer) {
            // A key store is found by its name even though its content is not scanned.
            let byPath = scanner.pathFindings(context.path)
            if byPath.isEmpty {
                out.scanned = false
                out.skipped.append(ScanNote(.binary, path: context.path, binaryReason))
            }
            out.findings = byPath
            return out
        }
        return scanCapped(buffer, context, scanner: scanner)
    }

    /// One text buffer through the scanner, its findings capped.
    private static func scanCapped(_ buffer: UnsafeRawBufferPointer, _ context: InputContext, scanner: BufferScanner) -> ContentOutcome {
        var out = ContentOutcome()
        var cap = FindingCap(path: context.path)
        do {
            cap.add(try scanner.scan(buffer, context), beyond: scanner.takeCapped())
        } catch {
            out.errors.append(ScanNote(.unreadable, path: context.path, "\(error)"))
        }
        (out.findings, out.warnings) = cap.finish()
        return out
    }
}

/// At most `perRule` findings of one rule and `perFile` findings in all are reported for one input; the
/// rest are counted, and a note says how many there were beyond the cap. A line of one key repeated half a
/// million times costs a count, not half a million findings (and a report of hundreds of megabytes).
struct FindingCap {
    /// Findings of one rule reported per input.
    static let perRule = 100
    /// Findings reported per input.
    static let perFile = 1000

    let path: String
    private var findings: [Finding] = []
    private var counts: [String: Int] = [:]
    private var beyond: [String: Int] = [:]

    init(path: String) { self.path = path }

    /// Adds one window's findings (in input order) and the matches the scanner counted past its own cap.
    mutating func add(_ found: [Finding], beyond more: [String: Int]) {
        for (rule, n) in more { beyond[rule, default: 0] += n }
        for f in found {
            let n = counts[f.ruleID, default: 0]
            if n >= Self.perRule || findings.count >= Self.perFile {
                beyond[f.ruleID, default: 0] += 1
            } else {
                counts[f.ruleID] = n + 1
                findings.append(f)
            }
        }
    }

    /// The findings kept, and one note per rule that went over the cap.
    func finish() -> ([Finding], [ScanNote]) {
        let notes = beyond.keys.sorted().compactMap { rule -> ScanNote? in
            guard let n = beyond[rule], n > 0 else { return nil }
            let first = findings.lazy.filter { $0.ruleID == rule }.prefix(3).map { "\($0.line):\($0.column)" }.joined(separator: ", ")
            return ScanNote(.tooManyFindings, path: path,
                            "\(n) more match\(n == 1 ? "" : "es") of rule '\(rule)' not reported (at most \(Self.perRule) per rule and "
                            + "\(Self.perFile) per file are reported\(first.isEmpty ? "" : "; the first at line:column \(first)"))")
        }
        return (findings, notes)
    }
}
