import Foundation
import Testing

/// A person pressing only Enter (a stuck key, a first try, a cat on the keyboard) records
/// no answer they did not choose, and sends nothing (issue 11).
@Suite("End to end: Enter alone chooses nothing")
struct EnterOnlyTests {
    @Test("Enter alone stays on the first page and says what is needed; after a chosen way, it stops at seniority; nothing is saved")
    func enterOnly() throws {
        let scratch = Scratch()
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try tmux.waitFor("How would you like to raise this concern?")
        for _ in 0..<15 { try tmux.press("Enter") }
        var screen = try tmux.waitForWords("Nothing is chosen yet. Please choose how you would like to raise this")
        #expect(screen.contains("Page 1 of"))
        #expect(!screen.contains("(•)"))
        try tmux.press("Down", "Down", "Enter")  // confidentially: a choice
        try tmux.waitFor("Who is the concern about?")
        for _ in 0..<40 { try tmux.press("Enter") }
        screen = try tmux.waitForWords("Nothing is chosen yet. Please choose how senior they are")
        #expect(screen.contains("How senior is the person involved?"))
        #expect(!screen.contains("(•)"))
        try tmux.press("C-c")
        try tmux.waitFor("Leave without sending?")
        try tmux.press("y")
        #expect(try tmux.exitStatus() == 0)
        #expect(try ReportInTmuxTests.export(scratch.store).isEmpty)
    }
}
