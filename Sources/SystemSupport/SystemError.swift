#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The one error type of SystemSupport: a POSIX call that failed, with `errno` read right after it.
public struct SystemError: ModuleError, Equatable {
    public enum Code: String, Sendable {
        /// A file or folder could not be created, listed, written, synced or renamed.
        case io
    }

    public let code: Code
    /// `"<what was attempted>: <strerror>"`, e.g. `cannot write: No space left on device`.
    public let message: String
    /// The file or folder the failed call was about.
    public let path: String
    /// The `errno` the call left.
    public let number: Int32

    /// An error for the call that just failed: reads `errno` now, so create it right after the call.
    init(_ attempt: String, _ path: String, number: Int32 = errno) {
        code = .io
        self.path = path
        self.number = number
        message = attempt + ": " + Self.reason(number)
    }

    /// What `strerror` says about `number` (never nil: an unknown number is named as such).
    public var reason: String { Self.reason(number) }

    /// What `strerror` says about `number`; the C string is copied at once.
    public static func reason(_ number: Int32) -> String {
        guard let text = strerror(number) else { return "error \(number)" }
        return String(cString: text)
    }
}

/// What a C function that reports failure by filling a message buffer said: `fill` gets a zeroed buffer and
/// its size and returns true on success (nil: nothing to say); else the text up to the first NUL.
public func failureMessage(capacity: Int = 512, _ fill: (UnsafeMutablePointer<CChar>, Int) -> Bool) -> String? {
    var text = [CChar](repeating: 0, count: capacity + 1)
    let succeeded = text.withUnsafeMutableBufferPointer { fill($0.baseAddress!, capacity) }
    return succeeded ? nil : String(decoding: text.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
}
