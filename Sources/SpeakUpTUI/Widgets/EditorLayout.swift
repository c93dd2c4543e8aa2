/// Where the multi-line editor's text breaks into screen lines.
///
/// Lines break at newlines and, when wider than the editor, after the last
/// space that fits (or inside a word too long for a line). Widths are in cells,
/// so wide characters take two.
public struct EditorLayout: Sendable {
    /// Each screen line's character range. The newline that ends a line is not in it.
    public let lines: [Range<Int>]

    public init(_ characters: [Character], width: Int) {
        let width = max(1, width)
        var lines: [Range<Int>] = []
        var start = 0
        var lineWidth = 0
        var breakAfter: Int? = nil  // index just past the last space on this line
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\n" {
                lines.append(start..<index)
                start = index + 1
                lineWidth = 0
                breakAfter = nil
                index += 1
                continue
            }
            let characterWidth = CellWidth.of(character)
            if lineWidth + characterWidth > width && index > start {
                let end = breakAfter ?? index
                lines.append(start..<end)
                start = end
                lineWidth = CellWidth.of(String(characters[start..<index]))
                breakAfter = nil
                continue  // measure this character again on the new line
            }
            lineWidth += characterWidth
            index += 1
            if character == " " { breakAfter = index }
        }
        lines.append(start..<characters.count)
        self.lines = lines
    }

    /// The screen line and column (in cells) where the cursor at `index` shows.
    public func position(of index: Int, in characters: [Character]) -> (line: Int, column: Int) {
        let line = lineIndex(containing: index)
        let range = lines[line]
        return (line, CellWidth.of(String(characters[range.lowerBound..<min(index, range.upperBound)])))
    }

    /// The screen line a cursor index belongs to. A cursor at a soft break goes to
    /// the start of the next line, as in most editors.
    public func lineIndex(containing index: Int) -> Int {
        var low = 0
        var high = lines.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lines[middle].lowerBound <= index { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The index on screen line `line` nearest to cell column `column`.
    public func index(onLine line: Int, nearColumn column: Int, in characters: [Character]) -> Int {
        let range = lines[line]
        var used = 0
        for index in range {
            let width = CellWidth.of(characters[index])
            if used + width > column { return index }
            used += width
        }
        // At a soft break after a space, the end of this line is before that space;
        // inside a word, the end is the start of the next line, where typing continues the word.
        let softBreak = line + 1 < lines.count && lines[line + 1].lowerBound == range.upperBound
        if softBreak, !range.isEmpty, characters[range.upperBound - 1] == " " { return range.upperBound - 1 }
        return range.upperBound
    }
}
