import Foundation
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
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    /// Writes a line to standard error.
    /// Control characters other than keywarden's own newlines and colours are escaped, and no line can
    /// start with `::` (a workflow command in a CI log): messages quote repository names and metadata.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data((PrintableText.sanitizeMessage(message) + "\n").utf8))
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
