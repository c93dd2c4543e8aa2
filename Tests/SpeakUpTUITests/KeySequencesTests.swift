import Testing
@testable import SpeakUpTUI

@Suite("Escape sequences ncurses did not know")
struct KeySequencesTests {
    @Test("an unknown sequence is dropped whole, so it neither goes back nor types garbage")
    func dropsUnknown() {
        let keys: [Key] = [.character("a"), .escape, .character("["), .character("1"), .character(";"),
                           .character("5"), .character("D"), .character("b")]
        #expect(KeySequences.droppingUnknownSequences(keys) == [.character("a"), .character("b")])
        let ss3: [Key] = [.escape, .character("O"), .character("x"), .character("c")]
        #expect(KeySequences.droppingUnknownSequences(ss3) == [.character("c")])
    }

    @Test("a lone Esc, or Esc before another key, is still Esc; Alt plus a letter is dropped whole")
    func keepsEscape() {
        #expect(KeySequences.droppingUnknownSequences([.escape]) == [.escape])
        #expect(KeySequences.droppingUnknownSequences([.escape, .enter]) == [.escape, .enter])
        #expect(KeySequences.droppingUnknownSequences([.character("a"), .escape, .character("x"), .character("c")]) == [.character("a"), .character("c")])
    }

    @Test("terminal bytes decode to keys: CR, DEL, Ctrl letters, and other controls ignored")
    func decoding() {
        #expect(CursesTerminal.decode(character: 0x0D) == .enter)
        #expect(CursesTerminal.decode(character: 0x7F) == .backspace)
        #expect(CursesTerminal.decode(character: 0x03) == .control("c"))
        #expect(CursesTerminal.decode(character: 0x1B) == .escape)
        #expect(CursesTerminal.decode(character: 0x1C) == nil)
        #expect(CursesTerminal.decode(character: 0x60A3) == .character("患"))
        #expect(CursesTerminal.decode(character: 0xD800) == nil)
    }
}
