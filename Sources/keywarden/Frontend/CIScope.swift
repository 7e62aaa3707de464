import Foundation

/// What `keywarden scan --ci` scans, read from the CI system's environment: on a GitHub pull request the
/// pull request's commits, on a push the pushed commits, GitLab's merge-request and push variables
/// likewise, and the work tree otherwise.
enum CIScope: Equatable {
    /// Scan the changes of the commits in `A..B`.
    case range(String, reason: String)
    /// Scan the files of the work tree.
    case workTree(reason: String)
    /// Nothing to scan (a deleted branch).
    case nothing(reason: String)
    /// The scope cannot be known: the event file a GitHub pull request or push needs is missing, unreadable
    /// or not JSON. An error (exit 2): scanning the work tree instead would check the wrong thing silently.
    case unknown(reason: String)

    var reason: String {
        switch self {
        case .range(let r, let why): "\(why): scanning commits \(r)"
        case .workTree(let why): "\(why): scanning the work tree"
        case .nothing(let why): "\(why): nothing to scan"
        case .unknown(let why): why
        }
    }

    static func isNullSHA(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy { $0 == "0" } }

    /// Decides from `environment` (and GitHub's event file, read through `readFile`).
    static func resolve(_ environment: [String: String], readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }) -> CIScope {
        if environment["GITHUB_ACTIONS"] == "true" { return github(environment, readFile: readFile) }
        if environment["GITLAB_CI"] == "true" { return gitlab(environment) }
        return .workTree(reason: "no CI environment detected (GITHUB_ACTIONS, GITLAB_CI)")
    }

    private static func github(_ env: [String: String], readFile: (String) -> Data?) -> CIScope {
        let event = env["GITHUB_EVENT_NAME"] ?? ""
        let needsPayload = ["pull_request", "pull_request_target", "push"].contains(event)
        let path = env["GITHUB_EVENT_PATH"] ?? ""
        var payload: [String: Any]?
        if needsPayload {
            guard !path.isEmpty else {
                return .unknown(reason: "GitHub \(event) event without GITHUB_EVENT_PATH: cannot tell which commits to scan")
            }
            guard let data = readFile(path) else {
                return .unknown(reason: "GitHub \(event) event: cannot read GITHUB_EVENT_PATH (\(path)): cannot tell which commits to scan")
            }
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                return .unknown(reason: "GitHub \(event) event: GITHUB_EVENT_PATH (\(path)) is not a JSON object: cannot tell which commits to scan")
            }
            payload = object
        }
        switch event {
        case "pull_request", "pull_request_target":
            let pr = payload?["pull_request"] as? [String: Any]
            let base = (pr?["base"] as? [String: Any])?["sha"] as? String
            let head = (pr?["head"] as? [String: Any])?["sha"] as? String
            let number = (pr?["number"] as? Int).map { " #\($0)" } ?? ""
            if let base, let head, !base.isEmpty, !head.isEmpty {
                return .range("\(base)..\(head)", reason: "GitHub pull request\(number)")
            }
            return .workTree(reason: "GitHub pull request without base and head in GITHUB_EVENT_PATH")
        case "push":
            let before = payload?["before"] as? String ?? ""
            let after = payload?["after"] as? String ?? env["GITHUB_SHA"] ?? ""
            if isNullSHA(after) { return .nothing(reason: "GitHub push deleting \(env["GITHUB_REF"] ?? "a branch")") }
            if !before.isEmpty, !isNullSHA(before), !after.isEmpty { return .range("\(before)..\(after)", reason: "GitHub push") }
            if let first = (payload?["commits"] as? [[String: Any]])?.first?["id"] as? String, !after.isEmpty {
                return .range("\(first)~1..\(after)", reason: "GitHub push of a new branch")
            }
            return .workTree(reason: "GitHub push of a new branch with no pushed commits listed")
        default:
            return .workTree(reason: "GitHub \(event.isEmpty ? "run" : event) event")
        }
    }

    private static func gitlab(_ env: [String: String]) -> CIScope {
        let sha = env["CI_COMMIT_SHA"] ?? ""
        if let base = env["CI_MERGE_REQUEST_DIFF_BASE_SHA"], !base.isEmpty, !sha.isEmpty {
            let iid = env["CI_MERGE_REQUEST_IID"].map { " !\($0)" } ?? ""
            return .range("\(base)..\(sha)", reason: "GitLab merge request\(iid)")
        }
        if let before = env["CI_COMMIT_BEFORE_SHA"], !before.isEmpty, !isNullSHA(before), !sha.isEmpty {
            return .range("\(before)..\(sha)", reason: "GitLab push")
        }
        return .workTree(reason: "GitLab pipeline (\(env["CI_PIPELINE_SOURCE"] ?? "no push range"))")
    }
}
