import Foundation
import Glibc
import Testing
import SpeakUpCore

/// The real binary, in tmux at 80x24 with LANG unset, as a person would use it.
@Suite("End to end: a report typed in a terminal comes back through export")
struct ReportInTmuxTests {
    static var realUserName: String { String(cString: getpwuid(getuid())!.pointee.pw_name) }

    static func export(_ store: String) throws -> [ReportJSON.Record] {
        let result = try Binary.run(["export", "json", "--db", store])
        #expect(result.status == 0, "export failed: \(result.stderr)")
        return try JSONDecoder().decode([ReportJSON.Record].self, from: result.stdoutData)
    }

    /// From "who is it about" to "what happened", with the quickest answers (and a place, if given).
    static func quickAnswers(_ tmux: Tmux, location: String = "", subject: String = "") throws {
        try tmux.waitFor("Who is the concern about?")
        if !subject.isEmpty { try tmux.type(subject) }
        try tmux.press("Tab", "Tab", "Tab")
        try tmux.waitFor("How senior is the person involved?")
        try tmux.press("Down", "Enter")  // lists start with nothing highlighted: Down onto "Student"
        try tmux.waitFor("What was it about?")
        try tmux.press("Down", "Space", "Enter")  // the first concern
        try tmux.waitFor("When and where did it happen?")
        try tmux.press("Down", "Enter", "Enter")  // today, no time
        if !location.isEmpty { try tmux.type(location) }
        try tmux.press("Enter")
        try tmux.waitFor("Was anyone harmed?")
        try tmux.press("Down", "Enter", "Tab")  // no harm to a patient, nothing on staff
        try tmux.waitFor("What happened?")
    }

    /// From "what happened" (anonymous: no pages about the reporter) to the confirmation:
    /// types the account, skips witnesses, chooses the first outcome, sends (S on the check page).
    static func sendAnonymousAccount(_ tmux: Tmux, _ account: String, thenWaitFor text: String) throws -> String {
        try tmux.type(account)
        try tmux.press("Tab", "Tab")
        try tmux.waitFor("What would you like to happen?")
        try tmux.press("Down", "Enter", "Enter", "Enter")
        try tmux.waitFor("Please check your report")
        try tmux.press("s")
        return try tmux.waitFor(text)
    }

    /// From "what happened" (open or confidential) to the confirmation: types the account, skips
    /// witnesses, chooses the first outcome, the offered name and no contact, skips the group, sends
    /// (S on the check page).
    @discardableResult
    static func sendIdentifiedAccount(_ tmux: Tmux, _ account: String) throws -> String {
        try tmux.type(account)
        try tmux.press("Tab", "Tab")
        try tmux.waitFor("What would you like to happen?")
        try tmux.press("Down", "Enter", "Enter", "Enter")
        try tmux.waitFor("About you")
        try tmux.press("Enter", "Enter")
        try tmux.waitFor("Your professional group")
        try tmux.press("Tab")
        try tmux.waitFor("About you, for the figures")
        for _ in Characteristic.allCases { try tmux.press("Tab") }
        try tmux.waitFor("Please check your report")
        try tmux.press("s")
        return try tmux.waitFor("Your case reference is")
    }

    @Test("typed and pasted text, an ESC byte, a resize to 120x40 and back: stored exactly, shown safely")
    func fullReport() throws {
        let scratch = Scratch()
        // $USER says "guardian"; identity must still come from the real uid.
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color", "USER": "guardian", "LOGNAME": "guardian"])
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Enter")  // confidential
        try tmux.waitFor("Who is the concern about?")
        try tmux.type("Dr Zoë Smith")
        try tmux.press("Tab", "Tab")
        try tmux.type("consultant")
        try tmux.press("Tab")
        try tmux.waitFor("How senior is the person involved?")
        // "consultant" suggests "Senior clinician", highlighted but not chosen; End moves off it.
        try tmux.waitForWords("From the role you gave, they are usually \"Senior clinician\". Press Enter to choose it, or move to another answer.")
        try tmux.press("End", "Up", "Up", "Up", "Enter")
        try tmux.waitFor("What was it about?")
        try tmux.press("Down", "Space", "Down", "Space", "Enter")
        try tmux.waitFor("When and where did it happen?")
        try tmux.press("Down", "Down", "Enter")  // yesterday
        try tmux.type("14:30")
        try tmux.press("Enter")
        try tmux.type("Ward 7")
        try tmux.waitFor("[ Ward 7")
        try tmux.press("Enter")
        try tmux.waitFor("Was anyone harmed?")
        try tmux.press("Down", "Down", "Enter", "Tab")  // low harm
        try tmux.waitFor("What happened?")

        let typed = "Ward 7 — Zoë said \"患者\" was fine"
        try tmux.type(typed)
        try tmux.waitFor(typed)
        let pasted = " \u{1B}]0;PWNED\u{07}\u{1B}[2J then \u{202E}sdrawkcab\nNext line."
        try tmux.paste(pasted)
        // The escape shows as a placeholder, and the terminal obeyed none of it.
        try tmux.waitFor("␛]0;PWNED␇␛[2J then \u{FFFD}sdrawkcab")
        #expect(try tmux.value("#{pane_title}") != "PWNED")

        try tmux.resize(columns: 120, rows: 40)
        try tmux.waitFor("a 120-column screen") { screen in
            (screen.split(separator: "\n").first.map { $0.count > 100 } ?? false) && screen.contains(typed)
        }
        try tmux.resize(columns: 80, rows: 24)
        try tmux.waitFor("an 80-column screen") { screen in
            (screen.split(separator: "\n").first.map { $0.count <= 80 && $0.contains("Page 7 of 12") } ?? false)
                && screen.contains(typed) && screen.contains("Next line.")
        }

        try tmux.press("Tab")
        try tmux.waitFor("Did anyone else see or hear it?")
        try tmux.press("Tab")
        try tmux.waitFor("What would you like to happen?")
        try tmux.press("Down", "Down", "Enter", "Enter", "Enter")  // support from a guardian
        try tmux.waitFor("About you")
        try tmux.press("Enter")
        try tmux.type("ext 4321")
        try tmux.press("Enter")
        try tmux.waitFor("Your professional group")
        try tmux.press("Down", "Enter")  // nursing
        try tmux.waitFor("About you, for the figures")
        for _ in Characteristic.allCases { try tmux.press("Enter") }
        try tmux.waitFor("Please check your report")
        try tmux.press("s")
        let confirmation = try tmux.waitFor("Your case reference is")
        let reference = try #require(confirmation.firstMatch(of: /SU-[0-9A-Z]{4}-[0-9A-Z]{4}/)).output
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)
        #expect(try tmux.screen().contains("Thank you. Your report \(reference) is saved."))

        let records = try Self.export(scratch.store)
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.reference == String(reference))
        #expect(record.account == typed + pasted)
        #expect(record.wayOfRaising == .confidential)
        #expect(record.concerns == [.rudeOrAggressive, .unsafePractice])
        #expect(record.subjectSeniority == .executive)
        #expect(record.location == "Ward 7")
        #expect(record.reporter?.user == Self.realUserName)
        #expect(record.reporter?.uid == getuid())
        #expect(record.events.map(\.kind) == ["received", "routed"])
        #expect(record.subjectName == "Dr Zoë Smith")
        #expect(record.subjectRole == "consultant")
        #expect(record.occurredAt == "14:30")
        #expect(record.patientHarm == .low)
        #expect(record.desiredOutcome == .guardianSupport)
        #expect(record.reporterDetails?.contact == "ext 4321")
        #expect(record.reporterDetails?.professionalGroup == .nursing)
        #expect(record.holdUntil == nil)
    }

    @Test("TERM=vt100 and NO_COLOR=1: the form works, and an anonymous report keeps no one")
    func vt100Anonymous() throws {
        let scratch = Scratch()
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "vt100", "NO_COLOR": "1"])
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Down", "Enter")  // anonymous
        try Self.quickAnswers(tmux)
        try tmux.type("Laughed at a patient.")
        try tmux.waitFor("┌")  // boxes draw as lines, not lqqk
        try tmux.press("Tab")
        try tmux.waitFor("Did anyone else see or hear it?")
        try tmux.press("Tab")
        try tmux.waitFor("What would you like to happen?")
        try tmux.press("End", "Enter", "Space", "Enter", "Enter", "Enter")  // just record it; hold for a match, 12 months
        try tmux.waitFor("Please check your report")
        try tmux.press("s")
        let saved = try tmux.waitFor("You chose to stay anonymous")
        #expect(saved.contains("Your receipt code is"))
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)

        let record = try #require(try Self.export(scratch.store).first)
        #expect(record.reporter == nil)
        #expect(record.submitted.count == 10)  // the day only
        #expect(record.location == "")
        #expect(record.account == "Laughed at a patient.")
        #expect(record.reporterDetails == nil)
        #expect(record.holdUntil != nil)
        #expect(!(try tmux.screen().contains(record.reference)))  // nothing left behind on a shared screen
    }

    @Test("Ctrl-C on a started form asks first; N keeps it, Y leaves and saves nothing")
    func leaving() throws {
        let scratch = Scratch()
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Down", "Enter", "Tab", "Tab", "Tab", "Down", "Enter")  // anonymous; student
        try tmux.waitFor("What was it about?")
        try tmux.press("Down", "Space")
        try tmux.waitFor("[x] Rude")
        try tmux.press("C-c")
        try tmux.waitFor("Leave without sending?")
        try tmux.press("n")
        try tmux.waitFor("Nothing was lost.")
        #expect(try tmux.screen().contains("[x] Rude"))
        try tmux.press("C-c")
        try tmux.waitFor("Leave without sending?")
        try tmux.press("y")
        #expect(try tmux.exitStatus() == 0)
        #expect(try tmux.screen().contains("You left without sending a report. Nothing was saved."))
        #expect(try Self.export(scratch.store).isEmpty)
    }

    @Test("a megabyte pasted into the account keeps the first 10,000 characters and the form stays quick")
    func megabytePaste() throws {
        let scratch = Scratch()
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Down", "Enter")  // anonymous
        try Self.quickAnswers(tmux)
        try tmux.paste(String(repeating: "0123456789abcdef", count: 65_536))
        try tmux.waitFor("10,000 of 10,000 characters (full)", timeout: 60)
        try tmux.waitFor("so the rest was not added")
        try tmux.press("Tab", "Tab", "Down", "Enter", "Enter", "Enter")
        try tmux.waitFor("Please check your report")
        try tmux.press("s")
        try tmux.waitFor("Your case reference is")
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)
        let record = try #require(try Self.export(scratch.store).first)
        #expect(record.account.count == ReportLimits.accountCharacters)
        #expect(record.account.hasPrefix("0123456789abcdef0123"))
    }
}
