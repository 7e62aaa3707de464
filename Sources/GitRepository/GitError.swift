public import SystemSupport

/// An error from the git layer. Carries paths, object ids and libgit2's message, never file contents.
public struct GitError: ModuleError {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// No repository was found at or above the given path (or at `GIT_DIR`).
        case notARepository
        /// The operation needs a work tree or an index, and the repository is bare.
        case bareRepository
        /// A path given by the user lies outside the repository's work tree.
        case outsideWorkTree
        /// A revision, reference, path or object does not exist.
        case notFound
        /// A revision or range expression could not be understood.
        case invalidRevision
        /// An object is missing or cannot be read or parsed.
        case corruptObject
        /// Reading a file failed.
        case io
        /// Any other libgit2 failure, with libgit2's error code.
        case libgit2(Int32)
        /// libgit2, which keywarden loads when it first opens a repository, could not be loaded.
        case unavailable
    }

    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) { (self.code, self.message) = (code, message) }
}
