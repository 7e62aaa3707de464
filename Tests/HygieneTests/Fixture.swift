import Foundation
import GitRepository
import Hashing
import Hygiene
import KeyAge
import TestSupport

/// A git work tree built at test time, and a doctor for it.
final class Fixture {
    let dir: TemporaryDirectory
    var environment: [String: String] = [:]
    var today = CalendarDate(year: 2026, month: 11, day: 23)!

    init() throws {
        dir = try TemporaryDirectory(prefix: "keywarden-doctor")
        try Run.git(["init", "-q", "-b", "main", "."], in: dir.path())
    }

    var root: String { PathUtilitiesForTests.canonical(dir.path()) }

    @discardableResult
    func write(_ path: String, _ text: String, mode: Int? = nil) throws -> String {
        let url = try dir.write(path, text)
        if let mode { try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path) }
        return url.path
    }

    func git(_ arguments: String...) throws { try Run.git(arguments, in: dir.path()) }

    func doctor() throws -> Doctor {
        try Doctor(path: dir.path(), options: DoctorOptions(today: today, environment: environment))
    }

    func examine() throws -> DoctorReport { try doctor().examine() }

    func result(_ id: CheckID) throws -> CheckResult {
        guard let r = try examine().result(id) else { throw FixtureFailure("no result for \(id.rawValue)") }
        return r
    }

    /// A `.gitignore` that passes the gitignore check.
    static let goodGitignore = ".env\n.env.*\n!.env.example\n*.key\n*.pem\n*.p12\n"

    /// An executable pre-commit hook that runs keywarden, in `.git/hooks` (or `directory`).
    func installHook(in directory: String = ".git/hooks") throws {
        try write(directory + "/pre-commit", "#!/bin/sh\n# keywarden-hook v1\nexec keywarden scan --staged\n", mode: 0o755)
    }

    /// A ledger entry; `fingerprint` nil for a dates-only key.
    static func ledgerKey(_ id: String, env: String, created: String, fingerprint: String?) -> String {
        var s = "\n[[keys]]\nid = \"\(id)\"\nprovider = \"acme\"\nenvironment = \"\(env)\"\ncreated = \(created)\n"
        if let fingerprint { s += "fingerprint = \"\(fingerprint)\"\n" }
        return s
    }

    static func fingerprint() -> String { Fingerprinter(key: nil).fingerprint(FakeKeys.alnum(40)) }
}

struct FixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum PathUtilitiesForTests {
    static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
