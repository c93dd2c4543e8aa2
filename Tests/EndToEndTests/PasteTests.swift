import Foundation
import Testing

/// Bracketed paste through the real terminal: text kept exactly, and a paste whose
/// end never comes does not take the keyboard (issue 11).
@Suite("End to end: pasting")
struct PasteTests {
    /// From a fresh anonymous form to "What happened?", with the new key model.
    static func toAccount(_ tmux: Tmux) throws {
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Down", "Enter")  // anonymously
        try tmux.waitFor("Who is the concern about?")
        try tmux.press("Tab", "Tab", "Tab")
        try tmux.waitFor("How senior is the person involved?")
        try tmux.press("End", "Enter")  // not sure
        try tmux.waitFor("What was it about?")
        try tmux.press("Down", "Space", "Enter")
        try tmux.waitFor("When and where did it happen?")
        try tmux.press("Down", "Enter", "Enter", "Enter")  // today, no time, no place
        try tmux.waitFor("Was anyone harmed?")
        try tmux.press("End", "Enter", "Tab")
        try tmux.waitFor("What happened?")
    }

    @Test("a pasted escape sequence is stored as the characters pasted, not as the key it spells")
    func exactBytes() throws {
        let scratch = Scratch()
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try Self.toAccount(tmux)
        let pasted = "Home is \u{1B}[H, not \u{1B}OH; word left is \u{1B}[1;5D."
        try tmux.paste(pasted)
        try tmux.waitFor("word left is")
        try tmux.press("Tab", "Tab")
        try tmux.waitFor("What would you like to happen?")
        try tmux.press("End", "Enter", "Enter", "Enter")
        try tmux.waitFor("Please check your report")
        try tmux.press("s")
        try tmux.waitFor("Your receipt code is")
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)
        let record = try #require(try ReportInTmuxTests.export(scratch.store).first)
        #expect(record.account == pasted)
    }

    @Test("a paste whose end never comes ends when the keys go quiet, and Ctrl-C acts at once even while keys keep coming")
    func unterminated() throws {
        let scratch = Scratch()
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try Self.toAccount(tmux)
        try tmux.type("\u{1B}[200~half a paste")
        try tmux.waitFor("half a paste", timeout: 5)  // shown once the keys went quiet, not held until an end that never comes
        try tmux.type("X")
        try tmux.waitFor("half a pasteX", timeout: 5)  // typing works again
        // Another unterminated paste, then a person pressing keys to get a response, less than half a second apart.
        try tmux.type("\u{1B}[200~again")
        for key in ["a", "b", "c"] {
            try tmux.type(key)
            Thread.sleep(forTimeInterval: 0.2)
        }
        try tmux.press("C-c")
        try tmux.waitFor("Leave without sending?", timeout: 5)
        try tmux.press("n")
        try tmux.waitFor("half a pasteXagainabc")
    }
}

extension SharedHostSuites {
    @Suite("End to end: a kiosk and an unterminated paste", .enabled(if: SharedHost.isPossible, "needs root to make users"))
    struct KioskPasteTests {
        @Test("at a kiosk, a paste start with no end does not freeze the form: quiet keys end it, Ctrl-C acts")
        func kioskUnterminatedPaste() throws {
            let host = try SharedHost()
            // A staff directory the ward terminal offers names from, and the kiosk must not.
            let staff = NSTemporaryDirectory() + "speakup-kiosk-staff-\(UUID().uuidString).csv"
            FileManager.default.createFile(atPath: staff, contents: Data("""
                staff_id,name,unix_user,role,seniority,manager_id,ward
                S1,Helen Chief,hchief,chief executive,chief-executive,,Board
                S2,Dr Smithson,dsmithson,consultant,senior-clinician,S1,Ward 7
                """.utf8), attributes: [.posixPermissions: 0o644])
            defer { try? FileManager.default.removeItem(atPath: staff) }
            let imported = try host.speakup(as: host.admin, ["directory", "import", staff])
            #expect(imported.status == 0, "\(imported.stderr)")
            let ward = try host.tmux(as: host.wardLogin, ["ward"])
            try ward.waitFor("Report a concern")
            try ward.press("Enter")
            try ward.waitFor("How would you like to raise this concern?")
            try ward.press("Down", "Down", "Enter")
            try ward.waitFor("Who is the concern about?")
            try ward.type("Dr Smiths")
            try ward.waitFor("In the staff directory")  // the ward offers names: the directory is there

            let tmux = try host.tmux(as: host.kioskLogin, ["kiosk"])
            try tmux.waitFor("Report a concern")
            try tmux.press("Enter")
            try tmux.waitFor("Reports made at this kiosk are anonymous")
            try tmux.press("Enter")
            try tmux.waitFor("Who is the concern about?")
            try tmux.type("\u{1B}[200~Dr Sm")
            for key in ["i", "t", "h"] {
                try tmux.type(key)
                Thread.sleep(forTimeInterval: 0.2)
            }
            try tmux.press("C-c")
            try tmux.waitFor("Leave without sending?", timeout: 5)
            try tmux.press("n")
            try tmux.waitFor("Dr Smith")
            Thread.sleep(forTimeInterval: 0.8)
            try tmux.type("!")
            try tmux.waitFor("Dr Smith!", timeout: 5)
            // No staff directory at a kiosk: the same name typed offers nobody.
            #expect(!(try tmux.screen().contains("In the staff directory")))
            #expect(!(try tmux.screen().contains("Smithson")))
        }
    }
}
