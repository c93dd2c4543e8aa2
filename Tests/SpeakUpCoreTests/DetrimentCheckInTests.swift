import Foundation
import Testing
@testable import SpeakUpCore

@Suite("Detriment check-ins: when each is due, what is kept, how the board counts them")
struct DetrimentCheckInTests {
    static let reference = CaseReference("SU-7KQ4-M2XD")!

    static func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDay { CalendarDay(year: year, month: month, day: day)! }

    static func events(closed: CalendarDay?, answered: [String] = []) -> [CaseEvent] {
        var events = [CaseEvent(reference: reference, sequence: 1, kind: .received, at: .day("2026-01-02"))]
        if let closed { events.append(CaseEvent(reference: reference, sequence: 2, kind: .closed, at: .day(closed.description))) }
        for text in answered {
            events.append(CaseEvent(reference: reference, sequence: events.count + 1, kind: .detrimentCheckIn, at: .day("2026-12-01"), text: text))
        }
        return events
    }

    @Test("calendar months, to the day: 1 from a month after closing, 3 from three, 6 from six until a year; month ends kept")
    func dueDays() {
        let closed = Self.day(2026, 1, 31)
        let events = Self.events(closed: closed)
        let cases: [(CalendarDay, Int?)] = [
            (Self.day(2026, 1, 31), nil), (Self.day(2026, 2, 27), nil),
            (Self.day(2026, 2, 28), 1),  // 31 January plus a month: the last day of February
            (Self.day(2026, 4, 29), 1), (Self.day(2026, 4, 30), 3), (Self.day(2026, 7, 30), 3), (Self.day(2026, 7, 31), 6),
            (Self.day(2027, 1, 30), 6), (Self.day(2027, 1, 31), nil), (Self.day(2030, 1, 1), nil),
        ]
        for (today, expected) in cases {
            #expect(DetrimentCheckIn.due(events: events, today: today) == expected, "\(today)")
        }
        #expect(DetrimentCheckIn.due(events: Self.events(closed: nil), today: Self.day(2026, 12, 1)) == nil)
    }

    @Test("answered once: an answer for a month closes that window only")
    func answeredOnce() {
        let closed = Self.day(2026, 3, 10)
        #expect(DetrimentCheckIn.due(events: Self.events(closed: closed, answered: ["1 no"]), today: Self.day(2026, 4, 20)) == nil)
        #expect(DetrimentCheckIn.due(events: Self.events(closed: closed, answered: ["1 no"]), today: Self.day(2026, 6, 10)) == 3)
        #expect(DetrimentCheckIn.due(events: Self.events(closed: closed, answered: ["3 rather-not-say"]), today: Self.day(2026, 9, 10)) == 6)
        #expect(DetrimentCheckIn.due(events: Self.events(closed: closed, answered: ["6 yes SU-7KQ4-M2XE"]), today: Self.day(2026, 9, 10)) == nil)
    }

    @Test("the texts kept read back; anything else is not an answer")
    func texts() {
        let yes = DetrimentCheckIn.Recorded(months: 3, answer: .yes, linked: CaseReference("SU-7KQ4-M2XE"))
        #expect(yes.text == "3 yes SU-7KQ4-M2XE")
        #expect(DetrimentCheckIn.Recorded(text: yes.text) == yes)
        #expect(DetrimentCheckIn.Recorded(text: "6 rather-not-say")?.answer == .ratherNotSay)
        for bad in ["", "2 no", "1 yes", "1 no SU-7KQ4-M2XE", "1 maybe", "x no", "1 yes SU-BAD"] {
            #expect(DetrimentCheckIn.Recorded(text: bad) == nil, "\(bad)")
        }
        #expect(DetrimentCheckIn.Link(text: "6 SU-7KQ4-M2XD") == DetrimentCheckIn.Link(months: 6, original: Self.reference))
        #expect(DetrimentCheckIn.Link(text: "6") == nil)
    }

    @Test("the linked case: detriment, raised the same way, same person; anonymous keeps nobody and only the day")
    func linkedReport() {
        let moment = Date(timeIntervalSince1970: 1_795_770_106)
        let original = Report(reference: Self.reference, wayOfRaising: .anonymous, concerns: [.bullyingOrHarassment],
                              subject: Subject(name: "Dr Smith", role: "consultant", seniority: .seniorClinician), location: "Ward 7",
                              account: "x", excludedHandlers: ["zoe"], reporter: nil, submitted: .day("2026-01-02"), station: .kiosk(location: "Atrium"))
        let linked = DetrimentCheckIn.linkedReport(from: original, months: 1, account: " \n", reference: CaseReference("SU-7KQ4-M2XE")!, at: moment)
        #expect(linked.concerns == [.detriment] && linked.subject == original.subject && linked.excludedHandlers == ["zoe"])
        #expect(linked.wayOfRaising == .anonymous && linked.reporter == nil && linked.reporterDetails == nil)
        #expect(linked.submitted == .day(CalendarDay.local(moment).description))
        #expect(linked.account.contains("SU-7KQ4-M2XD") && linked.account.contains("1 month"))
        #expect(linked.location == "")
    }

    static func fact(_ checkIns: [(CalendarDay, DetrimentCheckIn.Answer)], concerns: [ConcernCategory] = [.rudeOrAggressive],
                     submitted: CalendarDay = day(2026, 10, 1)) -> CaseFacts {
        var fact = CaseFacts(submitted: submitted, wayOfRaising: .anonymous, concerns: concerns, professionalGroup: nil, acknowledgedAfterDays: nil,
                             closedAfterDays: nil, acknowledgedLate: false, closedLate: false, speakUpAgain: nil)
        fact.checkIns = checkIns.map { CaseFacts.CheckInFact(day: $0.0, answer: $0.1) }
        return fact
    }

    @Test("the board counts the quarter's answers, by hand: 7 answered, 5 yes, small cells suppressed; linked cases count as detriment")
    func boardCounts() {
        let q3 = Quarter(year: 2026, number: 3)!
        var facts: [CaseFacts] = []
        // Five reporters said yes in the quarter; each yes opened a detriment case that quarter.
        for n in 1...5 {
            facts.append(Self.fact([(Self.day(2026, 10, n), .yes)], submitted: Self.day(2026, 6, n)))
            facts.append(Self.fact([], concerns: [.detriment], submitted: Self.day(2026, 10, n)))
        }
        facts.append(Self.fact([(Self.day(2026, 11, 1), .no), (Self.day(2027, 2, 1), .no)], submitted: Self.day(2026, 5, 1)))  // one in Q4
        facts.append(Self.fact([(Self.day(2026, 12, 31), .ratherNotSay)], submitted: Self.day(2026, 4, 1)))
        facts.append(Self.fact([(Self.day(2026, 9, 30), .yes)], submitted: Self.day(2026, 3, 1)))  // Q2: not this quarter
        let report = BoardReport(quarter: q3, facts: facts)
        #expect(report.checkIns == [.yes: 5, .no: 1, .ratherNotSay: 1])
        #expect(report.detriment.last?.count == 5)
        let lines = report.lines(width: 80)
        #expect(lines.contains("  Answered: 7   Yes, treated worse: 5   No: <5   I would rather not say: <5"))
        for line in lines { #expect(line.count <= 80 && !line.hasSuffix(" "), "\(line)") }
        let csv = report.csv.split(separator: "\n").map(String.init)
        #expect(csv.contains("2026Q3,detriment check-ins answered,all,7"))
        #expect(csv.contains("2026Q3,detriment check-ins answered,yes,5"))
        #expect(csv.contains("2026Q3,detriment check-ins answered,no,<5"))
        #expect(csv.contains("2026Q3,detriment check-ins answered,rather-not-say,<5"))
    }
}
