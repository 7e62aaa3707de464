import Foundation
import TestSupport
import Testing

/// TLS against `openssl s_server` on the loopback interface, with a certificate made by the test for 127.0.0.1.
@Suite(.serialized) struct TLSTests {
    /// A self-signed certificate for IP 127.0.0.1 and a TLS server presenting it (the readiness probe and one request, `-www`).
    final class TLSServer {
        let dir: TemporaryDirectory
        let port: Int
        let process: Process

        init(address: String = "127.0.0.1") throws {
            dir = try TemporaryDirectory()
            try Run.program("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                                                 "-days", "1", "-subj", "/CN=\(address)", "-addext", "subjectAltName=IP:\(address)"],
                            in: dir.path()).requireSuccess()
            // A port that was free a moment ago.
            let probe = try LoopbackServer(maxConnections: 0, lifetime: 0.1) { _, _ in .json(200, "{}") }
            port = probe.port
            probe.stop()
            Thread.sleep(forTimeInterval: 0.3)
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", dir.path("cert.pem"), "-key", dir.path("key.pem"),
                                 "-www", "-naccept", "2", "-quiet"]
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            try process.run()
            // Wait (bounded) until it listens.
            for _ in 0..<50 {
                if Self.canConnect(port) { return }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }

        deinit { if process.isRunning { process.terminate() } }

        var certificate: String { dir.path("cert.pem") }

        static func canConnect(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = UInt16(port).bigEndian
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
        }
    }

    func verify(_ server: TLSServer, extra: [String: String]) throws -> ProcessResult {
        var env = ["KEYWARDEN_VERIFY_ALLOW_TEST_URLS": "1", "KEYWARDEN_VERIFY_TEST_BASE_URL_MAINTAINX": "https://127.0.0.1:\(server.port)",
                   "K": FakeKeys.maintainX()]
        env.merge(extra) { _, b in b }
        return try Run.keywarden(["verify", "--provider", "maintainx", "--from-env", "K"], environment: env)
    }

    @Test func trustedCertificateCompletesTheRequest() throws {
        let server = try TLSServer()
        let r = try verify(server, extra: ["SSL_CERT_FILE": server.certificate])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("valid (HTTP 200)"))
    }

    /// OpenSSL's libssl and libcrypto are not linked (SHA-2 comes from libcrypto's archive, linked in): libssl
    /// is loaded when the first TLS connection is made, so a scan never maps it, and the connection still
    /// completes. Vectorscan and PCRE2 are linked in from their archives too.
    @Test func libsslIsLoadedOnlyWhenATLSConnectionIsMade() throws {
        let needed = try Run.program("/usr/bin/readelf", ["-d", Run.keywardenPath], in: "/")
        #expect(needed.status == 0 && needed.stdout.contains("(NEEDED)"), "\(needed.stderr)")
        for library in ["libssl", "libcrypto", "libhs", "libpcre2"] {
            #expect(!needed.stdout.contains(library), "the binary links \(library)")
        }
        let dir = try TemporaryDirectory()
        _ = try dir.write("app.env", "MX_API_KEY=\(FakeKeys.maintainX())\n")
        let plain = try Run.keywarden(["scan", "--no-git", "--format", "json", "app.env"], in: dir.path(),
                                      environment: ["LD_DEBUG": "files", "KEYWARDEN_CACHE_DIR": dir.path("cache")])
        #expect(plain.status == 1, "\(plain.stderr.suffix(400))")
        #expect(!plain.stderr.contains("libssl.so"), "a scan loaded libssl")
        let server = try TLSServer()
        let r = try verify(server, extra: ["SSL_CERT_FILE": server.certificate, "LD_DEBUG": "files"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr.suffix(400))")
        #expect(r.stdout.contains("valid (HTTP 200)"))
        #expect(r.stderr.contains("libssl.so.3"), "the verification ran without loading libssl?")
    }

    @Test func certificateForAnotherAddressIsRefused() throws {
        let server = try TLSServer(address: "10.9.8.7")
        let r = try verify(server, extra: ["SSL_CERT_FILE": server.certificate])
        #expect(r.status == 2)
        #expect(r.stdout.contains("unknown"))
        #expect(r.stdout.contains("not trusted"), "\(r.stdout)")
    }

    @Test func untrustedCertificateIsRefused() throws {
        let server = try TLSServer()
        let r = try verify(server, extra: ["SSL_CERT_FILE": "/nonexistent/ca.pem", "SSL_CERT_DIR": "/nonexistent"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("unknown"))
        #expect(r.stdout.contains("not trusted"), "\(r.stdout)")
    }
}

extension ProcessResult {
    func requireSuccess() throws {
        guard status == 0 else { throw ServerError("command failed: \(stderr)") }
    }
}
