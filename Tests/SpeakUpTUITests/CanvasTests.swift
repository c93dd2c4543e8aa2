import Testing
@testable import SpeakUpTUI

@Suite("The canvas")
struct CanvasTests {
    @Test("text is sanitised on the way in: no control character reaches a cell")
    func sanitises() {
        var canvas = Canvas(size: Size(columns: 40, rows: 2))
        canvas.put("a\u{1B}]52;c;eA==\u{07}b\u{9B}c\u{202E}d", row: 0, column: 0)
        for column in 0..<40 {
            if case .text(let character) = canvas[0, column].glyph {
                for scalar in character.unicodeScalars {
                    #expect(scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value) && scalar.value != 0x202E)
                }
            }
        }
        #expect(canvas.text.hasPrefix("a␛]52;c;eA==␇b\u{FFFD}c\u{FFFD}d"))
    }

    @Test("a wide character fills two cells; one that does not fit leaves a blank")
    func wide() {
        var canvas = Canvas(size: Size(columns: 5, rows: 1))
        let used = canvas.put("a患者", row: 0, column: 0)
        #expect(used == 5)
        #expect(canvas[0, 2].glyph == .continuation)
        var narrow = Canvas(size: Size(columns: 4, rows: 1))
        narrow.put("a患者", row: 0, column: 0)
        #expect(narrow.text == "a患")
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwriteHalf() {
        var canvas = Canvas(size: Size(columns: 4, rows: 1))
        canvas.put("患", row: 0, column: 0)
        canvas.put("x", row: 0, column: 1)
        #expect(canvas.text == " x")
    }

    @Test("writing outside the canvas is clipped, never a crash")
    func clipping() {
        var canvas = Canvas(size: Size(columns: 3, rows: 1))
        #expect(canvas.put("hello", row: 0, column: 1) == 2)
        #expect(canvas.put("x", row: 5, column: 0) == 0)
        #expect(canvas.put("x", row: 0, column: -1) == 0)
        #expect(canvas.text == " he")
    }

    @Test("cell widths: ASCII 1, CJK 2, emoji 2, combined letters 1")
    func widths() {
        #expect(CellWidth.of("a") == 1)
        #expect(CellWidth.of("患") == 2)
        #expect(CellWidth.of("👍🏽") == 2)
        #expect(CellWidth.of("e\u{301}") == 1)
        #expect(CellWidth.of("❤️") == 2)
        #expect(CellWidth.of("Zoë 患者") == 8)
    }

    @Test("prose wraps at word boundaries in cells")
    func wrap() {
        #expect(Wrap.lines("Reports about anyone are welcome", width: 12) == ["Reports", "about anyone", "are welcome"])
        #expect(Wrap.lines("a\n\nb", width: 5) == ["a", "", "b"])
    }
}
