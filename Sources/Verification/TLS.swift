internal import CLibSSL
import Foundation
import SystemSupport

/// The shared client context: system trust store, peer verification, TLS 1.2 or later. Immutable once made.
final class TLSContext: @unchecked Sendable {  // an SSL_CTX is safe to share once configured (OpenSSL docs)
    let ctx: OpaquePointer

    private init(ctx: OpaquePointer) { self.ctx = ctx }

    deinit { kw_SSL_CTX_free(ctx) }

    /// The process-wide context, made on first use (nil when OpenSSL could not make one).
    static let shared: Result<TLSContext, VerificationError> = make()

    private static func make() -> Result<TLSContext, VerificationError> {
        if let failure = TLS.loadLibrary() {
            return .failure(VerificationError(.tls, "TLS is not available: \(failure) (Debian: apt install libssl3)"))
        }
        guard let method = kw_TLS_client_method(), let ctx = kw_SSL_CTX_new(method) else {
            return .failure(VerificationError(.tls, "cannot create a TLS context: \(TLS.lastError())"))
        }
        let context = TLSContext(ctx: ctx)
        guard kw_SSL_CTX_set_default_verify_paths(ctx) == 1 else {
            return .failure(VerificationError(.tls, "cannot load the system's trusted certificates: \(TLS.lastError())"))
        }
        kw_SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        guard keywarden_ssl_ctx_min_tls12(ctx) == 1 else {
            return .failure(VerificationError(.tls, "cannot require TLS 1.2: \(TLS.lastError())"))
        }
        return .success(context)
    }
}

/// One TLS session over a connected non-blocking socket, with SNI and host-name verification.
final class TLS {
    private let ssl: OpaquePointer
    private let socket: Socket
    private let host: String

    /// Handshakes with `host` over `socket` within `deadline`.
    init(socket: Socket, host: String, deadline: Deadline) throws(VerificationError) {
        let context = try TLSContext.shared.get()
        kw_ERR_clear_error()
        guard let ssl = kw_SSL_new(context.ctx) else { throw VerificationError(.tls, "cannot create a TLS session: \(TLS.lastError())") }
        self.ssl = ssl
        self.socket = socket
        self.host = host
        guard kw_SSL_set_fd(ssl, socket.fd) == 1 else { throw VerificationError(.tls, "cannot attach the socket: \(TLS.lastError())") }
        if Self.isIPAddress(host) {
            // An address is checked against the certificate's IP entries, and is never sent as SNI.
            guard kw_X509_VERIFY_PARAM_set1_ip_asc(kw_SSL_get0_param(ssl), host) == 1 else {
                throw VerificationError(.tls, "cannot set the expected address: \(TLS.lastError())")
            }
        } else {
            guard keywarden_ssl_set_sni(ssl, host) == 1 else { throw VerificationError(.tls, "cannot set the server name: \(TLS.lastError())") }
            guard kw_SSL_set1_host(ssl, host) == 1 else { throw VerificationError(.tls, "cannot set the expected host name: \(TLS.lastError())") }
        }
        _ = try retrying(deadline: deadline, what: "in the TLS handshake with \(host)") { kw_SSL_connect(ssl) }
        let verify = kw_SSL_get_verify_result(ssl)
        guard verify == Int(X509_V_OK) else {
            throw VerificationError(.tls, "the certificate of \(host) is not trusted: \(TLS.verifyError(verify))")
        }
    }

    deinit { kw_SSL_free(ssl) }

    func writeAll(_ bytes: [UInt8], deadline: Deadline) throws(VerificationError) {
        var sent = 0
        while sent < bytes.count {
            let offset = sent
            let chunk = Int32(min(bytes.count - offset, 1 << 20))
            let n = try retrying(deadline: deadline, what: "sending the request") {
                bytes.withUnsafeBytes { raw in raw.baseAddress.map { kw_SSL_write(ssl, $0 + offset, chunk) } ?? 0 }
            }
            sent += Int(n)
        }
    }

    /// Up to `max` bytes; empty when the peer closed.
    func read(max count: Int, deadline: Deadline) throws(VerificationError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let n = try retrying(deadline: deadline, what: "waiting for the response", eofIsZero: true) {
            buffer.withUnsafeMutableBytes { raw in kw_SSL_read(ssl, raw.baseAddress, Int32(raw.count)) }
        }
        return Array(buffer.prefix(Int(max(0, n))))
    }

    /// Runs an SSL call until it completes, waiting on the socket while OpenSSL wants to read or write.
    private func retrying(deadline: Deadline, what: String, eofIsZero: Bool = false,
                          _ call: () -> Int32) throws(VerificationError) -> Int32 {
        while true {
            kw_ERR_clear_error()
            errno = 0
            let r = call()
            if r > 0 { return r }
            let err = kw_SSL_get_error(ssl, r)
            let savedErrno = errno
            switch err {
            case SSL_ERROR_WANT_READ:
                try socket.wait(for: Int16(POLLIN), deadline: deadline, what: what)
            case SSL_ERROR_WANT_WRITE:
                try socket.wait(for: Int16(POLLOUT), deadline: deadline, what: what)
            case SSL_ERROR_ZERO_RETURN where eofIsZero:
                return 0
            case SSL_ERROR_SYSCALL where eofIsZero && kw_ERR_peek_error() == 0 && savedErrno == 0:
                return 0  // the peer closed without close_notify: treat as end of stream (Content-Length guards truncation)
            default:
                let verify = kw_SSL_get_verify_result(ssl)
                if verify != Int(X509_V_OK) {
                    throw VerificationError(.tls, "the certificate of \(host) is not trusted: \(TLS.verifyError(verify))")
                }
                let detail = kw_ERR_peek_error() != 0 ? TLS.lastError() : (savedErrno != 0 ? SystemError.reason(savedErrno) : "connection closed")
                throw VerificationError(err == SSL_ERROR_SSL || err == SSL_ERROR_SYSCALL ? .tls : .io, "TLS error \(what): \(detail)")
            }
        }
    }

    /// Loads libssl (the first call; later ones repeat its answer): nil when it is ready, else why not.
    static func loadLibrary() -> String? { keywarden_ssl_load().map { String(cString: $0) } }

    /// Whether the library named `soname` would serve (nil) or why not; loads nothing for later use.
    static func probeLibrary(_ soname: String) -> String? {
        failureMessage { keywarden_ssl_probe(soname, $0, $1) == 1 }
    }

    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || (host.split(separator: ".").count == 4 && host.split(separator: ".").allSatisfy { UInt8($0) != nil })
    }

    /// What a certificate verification result means.
    static func verifyError(_ result: Int) -> String {
        kw_X509_verify_cert_error_string(result).map { String(cString: $0) } ?? "verification error \(result)"
    }

    /// OpenSSL's most recent error as text (and clears the queue).
    static func lastError() -> String {
        let code = kw_ERR_get_error()
        kw_ERR_clear_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        kw_ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
