/// A one-line text field: typing, Backspace, Delete, arrows, Home and End, and the
/// readline keys people know from a shell (Ctrl-A, Ctrl-E, Ctrl-U, Ctrl-K, Ctrl-W).
public struct TextField: Hashable, Sendable {
    public private(set) var buffer: TextBuffer

    public init(limit: Int) {
        buffer = TextBuffer(limit: limit, allowsNewlines: false)
    }

    public var text: String { buffer.text }

    /// Replaces the text, cursor at the end.
    public mutating func setText(_ text: String) {
        buffer = TextBuffer(limit: buffer.limit, allowsNewlines: false)
        buffer.insert(text)
    }

    /// Applies an editing key. Returns `.ignored` for keys that are not editing keys.
    public mutating func handle(_ key: Key) -> EditOutcome {
        switch key {
        case .character(let character): return buffer.insert(String(character)) ? .edited : .full
        case .paste(let text): return buffer.insert(text) ? .edited : .full
        case .backspace: buffer.deleteBackward()
        case .delete: buffer.deleteForward()
        case .left: buffer.moveCursor(to: buffer.cursor - 1)
        case .right: buffer.moveCursor(to: buffer.cursor + 1)
        case .wordLeft: buffer.moveCursor(to: buffer.previousWordStart)
        case .wordRight: buffer.moveCursor(to: buffer.nextWordEnd)
        case .home, .control("a"): buffer.moveCursor(to: 0)
        case .end, .control("e"): buffer.moveCursor(to: buffer.count)
        case .control("u"): buffer.delete(from: 0, to: buffer.cursor)
        case .control("k"): buffer.delete(from: buffer.cursor, to: buffer.count)
        case .control("w"): buffer.delete(from: buffer.previousWordStart, to: buffer.cursor)
        default: return .ignored
        }
        return .edited
    }

    /// Draws the field in `width` cells at (row, column), scrolled so the cursor
    /// shows, and places the canvas cursor.
    public func render(into canvas: inout Canvas, row: Int, column: Int, width: Int) {
        let characters = buffer.characters
        var start = 0
        var used = 0
        for index in stride(from: buffer.cursor - 1, through: 0, by: -1) {
            used += CellWidth.of(characters[index])
            if used > width - 1 { start = index + 1; break }
        }
        let shown = characters[start...]
        canvas.put(String(shown), row: row, column: column, style: .plain, limit: width)
        let cursorColumn = CellWidth.of(String(characters[start..<buffer.cursor]))
        canvas.cursor = (row, column + cursorColumn)
    }
}

/// What an editing key did.
public enum EditOutcome: Hashable, Sendable {
    case edited
    /// Some typed or pasted text did not fit under the length limit.
    case full
    /// Not an editing key.
    case ignored
}
