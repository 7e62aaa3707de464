import GitRepository
extension Doctor {
    /// A hook manager whose configuration can run keywarden.
    struct Framework {
        let name: String
        let files: [String]
        let install: String
    }

    static let frameworks = [
        Framework(name: "pre-commit", files: [".pre-commit-config.yaml", ".pre-commit-config.yml"], install: "pre-commit install"),
        Framework(name: "lefthook", files: ["lefthook.yml", "lefthook.yaml", ".lefthook.yml", ".lefthook.yaml", "lefthook.toml", ".lefthook.toml", "lefthook.json", ".lefthook.json"], install: "lefthook install"),
        Framework(name: "husky", files: [".husky/pre-commit"], install: "npx husky"),
    ]

    /// The command that installs keywarden's own hook.
    public static let hookInstallCommand = "keywarden hook install"

    /// The effective pre-commit hook file (in `core.hooksPath` when set).
    public func preCommitHookPath() throws(HygieneError) -> String {
        try git { () throws(GitError) in try repository.hooksDirectory() } + "/pre-commit"
    }

    func checkHook() throws(HygieneError) -> CheckResult {
        let hook = try preCommitHookPath()
        let hookText = FileAccess.contents(hook).map { String(decoding: $0, as: UTF8.self) }
        let executable = FileAccess.isExecutable(hook)
        let shown = displayPath(hook)
        if let hookText, hookText.contains("keywarden") {
            if executable { return .pass(.hook, "\(shown) runs keywarden") }
            return .fail(.hook, "\(shown) runs keywarden but is not executable, so git skips it",
                         fix: ["chmod +x \(Self.shellQuoted(shown))"])
        }
        for framework in Self.frameworks {
            for file in framework.files {
                guard let text = FileAccess.contents(root + "/" + file), String(decoding: text, as: UTF8.self).contains("keywarden") else {
                    continue
                }
                if hookText != nil, executable {
                    return .pass(.hook, "\(framework.name) runs keywarden (\(file)) from \(shown)")
                }
                return .fail(.hook, "\(file) runs keywarden, but \(framework.name) is not installed as the git hook (\(shown) is missing)",
                             fix: [framework.install])
            }
        }
        let why = hookText == nil ? "there is no pre-commit hook (\(shown))" : "\(shown) does not run keywarden"
        return .fail(.hook, why + ", and no pre-commit, lefthook or husky configuration mentions keywarden",
                     fix: [Self.hookInstallCommand])
    }

    /// `path` relative to the work tree root when it is inside it.
    func displayPath(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
