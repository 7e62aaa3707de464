internal import Foundation
import GitRepository
public import KeyAge

/// What a doctor run needs besides the repository.
public struct DoctorOptions: Sendable {
    /// The key ledger; nil means `.keywarden/keys.toml` at the work tree root.
    public var ledgerPath: String?
    /// The configuration file; nil means `.keywarden.toml` at the work tree root.
    public var configurationPath: String?
    /// The day the ledger is judged on.
    public var today: CalendarDate
    /// The process environment: required variables are looked up here (when no environments are
    /// configured), and `KEYWARDEN_FINGERPRINT_KEY` keys the fingerprints that compare values.
    public var environment: [String: String]

    public init(ledgerPath: String? = nil, configurationPath: String? = nil, today: CalendarDate = .today(),
                environment: [String: String] = [:]) {
        self.ledgerPath = ledgerPath
        self.configurationPath = configurationPath
        self.today = today
        self.environment = environment
    }
}

/// `keywarden doctor`: checks a git work tree's secrets hygiene and makes the safe fixes.
///
/// - Important: a `Doctor` owns an open repository and is confined to one thread at a time.
public final class Doctor {
    let repository: GitRepository
    /// The work tree root (absolute, symlinks resolved).
    public let root: String
    public let options: DoctorOptions
    public let configuration: DoctorConfiguration

    /// Opens the work tree holding `path` and reads its `.keywarden.toml`.
    ///
    /// - Throws: `.notAWorkTree` outside a git work tree or for a bare repository; `.badConfiguration`
    ///   for a malformed `.keywarden.toml`.
    public init(path: String, options: DoctorOptions) throws(HygieneError) {
        let repository: GitRepository
        do {
            repository = try GitRepository.open(at: path, environment: options.environment)
        } catch {
            if error.code == .notARepository {
                throw HygieneError(.notAWorkTree, "\(path) is not in a git repository: keywarden doctor checks a git work tree")
            }
            throw HygieneError(.git, error.message)
        }
        guard let root = repository.workTreeRoot else {
            throw HygieneError(.notAWorkTree, "\(repository.gitDirectory) is a bare repository: keywarden doctor checks a work tree")
        }
        self.repository = repository
        self.root = root
        self.options = options
        self.configuration = try DoctorConfiguration.load(
            path: options.configurationPath ?? root + "/" + DoctorConfiguration.fileName)
    }

    /// The ledger file this run reads.
    public var ledgerPath: String { options.ledgerPath ?? root + "/" + KeyLedger.defaultRelativePath }

    /// Runs every check, in `CheckID` order.
    ///
    /// - Parameter history: what the command's history scan found (doctor itself does not scan).
    public func examine(history: HistoryEvidence = .notScanned("the history was not scanned")) throws(HygieneError) -> DoctorReport {
        var checks: [CheckResult] = []
        checks.append(try checkGitignore())
        checks.append(try checkTrackedSecrets())
        checks.append(try checkHook())
        checks.append(contentsOf: checkLedger())
        checks.append(contentsOf: checkEnvironment())
        checks.append(checkEnvironmentFilePermissions())
        checks.append(try checkDotenvIgnored())
        checks.append(checkHistory(history))
        return DoctorReport(checks: checks)
    }

    /// A git call, its error turned into this module's.
    func git<R>(_ body: () throws(GitError) -> R) throws(HygieneError) -> R {
        do { return try body() } catch { throw HygieneError(.git, error.message) }
    }

    /// `path` quoted for a POSIX shell when it needs quoting.
    static func shellQuoted(_ path: String) -> String {
        let safe = path.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._-/+@%:=,".unicodeScalars.contains($0)
        }
        if safe && !path.isEmpty && !path.hasPrefix("-") { return path }
        return "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
