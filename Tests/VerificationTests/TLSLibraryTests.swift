import Testing
@testable import Verification

/// libssl is loaded when the first TLS connection is made (the rest of keywarden never needs it); a library
/// that is not libssl, or none, is refused with the reason instead of crashing at a later call.
@Suite struct TLSLibraryTests {
    @Test func theProbeNamesWhatIsMissing() throws {
        let absent = try #require(TLS.probeLibrary("libkeywarden-absent.so.0"))
        #expect(absent.hasPrefix("libssl could not be loaded (") && absent.contains("libkeywarden-absent.so.0"))
        // libcrypto alone has the ERR_ and X509_ functions but not the TLS ones.
        let crypto = try #require(TLS.probeLibrary("libcrypto.so.3"))
        #expect(crypto == "libssl could not be loaded (libcrypto.so.3 has no TLS_client_method)")
        #expect(TLS.probeLibrary("libssl.so.3") == nil)
        #expect(TLS.loadLibrary() == nil)
    }
}
