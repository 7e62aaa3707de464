/// What `--fix` did, and what it leaves to the user.
public struct FixOutcome: Sendable, Equatable, Encodable {
    /// The changes made, one line each (empty on a second run).
    public let changes: [String]
    /// Commands printed instead of run: untracking files, installing a hook where keywarden cannot.
    public let leftToYou: [String]

    public init(changes: [String], leftToYou: [String]) {
        self.changes = changes
        self.leftToYou = leftToYou
    }

    enum CodingKeys: String, CodingKey {
        case changes
        case leftToYou = "left_to_you"
    }
}

extension Doctor {
    /// Makes the safe, idempotent fixes: appends missing `.gitignore` lines, and installs the hook through
    /// `installHook` when one is given and the hook check fails. Never deletes, untracks or chmods a
    /// file: for those it returns the commands to run.
    ///
    /// - Parameter installHook: installs keywarden's pre-commit hook for the work tree at the given
    ///   root and returns a line describing what it did. Nil: the install command is returned instead.
    public func fix(installHook: ((String) throws -> String)? = nil) throws(HygieneError) -> FixOutcome {
        var changes: [String] = [], left: [String] = []
        if let change = try fixGitignore() { changes.append(change) }
        let hook = try checkHook()
        if hook.status == .fail, let command = hook.fix {
            if command == Self.hookInstallCommand, let installHook {
                do {
                    changes.append(try installHook(root))
                } catch {
                    throw HygieneError(.io, "cannot install the hook: \(error)")
                }
            } else {
                left.append(command)
            }
        }
        for (path, _) in try trackedSecretFiles() {
            left.append("git rm --cached -- \(Self.shellQuoted(path))")
        }
        return FixOutcome(changes: changes, leftToYou: left)
    }
}
