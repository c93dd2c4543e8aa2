import Testing
@testable import SpeakUpTUI

@Suite("Text editing: wrapping, cursor, wide and combining characters")
struct EditorTests {
    func editor(_ text: String, width: Int = 10, rows: Int = 3) -> TextEditor {
        var editor = TextEditor(limit: 1000)
        editor.resize(to: Size(columns: width, rows: rows))
        _ = editor.handle(.paste(text))
        return editor
    }

    @Test("lines break after the last space that fits, or inside a word too long for a line")
    func wrapping() {
        let characters = Array("one two three fourteenletters")
        let layout = EditorLayout(characters, width: 10)
        let lines = layout.lines.map { String(characters[$0]) }
        #expect(lines == ["one two ", "three ", "fourteenle", "tters"])
    }

    @Test("wide characters take two cells and never split across the edge")
    func wideWrap() {
        let characters = Array("患者患者患者")
        let layout = EditorLayout(characters, width: 5)
        #expect(layout.lines.map { String(characters[$0]) } == ["患者", "患者", "患者"])
        #expect(layout.position(of: 1, in: characters) == (0, 2))
    }

    @Test("a combining mark typed on its own joins the letter before it")
    func combining() {
        var buffer = TextBuffer(limit: 10, allowsNewlines: true)
        buffer.insert("Zoe")
        buffer.insert("\u{308}")
        #expect(buffer.text == "Zoë")
        #expect(buffer.count == 3)
        buffer.deleteBackward()
        #expect(buffer.text == "Zo")
    }

    @Test("CR and CRLF from terminals and pastes become one newline")
    func newlines() {
        var buffer = TextBuffer(limit: 100, allowsNewlines: true)
        buffer.insert("a\r\nb\rc\nd")
        #expect(buffer.text == "a\nb\nc\nd")
        var field = TextBuffer(limit: 100, allowsNewlines: false)
        field.insert("a\nb")
        #expect(field.text == "a b")
    }

    @Test("the cursor column counts cells, so it sits right after wide characters and emoji")
    func cursorAfterWide() {
        let editor = editor("患者 👍🏽 e\u{301}", width: 20)
        var canvas = Canvas(size: Size(columns: 30, rows: 5))
        editor.render(into: &canvas, row: 1, column: 2)
        // 患(2) 者(2) space(1) 👍🏽(2) space(1) é(1) = 9 cells.
        #expect(canvas.cursor?.row == 1)
        #expect(canvas.cursor?.column == 2 + 9)
    }

    @Test("Up and Down keep the column; Home and End go to the ends of the screen line")
    func movement() {
        var editor = editor("abcdefgh\nab\nabcdefgh", width: 20)
        _ = editor.handle(.up)
        _ = editor.handle(.up)
        #expect(editor.buffer.cursor == 8)  // end of first line, column 8
        _ = editor.handle(.down)
        #expect(editor.buffer.cursor == 11)  // short line: its end
        _ = editor.handle(.down)
        #expect(editor.buffer.cursor == 20)  // column 8 again on the third line
        _ = editor.handle(.home)
        #expect(editor.buffer.cursor == 12)
        _ = editor.handle(.end)
        #expect(editor.buffer.cursor == 20)
        _ = editor.handle(.up); _ = editor.handle(.up); _ = editor.handle(.up)
        #expect(editor.buffer.cursor == 0)  // Up on the first line goes to the start
    }

    @Test("the view scrolls to keep the cursor visible, and PgUp/PgDn move by a page")
    func scrolling() {
        var editor = editor((1...10).map(String.init).joined(separator: "\n"), width: 10, rows: 3)
        #expect(editor.top == 7)
        _ = editor.handle(.pageUp)
        _ = editor.handle(.pageUp)
        #expect(editor.top <= 5)
        for _ in 0..<3 { _ = editor.handle(.pageUp) }
        #expect(editor.top == 0)
        _ = editor.handle(.pageUp)  // on the first line already: to the very start
        #expect(editor.buffer.cursor == 0)
        _ = editor.handle(.pageDown)
        var canvas = Canvas(size: Size(columns: 12, rows: 3))
        editor.render(into: &canvas, row: 0, column: 0)
        #expect(canvas.cursor != nil)
    }

    @Test("End on a line broken inside a word goes after its last character, so typing continues the word")
    func endInsideWord() {
        var editor = editor(String(repeating: "b", count: 25), width: 10, rows: 5)
        _ = editor.handle(.home)
        _ = editor.handle(.up)   // to the second screen line
        _ = editor.handle(.end)
        _ = editor.handle(.character("Z"))
        #expect(editor.text == String(repeating: "b", count: 20) + "Z" + "bbbbb")
    }

    @Test("End on a line broken after a space stays before the space")
    func endAtSpace() {
        var editor = editor("aaaa bbbb cccc", width: 10, rows: 5)
        _ = editor.handle(.up)
        _ = editor.handle(.end)
        _ = editor.handle(.character("Z"))
        #expect(editor.text == "aaaa bbbbZ cccc")
    }

    @Test("Ctrl-Left and Ctrl-Right move a word at a time, across line ends")
    func wordMovement() {
        var editor = editor("one two\nthree", width: 20)
        _ = editor.handle(.wordLeft)
        #expect(editor.buffer.cursor == 8)   // start of "three"
        _ = editor.handle(.wordLeft)
        #expect(editor.buffer.cursor == 4)   // start of "two"
        _ = editor.handle(.wordLeft); _ = editor.handle(.wordLeft)
        #expect(editor.buffer.cursor == 0)
        _ = editor.handle(.wordRight)
        #expect(editor.buffer.cursor == 3)   // end of "one"
        _ = editor.handle(.wordRight)
        #expect(editor.buffer.cursor == 7)   // end of "two"
    }

    @Test("Alt-b and Alt-f arrive as Esc and a letter, and move by words")
    func altWords() {
        #expect(KeySequences.droppingUnknownSequences([.escape, .character("b"), .escape, .character("f")]) == [.wordLeft, .wordRight])
    }

    @Test("the limit holds for typing and pasting, and what fits is kept")
    func limit() {
        var editor = TextEditor(limit: 5)
        #expect(editor.handle(.paste("abcdefgh")) == .full)
        #expect(editor.text == "abcde")
        #expect(editor.handle(.character("z")) == .full)
        #expect(editor.handle(.enter) == .full)
        #expect(editor.text == "abcde")
    }
}
