internal import Dispatch
public import GitRepository

/// The staged changes, read on another thread while the caller loads its rules: `scan --staged` opens the
/// repository (loading libgit2), reads the index and compares it with HEAD meanwhile, and the runner takes
/// the result when it needs it. Errors are the ones reading them in place would give.
public final class StagedPrefetch: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    // Written once by the reading thread before `finished` is signalled; read only after waiting for it.
    private var outcome: Result<(GitRepository, StagedChanges), GitError>?

    /// Starts reading what is staged in the repository of `directory` (nil: the current directory), limited
    /// to `paths` (relative to that directory), with blobs over `maxBlobSize` skipped as `stagedChanges` skips them.
    public init(paths: [String], maxBlobSize: Int, directory: String? = nil) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            do throws(GitError) {
                let repository = try GitRepository.open(currentDirectory: directory)
                outcome = .success((repository, try repository.stagedChanges(paths: paths, currentDirectory: directory,
                                                                             maxBlobSize: maxBlobSize)))
            } catch {
                outcome = .failure(error)
            }
            finished.signal()
        }
    }

    /// The repository and its staged changes, once read (waits for them). The repository is the caller's
    /// from then on.
    public func result() throws(GitError) -> (GitRepository, StagedChanges) {
        finished.wait()
        finished.signal()   // a second call returns at once
        return try outcome!.get()
    }
}
