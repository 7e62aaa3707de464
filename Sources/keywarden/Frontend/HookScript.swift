/// The shell scripts `keywarden hook install` writes into the hooks folder (the same as `hooks/` in the
/// repository, apart from the line recording the binary that installed them).
enum HookScript {
    /// The hooks keywarden installs.
    enum Kind: String, CaseIterable {
        case preCommit = "pre-commit"
        case prePush = "pre-push"
    }

    /// The fixed second line of every installed hook: how `hook uninstall` and `keywarden doctor` know it.
    static let marker = "# keywarden-hook v1"

    /// The suffix an existing hook is renamed with when keywarden's hook is chained in front of it.
    static let chainedSuffix = ".keywarden-chained"

    /// The variable line that records the binary that ran `hook install` (empty in `hooks/`).
    static let installedLinePrefix = "keywarden_installed="

    /// True when `text` is a hook keywarden installed.
    static func isKeywardenHook(_ text: String) -> Bool {
        text.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false).prefix(3)
            .contains { $0.hasPrefix("# keywarden-hook v") }
    }

    /// The script for `kind`; `binary` (an absolute path) is tried after `$KEYWARDEN_BIN` and before `PATH`.
    static func text(_ kind: Kind, binary: String = "") -> String {
        let quoted = "'" + binary.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let find = """
            #!/bin/sh
            \(marker)
            # keywarden's \(kind.rawValue) hook: \(kind == .preCommit ? "blocks a commit that would add a secret" : "blocks a push of commits that add a secret").
            # Installed by `keywarden hook install`; `keywarden hook uninstall` removes it and restores the hook
            # it chained (kept beside it as \(kind.rawValue)\(chainedSuffix)). See docs/hooks.md.
            \(installedLinePrefix)\(quoted)
            kw=${KEYWARDEN_BIN:-}
            if [ -z "$kw" ] && [ -x "$keywarden_installed" ]; then kw=$keywarden_installed; fi
            if [ -z "$kw" ]; then kw=$(command -v keywarden 2>/dev/null) || kw=; fi
            if [ -z "$kw" ] || [ ! -x "$kw" ]; then
              echo "keywarden: the keywarden binary was not found (tried \\$KEYWARDEN_BIN, ${keywarden_installed:-the install path}, PATH)." >&2
              echo "keywarden: install it (make install in a keywarden checkout, or copy the keywarden binary onto PATH) or set KEYWARDEN_BIN." >&2
              echo "keywarden: blocked: this hook fails closed. 'git \(kind == .preCommit ? "commit" : "push") --no-verify' skips it, but CI runs the same scan." >&2
              exit 2
            fi
            chained="$0\(chainedSuffix)"

            """
        switch kind {
        case .preCommit:
            return find + """
                "$kw" hook run pre-commit || exit $?
                if [ -x "$chained" ]; then exec "$chained" "$@"; fi
                exit 0

                """
        case .prePush:
            return find + """
                # Standard input (one line per ref) goes to keywarden and then to the chained hook.
                input=$(cat)
                if [ -n "$input" ]; then printf '%s\\n' "$input"; fi | "$kw" hook run pre-push "$@" || exit $?
                if [ -x "$chained" ]; then
                  if [ -n "$input" ]; then printf '%s\\n' "$input"; fi | "$chained" "$@"
                  exit $?
                fi
                exit 0

                """
        }
    }
}
