import Foundation
import GitRepository

/// What a push sends: the commits of every pushed ref that the remote does not have yet.
struct PushPlan {
    /// Unique commits, oldest first within each ref, in the order the refs were given.
    private(set) var commits: [CommitInfo] = []
    /// `local ref -> remote ref` for each line (deletions included), for the audit log.
    private(set) var refs: [String] = []

    /// True for git's all-zero object id (a new or deleted ref), SHA-1 (40) or SHA-256 (64) length.
    static func isZero(_ id: String) -> Bool {
        (id.count == 40 || id.count == 64) && id.allSatisfy { $0 == "0" }
    }

    /// Reads git's pre-push input: one `<local ref> <local sha> <remote ref> <remote sha>` line per ref.
    /// A deleted ref (local sha all zeros) sends nothing. A new ref (remote sha all zeros) sends what no
    /// `refs/remotes/<remote>/*` branch has; an update sends what is neither there nor behind the old tip.
    init(standardInput data: Data, remote: String, repository: GitRepository) throws {
        let text = String(decoding: data, as: UTF8.self)
        // A remote given as a URL or path has no remote-tracking branches: nothing is hidden by them.
        let tracking = remote.isEmpty || remote.contains("/") || remote.contains(":") ? [] : ["refs/remotes/\(remote)/*"]
        var seen = Set<ObjectID>()
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 4, fields[1].allSatisfy(\.isHexDigit), fields[3].allSatisfy(\.isHexDigit) else {
                throw CommandFailure("pre-push input line \(number + 1) is not '<local ref> <local sha> <remote ref> <remote sha>'")
            }
            let (localRef, localID, remoteRef, remoteID) = (fields[0], fields[1], fields[2], fields[3])
            refs.append("\(localRef) -> \(remoteRef)")
            if Self.isZero(localID) { continue }   // deleting remoteRef: nothing is sent
            let hidden = Self.isZero(remoteID) ? [] : [remoteID]
            let found: [CommitInfo]
            do {
                found = try repository.commits(reachableFrom: localID, hiding: hidden, hidingReferences: tracking)
            } catch {
                throw CommandFailure("pre-push: \(error.message)")
            }
            for c in found where seen.insert(c.id).inserted { commits.append(c) }
        }
    }
}
