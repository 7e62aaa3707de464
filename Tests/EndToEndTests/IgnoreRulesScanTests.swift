import Foundation
import Testing
import TestSupport

/// A work-tree scan skips exactly what git ignores: never a file that `git add .` would commit.
@Suite struct IgnoreRulesScanTests {
    @Test func aFileASubfolderReincludesIsScanned() throws {
        let dir = try TemporaryDirectory(prefix: "keywarden-ignore-e2e")
        try Run.git(["init", "-q", "-b", "main", "."], in: dir.path())
        try dir.write(".gitignore", ".env\n")
        try dir.write("services/api/.gitignore", "!.env\n")
        let token = FakeKeys.githubToken()
        try dir.write("services/api/.env", "GITHUB_TOKEN=\(token)\n")
        // git itself would commit it.
        let untracked = try Run.git(["ls-files", "--others", "--exclude-standard"], in: dir.path()).stdout
        #expect(untracked.contains("services/api/.env"))
        let r = try Run.keywarden(["scan", "--format", "json"], in: dir.path())
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("services/api/.env"))
        #expect(!r.stdout.contains(token))
        // The root's own .env stays ignored.
        try dir.write(".env", "GITHUB_TOKEN=\(FakeKeys.githubToken())\n")
        let again = try Run.keywarden(["scan", "--format", "json"], in: dir.path())
        #expect(again.stdout.contains("\"path\": \"services/api/.env\""), "\(again.stdout)")
        #expect(!again.stdout.contains("\"path\": \".env\""), "\(again.stdout)")
    }
}
