public import SystemSupport

/// Why a request could not be made or answered. Messages never hold a secret (only hosts, statuses, reasons).
public struct VerificationError: ModuleError, Equatable {
    public enum Code: String, Sendable {
        /// The URL is not one the provider's verifier may call (not HTTPS, another host, a test URL outside test mode).
        case refused
        /// A setting (test base URL) is malformed or not allowed.
        case configuration
        /// The host name did not resolve, or no address accepted a connection.
        case connect
        /// The TLS handshake failed (certificate, host name, protocol).
        case tls
        /// The deadline passed.
        case timeout
        /// Reading or writing the socket failed.
        case io
        /// The response is not HTTP/1.x, is truncated, or is too large.
        case malformedResponse
    }

    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) { (self.code, self.message) = (code, message) }
}
