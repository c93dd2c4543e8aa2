/// The multi-line editor for a reporter's account: wraps, scrolls, and keeps
/// the cursor right with wide and combining characters.
public struct TextEditor: Hashable, Sendable {
    public private(set) var buffer: TextBuffer
    /// The first screen line shown.
    public private(set) var top: Int = 0
    /// The cell column Up and Down aim for, kept across short lines.
    private var goalColumn: Int? = nil
    /// The editor's size on screen, set by the screen when the window changes.
    public private(set) var viewport = Size(columns: 40, rows: 5)

    public init(limit: Int) {
        buffer = TextBuffer(limit: limit, allowsNewlines: true)
    }

    public var text: String { buffer.text }

    /// Replaces the text, cursor at the end.
    public mutating func setText(_ text: String) {
        buffer = TextBuffer(limit: buffer.limit, allowsNewlines: true)
        buffer.insert(text)
        top = 0
        scrollToCursor(EditorLayout(buffer.characters, width: viewport.columns))
    }

    /// Tells the editor how much room it has, and keeps the cursor in view.
    public mutating func resize(to viewport: Size) {
        self.viewport = Size(columns: max(1, viewport.columns), rows: max(1, viewport.rows))
        scrollToCursor(EditorLayout(buffer.characters, width: self.viewport.columns))
    }

    /// Applies an editing key. Returns `.ignored` for keys that are not editing keys.
    public mutating func handle(_ key: Key) -> EditOutcome {
        var outcome = EditOutcome.edited
        var keepsGoal = false
        var layout: EditorLayout { EditorLayout(buffer.characters, width: viewport.columns) }
        // A full editor refuses typing without laying the text out again, so a long
        // unbracketed paste into it costs nothing per key.
        if buffer.isFull, case .character = key { return .full }
        if buffer.isFull, key == .enter { return .full }
        switch key {
        case .character(let character):
            if !buffer.insert(String(character)) { outcome = .full }
        case .enter:
            if !buffer.insert("\n") { outcome = .full }
        case .paste(let text):
            if !buffer.insert(text) { outcome = .full }
        case .backspace: buffer.deleteBackward()
        case .delete: buffer.deleteForward()
        case .left: buffer.moveCursor(to: buffer.cursor - 1)
        case .right: buffer.moveCursor(to: buffer.cursor + 1)
        case .wordLeft: buffer.moveCursor(to: buffer.previousWordStart)
        case .wordRight: buffer.moveCursor(to: buffer.nextWordEnd)
        case .up, .down, .pageUp, .pageDown:
            let current = layout
            let here = current.position(of: buffer.cursor, in: buffer.characters)
            let goal = goalColumn ?? here.column
            let step = switch key {
            case .up: -1
            case .down: 1
            case .pageUp: -max(1, viewport.rows - 1)
            default: max(1, viewport.rows - 1)
            }
            let target = max(0, min(current.lines.count - 1, here.line + step))
            if target == here.line {
                buffer.moveCursor(to: step < 0 ? 0 : buffer.count)
            } else {
                buffer.moveCursor(to: current.index(onLine: target, nearColumn: goal, in: buffer.characters))
            }
            goalColumn = goal
            keepsGoal = true
        case .home:
            let current = layout
            buffer.moveCursor(to: current.lines[current.lineIndex(containing: buffer.cursor)].lowerBound)
        case .end:
            let current = layout
            let line = current.lineIndex(containing: buffer.cursor)
            buffer.moveCursor(to: current.index(onLine: line, nearColumn: Int.max, in: buffer.characters))
        default:
            return .ignored
        }
        if !keepsGoal { goalColumn = nil }
        scrollToCursor(layout)
        return outcome
    }

    private mutating func scrollToCursor(_ layout: EditorLayout) {
        let line = layout.lineIndex(containing: buffer.cursor)
        if line < top { top = line }
        if line >= top + viewport.rows { top = line - viewport.rows + 1 }
        top = max(0, min(top, max(0, layout.lines.count - viewport.rows)))
    }

    /// Draws the visible lines at (row, column) and places the canvas cursor.
    public func render(into canvas: inout Canvas, row: Int, column: Int) {
        let characters = buffer.characters
        let layout = EditorLayout(characters, width: viewport.columns)
        for offset in 0..<viewport.rows {
            let line = top + offset
            guard line < layout.lines.count else { break }
            canvas.put(String(characters[layout.lines[line]]), row: row + offset, column: column, limit: viewport.columns)
        }
        let here = layout.position(of: buffer.cursor, in: characters)
        canvas.cursor = (row + here.line - top, column + min(here.column, viewport.columns - 1))
    }

    /// How many screen lines the text takes at the current width.
    public var lineCount: Int { EditorLayout(buffer.characters, width: viewport.columns).lines.count }
}
