public import GitRepository
import SystemSupport

/// The staged changes, read on another thread while the caller loads its rules: `scan --staged` opens the
/// repository (loading libgit2), reads the index and compares it with HEAD meanwhile, and the runner takes
/// the result when it needs it. Errors are the ones reading them in place would give.
public final class StagedPrefetch: Sendable {
    private let reading: BackgroundResult<(GitRepository, StagedChanges), GitError>

    /// Starts reading what is staged in the repository of `directory` (nil: the current directory), limited
    /// to `paths` (relative to that directory), with blobs over `maxBlobSize` skipped as `stagedChanges` skips them.
    public init(paths: [String], maxBlobSize: Int, directory: String? = nil) {
        reading = BackgroundResult { () throws(GitError) in
            let repository = try GitRepository.open(currentDirectory: directory)
            PhaseClock.mark("repository opened (background)")
            defer { PhaseClock.mark("staged changes read (background)") }
            return (repository, try repository.stagedChanges(paths: paths, currentDirectory: directory, maxBlobSize: maxBlobSize))
        }
    }

    /// The repository and its staged changes, once read (waits for them). The repository is the caller's
    /// from then on.
    public func result() throws(GitError) -> (GitRepository, StagedChanges) { try reading.result() }
}
