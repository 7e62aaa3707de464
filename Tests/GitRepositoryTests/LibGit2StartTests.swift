import Foundation
@testable import GitRepository
import Testing

/// libgit2's set-up does no work keywarden never uses.
@Suite struct LibGit2StartTests {
    /// The shared objects mapped into this process, from /proc/self/maps (read to its end: the file reports
    /// no size, and a single read may stop after the first page).
    func mappedLibraries() throws -> String {
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        defer { try? handle.close() }
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    }

    /// A libgit2 built on mbedTLS parses the system CA bundle in git_libgit2_init; keywarden's stand-ins
    /// take those calls, so opening a repository loads no certificate.
    @Test func openingARepositoryLoadsNoCertificates() throws {
        let f = try Fixture()
        _ = try f.commit("first", ["a.txt": "a\n"])
        // (Opening finds an ordinary repository without libgit2; the first libgit2 use opens it there.)
        _ = try f.open().resolveCommit("HEAD")
        let maps = try mappedLibraries()
        #expect(maps.contains("libgit2"), "libgit2 was not loaded by opening a repository")
        if maps.contains("libmbedx509") {
            #expect(LibGit2.skippedCertificateLoads >= 1,
                    "libgit2 on mbedTLS loaded the CA bundle itself: the stand-ins in ca_bundle.c were not used")
        } else {
            // libgit2 on OpenSSL (or without TLS) never asks mbedTLS for certificates.
            #expect(LibGit2.skippedCertificateLoads == 0)
        }
    }
}
