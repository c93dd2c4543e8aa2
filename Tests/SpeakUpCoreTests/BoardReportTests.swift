import Foundation
import Testing
@testable import SpeakUpCore

@Suite("What the board monitors: the figures against hand counts")
struct BoardReportTests {
    static let q3 = Quarter(year: 2026, number: 3)!

    static func day(_ month: Int, _ day: Int, _ year: Int = 2026) -> CalendarDay { CalendarDay(year: year, month: month, day: day)! }

    static func fact(_ day: CalendarDay, _ seniority: Seniority, level: PyramidLevel = .informal, concerns: [ConcernCategory] = [.rudeOrAggressive],
                     acknowledged: Double? = nil, ackLate: Bool = false, closed: Double? = nil, closeLate: Bool = false,
                     again: SpeakUpAgain? = nil, answered: CalendarDay? = nil) -> CaseFacts {
        CaseFacts(submitted: day, wayOfRaising: .confidential, concerns: concerns, professionalGroup: nil, acknowledgedAfterDays: acknowledged,
                  closedAfterDays: closed, acknowledgedLate: ackLate, closedLate: closeLate, speakUpAgain: again, answeredOn: answered,
                  subjectSeniority: seniority, highestLevel: level)
    }

    /// Ten cases about practitioners (half acknowledged late, five closed, half at awareness, five answering yes),
    /// three about an executive, one about nobody sure, and cases in earlier quarters.
    static var handWritten: [CaseFacts] {
        var facts: [CaseFacts] = []
        for n in 1...10 {
            facts.append(fact(day(10, n), .practitioner, level: n <= 5 ? .informal : .awareness, acknowledged: Double(n), ackLate: n > 5,
                              closed: n <= 5 ? Double(n * 10) : nil, again: n <= 5 ? .yes : nil, answered: n <= 5 ? day(12, 1) : nil))
        }
        for n in 1...3 { facts.append(fact(day(11, n), .executive, level: .urgent, concerns: [.detriment], acknowledged: 1)) }
        facts.append(fact(day(12, 31), .unknown))
        facts.append(fact(day(9, 30), .staff, again: .no, answered: day(10, 2)))  // raised in Q2, answered in Q3
        for n in 1...6 { facts.append(fact(day(5, n), .staff, concerns: [.detriment])) }  // Q1
        facts.append(fact(day(1, 1, 2027), .board))  // Q4: not counted
        return facts
    }

    @Test("a hand-written quarter: months, quarters, deadlines, answers, detriment")
    func handCounts() {
        let report = BoardReport(quarter: Self.q3, facts: Self.handWritten)
        #expect(report.months.map(\.count) == [10, 3, 1])
        #expect(report.months.map(\.title) == ["Oct 2026", "Nov 2026", "Dec 2026"])
        #expect(report.quarters.map(\.title) == ["Q4 2025/26", "Q1 2026/27", "Q2 2026/27", "Q3 2026/27"])
        #expect(report.quarters.map(\.count) == [0, 6, 1, 14])
        #expect(report.detriment.map(\.count) == [0, 6, 0, 3])
        // 13 acknowledged (10 practitioners, 3 executives), 5 of them late.
        #expect(report.acknowledge.inTime == BoardReport.Share(count: 8, of: 13))
        #expect(report.acknowledge.median == 4)  // 1,1,1,1,2,3,4,...,10: the 7th of 13
        #expect(report.close.inTime == BoardReport.Share(count: 5, of: 5) && report.close.median == 30)
        #expect(report.answers == [.yes: 5, .no: 1])
        #expect(report.again == BoardReport.Share(count: 5, of: 6))
        #expect(report.again.shown == "*")  // one "no" on the other side: not shown
    }

    @Test("the seniority rows: counts, deadlines, levels and answers, with small cells suppressed")
    func seniorityRows() {
        let report = BoardReport(quarter: Self.q3, facts: Self.handWritten)
        #expect(report.rows.map(\.seniority) == Seniority.allCases)
        #expect(report.rows.last?.seniority.title == "Not sure")
        let practitioner = report.rows.first { $0.seniority == .practitioner }!
        #expect(practitioner.cases == 10)
        #expect(practitioner.acknowledge.inTime.shown == "50%")
        #expect(practitioner.close.median == 30)
        #expect(practitioner.level(.informal).shown == "50%" && practitioner.level(.awareness).shown == "50%" && practitioner.level(.urgent).shown == "0%")
        #expect(practitioner.again.shown == "100%")
        let executive = report.rows.first { $0.seniority == .executive }!
        #expect(executive.cases == 3)
        #expect(executive.acknowledge.inTime.shown == "*" && executive.level(.urgent).shown == "*" && executive.level(.informal).shown == "*")
        #expect(executive.close.median == nil && executive.again.shown == "-")
        let staff = report.rows.first { $0.seniority == .staff }!
        #expect(staff.cases == 0 && staff.again == BoardReport.Share(count: 0, of: 1) && staff.again.shown == "*")
        #expect(report.rows.first { $0.seniority == .board }!.cases == 0)  // raised in Q4
        #expect(report.rows.first { $0.seniority == .unknown }!.cases == 1)
    }

    @Test("text: every line within the width, no trailing spaces, <5 with no bar, the seniority heading and rows")
    func text() {
        let lines = BoardReport(quarter: Self.q3, facts: Self.handWritten).lines(width: 80)
        for line in lines { #expect(line.count <= 80 && !line.hasSuffix(" "), "\(line)") }
        #expect(lines.contains("  Oct 2026        10  " + String(repeating: "█", count: 58)))
        #expect(lines.contains("  Nov 2026        <5"))
        #expect(lines.contains("  Q3 2026/27      14  " + String(repeating: "█", count: 58)))
        #expect(lines.contains { $0.hasPrefix("Does seniority shield anyone?") })
        #expect(lines.contains("  Practitioner          10    50%     30d  50%  50%   0%   0%   0%   100%"))
        #expect(lines.contains("  Executive             <5      *       -    *    *    *    *    *      -"))
        #expect(lines.contains("  Not sure              <5      -       -    *    *    *    *    *      -"))
        #expect(lines.contains("  Acknowledged   62%  " + String(repeating: "█", count: 62 * 48 / 100)))
        #expect(lines.contains("  Yes              *"))  // suppressed: no bar
        // Wider terminals draw longer bars.
        #expect(BoardReport(quarter: Self.q3, facts: Self.handWritten).lines(width: 120).contains("  Oct 2026        10  " + String(repeating: "█", count: 98)))
    }

    @Test("csv and json hold every cell as shown, suppressed cells included as <5 or *")
    func papers() throws {
        let report = BoardReport(quarter: Self.q3, facts: Self.handWritten)
        let csv = report.csv.split(separator: "\n").map(String.init)
        #expect(csv.first == "quarter,figure,row,value")
        #expect(csv.contains("2026Q3,subject seniority: cases,executive,<5"))
        #expect(csv.contains("2026Q3,subject seniority: acknowledged in time (percent),practitioner,50"))
        #expect(csv.contains("2026Q3,subject seniority: highest level urgent (percent),executive,*"))
        #expect(csv.contains("2026Q3,median days to close,all,30.0"))
        #expect(csv.contains("2026Q3,cases raised by quarter,Q1 2026/27,6"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        let figures = try #require(object["figures"] as? [[String: Any]])
        #expect(figures.count == csv.count - 1)
        #expect(figures.first { $0["figure"] as? String == "cases raised by month" && $0["row"] as? String == "Oct 2026" }?["value"] as? Int == 10)
    }

    @Test("a seeded set of facts: every figure equals a plain count over the facts")
    func seeded() {
        var random = SeededRandom(seed: UInt64(ProcessInfo.processInfo.environment["SPEAKUP_TEST_SEED"] ?? "") ?? 2026)
        var facts: [CaseFacts] = []
        for _ in 0..<3000 {
            let submitted = Self.day(1, 1).adding(days: Int.random(in: 0..<500, using: &random))
            let acknowledged: Double? = Bool.random(using: &random) ? Double(Int.random(in: 0..<20, using: &random)) : nil
            let again: SpeakUpAgain? = Int.random(in: 0..<3, using: &random) == 0 ? SpeakUpAgain.allCases.randomElement(using: &random) : nil
            facts.append(Self.fact(submitted, Seniority.allCases.randomElement(using: &random)!, level: PyramidLevel.allCases.randomElement(using: &random)!,
                                   concerns: Bool.random(using: &random) ? [.detriment] : [.other],
                                   acknowledged: acknowledged, ackLate: Int.random(in: 0..<4, using: &random) == 0,
                                   closed: Bool.random(using: &random) ? Double(Int.random(in: 0..<90, using: &random)) : nil,
                                   closeLate: Bool.random(using: &random), again: again,
                                   answered: again == nil ? nil : submitted.adding(days: Int.random(in: 0..<60, using: &random))))
        }
        let report = BoardReport(quarter: Self.q3, facts: facts)
        let raised = facts.filter { Self.q3.contains($0.submitted) }
        let answered = facts.filter { $0.speakUpAgain != nil && $0.answeredOn.map(Self.q3.contains) == true }
        #expect(report.raised == raised.count)
        #expect(report.months.map(\.count) == [10, 11, 12].map { month in raised.filter { $0.submitted.month == month }.count })
        let q2 = Quarter(year: 2026, number: 2)!
        #expect(report.quarters[2].count == facts.filter { q2.contains($0.submitted) }.count)
        #expect(report.detriment[3].count == raised.filter { $0.concerns.contains(.detriment) }.count)
        let acknowledgedOrLate = raised.filter { $0.acknowledgedAfterDays != nil || $0.acknowledgedLate }
        #expect(report.acknowledge.inTime.of == acknowledgedOrLate.count)
        #expect(report.acknowledge.inTime.count == raised.filter { $0.acknowledgedAfterDays != nil && !$0.acknowledgedLate }.count)
        #expect(report.again.of == answered.count && report.again.count == answered.filter { $0.speakUpAgain == .yes }.count)
        for row in report.rows {
            let mine = raised.filter { $0.subjectSeniority == row.seniority }
            #expect(row.cases == mine.count)
            #expect(row.close.days.sorted() == mine.compactMap(\.closedAfterDays).sorted())
            for level in PyramidLevel.allCases { #expect(row.level(level).count == mine.filter { $0.highestLevel == level }.count) }
            #expect(row.again.of == answered.filter { $0.subjectSeniority == row.seniority }.count)
        }
        #expect(report.rows.map(\.cases).reduce(0, +) == raised.count)
    }

    /// What an engine does: the hand-written quarter's cases given as counts of alike cases (by
    /// day, by everything the quarter's figures read, answers by band), not one by one.
    @Test("the same quarter counted in groups, as an engine counts in SQL, gives the same report")
    func countedInGroups() {
        var tally = BoardTally(quarter: Self.q3)
        tally.addRaised(on: Self.day(5, 1), detriment: true, count: 6)  // Q1's six, all on one day: the same quarter
        tally.addRaised(on: Self.day(9, 30), detriment: false)
        tally.addRaised(on: Self.day(1, 1, 2027), detriment: false)  // after the quarter: not counted
        for n in 1...10 {
            tally.addRaised(on: Self.day(10, n), detriment: false)
            tally.addCase(seniority: .practitioner, highestLevel: n <= 5 ? .informal : .awareness, acknowledgedAfterDays: Double(n),
                          acknowledgedLate: n > 5, closedAfterDays: n <= 5 ? Double(n * 10) : nil, closedLate: false)
        }
        tally.addAnswer(.yes, seniority: .practitioner, count: 5)
        tally.addAnswer(.no, seniority: .staff)
        for n in 1...3 { tally.addRaised(on: Self.day(11, n), detriment: true) }
        tally.addCase(seniority: .executive, highestLevel: .urgent, acknowledgedAfterDays: 1, acknowledgedLate: false,
                      closedAfterDays: nil, closedLate: false, count: 3)
        tally.addRaised(on: Self.day(12, 31), detriment: false)
        tally.addCase(seniority: .unknown, highestLevel: .informal, acknowledgedAfterDays: nil, acknowledgedLate: false,
                      closedAfterDays: nil, closedLate: false)
        let grouped = BoardReport(tally), fromFacts = BoardReport(quarter: Self.q3, facts: Self.handWritten)
        #expect(grouped.lines(width: 80) == fromFacts.lines(width: 80))
        #expect(grouped.csv == fromFacts.csv && grouped.json == fromFacts.json)
        #expect(grouped == fromFacts)
    }
}
