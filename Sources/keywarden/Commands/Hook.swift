import ArgumentParser

extension Keywarden {
    /// `keywarden hook`: the git pre-commit and pre-push hooks.
    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hook",
            abstract: "Install, run and remove keywarden's git hooks (pre-commit, pre-push).",
            discussion: """
                Exit codes of 'hook run': 0 clean, 1 findings (the commit or push is blocked), 2 error (blocked \
                too, unless .keywarden.toml says [hook] on_error = "warn"). See docs/hooks.md.
                """,
            subcommands: [HookInstall.self, HookUninstall.self, HookRun.self]
        )
    }
}
