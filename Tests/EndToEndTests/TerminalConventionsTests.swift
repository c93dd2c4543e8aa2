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

@Suite("End to end: colour is a courtesy, never the only signal")
struct ColourTests {
    /// SGR foreground colours 30-37 (and 90-97, 38;…) as tmux reports them.
    static func usesColour(_ screen: String) -> Bool {
        screen.contains(/\x1B\[[0-9;]*(3[0-8]|9[0-7])(;[0-9;]*)?m/)
    }

    @Test("with NO_COLOR=1 nothing is coloured; without it, problems are red and headings cyan")
    func noColour() throws {
        for (environment, expectColour) in [(["TERM": "xterm-256color", "NO_COLOR": "1"], false), (["TERM": "xterm-256color"], true)] {
            let scratch = Scratch()
            let tmux = try Tmux(["--db", scratch.store], environment: environment)
            try tmux.waitFor("How would you like to raise this concern?")
            try tmux.press("Down", "Enter", "Tab", "Tab", "Tab", "Down", "Enter")  // openly; student
            try tmux.waitFor("What was it about?")
            try tmux.press("Enter")
            try tmux.waitFor("Please tick at least one kind of concern")
            let screen = try tmux.screen(attributes: true)
            #expect(Self.usesColour(screen) == expectColour, "NO_COLOR=\(environment["NO_COLOR"] ?? "unset"):\n\(screen)")
            // The problem is said in words either way.
            #expect(screen.contains("Please tick at least one kind of concern"))
        }
    }
}

@Suite("End to end: a write that fails keeps the form")
struct FailedWriteTests {
    @Test("when the disk refuses the write, the form says so plainly, keeps every answer, and nothing is stored")
    func diskRefusesWrite() throws {
        let scratch = Scratch()
        // Create the store first (opening the form creates it; Ctrl-C on an empty form leaves at once).
        do {
            let first = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
            try first.waitFor("How would you like to raise this concern?")
            try first.press("C-c")
            #expect(try first.exitStatus() == 0)
        }
        // Now a 40 KiB file-size limit: the store opens, but a long report cannot be written to the log.
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"], limits: "ulimit -f 40; trap '' XFSZ")
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Down", "Enter")  // anonymous
        try ReportInTmuxTests.quickAnswers(tmux)
        try tmux.paste(String(repeating: "患者", count: 4_000))
        try tmux.waitFor("8,000 of 10,000 characters")
        try tmux.press("Tab", "Tab")
        try tmux.waitFor("What would you like to happen?")
        try tmux.press("Down", "Enter", "Enter", "Enter")
        try tmux.waitFor("Please check your report")
        try tmux.press("s")
        let screen = try tmux.waitFor("has not been saved, and nothing on this screen is lost.")
        #expect(Tmux.words(screen).contains("Everything you wrote is still here. Press S to try again."))
        #expect(screen.contains("患者患者"))
        #expect(!screen.contains("Your case reference is"))
        try tmux.press("s")  // trying again fails the same way, and still says so
        try tmux.waitFor("Please tell IT.")
        try tmux.press("C-c")
        try tmux.waitFor("Leave without sending?")
        try tmux.press("y")
        #expect(try tmux.exitStatus() == 0)
        let export = try Binary.run(["export", "json", "--db", scratch.store])
        #expect(export.status == 0)
        #expect(export.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || export.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }
}
