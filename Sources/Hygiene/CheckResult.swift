/// The outcome of one doctor check: a pass/fail/skip line, the problems behind a failure, and the fix.
public struct CheckResult: Sendable, Equatable, Encodable {
    public enum Status: String, Sendable, Encodable {
        /// `warn`: a problem worth acting on that does not fail the run (exit code 0).
        case pass, fail, skip, warn
    }

    /// Stable identifier (`gitignore`, `tracked-secrets`, `hook`, `ledger-overdue`, `ledger-reuse`,
    /// `required-env`, `env-distinct`, `env-permissions`, `env-ignored`, `history-secrets`).
    public let id: String
    public let status: Status
    /// One line: what was found (for a skip: why the check does not apply).
    public let message: String
    /// One line per problem (or per noteworthy item when passing).
    public let details: [String]
    /// What to do, one command or step per line; nil when passing or skipped.
    public let fix: String?

    public init(id: String, status: Status, message: String, details: [String] = [], fix: String? = nil) {
        self.id = id
        self.status = status
        self.message = message
        self.details = details
        self.fix = fix
    }

    static func pass(_ id: CheckID, _ message: String, details: [String] = []) -> CheckResult {
        CheckResult(id: id.rawValue, status: .pass, message: message, details: details)
    }

    static func fail(_ id: CheckID, _ message: String, details: [String] = [], fix: [String]) -> CheckResult {
        CheckResult(id: id.rawValue, status: .fail, message: message, details: details, fix: fix.joined(separator: "\n"))
    }

    static func warn(_ id: CheckID, _ message: String, details: [String] = [], fix: [String]) -> CheckResult {
        CheckResult(id: id.rawValue, status: .warn, message: message, details: details, fix: fix.joined(separator: "\n"))
    }

    static func skip(_ id: CheckID, _ message: String) -> CheckResult {
        CheckResult(id: id.rawValue, status: .skip, message: message)
    }

    enum CodingKeys: String, CodingKey { case id, title, status, message, details, fix }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(CheckID(rawValue: id)?.title ?? id, forKey: .title)
        try c.encode(status, forKey: .status)
        try c.encode(message, forKey: .message)
        try c.encode(details, forKey: .details)
        if let fix { try c.encode(fix, forKey: .fix) } else { try c.encodeNil(forKey: .fix) }
    }
}

/// The checks, in the order they run and print.
public enum CheckID: String, Sendable, CaseIterable {
    case gitignore
    case trackedSecrets = "tracked-secrets"
    case hook
    case ledgerOverdue = "ledger-overdue"
    case ledgerReuse = "ledger-reuse"
    case requiredEnvironment = "required-env"
    case environmentsDistinct = "env-distinct"
    case environmentFilePermissions = "env-permissions"
    case environmentFilesIgnored = "env-ignored"
    case historySecrets = "history-secrets"

    /// The checklist line's name.
    public var title: String {
        switch self {
        case .gitignore: ".gitignore covers .env, .env.*, *.key, *.pem, *.p12 (not .env.example)"
        case .trackedSecrets: "no secret file (.env, private key, keystore) is tracked"
        case .hook: "the keywarden pre-commit hook is installed"
        case .ledgerOverdue: "no key in the ledger is overdue or leaked"
        case .ledgerReuse: "no key is reused across environments"
        case .requiredEnvironment: "required environment variables are set and not placeholders"
        case .environmentsDistinct: "required variables differ between environments"
        case .environmentFilePermissions: ".env files (nested folders too) are not readable by other users"
        case .environmentFilesIgnored: "every .env file in the work tree is ignored by git"
        case .historySecrets: "no secret gone from HEAD is still live in the git history"
        }
    }
}

/// Every check's result, in checklist order.
public struct DoctorReport: Sendable, Equatable, Encodable {
    public let checks: [CheckResult]

    public init(checks: [CheckResult]) { self.checks = checks }

    public var passed: Int { checks.filter { $0.status == .pass }.count }
    public var failed: Int { checks.filter { $0.status == .fail }.count }
    public var skipped: Int { checks.filter { $0.status == .skip }.count }
    public var warned: Int { checks.filter { $0.status == .warn }.count }
    /// True when no check failed (skips and warnings do not fail).
    public var allPassed: Bool { failed == 0 }

    /// The result of one check.
    public func result(_ id: CheckID) -> CheckResult? { checks.first { $0.id == id.rawValue } }

    enum CodingKeys: String, CodingKey { case checks, passed, failed, skipped, warnings }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(checks, forKey: .checks)
        try c.encode(passed, forKey: .passed)
        try c.encode(failed, forKey: .failed)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(warned, forKey: .warnings)
    }
}
