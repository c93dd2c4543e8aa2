import Foundation
import Testing
import SpeakUpCore
import SpeakUpStore

/// The board counted in the store (`boardTally`, over the board columns) against the board
/// counted from every case's facts (`caseFacts`, which `BoardReportTests` holds to hand counts):
/// the same text, csv and json for every quarter, on every engine, and after migration v18 /
/// pg-v5 fills the columns of a store that had cases before it.
@Suite("Conformance: the board counted in the store is the board counted from every case's facts")
struct BoardConformance {
    /// The quarters a seeded year of cases falls in, and one before any case.
    static let quarters = [Quarter(year: 2025, number: 2)!, Quarter(year: 2025, number: 3)!, Quarter(year: 2025, number: 4)!,
                           Quarter(year: 2026, number: 1)!, Quarter(year: 2026, number: 2)!, Quarter(year: 2026, number: 3)!]
    /// "Now" for the deadlines: some not met and passed, some not yet due.
    static let now = Examples.moment.addingTimeInterval(20 * Examples.day)

    @Test("a seeded year of cases gives the same board both ways, for every quarter", arguments: Engine.allCases)
    func sameBoard(engine: Engine) throws {
        let made = try engine.freshStore()
        let seeded = try Self.seed(made.store, seed: 20_261_130)
        #expect(seeded > 100)
        for quarter in Self.quarters {
            try Self.expectSame(made.store, quarter)
        }
        // The seeded quarters are not empty: every kind of figure has something in them.
        let reports = try Self.quarters.map { BoardReport(try made.store.boardTally(for: $0, now: Self.now)) }
        #expect(reports.map(\.raised).reduce(0, +) > 100)
        #expect(reports.contains { $0.acknowledge.inTime.of >= 5 && $0.close.inTime.of >= 5 })
        #expect(reports.contains { $0.answers.values.reduce(0, +) > 0 } && reports.contains { !$0.checkIns.isEmpty })
        #expect(reports.contains { $0.acknowledge.inTime.count < $0.acknowledge.inTime.of }, "some deadlines missed")
        let rows = reports.flatMap(\.rows)
        for level in PyramidLevel.allCases where level != .awareness {
            #expect(rows.contains { $0.levels[level, default: 0] > 0 }, "\(level)")
        }
        #expect(rows.contains { $0.seniority == .executive && $0.cases > 0 })
    }

    @Test("a store with cases before v18 / pg-v5 gets its board columns filled by the migration, as the write path fills them",
          arguments: Engine.allCases)
    func migrationFillsColumns(engine: Engine) throws {
        let made = try engine.freshStore()
        _ = try Self.seed(made.store, seed: 7)
        let before = try Self.quarters.map { BoardReport(try made.store.boardTally(for: $0, now: Self.now)).csv }
        // Back to the schema before the migration: the columns, their indexes and the migration's record gone.
        var statements = ["DROP INDEX case_file_board", "DROP INDEX case_file_again", "DROP INDEX case_event_check_in"]
        for column in ["raised_on", "detriment", "subject_band", "highest_level", "acknowledged_at", "acknowledged_days",
                       "closed_at", "closed_days", "again", "again_on"] {
            statements.append("ALTER TABLE case_file DROP COLUMN \(column)")
        }
        statements.append(engine == .sqlite ? "DELETE FROM grdb_migrations WHERE identifier = 'v18-board-facts'"
                                            : "DELETE FROM speakup_schema WHERE name = 'pg-v5-board-facts'")
        for statement in statements { try made.asOwner(statement) }
        // Opened again, the store runs the migration, filling the columns from the events.
        let reopened = try made.another()
        let after = try Self.quarters.map { BoardReport(try reopened.boardTally(for: $0, now: Self.now)).csv }
        #expect(after == before)
        for quarter in Self.quarters { try Self.expectSame(reopened, quarter) }
    }

    static func expectSame(_ store: any OpenedStore, _ quarter: Quarter, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fromFacts = BoardReport(quarter: quarter, facts: try store.caseFacts(now: now))
        let fromColumns = BoardReport(try store.boardTally(for: quarter, now: now))
        #expect(fromColumns.lines(width: 80) == fromFacts.lines(width: 80), "\(quarter)", sourceLocation: sourceLocation)
        #expect(fromColumns.csv == fromFacts.csv, "\(quarter)", sourceLocation: sourceLocation)
        #expect(fromColumns.json == fromFacts.json, "\(quarter)", sourceLocation: sourceLocation)
        #expect(fromColumns.raised == fromFacts.raised, sourceLocation: sourceLocation)
        #expect(fromColumns.acknowledge.days.sorted() == fromFacts.acknowledge.days.sorted(), sourceLocation: sourceLocation)
        #expect(fromColumns.close.days.sorted() == fromFacts.close.days.sorted(), sourceLocation: sourceLocation)
    }

    /// About 150 cases over a year and a half, of every way of raising, seniority, level and
    /// outcome: acknowledged (or answered by a message) early or late, closed, answered "would you
    /// speak up again?", escalated, level changed by a handler, check-ins answered, and some left
    /// past their deadlines. Returns how many were raised.
    static func seed(_ store: any OpenedStore, seed: UInt64) throws -> Int {
        var random = SeededRandom(seed: seed)
        let start = Examples.moment.addingTimeInterval(-540 * Examples.day)
        let desk = store.desk(policy: EveryoneMay())
        let router = BandRouter()
        var raised = 0
        for number in 0..<150 {
            let at = start.addingTimeInterval(Double(Int.random(in: 0..<(540 * 86_400), using: &random)))
            let way = [WayOfRaising.open, .confidential, .confidential, .anonymous].randomElement(using: &random)!
            var concerns: [ConcernCategory] = [[.rudeOrAggressive], [.unsafePractice], [.detriment], [.bullyingOrHarassment, .detriment]]
                .randomElement(using: &random)!
            if number % 11 == 0 { concerns = [.other] }
            let seniority = Seniority.allCases.randomElement(using: &random)!
            let report = Report(reference: .random(), wayOfRaising: way, concerns: concerns,
                                subject: Subject(name: "Person \(number % 17)", role: "role", seniority: seniority), location: "Ward \(number % 5)",
                                harm: number % 9 == 0 ? .severe : .none, account: number % 4 == 0 ? "taken higher" : "as reported",
                                reporter: way == .anonymous ? nil : Examples.ben,
                                reporterDetails: ReporterDetails(name: way == .anonymous ? "" : "Ben", contact: "", professionalGroup: .nursing),
                                submitted: .recorded(for: way, at: at))
            let stored = try store.submit(report, receipt: nil, discardingDraftOf: nil, router: router)
            raised += 1
            let reference = stored.reference
            let roll = Int.random(in: 0..<100, using: &random)
            if roll < 12, try store.escalate(reference, missed: .acknowledge, at: at.addingTimeInterval(9 * Examples.day), decide: { _, routing in
                var higher = routing
                higher.level = .disciplinary
                return higher
            }) {
                continue
            }
            if roll >= 75 { continue }  // never acknowledged: late once its deadline has passed
            let acknowledged = at.addingTimeInterval(Double(Int.random(in: 60..<(12 * 86_400), using: &random)))
            try desk.act(roll % 5 == 0 ? .message("We have your report.") : .acknowledge, on: reference, by: "asha", at: acknowledged)
            if roll % 7 == 0 { try desk.act(.changeLevel(.authority), on: reference, by: "asha", at: acknowledged.addingTimeInterval(60)) }
            guard roll < 55 else { continue }
            let closed = acknowledged.addingTimeInterval(Double(Int.random(in: 3_600..<(120 * 86_400), using: &random)))
            _ = try store.appendEvent(to: reference, kind: .closed, text: "Resolved informally.", actor: "asha", at: closed)
            if roll % 3 != 0 {
                let answer = SpeakUpAgain.allCases.randomElement(using: &random)!
                _ = try store.appendEvent(to: reference, kind: .speakUpAgain, text: answer.rawValue, actor: way == .anonymous ? nil : "ben",
                                          at: closed.addingTimeInterval(Double(Int.random(in: 60..<(40 * 86_400), using: &random))))
            }
            if way != .anonymous, roll % 4 == 1 {
                let due = CalendarDay.local(closed).adding(months: 1)
                // (Due on the local day a month after closing: answered at its noon.)
                let answered = try store.answerCheckIn(on: reference, answer: roll % 8 == 1 ? .yes : .no, account: "", receipt: nil, actor: "ben",
                                                       router: router, at: due.deadlineStart.addingTimeInterval(12 * 3_600))
                if answered.linked != nil { raised += 1 }
            }
        }
        return raised
    }
}

/// Routes like `CountingRouter`, and for an account that says so takes a higher seniority, saying
/// so in its explanation as routing from the directory does (the board reads it back).
struct BandRouter: CaseRouter {
    func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
        let urgent = report.harm == .severe
        var explanation = ["Routed for the board's conformance test."]
        if report.account == "taken higher", report.subjectSeniority < .executive {
            explanation.append(Seniority.takenByRouting(.executive, reported: report.subjectSeniority))
        }
        return CaseRouting(level: urgent ? .urgent : .informal, roles: ["guardian"], handlers: ["asha", "gita"],
                           acknowledgeBy: from.addingTimeInterval(urgent ? Examples.day : 7 * Examples.day),
                           feedBackBy: from.addingTimeInterval(90 * Examples.day), explanation: explanation)
    }
}
