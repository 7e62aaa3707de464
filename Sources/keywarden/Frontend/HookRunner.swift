import ArgumentParser
import Foundation
import GitRepository
import Hashing
import KeyAge
import ScanReporting
import SecretRules
import SecretScanner
import Verification

/// One run of a hook: settings, the scan, the verdict, the message, the audit line, the exit code.
struct HookRunner {
    let kind: HookScript.Kind
    let arguments: [String]
    var environment = Terminal.environment

    /// What was scanned and found.
    struct Outcome {
        var report: Report
        var scope: String
        var refs: [String] = []
        var ledger: KeyLedger?
        /// The pre-commit framework named the files: files were checked, not a commit.
        var namedFiles = false
        /// HEAD before this commit or push (nil: no commit yet).
        var head: String?
    }

    func run() throws {
        var settings = HookSettings()
        var auditLog: ProjectContext.AuditLog?
        do {
            let repository = try open()
            // A config that cannot be read still leaves a line in the default log.
            auditLog = ProjectContext.withoutSettings(repository, environment: environment).auditLog
            let context: ProjectContext
            do { context = try ProjectContext.of(repository, environment: environment) } catch { throw CommandFailure("\(error)") }
            settings = context.settings.hook
            auditLog = context.auditLog
            let outcome = try scan(repository, context: context)
            try finish(outcome, settings: settings, auditLog: auditLog)
        } catch let exit as FindingsExit {
            throw exit
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let message = (error as? CommandFailure)?.message ?? "\(error)"
            try failed([message], settings: settings, auditLog: auditLog)
        }
    }

    private func open() throws -> GitRepository {
        do { return try GitRepository.open() } catch { throw CommandFailure(error.message) }
    }

    /// Internal errors fail closed (exit 2) unless `on_error = "warn"`.
    private func failed(_ errors: [String], settings: HookSettings, auditLog: ProjectContext.AuditLog?, findings: Report? = nil) throws {
        let colour = Terminal.colourEnabled(forStdout: false)
        for e in errors { Terminal.warn(Style.red.apply("keywarden: error: \(e)", enabled: colour)) }
        if settings.onError == .warn {
            Terminal.warn(Style.yellow.apply("keywarden: warning: the \(kind.rawValue) check did not complete; "
                + "letting the \(kind == .preCommit ? "commit" : "push") through because .keywarden.toml says [hook] on_error = \"warn\"", enabled: colour))
            return
        }
        Terminal.warn(Style.red.apply("keywarden: \(kind == .preCommit ? "commit" : "push") blocked: the check could not finish, "
            + "and an unchecked \(kind == .preCommit ? "commit" : "push") is never let through (fail closed). Fix the error above, "
            + "or set [hook] on_error = \"warn\" in .keywarden.toml to only warn.", enabled: colour))
        if let auditLog {
            HookAudit.append(HookAudit.entry(action: kind.rawValue, reason: "error", report: findings, errors: errors), to: auditLog)
        }
        throw ExitCode(2)
    }

    // MARK: scanning

    /// Whether this run scans the staged changes: a pre-commit hook inside `git commit` (which sets
    /// GIT_INDEX_FILE) or given no files; outside it (the pre-commit framework's `run --all-files` /
    /// `--files`), the named files are scanned whole.
    private var scansStagedChanges: Bool {
        kind == .preCommit && (arguments.isEmpty || environment["GIT_INDEX_FILE"] != nil)
    }

    /// The request this hook run makes: what `kind` scans, with the project's ignore file, baseline and ledger.
    func request(_ repository: GitRepository, context: ProjectContext) throws -> ScanRequest {
        var request: ScanRequest
        switch kind {
        case .preCommit:
            if scansStagedChanges {
                request = ScanRequest(.staged(paths: []), scope: "the staged changes")
            } else {
                request = ScanRequest(.namedFiles(arguments), scope: "\(arguments.count) file\(arguments.count == 1 ? "" : "s")")
            }
        case .prePush:
            let (input, remote) = try pushInput(repository)
            let push = try PushPlan(standardInput: input, remote: remote, repository: repository)
            request = ScanRequest(.commits(push.commits),
                                  scope: "\(push.commits.count) commit\(push.commits.count == 1 ? "" : "s") not yet on \(remote.isEmpty ? "the remote" : remote)")
            request.pushedRefs = push.refs
        }
        request.repository = repository
        request.ignoreFile = context.ignoreFile
        request.today = today
        do { request.baseline = try context.hookBaseline() } catch { throw CommandFailure("[hook] baseline: \(error.message): \(error.path)") }
        request.ledger = context.ledgerFile
        let settings = context.settings.hook
        request.ledgerUse = settings.warnTrackedKeys || settings.blockOnOverdueKeys ? .always : .whenFindings
        return request
    }

    private func scan(_ repository: GitRepository, context: ProjectContext) throws -> Outcome {
        // What is staged is read on another thread while the rules load.
        let prefetch = scansStagedChanges ? StagedPrefetch(paths: [], maxBlobSize: ScanOptions().sizeLimit) : nil
        // The hook takes no rules option: the project's `.keywarden.toml`, else the built-in rules.
        let compiled = try RuleOptions.compiledRules(config: nil, context: context, printWarnings: false)
        let session = ScanSession(rules: compiled, fingerprinter: try context.fingerprinter(), options: ScanOptions())
        var request = try self.request(repository, context: context)
        request.stagedPrefetch = prefetch
        request.configurationWarnings = context.configurationWarnings(compiled)
        var warnings = [ScanNote]()
        if context.settings.hook.verify {
            // Opt-in (the user's own [hook] verify = true or KEYWARDEN_HOOK_VERIFY=1): ask the providers whether the staged keys are live.
            do {
                request.verification = try VerificationSettings(environment: environment)
            } catch {
                warnings.append(ScanNote(.verification, "[hook] verify: \(error)"))
            }
        }
        let outcome: ScanOutcome
        do { outcome = try ScanRunner(session: session).run(request) } catch { throw CommandFailure(error.message) }
        var report = Report(outcome, toolVersion: Keywarden.version)
        report.result.warnings += warnings
        var namedFiles = false
        if case .namedFiles = request.source { namedFiles = true }
        let head = (try? repository.headCommit())?.map(\.hex)
        return Outcome(report: report, scope: request.scope, refs: request.pushedRefs, ledger: outcome.ledger,
                       namedFiles: namedFiles, head: head)
    }

    /// git's pre-push lines from standard input; under the pre-commit framework (which reads them itself
    /// and passes on only the first pushed ref), one line rebuilt from its PRE_COMMIT_* variables.
    private func pushInput(_ repository: GitRepository) throws -> (Data, String) {
        let remote = arguments.first ?? environment["PRE_COMMIT_REMOTE_NAME"] ?? ""
        let framework = environment["PRE_COMMIT_TO_REF"] ?? environment["PRE_COMMIT_LOCAL_BRANCH"]
        var data = Data()
        if framework == nil || isatty(STDIN_FILENO) == 0 { data = Data(try Terminal.readStandardInput()) }
        let blank = String(decoding: data, as: UTF8.self).allSatisfy(\.isWhitespace)
        guard blank, let local = framework else { return (data, remote) }
        let tip: String
        do { tip = try repository.resolveCommit(local).hex } catch { throw CommandFailure("pre-push: \(error.message)") }
        let zero = String(repeating: "0", count: tip.count)
        var from = zero
        if let ref = environment["PRE_COMMIT_FROM_REF"] {
            do { from = try repository.resolveCommit(ref).hex } catch { throw CommandFailure("pre-push: \(error.message)") }
        }
        let line = "\(environment["PRE_COMMIT_LOCAL_BRANCH"] ?? "HEAD") \(tip) \(environment["PRE_COMMIT_REMOTE_BRANCH"] ?? "HEAD") \(from)\n"
        return (Data(line.utf8), remote)
    }

    // MARK: verdict

    private func finish(_ outcome: Outcome, settings: HookSettings, auditLog: ProjectContext.AuditLog?) throws {
        let report = outcome.report
        let colour = Terminal.colourEnabled(forStdout: false)
        for w in report.result.warnings where w.reason != .incomplete { Terminal.warn("keywarden: warning: \(w)") }
        let keyStatuses = trackedKeyStatuses(outcome.ledger, settings: settings)
        if settings.warnTrackedKeys || settings.blockOnOverdueKeys {
            for s in keyStatuses {
                let line = "keywarden: tracked key \(s.key.id) (\(s.key.provider), \(s.key.environment)): \(s.message)"
                Terminal.warn(Style.yellow.apply(line, enabled: colour))
            }
        }
        if !report.findings.isEmpty {
            var situation = HookMessage.Situation(kind: kind, namedFiles: outcome.namedFiles, firstCommit: outcome.head == nil,
                                                  head: outcome.head, ledger: outcome.ledger)
            situation.today = today
            Terminal.warn(HookMessage.blocked(report, situation: situation, colour: colour))
        }
        // A rule that gave up on part of a file is an unfinished check too (fail closed).
        let unfinished = report.result.errors + report.result.warnings.filter { $0.reason == .incomplete }
        if !unfinished.isEmpty {
            try failed(unfinished.map(\.description), settings: settings, auditLog: auditLog, findings: report)
            if report.findings.isEmpty { return }
        }
        if !report.findings.isEmpty {
            if let auditLog {
                HookAudit.append(HookAudit.entry(action: kind.rawValue, reason: "secrets", report: report, refs: outcome.refs), to: auditLog)
            }
            throw FindingsExit()
        }
        let blocking = keyStatuses.filter(\.failsCheck)
        if settings.blockOnOverdueKeys, !blocking.isEmpty {
            Terminal.warn(Style.red.apply("keywarden: \(kind == .preCommit ? "commit" : "push") blocked: "
                + "\(blocking.count) tracked key\(blocking.count == 1 ? " is" : "s are") overdue or leaked, and .keywarden.toml says "
                + "[hook] block_on_overdue_keys = true. Rotate (keywarden keys runbook PROVIDER, then keywarden keys rotated ID).", enabled: colour))
            if let auditLog {
                HookAudit.append(HookAudit.entry(action: kind.rawValue, reason: "overdue-keys", report: report,
                                                 keys: blocking.map(\.key.id)), to: auditLog)
            }
            throw FindingsExit()
        }
    }

    /// Today (KEYWARDEN_TODAY when set, for tests and dry runs).
    private var today: CalendarDate {
        environment["KEYWARDEN_TODAY"].flatMap { CalendarDate($0) } ?? CalendarDate.today()
    }

    /// Tracked keys that are leaked, overdue, due or due soon, most urgent first.
    private func trackedKeyStatuses(_ ledger: KeyLedger?, settings: HookSettings) -> [KeyStatus] {
        guard let ledger else { return [] }
        return KeyStatus.all(in: ledger, today: today).filter { [.leaked, .overdue, .due, .dueSoon].contains($0.level) }
    }
}
