internal import CLibGit2

/// What a report says about a commit.
public struct CommitInfo: Sendable, Hashable {
    public let id: ObjectID
    public let authorName: String
    public let authorEmail: String
    /// Author time, seconds since 1970-01-01 UTC.
    public let authorTime: Int64
    /// The author's time zone, minutes east of UTC.
    public let authorTimeZoneMinutes: Int
    /// The first line of the message.
    public let summary: String
    /// Number of parents (0 for a root commit, 2 or more for a merge).
    public let parentCount: Int
}

extension CommitInfo {
    /// Reads the metadata of a loaded `git_commit *`.
    init(commit: OpaquePointer) throws(GitError) {
        id = try ObjectID(kw_git_commit_id(commit), of: "a loaded commit")
        if let author = kw_git_commit_author(commit) {
            authorName = author.pointee.name.map { String(cString: $0) } ?? ""
            authorEmail = author.pointee.email.map { String(cString: $0) } ?? ""
            authorTime = author.pointee.when.time
            authorTimeZoneMinutes = Int(author.pointee.when.offset)
        } else {
            authorName = ""; authorEmail = ""; authorTime = 0; authorTimeZoneMinutes = 0
        }
        summary = kw_git_commit_summary(commit).map { String(cString: $0) } ?? ""
        parentCount = Int(kw_git_commit_parentcount(commit))
    }
}
