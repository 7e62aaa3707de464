import SystemSupport
/// Something a scan says besides its findings: an input it skipped, a problem that made part of it
/// incomplete, or a warning. A value with a reason and the path it is about, so that frontends decide by
/// the reason (never by parsing text); `description` is the line shown to people (`path: detail`).
public struct ScanNote: Sendable, Equatable, CustomStringConvertible {
    /// Why the note was written.
    public enum Reason: String, Sendable, CaseIterable {
        /// A binary file, not scanned (`--include-binary` scans it).
        case binary
        /// An input over the size limit.
        case tooLarge = "too-large"
        /// A symbolic link, a link loop or a broken link.
        case symbolicLink = "symbolic-link"
        /// A git submodule, a Git LFS pointer or another entry git holds no content for.
        case notContent = "not-content"
        /// An input that does not exist.
        case missing
        /// An input that could not be read.
        case unreadable
        /// A git object, reference or repository problem.
        case git
        /// A rule that does not compile.
        case rule
        /// A rule that gave up on an input (its backtracking limit or its time budget): part of that input
        /// went unchecked by it, so the scan is incomplete and exits 2.
        case incomplete
        /// Rules, ignore file, baseline, ledger or `.keywarden.toml` problems.
        case configuration
        /// An incomplete history (a shallow clone).
        case shallowHistory = "shallow-history"
        /// Live verification could not run.
        case verification
        /// An archive, or a member of one, not opened: encrypted, corrupt, nested deeper than the limit.
        case archive
        /// More findings in one input than are reported (the rest are counted).
        case tooManyFindings = "too-many-findings"
        /// Anything else (timing lines, report side files).
        case other
    }

    public var reason: Reason
    /// The input the note is about, when it is about one.
    public var path: String?
    /// What happened, for people.
    public var detail: String

    public init(_ reason: Reason, path: String? = nil, _ detail: String) {
        self.reason = reason
        self.path = path
        self.detail = detail
    }

    /// The line as it is, for machine formats that escape it themselves (JSON, JUnit, GitHub, SARIF).
    public var rawDescription: String { path.map { "\($0): \(detail)" } ?? detail }

    /// For people, escaped (`PrintableText`): a path or detail from the repository cannot break the line.
    public var description: String {
        path.map { "\(PrintableText.escape($0)): \(PrintableText.escape(detail))" } ?? PrintableText.escape(detail)
    }
}
