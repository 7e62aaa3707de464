import Foundation
import SystemSupport

/// Standard input, read with plain POSIX calls: an error (a closed or unreadable descriptor) is reported,
/// never a crash.
public enum StandardInput {
    /// Everything on standard input; more than `limit` bytes is an error that says so (nothing is cut
    /// silently), read no further.
    public static func readAll(limit: Int = .max, option: String? = nil) throws(ScanError) -> [UInt8] {
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ScanError(.input, "<stdin>: cannot read standard input: \(SystemError.reason(errno))")
            }
            if n == 0 { return out }
            if out.count + n > limit {
                throw ScanError(.input, "standard input is larger than \(limit) bytes" + (option.map { " (raise the limit with \($0))" } ?? ""))
            }
            out += chunk[0..<n]
        }
    }
}
