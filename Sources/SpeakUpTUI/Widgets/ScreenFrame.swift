import SpeakUpCore

/// What every screen draws the same way: the key bar on the last row, and the
/// sentence shown instead of a screen when the window is too small.
enum ScreenFrame {
    /// The key bar: each key in bold reverse video, then what it does. A key that does not fit
    /// whole is left off (never cut in half), with the ones after it.
    static func keyBar(_ hints: [(keys: String, action: String)], into canvas: inout Canvas) {
        let row = canvas.size.rows - 1
        canvas.paint(row: row, style: .bar)
        var column = 1
        for (keys, action) in hints {
            let width = (keys.isEmpty ? 0 : CellWidth.of(keys) + 1) + CellWidth.of(action)
            guard column + width <= canvas.size.columns else { break }
            if !keys.isEmpty {
                column += canvas.put(keys, row: row, column: column, style: Style([.reverse, .bold])) + 1
            }
            column += canvas.put(action, row: row, column: column, style: .bar) + 2
        }
    }

    /// The sentence for a window under 80x24; `reassurance` is added after it.
    static func tooSmall(_ size: Size, reassurance: String = "", into canvas: inout Canvas) {
        let message = "SpeakUp needs a window at least \(Size.minimum.columns) columns wide and \(Size.minimum.rows) rows tall. "
            + "This one is \(size.columns) × \(size.rows). Please make it larger" + (reassurance.isEmpty ? "." : ": " + reassurance)
        for (offset, line) in Wrap.lines(message, width: max(1, size.columns - 2)).enumerated() {
            canvas.put(line, row: offset, column: 1)
        }
    }
}
