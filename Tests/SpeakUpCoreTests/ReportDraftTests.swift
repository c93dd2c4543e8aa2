import Foundation
import Testing
@testable import SpeakUpCore

@Suite("Drafts become reports")
struct ReportDraftTests {
    static let moment = Date(timeIntervalSince1970: 1_795_770_106.75)  // 2026-11-27T09:01:46.75Z
    static let today = CalendarDay(year: 2026, month: 11, day: 27)!
    static let person = Reporter(userName: "asha", uid: 1001)

    static func complete(_ way: WayOfRaising) -> ReportDraft {
        var draft = ReportDraft()
        draft.wayOfRaising = way
        draft.subjectName = "Dr Smith"
        draft.subjectRole = "consultant"
        draft.subjectSeniority = .seniorClinician
        draft.concerns = [.unsafePractice, .rudeOrAggressive]
        draft.when = .yesterday
        draft.timeText = "1430"
        draft.location = "Ward 7"
        draft.harm = .low
        draft.account = "Shouted at a patient."
        draft.desiredOutcome = .guardianSupport
        draft.reporterName = "Asha Patel"
        draft.contact = "ext 4321"
        draft.professionalGroup = .nursing
        return draft
    }

    @Test("an empty draft is empty, and lists what is missing in the order the form asks")
    func emptyDraft() {
        let draft = ReportDraft()
        #expect(draft.isEmpty)
        #expect(draft.problems(today: Self.today) == [.noWayOfRaising, .noSeniority, .noConcern, .noWhen, .noHarm, .emptyAccount, .noOutcome])
    }

    @Test("a whitespace-only account is missing", arguments: ["", " ", "\n\n", " \t \n"])
    func blankAccount(_ account: String) {
        var draft = Self.complete(.open)
        draft.account = account
        #expect(draft.problems(today: Self.today) == [.emptyAccount])
    }

    @Test("dates: readable, not in the future, not before 1948", arguments: [
        ("20/11/2026", nil), ("2026-11-20", nil), ("27/11/2026", nil), ("28/11/2026", ReportProblem.dateInFuture),
        ("31/12/1947", .dateTooEarly), ("01/01/1948", nil), ("31/02/2026", .badDate), ("yesterday", .badDate),
        ("", .noDate), ("2026-11-20\u{1B}", .badDate),
    ])
    func dates(_ typed: String, _ problem: ReportProblem?) {
        var draft = Self.complete(.open)
        draft.when = .anotherDay
        draft.dateText = typed
        #expect(draft.problems(today: Self.today).first == problem)
    }

    @Test("times: 14:30, 9:05 and 0930 read; 25:00 and words do not", arguments: [
        ("14:30", "14:30"), ("9:05", "09:05"), ("0930", "09:30"), ("25:00", nil), ("12:60", nil), ("noon", nil), ("1", nil),
    ])
    func times(_ typed: String, _ expected: String?) {
        #expect(Occurrence.time(typed: typed) == expected)
    }

    @Test("over-long text is refused with a sentence that says the limit")
    func overLong() {
        var draft = Self.complete(.open)
        draft.account = String(repeating: "a", count: ReportLimits.accountCharacters + 1)
        draft.location = String(repeating: "b", count: ReportLimits.shortText + 1)
        #expect(draft.problems(today: Self.today) == [.tooLong(.location), .tooLong(.account)])
        #expect(ReportProblem.tooLong(.account).sentence.contains("10,000"))
    }

    @Test("an open report keeps the reporter, their details and the time to the second")
    func openReport() throws {
        let report = try Self.complete(.open).report(reference: .random(), reporter: Self.person, at: Self.moment, today: Self.today).get()
        #expect(report.reporter == Self.person)
        #expect(report.reporterDetails == ReporterDetails(name: "Asha Patel", contact: "ext 4321", professionalGroup: .nursing))
        #expect(report.submitted.text == "2026-11-27T09:01:46Z")
        #expect(report.concerns == [.rudeOrAggressive, .unsafePractice])
        #expect(report.occurred == Occurrence(day: CalendarDay(year: 2026, month: 11, day: 26)!, time: "14:30"))
        #expect(report.subject == Subject(name: "Dr Smith", role: "consultant", seniority: .seniorClinician))
    }

    @Test("an anonymous report keeps no reporter, no details and only the day")
    func anonymousReport() throws {
        let report = try Self.complete(.anonymous).report(reference: .random(), reporter: Self.person, at: Self.moment, today: Self.today).get()
        #expect(report.reporter == nil)
        #expect(report.reporterDetails == nil)
        #expect(report.submitted == .day("2026-11-27"))
    }

    @Test("not naming the person keeps no name, even one typed earlier")
    func notNamed() throws {
        var draft = Self.complete(.open)
        draft.subjectNotNamed = true
        let report = try draft.report(reference: .random(), reporter: nil, at: Self.moment, today: Self.today).get()
        #expect(report.subject.name == nil)
    }

    @Test("holding for a match ends the chosen number of months from today")
    func hold() throws {
        var draft = Self.complete(.anonymous)
        draft.holdForMatch = true
        draft.holdMonths = 3
        let report = try draft.report(reference: .random(), reporter: nil, at: Self.moment, today: Self.today).get()
        #expect(report.hold == MatchingHold(until: CalendarDay(year: 2027, month: 2, day: 27)!))
        draft.holdMonths = 5
        #expect(draft.problems(today: Self.today) == [.badHoldMonths])
    }

    @Test("Report itself refuses to carry identity or an exact time for an anonymous report")
    func reportEnforcesAnonymity() {
        let report = Report(
            reference: .random(), wayOfRaising: .anonymous, concerns: [.other, .other],
            subject: Subject(name: nil, role: "", seniority: .board), location: "", account: "x", reporter: Self.person,
            reporterDetails: ReporterDetails(name: "Asha", contact: "", professionalGroup: nil), submitted: .instant(Self.moment))
        #expect(report.reporter == nil)
        #expect(report.reporterDetails == nil)
        #expect(report.submitted == .day("2026-11-27"))
        #expect(report.concerns == [.other])
    }

    @Test("drafts survive a round trip through JSON (how they are kept)")
    func draftCodable() throws {
        let draft = Self.complete(.confidential)
        let data = try JSONEncoder().encode(draft)
        #expect(try JSONDecoder().decode(ReportDraft.self, from: data) == draft)
    }

    @Test("submission times read back from their text")
    func submissionTimeText() {
        #expect(SubmissionTime(text: "2026-11-27") == .day("2026-11-27"))
        #expect(SubmissionTime(text: "2026-11-27T08:21:46Z")?.text == "2026-11-27T08:21:46Z")
        #expect(SubmissionTime(text: "27/11/2026") == nil)
    }

    @Test("a time that does not exist is refused, never rolled over into another day", arguments: [
        "2026-11-29T25:61:61Z", "2026-11-29T24:00:00Z", "2026-11-29T23:60:00Z", "2026-11-29T23:59:60Z", "2026-02-30T10:00:00Z",
        "2026-11-29T10:00Z", "2026-11-29 10:00:00Z", "2026-11-29T10:00:00", "2026-11-29T10:00:00+25:00", "2026-11-29T1a:00:00Z",
    ])
    func impossibleTimes(_ text: String) {
        #expect(SubmissionTime(text: text) == nil, "\(text)")
    }

    @Test("real times at the edges are kept", arguments: ["2026-11-29T23:59:59Z", "2026-11-29T00:00:00Z", "2024-02-29T12:00:00Z"])
    func realTimes(_ text: String) {
        #expect(SubmissionTime(text: text)?.text == text)
    }

    @Test("seniority is ordered from student to board, with unknown below all")
    func seniorityOrder() {
        #expect(Seniority.ladder.first == .student && Seniority.ladder.last == .board)
        #expect(Seniority.ladder == Seniority.ladder.sorted())
        #expect(Seniority.unknown < .student)
    }

    @Test("receipt codes: 16 secure random digits shown in fours; typed codes forgive spaces")
    func receipts() {
        let code = ReceiptCode.random()
        #expect(code.digits.count == 16 && code.digits.allSatisfy(\.isNumber))
        #expect(code.description.split(separator: " ").map(\.count) == [4, 4, 4, 4])
        #expect(ReceiptCode(typed: "1234 5678-9012 3456")?.digits == "1234567890123456")
        #expect(ReceiptCode(typed: "1234 5678 9012 345") == nil)
        #expect(ReceiptCode(typed: "1234 5678 9012 345x") == nil)
        #expect(Set((0..<100).map { _ in ReceiptCode.random() }).count == 100)
    }
}

@Suite("A NUL in an answer is named before anything is sent")
struct NulInDraftTests {
    @Test("the check page names the answer holding a NUL, and the words stay as they are")
    func nulNamed() {
        var draft = ReportDraft()
        draft.account = "He shouted.\u{0}Then he left."
        draft.location = "Ward\u{0}7"
        let problems = draft.problems(today: CalendarDay(year: 2026, month: 11, day: 27)!)
        #expect(problems.contains(.holdsNul(.account)) && problems.contains(.holdsNul(.location)))
        #expect(ReportProblem.holdsNul(.account).sentence.hasPrefix("Your answer for what happened holds a NUL character (shown as ␀)"))
        #expect(draft.account == "He shouted.\u{0}Then he left.")
    }

    @Test("an import names each text holding a NUL, with where it is in the record")
    func nulInImportNamed() throws {
        let json = """
            [{"format_version": 2, "reference": "SU-7KQ4-M2XD", "way_of_raising": "anonymous", "concerns": ["unsafe-practice"],
              "subject_seniority": "unknown", "location": "Ward 7", "account": "Told\\u0000 by phone.", "reporter": null,
              "submitted": "2026-11-20",
              "events": [{"sequence": 1, "kind": "received", "at": "2026-11-20"},
                         {"sequence": 2, "kind": "handler-message", "at": "2026-11-21", "text": "Thank\\u0000 you", "actor": "g"}]}]
            """
        let records = try JSONDecoder().decode([ReportJSON.Record].self, from: Data(json.utf8))
        let problems = ReportImport.problems(records, today: CalendarDay(year: 2026, month: 11, day: 27)!)
        let nul = problems.filter { $0.sentence.contains("NUL") }
        #expect(nul.map(\.path) == [["account"], ["events", "1", "text"]])
    }
}

@Suite("A kiosk's hourly limit across restarts")
struct SubmissionLimitTests {
    static let start = Date(timeIntervalSince1970: 1_795_770_106)

    @Test("after a restart, today's earlier reports count as taken at the start: no hour ever takes more than the limit")
    func restartDoesNotReset() {
        var limit = SubmissionLimit(perHour: 5, earlierToday: 3, start: Self.start)
        #expect(limit.nextAllowed(at: Self.start) == nil)
        limit.took(at: Self.start.addingTimeInterval(60))
        limit.took(at: Self.start.addingTimeInterval(120))
        #expect(limit.nextAllowed(at: Self.start.addingTimeInterval(180)) == Self.start.addingTimeInterval(3600))
        #expect(limit.sentence(at: Self.start.addingTimeInterval(180))?.hasPrefix("This kiosk takes at most 5 reports an hour") == true)
        // An hour after the start, the earlier ones no longer count.
        #expect(limit.nextAllowed(at: Self.start.addingTimeInterval(3600)) == nil)
    }

    @Test("more earlier reports than the limit hold it for the first hour only")
    func manyEarlier() {
        let limit = SubmissionLimit(perHour: 2, earlierToday: 40, start: Self.start)
        #expect(limit.nextAllowed(at: Self.start) == Self.start.addingTimeInterval(3600))
        #expect(limit.nextAllowed(at: Self.start.addingTimeInterval(3601)) == nil)
    }
}
