/// An ANSI text style (a colour, bold, dim, or a combination such as `.bold + .red`), applied only when
/// colour is on: the caller decides that (a terminal, and no `NO_COLOR`), never a file or a CI log.
public struct TerminalStyle: Sendable, Hashable {
    /// The SGR parameters, e.g. `31` or `1;31`.
    public let codes: String

    public init(codes: String) { self.codes = codes }

    public static let red = TerminalStyle(codes: "31")
    public static let green = TerminalStyle(codes: "32")
    public static let yellow = TerminalStyle(codes: "33")
    public static let blue = TerminalStyle(codes: "34")
    public static let magenta = TerminalStyle(codes: "35")
    public static let cyan = TerminalStyle(codes: "36")
    public static let bold = TerminalStyle(codes: "1")
    public static let dim = TerminalStyle(codes: "2")

    /// Both styles at once (`.bold + .red` is `1;31`).
    public static func + (lhs: TerminalStyle, rhs: TerminalStyle) -> TerminalStyle {
        TerminalStyle(codes: lhs.codes + ";" + rhs.codes)
    }

    /// `text` wrapped in this style and a reset when `enabled`, else `text` unchanged.
    public func apply(_ text: String, enabled: Bool) -> String {
        enabled ? "\u{1B}[\(codes)m\(text)\u{1B}[0m" : text
    }
}
