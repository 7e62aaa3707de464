import ArgumentParser
import Foundation
import GitRepository
import SecretScanner

/// The git sources of `keywarden scan`: staged changes, commit ranges, history.
struct GitSourceOptions: ParsableArguments {
    @Flag(name: .long, help: "Scan what is staged for commit (the index against HEAD), not the work tree. PATHs restrict it.")
    var staged = false

    @Option(name: .long, help: ArgumentHelp("Scan the changes introduced by the commits in a range (A..B).", valueName: "A..B"))
    var range: String?

    @Option(name: .long, help: ArgumentHelp("Scan the commits after REV up to HEAD (REV..HEAD).", valueName: "REV"))
    var since: String?

    @Flag(name: .long, help: "Scan every commit reachable from all references (PATH: the repository, default '.').")
    var history = false

    @Option(name: .long, help: ArgumentHelp("With --history: only commits reachable from REF.", valueName: "REF"))
    var branch: String?

    @Flag(name: .long, help: "In CI: choose the scope from the environment (GitHub pull request or push, GitLab merge request or push; else the work tree) and say which.")
    var ci = false

    enum Mode {
        case staged, range(String), history(branch: String?), nothing(String)

        var scope: String {
            switch self {
            case .staged: "staged changes"
            case .range(let r): "commits \(r)"
            case .history(let b): b.map { "history of \($0)" } ?? "history"
            case .nothing(let why): why
            }
        }
    }

    var mode: Mode? {
        if staged { return .staged }
        if let range { return .range(range) }
        if let since { return .range("\(since)..HEAD") }
        if history { return .history(branch: branch) }
        return nil
    }

    func validate(paths: [String]) throws {
        let chosen = [staged, range != nil, since != nil, history, ci].filter { $0 }.count
        if chosen > 1 { throw ValidationError("choose one of --staged, --range, --since, --history and --ci") }
        if branch != nil, !history { throw ValidationError("--branch goes with --history") }
        if chosen == 1, paths.contains("-") { throw ValidationError("'-' (standard input) cannot be combined with a git source") }
        if range != nil || since != nil || history || ci, paths.count > 1 {
            throw ValidationError("with --range, --since or --history, PATH is the repository (one at most)")
        }
    }
}

extension GitSourceOptions {
    /// The git source to scan, with `--ci` resolved from the environment (and announced on standard error);
    /// nil means the work tree.
    func resolvedMode(environment: [String: String]) throws -> Mode? {
        guard ci else { return mode }
        let scope = CIScope.resolve(environment)
        if case .unknown(let why) = scope { throw CommandFailure("--ci: \(why)") }
        Terminal.warn("keywarden: --ci: \(scope.reason)")
        switch scope {
        case .unknown: return nil
        case .range(let r, _): return .range(r)
        case .workTree: return nil
        case .nothing(let why): return .nothing(why)
        }
    }
}
