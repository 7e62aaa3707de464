import Credentials
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

    /// The author date in ISO 8601 with the author's offset, e.g. `2024-03-01T12:00:00+01:00`.
    public var authorDate: String {
        let local = authorTime + Int64(authorTimeZoneMinutes) * 60
        let days = CivilDate.days(unixSeconds: local)
        let seconds = local - days * 86_400
        let (year, month, day) = CivilDate.fromDays(days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let offset = abs(authorTimeZoneMinutes)
        let sign = authorTimeZoneMinutes < 0 ? "-" : "+"
        return "\(year)-\(two(month))-\(two(day))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
            + "\(sign)\(two(Int64(offset / 60))):\(two(Int64(offset % 60)))"
    }
}

extension CommitInfo {
    /// Reads the metadata of a loaded `git_commit *`.
    init(commit: OpaquePointer) {
        id = ObjectID(git_commit_id(commit).pointee)
        if let author = git_commit_author(commit) {
            authorName = author.pointee.name.map { String(cString: $0) } ?? ""
            authorEmail = author.pointee.email.map { String(cString: $0) } ?? ""
            authorTime = author.pointee.when.time
            authorTimeZoneMinutes = Int(author.pointee.when.offset)
        } else {
            authorName = ""; authorEmail = ""; authorTime = 0; authorTimeZoneMinutes = 0
        }
        summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
        parentCount = Int(git_commit_parentcount(commit))
    }
}
