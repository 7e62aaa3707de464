import Foundation
import SecretScanner
import SystemSupport

/// Where output goes, and whether it may be coloured.
enum Terminal {
    /// True when standard output is a terminal.
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    /// True when standard error is a terminal.
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }

    /// The process environment, read once: building it is not free and keywarden never changes its own.
    /// Every command reads the environment here.
    /// Read straight from `environ` (where two entries share a name, the first wins, as with getenv).
    static let environment: [String: String] = {
        var result = [String: String]()
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                let name = String(text[..<equals])
                if result[name] == nil { result[name] = String(text[text.index(after: equals)...]) }
            }
            entry += 1
        }
        return result
    }()

    /// Colour only on a terminal, and never when NO_COLOR is set.
    static func colourEnabled(forStdout: Bool = true) -> Bool {
        if environment["NO_COLOR"] != nil { return false }
        return forStdout ? stdoutIsTTY : stderrIsTTY
    }

    /// Replaces the current line of standard error (a terminal) with `text`, without a newline; "" clears it.
    static func rewriteLine(_ text: String) {
        try? write("\r\u{1B}[K" + text, to: STDERR_FILENO)
    }

    /// Writes a line to standard error. A standard error that cannot be written to loses the line; it never
    /// stops the command (the exit code still tells the outcome).
    /// Control characters other than keywarden's own newlines and colours are escaped, and no line can
    /// start with `::` (a workflow command in a CI log): messages quote repository names and metadata.
    static func warn(_ message: String) {
        try? write(PrintableText.sanitizeMessage(message) + "\n", to: STDERR_FILENO)
    }

    /// Prints human-facing text to standard output (`print`), as `warn` does for standard error: control
    /// characters other than its newlines and keywarden's own colours are escaped and no line can start with
    /// `::`. Each field that comes from a file the repository controls (ignore reasons, ledger ids, names,
    /// notes, paths) must still go through `escape` first, so that it cannot start a line of its own.
    static func say(_ text: String, terminator: String = "\n") {
        print(PrintableText.sanitizeMessage(text), terminator: terminator)
    }

    /// A field from a file the repository controls, safe to put in a line: `PrintableText.escape`.
    static func escape(_ field: some StringProtocol) -> String { PrintableText.escape(field) }

    /// Writes all of `text` to `descriptor` with POSIX calls: a closed descriptor, a full disk or a broken
    /// pipe is an error to report, never a crash.
    static func write(_ text: String, to descriptor: Int32) throws(CommandFailure) {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Foundation.write(descriptor, $0.baseAddress.map { $0 + done }, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CommandFailure(SystemError.reason(errno))
            }
            done += n
        }
        bytes.removeAll()
    }

    /// Standard input, read to its end; a closed, write-only or unreadable standard input is an error (exit 2).
    static func readStandardInput(limit: Int = .max, option: String? = nil) throws(CommandFailure) -> [UInt8] {
        do { return try StandardInput.readAll(limit: limit, option: option) } catch { throw CommandFailure(error.message) }
    }
}

/// The command line's name for the one ANSI styler (shared with the text report), applied only when
/// colour is on (`Terminal.colourEnabled`).
typealias Style = TerminalStyle

/// An error the command layer reports and turns into exit code 2. Its message never holds a secret.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Exit code 1: findings, or a check that failed. Thrown by commands after their output is written.
struct FindingsExit: Error {}
