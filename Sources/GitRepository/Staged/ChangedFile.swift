/// A file whose new version is to be scanned: the whole new blob, and which of its lines are new.
///
/// The scanner scans `content` in full (so a multi-line secret that spans an added line is seen whole)
/// and keeps only findings that touch a line in `addedLines`.
public struct ChangedFile: Sendable {
    /// How the file changed.
    public enum Kind: Sendable, Equatable {
        case added, modified, renamed, copied
        /// It was a symbolic link or submodule and is now a file (every line counts as added).
        case typeChanged
    }

    /// The path in the new version, relative to the repository root.
    public let path: String
    /// The previous path, for a rename or copy.
    public let oldPath: String?
    public let kind: Kind
    /// The new blob's id.
    public let blob: ObjectID
    /// The new blob's bytes.
    public let content: [UInt8]
    /// The added lines, 1-based in the new file's numbering, as sorted, disjoint, non-adjacent ranges.
    public let addedLines: [ClosedRange<Int>]

    public init(path: String, oldPath: String? = nil, kind: Kind, blob: ObjectID, content: [UInt8],
                addedLines: [ClosedRange<Int>]) {
        self.path = path
        self.oldPath = oldPath
        self.kind = kind
        self.blob = blob
        self.content = content
        self.addedLines = addedLines
    }

    /// Whether `line` (1-based) is an added line.
    public func isAdded(line: Int) -> Bool {
        var low = 0, high = addedLines.count
        while low < high {
            let mid = (low + high) / 2
            if addedLines[mid].upperBound < line { low = mid + 1 } else { high = mid }
        }
        return low < addedLines.count && addedLines[low].contains(line)
    }

    /// Whether any line in `lines` (1-based, inclusive) is an added line: the test for a finding that
    /// spans several lines.
    public func touchesAddedLine(_ lines: ClosedRange<Int>) -> Bool {
        var low = 0, high = addedLines.count
        while low < high {
            let mid = (low + high) / 2
            if addedLines[mid].upperBound < lines.lowerBound { low = mid + 1 } else { high = mid }
        }
        return low < addedLines.count && addedLines[low].lowerBound <= lines.upperBound
    }
}

/// A changed file that is not scanned, and why; reports list these as notes.
public struct SkippedFile: Sendable, Equatable {
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// The content has a NUL byte in its first 8,000 bytes (git's own test).
        case binary
        /// A submodule (gitlink): its content lives in another repository.
        case submodule
        /// A Git LFS pointer: the real content is not in this repository.
        case lfsPointer
        /// A symbolic link: its "content" is the link target.
        case symlink
        /// An unresolved merge conflict in the index.
        case conflict
        /// A blob over the size limit, by its object header: never inflated.
        case tooLarge(Int)

        public var description: String {
            switch self {
            case .binary: "binary file"
            case .submodule: "submodule"
            case .lfsPointer: "Git LFS pointer"
            case .symlink: "symbolic link"
            case .conflict: "unresolved conflict"
            case .tooLarge(let size): "larger than the size limit (\(size) bytes; raise it with --max-file-size)"
            }
        }
    }

    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }
}

/// The changes staged in the index (what `git commit` would record), ready to scan.
public struct StagedChanges: Sendable {
    /// Files with added lines, sorted by path.
    public let files: [ChangedFile]
    /// Changed files that are not scanned, sorted by path.
    public let skipped: [SkippedFile]
    /// Objects that could not be read; the rest of the changes are still listed.
    public let errors: [GitError]
}

/// What one commit changed relative to its first parent (the empty tree for a root commit).
public struct CommitChanges: Sendable {
    public let commit: CommitInfo
    public let files: [ChangedFile]
    public let skipped: [SkippedFile]
    public let errors: [GitError]
    /// The commit is at the boundary of a shallow clone: its parents are not in the repository, so it
    /// was compared with the empty tree (everything it holds counts as added).
    public var isShallowBoundary = false
}
