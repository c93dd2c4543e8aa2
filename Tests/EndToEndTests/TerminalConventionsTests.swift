import Foundation
import Glibc
import Testing

@Suite("End to end: terminals of every kind get a clear answer, and are always given back")
struct TerminalConventionsTests {
    @Test("TERM=dumb, an unknown TERM and no TERM each get one sentence and exit 2",
          arguments: [("dumb", "cannot move the cursor"), ("no-such-terminal", "does not know the terminal type"), ("", "TERM is not set")])
    func unusableTerminals(term: String, sentence: String) throws {
        let scratch = Scratch()
        let environment = term.isEmpty ? [:] : ["TERM": term]
        let tmux = try Tmux(["--db", scratch.store], environment: environment)
        #expect(try tmux.exitStatus() == 2)
        #expect(try tmux.screen().contains(sentence))
    }

    @Test("without a terminal at all, the form says what to do instead")
    func noTerminal() throws {
        let scratch = Scratch()
        let result = try Binary.run(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("needs a terminal"))
    }

    @Test("a window smaller than 80x24 says how big it needs to be, and nothing typed is lost")
    func tooSmall() throws {
        let scratch = Scratch()
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"], columns: 60, rows: 20)
        try tmux.waitFor("needs a window at least 80 columns wide and 24")
        try tmux.resize(columns: 80, rows: 24)
        try tmux.waitFor("How would you like to raise this concern?")
    }

    @Test("SIGTERM, SIGHUP and a crash (SIGSEGV) give the terminal back and exit with the signal",
          arguments: [(SIGTERM, Int32(143)), (SIGHUP, Int32(129)), (SIGSEGV, Int32(139))])
    func signalsRestoreTheTerminal(signal: Int32, status: Int32) throws {
        let scratch = Scratch()
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try tmux.waitFor("How would you like to raise this concern?")
        #expect(try tmux.value("#{alternate_on}") == "1")
        kill(try tmux.programPID(), signal)
        #expect(try tmux.exitStatus() == status)
        #expect(try tmux.value("#{alternate_on}") == "0")
        #expect(try !tmux.screen().contains("How would you like"))
    }
}
