import Testing
@testable import SpeakUpCore

@Suite("Quarters, the NGO data return and the statistics")
struct DataReturnTests {
    static func fact(_ day: CalendarDay, _ way: WayOfRaising = .confidential, _ concerns: [ConcernCategory], group: ProfessionalGroup? = nil,
                     again: SpeakUpAgain? = nil, answered: CalendarDay? = nil) -> CaseFacts {
        CaseFacts(submitted: day, wayOfRaising: way, concerns: concerns, professionalGroup: group, acknowledgedAfterDays: nil,
                  closedAfterDays: nil, acknowledgedLate: false, closedLate: false, speakUpAgain: again, answeredOn: answered)
    }

    @Test("quarters are the NHS financial year's; malformed ones are refused", arguments: [
        ("2026Q1", "2026-04-01", "2026-06-30"), ("2026Q3", "2026-10-01", "2026-12-31"), ("2026q4", "2027-01-01", "2027-03-31"),
    ])
    func quarters(text: String, first: String, last: String) throws {
        let quarter = try #require(Quarter(typed: text))
        #expect(quarter.first.description == first && quarter.last.description == last)
    }

    @Test("malformed quarters", arguments: ["2026Q5", "2026Q0", "26Q1", "2026-Q1", "Q1", "", "2026Q", "２０２６Q1", "2026Q1x"])
    func malformed(text: String) {
        #expect(Quarter(typed: text) == nil)
    }

    @Test("a seeded quarter, counted by hand")
    func seeded() {
        let q3 = Quarter(year: 2026, number: 3)!
        let day = { (m: Int, d: Int) in CalendarDay(year: 2026, month: m, day: d)! }
        let facts = [
            Self.fact(day(10, 1), .anonymous, [.unsafePractice, .rudeOrAggressive]),          // safety, attitudes
            Self.fact(day(11, 15), .open, [.bullyingOrHarassment], group: .nursing),           // bullying
            Self.fact(day(12, 31), .confidential, [.discrimination, .detriment], group: .medical, again: .yes, answered: day(12, 31)),
            Self.fact(day(9, 30), .open, [.workerSafety], group: .nursing, again: .no, answered: day(10, 2)),  // raised in Q2, answered in Q3
            Self.fact(CalendarDay(year: 2027, month: 1, day: 1)!, .anonymous, [.other]),       // Q4
        ]
        let figures = Dictionary(uniqueKeysWithValues: DataReturn(quarter: q3, facts: facts).lines.map { ($0.measure, $0.count) })
        #expect(figures["cases raised"] == 3)
        #expect(figures["cases raised anonymously"] == 1)
        #expect(figures["cases with an element of patient safety or quality"] == 1)
        #expect(figures["cases with an element of worker safety or wellbeing"] == 0)
        #expect(figures["cases with an element of bullying or harassment"] == 1)
        #expect(figures["cases with an element of inappropriate attitudes or behaviours"] == 2)
        #expect(figures["cases with an element of detriment for speaking up"] == 1)
        #expect(figures["cases raised by professional group: nursing"] == 1)
        #expect(figures["cases raised by professional group: medical-dental"] == 1)
        #expect(figures["cases raised by professional group: not known"] == 1)
        #expect(figures["feedback: would speak up again: yes"] == 1)
        #expect(figures["feedback: would speak up again: no"] == 1)
        let csv = DataReturn(quarter: q3, facts: facts).csv
        #expect(csv.hasPrefix("quarter,measure,count\n2026Q3,cases raised,3\n"))
    }

    @Test("statistics show 1 to 4 as <5 and draw no bar for them")
    func suppression() {
        #expect(CaseStatistics.shown(0) == "0" && CaseStatistics.shown(4) == "<5" && CaseStatistics.shown(5) == "5")
        let today = CalendarDay(year: 2026, month: 11, day: 27)!
        let facts = (0..<3).map { _ in Self.fact(today, .open, [.detriment]) } + (0..<12).map { _ in Self.fact(today, .open, [.unsafePractice]) }
        let lines = CaseStatistics(facts: facts, today: today).lines(width: 80)
        let detriment = lines.first { $0.contains("Detriment") }!
        #expect(detriment.contains("<5") && !detriment.contains("█"))
        let unsafe = lines.first { $0.contains("Unsafe practice") }!
        #expect(unsafe.contains("12") && unsafe.contains("█"))
        #expect(lines.first { $0.contains("Nov 2026") }!.contains("15"))
    }

    @Test("the figures are in words, not slugs, and no line ends in spaces (speakup stats prints them)")
    func figuresInWords() {
        let today = CalendarDay(year: 2026, month: 11, day: 27)!
        var facts = (0..<6).map { _ in Self.fact(today, .open, [.rudeOrAggressive, .lackOfCompassion]) }
        facts += (0..<2).map { _ in Self.fact(today, .anonymous, [.workerSafety]) }
        for index in 0..<5 { facts[index].speakUpAgain = .dontKnow }
        let text = CaseStatistics(facts: facts, today: today).lines(width: 76).joined(separator: "\n")
        #expect(text == Self.statsSnapshot)
        for slug in ["rude-or-aggressive", "lack-of-compassion", "worker-safety", "dont-know"] { #expect(!text.contains(slug)) }
        #expect(!text.split(separator: "\n", omittingEmptySubsequences: false).contains { $0.hasSuffix(" ") })
    }

    static let statsSnapshot = """
        Cases raised, last 12 months (about 10 in the store since it began)
          Dec 2025     0
          Jan 2026     0
          Feb 2026     0
          Mar 2026     0
          Apr 2026     0
          May 2026     0
          Jun 2026     0
          Jul 2026     0
          Aug 2026     0
          Sep 2026     0
          Oct 2026     0
          Nov 2026     8  ██████████████████████████████████████████████

        Elements of each category (a case can have several)
          Rude or aggressive          6  ██████████████████████████████
          Unsafe practice             0
          Lack of compassion          6  ██████████████████████████████
          Bullying or harassment      0
          Discrimination              0
          Worker safety              <5
          Detriment                   0
          Other                       0

        Time to acknowledge: median not shown (fewer than 5 cases) over 0 cases; 0 past the deadline
        Time to close:       median not shown (fewer than 5 cases) over 0 cases; 0 past the deadline

        "Given your experience, would you speak up again?"
          Yes: 0   No: 0   Maybe: 0   I don't know: 5

        Counts from 1 to 4 are shown as <5, and draw no bar: small numbers can identify people.
        """
}
