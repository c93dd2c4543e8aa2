import Foundation
import Testing
import SpeakUpCore

@Suite("Conformance: how reporters describe themselves, kept apart and only counted (each engine)")
struct CharacteristicsConformance {
    static let november = CalendarDay(year: 2026, month: 11, day: 1)!
    static let endOfNovember = CalendarDay(year: 2026, month: 11, day: 30)!

    static func described(_ answers: [Characteristic: String]) -> ReporterCharacteristics {
        ReporterCharacteristics(answers)!
    }

    static func report(_ way: WayOfRaising, station: Station = .personal, _ described: ReporterCharacteristics?) -> Report {
        var report = Examples.report(way)
        if station != .personal {
            report = Report(reference: .random(), wayOfRaising: way, concerns: report.concerns, subject: report.subject,
                            location: report.location, account: report.account, reporter: nil, submitted: report.submitted, station: station)
        }
        report.characteristics = described
        return report
    }

    @Test("a confidential or open reporter's description is kept with the submit, by month, and never read back with the report",
          arguments: Engine.allCases)
    func keptApart(engine: Engine) throws {
        let made = try engine.freshStore()
        let asian = Self.described([.ethnicGroup: "asian", .ageBand: "35-44"])
        let stored = try made.store.submit(Self.report(.confidential, asian), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        _ = try made.store.submit(Self.report(.open, Self.described([.disability: "yes"])), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        let kept = try made.store.characteristics(from: Self.november, through: Self.endOfNovember)
        #expect(Set(kept) == [asian, Self.described([.disability: "yes"])])
        #expect(try made.store.characteristics(from: CalendarDay(year: 2026, month: 12, day: 1)!, through: CalendarDay(year: 2027, month: 2, day: 28)!).isEmpty)
        #expect(stored.characteristics == asian, "what was sent is what the form had")
        let readBack = try #require(try made.store.allReports().first { $0.reference == stored.reference })
        #expect(readBack.characteristics == nil, "a stored report never carries its reporter's description")
        // Nothing in the row leads back to a report, a person or a day.
        let rows = try made.transfer.rows(of: "reporter_characteristics")
        #expect(rows.columns.sorted() == ["age_band", "disability", "ethnic_group", "id", "month", "religion", "sex", "sexual_orientation", "training"])
        #expect(rows.rows.count == 2)
        for row in rows.rows {
            let texts = row.compactMap { value -> String? in if case .text(let text) = value { return text } else { return nil } }
            #expect(!texts.contains(stored.reference.text))
            #expect(texts.contains("2026-11"))
        }
    }

    @Test("anonymous reports, a kiosk's, and a description left at \"prefer not to say\" keep nothing", arguments: Engine.allCases)
    func nothingKept(engine: Engine) throws {
        let made = try engine.freshStore()
        let white = Self.described([.ethnicGroup: "white"])
        _ = try made.store.submit(Self.report(.anonymous, white), receipt: .random(), discardingDraftOf: nil, router: CountingRouter())
        _ = try made.store.submit(Self.report(.anonymous, station: .kiosk(location: "Main entrance"), white), receipt: .random(),
                                  discardingDraftOf: nil, router: CountingRouter())
        _ = try made.store.submit(Self.report(.confidential, ReporterCharacteristics()), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        _ = try made.store.submit(Self.report(.confidential, nil), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        #expect(try made.store.characteristics(from: Self.november, through: Self.endOfNovember).isEmpty)
        #expect(try made.transfer.count(of: "reporter_characteristics") == 0)
        #expect(try made.store.allReports().count == 4)
    }

    @Test("descriptions are appended, never changed: the database refuses an update or a removal", arguments: Engine.allCases)
    func appendOnly(engine: Engine) throws {
        let made = try engine.freshStore()
        _ = try made.store.submit(Self.report(.confidential, Self.described([.sex: "female"])), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        #expect(throws: (any Error).self) { try made.raw("UPDATE reporter_characteristics SET sex = 'male'") }
        #expect(throws: (any Error).self) { try made.raw("DELETE FROM reporter_characteristics") }
        #expect(try made.store.characteristics(from: Self.november, through: Self.endOfNovember) == [Self.described([.sex: "female"])])
    }

    @Test("an answer SpeakUp does not know is damage, said plainly, never counted as something else", arguments: Engine.allCases)
    func unknownAnswer(engine: Engine) throws {
        let made = try engine.freshStore()
        try made.raw("""
            INSERT INTO reporter_characteristics (id, month, ethnic_group, disability, sex, sexual_orientation, religion, age_band, training)
            VALUES ('00ff', '2026-11', 'martian', 'prefer-not-to-say', 'prefer-not-to-say', 'prefer-not-to-say', 'prefer-not-to-say',
                    'prefer-not-to-say', 'prefer-not-to-say')
            """)
        let error = #expect(throws: StoreError.self) { _ = try made.store.characteristics(from: Self.november, through: Self.endOfNovember) }
        #expect(error?.sentence.contains("does not know") == true)
    }
}
