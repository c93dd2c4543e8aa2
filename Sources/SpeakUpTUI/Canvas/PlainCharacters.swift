import Foundation

/// What a terminal that is not UTF-8 is sent instead of SpeakUp's own symbols and
/// any other character beyond ASCII: a stand-in of the same width, so that no byte
/// above 0x7F reaches it and nothing on the screen moves. Boxes still use the
/// terminal's own line-drawing characters (see `CursesTerminal`).
public enum PlainCharacters {
    /// SpeakUp's own symbols and common punctuation, and what stands in for them.
    static let symbols: [Character: Character] = [
        "›": ">", "‹": "<", "·": "-", "•": "*", "…": ".", "—": "-", "–": "-", "‐": "-", "−": "-",
        "↑": "^", "↓": "v", "←": "<", "→": ">", "‘": "'", "’": "'", "‚": ",", "“": "\"", "”": "\"", "„": "\"",
        "✓": "+", "✔": "+", "✗": "x", "✘": "x", "×": "x", "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "\u{A0}": " ", "£": "L", "€": "E", "©": "c", "°": "o", "½": "?", "␛": "^", "␇": "^", "\u{FFFD}": "?",
    ]

    /// `cells` ASCII characters standing in for `character` (which takes that many cells).
    public static func standIn(for character: Character, cells: Int) -> String {
        let width = max(1, cells)
        if character.isASCII { return String(character) + String(repeating: " ", count: width - 1) }
        if let symbol = symbols[character] { return String(symbol) + String(repeating: " ", count: width - 1) }
        // A letter with accents is its base letter: "Zoë" reads as "Zoe".
        let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.first
        if let base, base.isASCII, base.properties.isAlphabetic {
            return String(Character(base)) + String(repeating: " ", count: width - 1)
        }
        return String(repeating: "?", count: width)
    }

    /// A canvas as a plain terminal shows it, lines drawn as `-`, `|` and `+`: for snapshot tests.
    public static func text(of canvas: Canvas) -> String {
        var lines: [String] = []
        for row in 0..<canvas.size.rows {
            var line = ""
            for column in 0..<canvas.size.columns {
                switch canvas[row, column].glyph {
                case .text(let character): line += standIn(for: character, cells: CellWidth.of(character))
                case .line(let piece): line += String(standIn(for: piece.character, cells: 1))
                case .continuation: break
                }
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
