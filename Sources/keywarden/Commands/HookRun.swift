import ArgumentParser
import Foundation

extension Keywarden {
    /// `keywarden hook run pre-commit|pre-push`: what the installed hooks execute.
    struct HookRun: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a hook: pre-commit scans the staged changes, pre-push the commits the remote does not have.",
            discussion: """
                pre-commit [FILE...]: inside 'git commit' the staged changes are scanned; outside it (the pre-commit \
                framework's 'run --all-files' or '--files'), the named files' contents are. pre-push REMOTE [URL] reads \
                '<local ref> <local sha> <remote ref> <remote sha>' lines from standard input. Exit codes: 0 clean, \
                1 blocked by findings, 2 error (blocked unless [hook] on_error = "warn").
                """
        )

        @Argument(help: "pre-commit or pre-push.")
        var hook: String

        @Argument(parsing: .captureForPassthrough, help: "pre-commit: files to scan (from the pre-commit framework); pre-push: the remote's name and URL.")
        var arguments: [String] = []

        func validate() throws {
            guard HookScript.Kind(rawValue: hook) != nil else {
                throw ValidationError("unknown hook '\(hook)' (use pre-commit or pre-push)")
            }
        }

        func run() throws {
            guard let kind = HookScript.Kind(rawValue: hook) else { throw CommandFailure("unknown hook '\(hook)'") }
            try HookRunner(kind: kind, arguments: arguments).run()
        }
    }
}

extension Keywarden.HookRun {
    /// The hook and its arguments for `hook run` invoked as installed hooks invoke it (arguments after
    /// `run`), read without argument-parser's set-up, which would add milliseconds to every commit; nil
    /// sends anything else (help, an unknown hook, an argument that looks like an option) to argument-parser.
    static func quick(_ arguments: [String]) -> (kind: HookScript.Kind, arguments: [String])? {
        guard let name = arguments.first, let kind = HookScript.Kind(rawValue: name) else { return nil }
        let rest = Array(arguments.dropFirst())
        guard !rest.contains(where: { $0.hasPrefix("-") }) else { return nil }
        return (kind, rest)
    }
}
