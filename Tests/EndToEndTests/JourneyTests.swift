import Foundation
import Glibc
import Testing
import SpeakUpCore

/// The reporter journeys across runs of the real binary.
@Suite("End to end: receipts, follow-up, drafts after a hang-up, and anonymity on disk")
struct JourneyTests {
    /// Files an anonymous report in tmux; returns the receipt code shown once.
    static func fileAnonymous(store: String, account: String, location: String = "") throws -> String {
        let tmux = try Tmux(["--db", store], environment: ["TERM": "xterm-256color"])
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Down", "Enter")  // anonymous
        try ReportInTmuxTests.quickAnswers(tmux, location: location)
        let saved = try ReportInTmuxTests.sendAnonymousAccount(tmux, account, thenWaitFor: "Your receipt code is")
        let receipt = try #require(saved.firstMatch(of: /Your receipt code is\s+(\d{4} \d{4} \d{4} \d{4})/)).output.1
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)
        return String(receipt)
    }

    @Test("an anonymous reporter comes back in a second run with the receipt, reads the case and replies")
    func receiptFollowUp() throws {
        let scratch = Scratch()
        let receipt = try Self.fileAnonymous(store: scratch.store, account: "Mocked a patient's accent.")

        let wrong = try Tmux(["follow-up", "--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try wrong.waitFor("Follow up a report with its receipt code")
        try wrong.type("0000 0000 0000 0000")
        try wrong.press("Enter")
        try wrong.waitFor("No report matches that receipt code.")
        try wrong.press("C-c")
        #expect(try wrong.exitStatus() == 0)

        let tmux = try Tmux(["follow-up", "--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try tmux.waitFor("Type the 16-digit receipt code")
        try tmux.type(receipt)
        try tmux.press("Enter")
        try tmux.waitFor("Status: Received.")
        #expect(try tmux.screen().contains("You sent your report."))
        try tmux.press("r")
        try tmux.waitFor("Your reply")
        try tmux.type("It happened again today.")
        try tmux.press("Tab")
        try tmux.waitFor("Send this reply?")
        try tmux.press("s")
        try tmux.waitFor("Your message is saved.")
        try tmux.press("Escape")  // back to an empty code box
        try tmux.waitFor("Type the 16-digit receipt code")
        try tmux.press("Escape")
        try tmux.waitFor("Leave follow-up?")
        try tmux.press("y")
        #expect(try tmux.exitStatus() == 0)

        let record = try #require(try ReportInTmuxTests.export(scratch.store).first)
        #expect(record.events.map(\.kind) == ["received", "routed", "reporter-message"])
        #expect(record.events.last?.at.count == 10)  // the day only
    }

    @Test("SIGHUP mid-form keeps a confidential draft; the next start offers it, and it can be sent")
    func hangUpThenResume() throws {
        let scratch = Scratch()
        do {
            let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
            try tmux.waitFor("How would you like to raise this concern?")
            try tmux.press("Down", "Down", "Enter")  // confidential
            try tmux.waitFor("Who is the concern about?")
            try tmux.type("Mr Jones")
            try tmux.press("Tab", "Tab", "Tab")
            try tmux.waitFor("How senior is the person involved?")
            try tmux.press("Down", "Down", "Enter")  // support staff
            try tmux.waitFor("What was it about?")
            try tmux.press("Down", "Down", "Space")  // typed on this page, not yet moved on from
            try tmux.waitFor("[x] Unsafe")
            kill(try tmux.programPID(), SIGHUP)
            #expect(try tmux.exitStatus() == 129)
        }
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try tmux.waitFor("Welcome back")
        try tmux.press("r")
        try tmux.waitForWords("Your answers are as you left them, and you are where you left off.")
        // A resumed draft opens on the page it was left on, with the tick kept through the hang-up.
        let resumed = try tmux.waitFor("What was it about?")
        #expect(resumed.contains("[x] Unsafe"))
        // The answers on the pages before are kept too: back to them, then on again.
        try tmux.press("Escape")
        try tmux.waitFor("(•) Support staff")
        try tmux.press("Escape")
        try tmux.waitFor("[ Mr Jones")
        try tmux.press("Tab", "Tab", "Tab")
        try tmux.waitFor("(•) Support staff")
        try tmux.press("Enter")
        try tmux.waitFor("What was it about?")
        #expect(try tmux.screen().contains("[x] Unsafe"))  // kept through the hang-up
        try tmux.press("Enter")
        try tmux.waitFor("When and where did it happen?")
        try tmux.press("Down", "Enter", "Enter", "Enter")  // today
        try tmux.waitFor("Was anyone harmed?")
        try tmux.press("Down", "Enter", "Tab")  // no harm
        try tmux.waitFor("What happened?")
        try ReportInTmuxTests.sendIdentifiedAccount(tmux, "Kept me waiting on purpose.")
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)
        let record = try #require(try ReportInTmuxTests.export(scratch.store).first)
        #expect(record.subjectName == "Mr Jones" && record.subjectSeniority == .staff)
        #expect(record.concerns == [.unsafePractice])

        // Sent: no draft is offered next time.
        let next = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try next.waitFor("How would you like to raise this concern?")
        #expect(try !next.screen().contains("Welcome back"))
    }

    @Test("an open report keeps the reporter's login, name and contact, and says so on the confirmation")
    func openReport() throws {
        let scratch = Scratch()
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Enter")  // open
        try ReportInTmuxTests.quickAnswers(tmux)
        try tmux.type("Refused to help a student.")
        try tmux.press("Tab", "Tab")
        try tmux.waitFor("What would you like to happen?")
        try tmux.press("Down", "Down", "Down", "Enter", "Enter", "Enter")  // a formal look
        try tmux.waitFor("About you")
        try tmux.press("Home")
        for _ in 0..<20 { try tmux.press("Delete") }
        try tmux.type("Asha Patel")
        try tmux.press("Enter")
        try tmux.type("asha.patel@example.nhs.uk")
        try tmux.press("Enter")
        try tmux.waitFor("Your professional group")
        try tmux.press("Down", "Down", "Down", "Enter")  // medical and dental
        try tmux.waitFor("About you, for the figures")
        try tmux.press("Right")  // ethnic group: the first answer after "prefer not to say"
        for _ in Characteristic.allCases { try tmux.press("Enter") }
        try tmux.waitFor("Please check your report")
        // The check page reads the description back. (Waited for itself: on a loaded machine a capture can
        // catch the page half drawn over the one before.)
        try tmux.waitFor("For the figures only: White")
        try tmux.press("s")
        let saved = try tmux.waitFor("You chose to raise it openly")
        #expect(!saved.contains("receipt code"))
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)
        let record = try #require(try ReportInTmuxTests.export(scratch.store).first)
        #expect(record.wayOfRaising == .open)
        #expect(record.reporter?.uid == getuid())
        #expect(record.reporterDetails?.name == "Asha Patel")
        #expect(record.reporterDetails?.contact == "asha.patel@example.nhs.uk")
        #expect(record.reporterDetails?.professionalGroup == .medical)
        #expect(record.desiredOutcome == .formalLook)
        #expect(record.submitted.count == 20)  // to the second
    }

    @Test("an anonymous report's bytes on disk hold no user name, uid, tty, host name or exact minute")
    func anonymityOnDisk() throws {
        let scratch = Scratch()
        let before = Date()
        _ = try Self.fileAnonymous(store: scratch.store, account: "Ignored a call bell for an hour.", location: "Ward 3")
        let after = Date()
        var bytes = Data()
        for suffix in ["", "-wal", "-shm", "-journal"] {
            bytes += (try? Data(contentsOf: URL(fileURLWithPath: scratch.store + suffix))) ?? Data()
        }
        #expect(bytes.range(of: Data("Ignored a call bell".utf8)) != nil)  // the report is there
        let user = String(cString: getpwuid(getuid())!.pointee.pw_name)
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        var forbidden = [user, String(cString: host), "uid", "/dev/pts"]
        // Every minute the submission could have happened in, in the two forms SpeakUp writes times.
        var minute = before.addingTimeInterval(-60)
        while minute <= after.addingTimeInterval(60) {
            let iso = minute.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
            forbidden.append(String(iso.prefix(16)))             // 2026-11-27T08:21
            forbidden.append(String(iso.dropFirst(11).prefix(5)))  // 08:21
            minute += 60
        }
        // Words under four bytes (a host called "vm", say) turn up by chance in 30 KB of salts,
        // hashes and page headers, so they prove nothing either way and are not searched for.
        for word in forbidden where word.utf8.count >= 4 && word != "uid" {
            #expect(bytes.range(of: Data(word.utf8)) == nil, "found \(word.debugDescription) in the store's bytes")
        }
    }
}
