import Foundation
import SystemSupport

/// Standard input, read with plain POSIX calls: an error (a closed or unreadable descriptor) is reported,
/// never a crash.
public enum StandardInput {
    public static func readAll() throws(ScanError) -> [UInt8] {
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ScanError(.input, "<stdin>: cannot read standard input: \(SystemError.reason(errno))")
            }
            if n == 0 { return out }
            out += chunk[0..<n]
        }
    }
}
