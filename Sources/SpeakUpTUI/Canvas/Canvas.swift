import SpeakUpCore

/// A grid of cells that a screen renders into; the terminal backend paints it.
///
/// All text written through `put` passes through `SafeText`, so untrusted text
/// cannot reach the terminal as control sequences whichever screen draws it.
public struct Canvas: Sendable {
    /// What one cell shows.
    public enum Glyph: Hashable, Sendable {
        case text(Character)
        /// A line-drawing character, painted with the terminal's own (ACS) glyphs.
        case line(Line)
        /// The right half of a wide character to its left.
        case continuation
    }

    /// Line-drawing pieces.
    public enum Line: Hashable, Sendable {
        case horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight

        /// The Unicode form, used in text snapshots.
        public var character: Character {
            switch self {
            case .horizontal: "─"
            case .vertical: "│"
            case .topLeft: "┌"
            case .topRight: "┐"
            case .bottomLeft: "└"
            case .bottomRight: "┘"
            }
        }
    }

    /// One cell.
    public struct Cell: Hashable, Sendable {
        public var glyph: Glyph
        public var style: Style
        public static let blank = Cell(glyph: .text(" "), style: .plain)
    }

    public let size: Size
    public private(set) var cells: [Cell]
    /// Where the terminal's cursor should blink, or nil to hide it.
    public var cursor: (row: Int, column: Int)?

    public init(size: Size) {
        self.size = size
        self.cells = Array(repeating: .blank, count: max(0, size.columns * size.rows))
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * size.columns + column]
    }

    /// Writes text from (row, column), never past `limit` columns (default: the
    /// right edge). Returns the columns used. Unsafe characters become placeholders.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, row: Int, column: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard row >= 0, row < size.rows, column >= 0, column < size.columns else { return 0 }
        let end = min(size.columns, column + (limit ?? size.columns))
        var at = column
        for raw in text {
            let character = SafeText.displayable(raw)
            let width = CellWidth.of(character)
            if at + width > end {
                if width == 2 && at < end { set(row, at, Cell(glyph: .text(" "), style: style)) }
                break
            }
            set(row, at, Cell(glyph: .text(character), style: style))
            if width == 2 { set(row, at + 1, Cell(glyph: .continuation, style: style)) }
            at += width
        }
        return at - column
    }

    /// Gives a whole row one style, keeping its text (for title and key bars).
    public mutating func paint(row: Int, style: Style) {
        guard row >= 0, row < size.rows else { return }
        for column in 0..<size.columns { cells[row * size.columns + column].style = style }
    }

    /// Draws a box outline.
    public mutating func box(top: Int, left: Int, bottom: Int, right: Int, style: Style = .plain) {
        guard top < bottom, left < right else { return }
        for column in (left + 1)..<right {
            set(top, column, Cell(glyph: .line(.horizontal), style: style))
            set(bottom, column, Cell(glyph: .line(.horizontal), style: style))
        }
        for row in (top + 1)..<bottom {
            set(row, left, Cell(glyph: .line(.vertical), style: style))
            set(row, right, Cell(glyph: .line(.vertical), style: style))
        }
        set(top, left, Cell(glyph: .line(.topLeft), style: style))
        set(top, right, Cell(glyph: .line(.topRight), style: style))
        set(bottom, left, Cell(glyph: .line(.bottomLeft), style: style))
        set(bottom, right, Cell(glyph: .line(.bottomRight), style: style))
    }

    /// Blanks a rectangle (for overlays).
    public mutating func clear(top: Int, left: Int, bottom: Int, right: Int, style: Style = .plain) {
        for row in max(0, top)...min(size.rows - 1, bottom) {
            for column in max(0, left)...min(size.columns - 1, right) {
                set(row, column, Cell(glyph: .text(" "), style: style))
            }
        }
    }

    /// The screen as plain text, one line a row, trailing spaces trimmed: what a
    /// person would read, and what snapshot tests compare.
    public var text: String {
        var lines: [String] = []
        for row in 0..<size.rows {
            var line = ""
            for column in 0..<size.columns {
                switch self[row, column].glyph {
                case .text(let character): line.append(character)
                case .line(let piece): line.append(piece.character)
                case .continuation: break
                }
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private mutating func set(_ row: Int, _ column: Int, _ cell: Cell) {
        guard row >= 0, row < size.rows, column >= 0, column < size.columns else { return }
        let index = row * size.columns + column
        // Overwriting half of a wide character blanks its other half.
        if case .continuation = cells[index].glyph, column > 0 {
            cells[index - 1].glyph = .text(" ")
        }
        if case .text(let old) = cells[index].glyph, CellWidth.of(old) == 2, column + 1 < size.columns {
            cells[index + 1].glyph = .text(" ")
        }
        cells[index] = cell
    }
}
