import Foundation
import Glibc
import Testing
import SpeakUpCore
import SpeakUpStore

/// A detriment check-in as a reporter meets it: the real binary in tmux, a case closed weeks ago.
@Suite("End to end: a detriment check-in answered yes by receipt code")
struct CheckInTests {
    /// The quarter (NHS financial year) a day falls in.
    static func quarter(of day: CalendarDay) -> Quarter {
        day.month >= 4 ? Quarter(year: day.year, number: (day.month - 4) / 3 + 1)! : Quarter(year: day.year - 1, number: 4)!
    }

    @Test("an anonymous reporter answers yes with their receipt: a linked, anonymous detriment case is opened, routed, and counted")
    func yesByReceipt() throws {
        let scratch = Scratch()
        let code = ReceiptCode.random()
        let now = Date()
        let original: Report
        // The history, made through the store's own contract: reported 80 days ago, closed 40 days ago.
        do {
            let store = try SQLiteReportStore(path: scratch.store)
            let report = Report(reference: .random(), wayOfRaising: .anonymous, concerns: [.bullyingOrHarassment],
                                subject: Subject(name: "Dr Smith", role: "consultant", seniority: .seniorClinician), location: "Ward 7",
                                account: "Shouted at me in front of the team.", reporter: nil, submitted: .recorded(for: .anonymous, at: now - 80 * 86_400))
            original = try store.submit(report, receipt: code, discardingDraftOf: nil, router: nil)
            _ = try store.appendEvent(to: original.reference, kind: .closed, text: "Spoken with; training agreed.", actor: "store-owner",
                                      at: now - 40 * 86_400)
        }
        // As SpeakUp itself makes them (umask 077): the program refuses a store others could read.
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: scratch.store + suffix) {
            chmod(scratch.store + suffix, 0o600)
        }

        let tmux = try Tmux(["follow-up", "--db", scratch.store], environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
        try tmux.waitFor("Type the 16-digit receipt code")
        try tmux.type(code.description)
        try tmux.press("Enter")
        // The feedback question comes first, as on any closed case not yet answered; then the check-in.
        try tmux.waitFor("Given your experience, would you speak up again?")
        try tmux.press("Down", "Enter")
        try tmux.waitFor("have you been treated worse by anyone")
        #expect(try tmux.screen().contains("A check-in, 1 month after your case closed"))
        try tmux.press("Down", "Enter")  // Yes
        try tmux.waitFor("What has happened, if you would like to say")
        try tmux.type("Taken off the weekend rota since.")
        try tmux.press("Tab")
        try tmux.waitFor("Open the new case?")
        try tmux.press("s")
        let opened = try tmux.waitFor("Its receipt code is")
        let newCode = try #require(opened.firstMatch(of: /Its receipt code is\s+(\d{4} \d{4} \d{4} \d{4})/)).output.1
        let newReference = try #require(opened.firstMatch(of: /The new case reference is\s+(SU-[0-9A-Z]{4}-[0-9A-Z]{4})/)).output.1
        #expect(Tmux.words(opened).contains("Who will see it:"))
        for line in opened.split(separator: "\n") { #expect(line.count <= 80) }
        try tmux.press("x")  // any key but Enter leaves the code on screen
        #expect(try tmux.screen().contains(String(newCode)))
        try tmux.press("Enter")
        try tmux.waitForWords("You answered the check-in 1 month after the case closed: you have been treated worse since.")
        try tmux.press("Escape")  // back to an empty code box
        try tmux.waitFor("Type the 16-digit receipt code")
        try tmux.type(String(newCode))
        try tmux.press("Enter")
        try tmux.waitForWords("Opened from your check-in on case \(original.reference.text)")
        try tmux.press("C-c")
        #expect(try tmux.exitStatus() == 0)

        let records = try ReportInTmuxTests.export(scratch.store)
        let first = try #require(records.first { $0.reference == original.reference.text })
        let linked = try #require(records.first { $0.reference == String(newReference) })
        #expect(first.events.last?.kind == "detriment-check-in" && first.events.last?.text == "1 yes \(newReference)")
        #expect(first.events.last?.actor == nil && first.events.last?.at.count == 10)
        #expect(linked.concerns == [.detriment] && linked.wayOfRaising == .anonymous && linked.reporter == nil)
        #expect(linked.submitted.count == 10 && linked.account == "Taken off the weekend rota since.")
        #expect(linked.subjectName == "Dr Smith")
        #expect(linked.events.map(\.kind) == ["received", "routed", "detriment-linked"])
        #expect(linked.events.allSatisfy { $0.actor == nil || $0.actor == CaseEvent.rulesActor })

        // Counted: the board's check-in figures and the return's detriment measure (one each: shown as <5).
        let quarter = Self.quarter(of: CalendarDay.local(now))
        let board = try Binary.run(["board", "--quarter", quarter.description, "--format", "csv", "--db", scratch.store])
        #expect(board.status == 0, "\(board.stderr)")
        #expect(board.stdout.contains("\(quarter),detriment check-ins answered,all,<5"))
        #expect(board.stdout.contains("\(quarter),detriment check-ins answered,yes,<5"))
        #expect(board.stdout.contains("\(quarter),detriment check-ins answered,no,0"))
        let returned = try Binary.run(["export", "return", "--quarter", quarter.description, "--db", scratch.store])
        #expect(returned.status == 0, "\(returned.stderr)")
        #expect(returned.stdout.split(separator: "\n").contains { $0.hasPrefix("detriment,") && $0.hasSuffix(",<5") }, "\(returned.stdout)")
        #expect(try Binary.run(["audit", "verify", "--db", scratch.store]).status == 0)
    }
}
