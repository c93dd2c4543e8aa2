/// One thing a person did at the keyboard, already decoded from the terminal.
public enum Key: Hashable, Sendable {
    /// A printable character (or any character the terminal passed through as text).
    case character(Character)
    /// A whole bracketed paste: one event, newlines and all, exactly as pasted.
    case paste(String)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    /// Ctrl-Left / Ctrl-Right (or Alt-b / Alt-f): a word at a time.
    case wordLeft, wordRight
    /// A function key, F1 to F12.
    case function(Int)
    /// Ctrl plus a letter, e.g. `.control("c")`.
    case control(Character)
    /// The window changed size.
    case resize(Size)
}

/// A terminal size in cells.
public struct Size: Hashable, Sendable {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    /// The smallest window the form is designed for.
    public static let minimum = Size(columns: 80, rows: 24)

    /// True when this is at least `minimum` in both directions.
    public var isLargeEnough: Bool { columns >= Size.minimum.columns && rows >= Size.minimum.rows }
}
