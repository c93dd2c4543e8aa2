import Foundation
import Testing

/// A terminal that is not UTF-8 (an old ward terminal, a serial console): `--ascii`, or a
/// locale naming another character set, and not one byte above 0x7F is sent (issue 11).
@Suite("End to end: terminals that are not UTF-8")
struct PlainTerminalTests {
    /// Every byte the program writes to the pane from now on, gathered in `file`.
    static func recordOutput(of tmux: Tmux, into file: String) throws {
        _ = try tmux.run(["pipe-pane", "-o", "-t", tmux.target, "cat >> \(Tmux.quote(file))"])
    }

    /// Goes through the first pages, typing accented and wide letters, then leaves.
    static func walk(_ tmux: Tmux) throws -> (typed: String, box: String) {
        try tmux.press("Down", "Down", "Down", "Enter")
        try tmux.waitFor("Who is the concern about?")
        try tmux.type("Zoë 患者 — END9")
        let screen = try tmux.waitFor("END9")
        try tmux.press("C-c")
        let box = try tmux.waitFor("Leave without sending?")
        try tmux.press("y")
        _ = try tmux.exitStatus()
        return (screen, box)
    }

    static func bytesAbove7F(_ file: String) throws -> [UInt8] {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(data.count > 500, "the recording holds the screens drawn")
        return data.filter { $0 > 0x7F }
    }

    @Test("TERM=vt100 --ascii: boxes in the terminal's own line drawing, ASCII stand-ins, no byte above 0x7F")
    func vt100Ascii() throws {
        let scratch = Scratch()
        let tmux = try Tmux(["--db", scratch.store, "--ascii"], environment: ["TERM": "vt100", "NO_COLOR": "1"])
        try tmux.waitFor("How would you like to raise this concern?")
        let recording = scratch.path + "/output"
        try Self.recordOutput(of: tmux, into: recording)
        let (screen, box) = try Self.walk(tmux)
        // The box is sent in the terminal's own line-drawing set (SO, then l q k x j m), which
        // tmux's capture shows as those letters; a real vt100 draws them as lines.
        #expect(box.contains("lqqqq") && box.contains("x Leave without sending?"))
        #expect(screen.contains("Zoe ???? - END9"))  // accents dropped, wide letters as wide question marks
        #expect(screen.contains("> Their name (optional)"))
        #expect(!screen.contains("›"))
        #expect(try Self.bytesAbove7F(recording).isEmpty)
    }

    @Test("a Latin-1 locale draws plain by itself; LANG unset keeps UTF-8")
    func latin1Locale() throws {
        let scratch = Scratch()
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color", "LANG": "en_GB.ISO-8859-1"])
        try tmux.waitFor("How would you like to raise this concern?")
        let recording = scratch.path + "/output"
        try Self.recordOutput(of: tmux, into: recording)
        _ = try Self.walk(tmux)
        #expect(try Self.bytesAbove7F(recording).isEmpty)

        let utf8 = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        let first = try utf8.waitFor("How would you like to raise this concern?")
        #expect(first.contains("·") || first.contains("›") || first.contains("─"))
    }
}
