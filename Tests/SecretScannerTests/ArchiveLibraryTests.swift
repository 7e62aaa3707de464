import Archives
import Testing

/// libarchive is loaded on first use; when it cannot be, an archive is left unopened with a note that says
/// why (never a crash, never a silent skip).
@Suite struct ArchiveLibraryTests {
    @Test func anArchiveIsNotedUnopenedWhenLibarchiveCannotBeLoaded() {
        let bytes: [UInt8] = Array("PK\u{3}\u{4} not really a zip".utf8)
        var members = 0
        let problems = bytes.withUnsafeBytes { buffer in
            ArchiveReader.walk(buffer, path: "bundle.zip", limits: ArchiveLimits(),
                               library: { "libarchive could not be loaded (test)" }) { _, _ in members += 1 }
        }
        #expect(members == 0)
        #expect(problems.map(\.kind) == [.unavailable] && problems.map(\.path) == ["bundle.zip"])
        #expect(problems.map(\.detail) == ["archive not opened: libarchive could not be loaded (test)"])
    }

    @Test func theProbeNamesWhatIsMissing() throws {
        #expect(ArchiveReader.probeLibrary("libarchive.so.13") == nil)
        let absent = try #require(ArchiveReader.probeLibrary("libkeywarden-absent.so.0"))
        #expect(absent.hasPrefix("libarchive could not be loaded (") && absent.contains("libkeywarden-absent.so.0"))
        let other = try #require(ArchiveReader.probeLibrary("libz.so.1"))
        #expect(other == "libarchive could not be loaded (libz.so.1 has no archive_read_new)")
        #expect(ArchiveReader.loadLibrary() == nil)
    }
}
