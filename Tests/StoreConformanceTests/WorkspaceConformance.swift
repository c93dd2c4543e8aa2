import Foundation
import Testing
import SpeakUpCore

@Suite("Conformance: the handlers' workspace, filters, search and statistics facts (each engine)")
struct WorkspaceConformance {
    /// Three cases for asha and gita: an urgent one on Ward 9, two others on Ward 7.
    static func threeCases(_ store: any OpenedStore) throws -> (urgent: Report, shouted: Report, ignored: Report) {
        let router = CountingRouter()
        let urgent = try store.submit(Examples.report(account: "Left a deteriorating patient unobserved.", concerns: [.unsafePractice],
                                                      location: "Ward 9", harm: .severe, at: Examples.moment),
                                      receipt: nil, discardingDraftOf: nil, router: router)
        let shouted = try store.submit(Examples.report(account: "Shouted at a student nurse during handover.", at: Examples.moment.addingTimeInterval(60)),
                                       receipt: nil, discardingDraftOf: nil, router: router)
        let ignored = try store.submit(Examples.report(account: "Ignored call bells all night.", concerns: [.lackOfCompassion],
                                                       at: Examples.moment.addingTimeInterval(120)),
                                       receipt: nil, discardingDraftOf: nil, router: router)
        return (urgent, shouted, ignored)
    }

    @Test("the queue shows a handler their cases, most urgent first, and nobody else's", arguments: Engine.allCases)
    func queue(engine: Engine) throws {
        let made = try engine.freshStore()
        let cases = try Self.threeCases(made.store)
        _ = try made.store.submit(Examples.report(account: "For someone else."), receipt: nil, discardingDraftOf: nil, router: CountingRouter(handlers: ["ned"]))
        let desk = made.store.desk(policy: EveryoneMay())
        let page = try desk.queue(QueueQuery(), for: "asha", now: Examples.moment.addingTimeInterval(3_600))
        #expect(page.rows.count == 3)
        #expect(page.rows.first?.reference == cases.urgent.reference)
        #expect(page.rows.first?.level == .urgent)
        #expect(Set(page.rows.map(\.reference)) == [cases.urgent.reference, cases.shouted.reference, cases.ignored.reference])
        #expect(try desk.queue(QueueQuery(), for: "nobody", now: Examples.moment).rows.isEmpty)
    }

    @Test("filters: status, level, overdue, category, location, and paging", arguments: Engine.allCases)
    func filters(engine: Engine) throws {
        let made = try engine.freshStore()
        let cases = try Self.threeCases(made.store)
        let desk = made.store.desk(policy: EveryoneMay())
        let now = Examples.moment.addingTimeInterval(2 * Examples.day)
        try desk.act(.acknowledge, on: cases.shouted.reference, by: "asha", at: Examples.moment.addingTimeInterval(600))
        func refs(_ change: (inout QueueQuery) -> Void) throws -> Set<CaseReference> {
            var query = QueueQuery()
            change(&query)
            return Set(try desk.queue(query, for: "asha", now: now).rows.map(\.reference))
        }
        #expect(try refs { $0.status = .new } == [cases.urgent.reference, cases.ignored.reference])
        #expect(try refs { $0.status = .acknowledged } == [cases.shouted.reference])
        #expect(try refs { $0.level = .urgent } == [cases.urgent.reference])
        #expect(try refs { $0.overdueOnly = true } == [cases.urgent.reference])
        #expect(try refs { $0.category = .lackOfCompassion } == [cases.ignored.reference])
        #expect(try refs { $0.location = "ward 9" } == [cases.urgent.reference])
        var firstTwo = QueueQuery()
        firstTwo.limit = 2
        let first = try desk.queue(firstTwo, for: "asha", now: now)
        #expect(first.rows.count == 2)
        firstTwo.offset = first.fetched
        #expect(try desk.queue(firstTwo, for: "asha", now: now).rows.count == 1)
    }

    @Test("search finds words and the start of words in accounts and notes, and never another handler's case", arguments: Engine.allCases)
    func search(engine: Engine) throws {
        let made = try engine.freshStore()
        let cases = try Self.threeCases(made.store)
        _ = try made.store.submit(Examples.report(account: "Shouted at porters."), receipt: nil, discardingDraftOf: nil, router: CountingRouter(handlers: ["ned"]))
        try made.store.indexPendingWords()
        let desk = made.store.desk(policy: EveryoneMay())
        try desk.act(.note("Spoke to the ward manager about the bells."), on: cases.ignored.reference, by: "asha", at: Examples.moment.addingTimeInterval(600))
        try made.store.indexPendingWords()
        func found(_ words: String) throws -> Set<CaseReference> {
            var query = QueueQuery()
            query.search = words
            query.status = .all
            return Set(try desk.queue(query, for: "asha", now: Examples.moment).rows.map(\.reference))
        }
        #expect(try found("shouted") == [cases.shouted.reference])
        #expect(try found("shou") == [cases.shouted.reference])
        #expect(try found("deteriorating patient") == [cases.urgent.reference])
        #expect(try found("manager") == [cases.ignored.reference])
        #expect(try found("nothing-like-this") == [])
    }

    /// Past the queue's first 2,000 cases a search for words in few of them starts from the matches
    /// instead of reading the queue on (both engines, `walkBudget`): the same cases, in the same order.
    @Test("a search past the first 2,000 cases of a queue finds the same cases in queue order, however it is run", arguments: Engine.allCases)
    func searchBeyondTheWalk(engine: Engine) throws {
        let made = try engine.freshStore()
        let received = { (report: Report) in [CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted)] }
        var reports: [(Report, [CaseEvent])] = []
        for index in 0..<2_300 {
            // Words in every case, in every tenth, and in four near the end of the queue; a fifth of them about detriment.
            let rare = [2_100, 2_150, 2_200, 2_290].contains(index) ? " The zebrafinch alarm rang." : ""
            let report = Examples.report(account: "Shouted on shift \(index)." + (index % 10 == 0 ? " Porters waited." : "") + rare,
                                         concerns: index % 5 == 0 ? [.detriment] : [.rudeOrAggressive],
                                         at: Examples.moment.addingTimeInterval(Double(index) * 60))
            reports.append((report, received(report)))
        }
        try made.store.importReports(reports, router: CountingRouter(handlers: ["asha"]), by: "importer", at: Examples.moment)
        try made.store.indexPendingWords()
        let desk = made.store.desk(policy: EveryoneMay())
        var all = QueueQuery()
        all.status = .all
        all.limit = 5_000
        let order = try desk.queue(all, for: "asha", now: Examples.moment).rows.map(\.reference)
        #expect(order.count == 2_300)
        let words = Dictionary(uniqueKeysWithValues: reports.map { ($0.0.reference, $0.0.account) })
        func found(_ typed: String, offset: Int = 0, limit: Int = 100, category: ConcernCategory? = nil) throws -> [CaseReference] {
            var query = QueueQuery()
            query.search = typed
            query.status = .all
            query.offset = offset
            query.limit = limit
            query.category = category
            return try desk.queue(query, for: "asha", now: Examples.moment).rows.map(\.reference)
        }
        func expected(_ word: String, offset: Int = 0, limit: Int = 100, category: ConcernCategory? = nil) -> [CaseReference] {
            Array(order.filter { reference in
                (words[reference] ?? "").lowercased().contains(word)
                    && (category == nil || reports.first { $0.0.reference == reference }?.0.concerns.contains(category!) == true)
            }.dropFirst(offset).prefix(limit))
        }
        #expect(try found("zebrafinch") == expected("zebrafinch"))
        #expect(try found("zebrafinch").count == 4)
        #expect(try found("zebra") == expected("zebra"), "the start of a word")
        #expect(try found("zebrafinch", offset: 2) == expected("zebrafinch", offset: 2))
        #expect(try found("alarm shouted") == expected("zebrafinch"), "two words, one in every case")
        #expect(try found("zebrafinch", category: .detriment) == expected("zebrafinch", category: .detriment))
        #expect(try found("porters") == expected("porters"), "a word in a tenth of the cases: found by reading the queue")
        #expect(try found("porters", offset: 150, limit: 100) == expected("porters", offset: 150, limit: 100), "a page past the walk")
        #expect(try found("shouted", offset: 2_250) == expected("shouted", offset: 2_250))
        #expect(try found("nothing-like-this").isEmpty)
    }

    @Test("a case the policy keeps from a handler is left out of their queue and refused on opening, before anything is written", arguments: Engine.allCases)
    func policy(engine: Engine) throws {
        let made = try engine.freshStore()
        let cases = try Self.threeCases(made.store)
        let desk = made.store.desk(policy: KeepFrom(kept: "gita"))
        #expect(try desk.queue(QueueQuery(), for: "gita", now: Examples.moment).rows.isEmpty)
        #expect(throws: StoreError.self) { _ = try desk.openCase(cases.shouted.reference, for: "gita", at: Examples.moment) }
        #expect(throws: StoreError.self) { try desk.act(.acknowledge, on: cases.shouted.reference, by: "gita", at: Examples.moment) }
        #expect(try made.store.auditRecords().allSatisfy { $0.entry.action != "opened" })
        let opened = try #require(try desk.openCase(cases.shouted.reference, for: "asha", at: Examples.moment))
        #expect(opened.report.account == cases.shouted.account)
        #expect(opened.reportsAboutSamePerson == 3)
        #expect(try made.store.auditRecords().contains { $0.entry.action == "opened" })
    }

    @Test("closing a case and the reporter's answer become statistics facts, with no words", arguments: Engine.allCases)
    func facts(engine: Engine) throws {
        let made = try engine.freshStore()
        let cases = try Self.threeCases(made.store)
        let desk = made.store.desk(policy: EveryoneMay())
        try desk.act(.acknowledge, on: cases.shouted.reference, by: "asha", at: Examples.moment.addingTimeInterval(Examples.day))
        try desk.act(.close(.upheld, learned: "Handover is now done away from patients."), on: cases.shouted.reference, by: "asha",
                     at: Examples.moment.addingTimeInterval(10 * Examples.day))
        _ = try made.store.appendEvent(to: cases.shouted.reference, kind: .speakUpAgain, text: SpeakUpAgain.yes.rawValue, actor: "ben",
                                       at: Examples.moment.addingTimeInterval(11 * Examples.day))
        let facts = try made.store.caseFacts(now: Examples.moment.addingTimeInterval(12 * Examples.day))
        #expect(facts.count == 3)
        let closed = try #require(facts.first { $0.closedAfterDays != nil })
        #expect(closed.acknowledgedAfterDays.map { abs($0 - 1) < 0.01 } == true)
        #expect(closed.speakUpAgain == .yes)
        #expect(closed.professionalGroup == .nursing)
        #expect(facts.filter { $0.acknowledgedLate }.count == 2, "two cases were never acknowledged, 12 days on")
        #expect(facts.contains { $0.highestLevel == .urgent })
    }
}
