import Foundation
import GitRepository
import Hashing
import SecretRules
import SecretScanner
import SystemSupport

/// `--ci` on a pull request's range: the pull request is what is being checked, so it cannot choose the
/// rules or the allowlist it is checked with. `.keywarden.toml` and `.keywardenignore` are read from the
/// base commit of the range, and a change to either in the range is a finding of its own
/// (`config-change`, medium) so that a reviewer sees it.
struct CIBaseSettings {
    static let files = [ProjectSettings.fileName, ProjectContext.ignoreFileName]

    /// The context with the base commit's settings.
    var context: ProjectContext
    /// A private copy of the base commit's ignore file (empty when the base had none).
    var ignoreFile: String
    /// One finding per settings file the range changes.
    var changes: [Finding]

    static func load(range: String, repository path: String?, context: ProjectContext) throws -> CIBaseSettings {
        let parts = range.components(separatedBy: range.contains("...") ? "..." : "..")
        guard parts.count == 2 else { throw CommandFailure("--ci: cannot tell the base of the range '\(range)'") }
        let base = parts[0].isEmpty ? "HEAD" : parts[0], head = parts[1].isEmpty ? "HEAD" : parts[1]
        do {
            let repository = try GitRepository.open(at: path)
            var contents = [String: (base: [UInt8]?, head: [UInt8]?)]()
            for file in files {
                contents[file] = (try repository.fileContent(file, at: base), try repository.fileContent(file, at: head))
            }
            let label = String(base.prefix(12))
            var settings = ProjectSettings()
            if let bytes = contents[ProjectSettings.fileName]?.base {
                do {
                    settings = try ProjectSettings.parse(String(decoding: bytes, as: UTF8.self), file: "\(label):\(ProjectSettings.fileName)")
                    // A rules file it extends comes from the base commit too: the pull request may have changed it.
                    settings.readFromRevision = { relative in
                        guard let repository = try? GitRepository.open(at: path),
                              let bytes = try? repository.fileContent(relative, at: base) else { return nil }
                        return ("\(label):\(relative)", bytes)
                    }
                } catch {
                    throw CommandFailure("\(error)")
                }
            }
            let baseContext = ProjectContext(workingDirectory: context.workingDirectory, workTreeRoot: context.workTreeRoot,
                                             gitDirectory: context.gitDirectory, settings: settings, environment: context.environment)
            let ignore = try privateCopy(contents[ProjectContext.ignoreFileName]?.base ?? [])
            var changes = [Finding]()
            for file in files {
                guard let pair = contents[file], pair.base != pair.head else { continue }
                let what = pair.base == nil ? "added" : pair.head == nil ? "deleted" : "changed"
                var finding = Finding(ruleID: "config-change",
                                      ruleDescription: "keywarden's settings \(what) in the range: review it (the scan used the base commit's \(file))",
                                      provider: "keywarden", severity: .medium, path: file, line: 1, column: 1, endLine: 1, endColumn: 1,
                                      secret: "", fingerprint: Hex.encode(Digest.sha256(Array("config-change:\(file)".utf8) + (pair.head ?? []))))
                finding.extra["change"] = what
                changes.append(finding)
            }
            return CIBaseSettings(context: baseContext, ignoreFile: ignore, changes: changes)
        } catch let error as GitError {
            throw CommandFailure("--ci: \(error.message)")
        }
    }

    /// `bytes` in a new private temporary file (mkstemp, 0600); its path.
    private static func privateCopy(_ bytes: [UInt8]) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/keywarden-ci-ignore-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw CommandFailure("--ci: cannot create a temporary file: \(SystemError.reason(errno))") }
        let path = String(cString: template)
        close(fd)
        try AtomicFile.write(bytes, to: path, options: AtomicFile.Options(mode: .exactly(0o600)))
        return path
    }
}
