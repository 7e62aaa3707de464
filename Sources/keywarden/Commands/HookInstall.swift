import ArgumentParser
import Foundation
import SystemSupport

extension Keywarden {
    /// `keywarden hook install [--pre-push] [--force]`.
    struct HookInstall: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Install the pre-commit hook (and with --pre-push the pre-push hook) where git runs hooks.",
            discussion: """
                core.hooksPath is respected; when it names a folder tracked in git, nothing is written unless \
                --portable (a hook that finds keywarden on PATH or in KEYWARDEN_BIN) or --force is given (exit 1). \
                An existing hook is kept and still called after keywarden's (renamed to NAME.keywarden-chained); \
                'keywarden hook uninstall' puts it back. When husky, lefthook or the pre-commit framework manages \
                the hooks, the snippet to add there is printed instead, or nothing when its configuration already \
                runs keywarden.
                """
        )

        @Flag(name: .long, help: "Also install the pre-push hook.")
        var prePush = false

        @Flag(name: .long, help: "Write the hook file even when a hook manager (husky, lefthook, pre-commit) is in charge, or into a tracked core.hooksPath folder with this machine's binary path.")
        var force = false

        @Flag(name: .long, help: "Write a portable hook: it finds keywarden through KEYWARDEN_BIN or PATH only, never this machine's binary path (for a core.hooksPath folder the team commits).")
        var portable = false

        func run() throws {
            let placement = try HookPlacement.current()
            let kinds: [HookScript.Kind] = prePush ? [.preCommit, .prePush] : [.preCommit]
            if !force, let manager = placement.manager() {
                let already = placement.kindsAlreadyRun(by: manager)
                let missing = kinds.filter { !already.contains($0) }
                if missing.isEmpty {
                    Terminal.say("keywarden: \(manager.rawValue) already runs keywarden here (\(kinds.map(\.rawValue).joined(separator: " and "))); nothing to add.")
                    if manager == .preCommitFramework {
                        print("Make sure the framework's git hooks are installed: pre-commit install\(prePush ? " -t pre-commit -t pre-push" : "")")
                    }
                    return
                }
                Terminal.say("keywarden: \(manager.rawValue) manages this repository's hooks; no hook file was written.")
                if !already.isEmpty {
                    print("It already runs keywarden for \(already.map(\.rawValue).sorted().joined(separator: " and ")); add the rest.")
                }
                print("Add this to its configuration (or run 'keywarden hook install --force' to write the git hook anyway):\n")
                print(HookPlacement.snippet(for: manager, kinds: missing), terminator: "")
                return
            }
            if !force, !portable, placement.hooksFolderIsTracked() {
                Terminal.warn("keywarden: warning: core.hooksPath is \(placement.hooksPathSetting ?? placement.hooksDirectory), a folder tracked in git: "
                    + "a hook written there is shared with everyone who clones the repository, and this machine's keywarden path "
                    + "would break it for them. Nothing was written.")
                Terminal.warn("keywarden: run 'keywarden hook install --portable' to write a hook that finds keywarden through "
                    + "KEYWARDEN_BIN or PATH (then commit it for the team), or --force to write this machine's path anyway.")
                throw FindingsExit()
            }
            let binary = portable ? "" : Self.currentBinary()
            let fm = FileManager.default
            do {
                try fm.createDirectory(atPath: placement.hooksDirectory, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure("cannot create the hooks folder \(placement.hooksDirectory): \(error.localizedDescription)")
            }
            for kind in kinds {
                let path = placement.hooksDirectory + "/" + kind.rawValue
                let chained = path + HookScript.chainedSuffix
                var note = ""
                if let existing = fm.contents(atPath: path) ?? symlinkMarker(path) {
                    if HookScript.isKeywardenHook(String(decoding: existing, as: UTF8.self)) {
                        note = " (updated)"
                    } else {
                        if fm.fileExists(atPath: chained) || (try? fm.destinationOfSymbolicLink(atPath: chained)) != nil {
                            throw CommandFailure("\(path) is not keywarden's hook and \(chained) already exists: nothing was changed (move one of them away)")
                        }
                        do { try fm.moveItem(atPath: path, toPath: chained) } catch {
                            throw CommandFailure("cannot keep the existing hook \(path) as \(chained): \(error.localizedDescription)")
                        }
                        note = " (the existing hook is kept as \(chained) and runs after keywarden's)"
                    }
                }
                do {
                    try AtomicFile.write(HookScript.text(kind, binary: binary).utf8, to: path,
                                         options: AtomicFile.Options(mode: .exactly(0o755)))
                } catch {
                    throw CommandFailure("cannot write \(path): \(error.reason)")
                }
                Terminal.say("keywarden: installed the \(kind.rawValue) hook: \(path)\(note)")
            }
        }

        /// A symbolic link that points nowhere still counts as an existing hook (it is moved, not replaced).
        private func symlinkMarker(_ path: String) -> Data? {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { _ in Data() }
        }

        /// The absolute path of the running binary (recorded in the hook as a fallback to PATH).
        static func currentBinary() -> String {
            if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
            let arg = CommandLine.arguments.first ?? ""
            return arg.hasPrefix("/") ? arg : ""
        }
    }
}
