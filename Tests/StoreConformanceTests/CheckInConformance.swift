import Foundation
import Testing
import SpeakUpCore

@Suite("Conformance: detriment check-ins after a case closes (each engine)")
struct CheckInConformance {
    /// Noon (UTC) on a day, so the local day is that day whatever the test machine's zone is near.
    static func noon(_ day: CalendarDay) -> Date { day.deadlineStart.addingTimeInterval(12 * 3_600) }

    /// A case raised, routed, and closed ten days later; returns it and the day it closed.
    static func closedCase(_ made: StoreUnderTest, _ report: Report, receipt: ReceiptCode? = nil) throws -> (Report, CalendarDay) {
        let stored = try made.store.submit(report, receipt: receipt, discardingDraftOf: nil, router: CountingRouter())
        let closing = Examples.moment.addingTimeInterval(10 * Examples.day)
        _ = try made.store.appendEvent(to: stored.reference, kind: .closed, text: "Resolved informally.", actor: "asha", at: closing)
        return (stored, CalendarDay.local(closing))
    }

    static func refused(_ expected: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a refusal: \(expected)")
        } catch let error as StoreError {
            #expect(error.kind == .failed && error.sentence.contains(expected), "\(error.sentence)")
            #expect(CheckInRules.isRefusal(error))
        } catch {
            Issue.record("not a StoreError: \(error)")
        }
    }

    @Test("due 1, 3 and 6 months after closing, each answered once; never on an open case, before a month or after a year", arguments: Engine.allCases)
    func dueAndAnsweredOnce(engine: Engine) throws {
        let made = try engine.freshStore()
        let stored = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        func answer(_ answer: DetrimentCheckIn.Answer, on day: CalendarDay) throws -> CheckInAnswered {
            try made.store.answerCheckIn(on: stored.reference, answer: answer, account: "", receipt: nil, actor: "ben", router: CountingRouter(),
                                         at: Self.noon(day))
        }
        let openDay = CalendarDay.local(Examples.moment).adding(months: 2)
        Self.refused("still open") { _ = try answer(.no, on: openDay) }
        let closing = Examples.moment.addingTimeInterval(10 * Examples.day)
        _ = try made.store.appendEvent(to: stored.reference, kind: .closed, text: "Resolved.", actor: "asha", at: closing)
        let closed = CalendarDay.local(closing)
        Self.refused("a month after it closed") { _ = try answer(.no, on: closed.adding(months: 1).adding(days: -1)) }
        let first = try answer(.no, on: closed.adding(months: 1))
        #expect(first.event.kind == .detrimentCheckIn && first.event.text == "1 no" && first.event.actor == "ben")
        #expect(first.linked == nil && first.routing == nil)
        Self.refused("answered already") { _ = try answer(.yes, on: closed.adding(months: 1)) }
        // Until the next window opens, the one answered is not asked again.
        Self.refused("answered already") { _ = try answer(.no, on: closed.adding(months: 3).adding(days: -1)) }
        #expect(try answer(.ratherNotSay, on: closed.adding(months: 3)).event.text == "3 rather-not-say")
        #expect(try answer(.no, on: closed.adding(months: 11)).event.text == "6 no")
        Self.refused("have ended") { _ = try answer(.no, on: closed.adding(months: 12)) }
        let events = try made.store.events(for: stored.reference)
        #expect(events.filter { $0.kind == .detrimentCheckIn }.compactMap(\.text) == ["1 no", "3 rather-not-say", "6 no"])
        #expect(DetrimentCheckIn.due(events: events, today: closed.adding(months: 7)) == nil)
        // Refusals stored nothing: only the three answers were added after closing.
        #expect(events.map(\.kind) == [.received, .routed, .closed, .detrimentCheckIn, .detrimentCheckIn, .detrimentCheckIn])
        #expect(try made.store.allReports().count == 1)
    }

    @Test("a window missed is not asked later: the 1-month check-in is never offered at 3 months", arguments: Engine.allCases)
    func missedWindow(engine: Engine) throws {
        let made = try engine.freshStore()
        let (stored, closed) = try Self.closedCase(made, Examples.report())
        let answered = try made.store.answerCheckIn(on: stored.reference, answer: .no, account: "", receipt: nil, actor: "ben", router: nil,
                                                    at: Self.noon(closed.adding(months: 4)))
        #expect(answered.event.text == "3 no")
    }

    @Test("yes opens a linked detriment case, routed inside the transaction like a report, about the same person, linked both ways", arguments: Engine.allCases)
    func yesOpensLinkedCase(engine: Engine) throws {
        let made = try engine.freshStore()
        var report = Examples.report(.confidential)
        report.excludedHandlers = ["zoe"]
        let (original, closed) = try Self.closedCase(made, report)
        let router = ChainRouter()
        let when = Self.noon(closed.adding(months: 1).adding(days: 3))
        let answered = try made.store.answerCheckIn(on: original.reference, answer: .yes, account: "  My shifts were changed without asking.\n",
                                                    receipt: ReceiptCode.random(), actor: "ben", router: router, at: when)
        let linked = try #require(answered.linked)
        #expect(linked.reference != original.reference)
        #expect(linked.concerns == [.detriment])
        #expect(linked.subject == original.subject)
        #expect(linked.wayOfRaising == .confidential && linked.reporter == Examples.ben && linked.reporterDetails == original.reporterDetails)
        #expect(linked.excludedHandlers == ["zoe"])
        #expect(linked.account == "My shifts were changed without asking.")
        #expect(linked.submitted == .instant(when))
        // Routed like any report: the router saw the detriment case and counted the first one in the history.
        #expect(router.seen.map(\.concerns) == [[.detriment]])
        #expect(router.seen.first?.subject == original.subject)
        #expect(router.counted == [1])
        let routing = try #require(answered.routing)
        #expect(routing.handlers == ["asha", "gita"], "the subject and the person they manage are left out")
        #expect(try made.store.routing(for: linked.reference) == routing)
        // The link, on both cases.
        #expect(answered.event.text == "1 yes \(linked.reference.text)")
        #expect(try made.store.events(for: original.reference).last == answered.event)
        let linkedEvents = try made.store.events(for: linked.reference)
        #expect(linkedEvents.map(\.kind) == [.received, .routed, .detrimentLinked])
        #expect(DetrimentCheckIn.Link(text: linkedEvents.last?.text) == DetrimentCheckIn.Link(months: 1, original: original.reference))
        #expect(linkedEvents.last?.actor == "ben")
        // A login leads back to it: it is among the reporter's own, with no receipt kept.
        #expect(try made.store.reports(raisedBy: Examples.ben).map(\.reference) == [original.reference, linked.reference])
        // In the handlers' queue, and counted: the detriment element, and the check-in answer.
        let queue = try made.store.desk(policy: EveryoneMay()).queue(QueueQuery(), for: "asha", now: when)
        #expect(queue.rows.map(\.reference).contains(linked.reference))
        let facts = try made.store.caseFacts(now: when)
        #expect(facts.filter { $0.concerns.contains(.detriment) }.count == 1)
        #expect(facts.flatMap(\.checkIns) == [CaseFacts.CheckInFact(day: CalendarDay.local(when), answer: .yes)])
    }

    @Test("an anonymous reporter's yes stays anonymous: no login, only the day, its own receipt; the database refuses a name", arguments: Engine.allCases)
    func anonymousStaysAnonymous(engine: Engine) throws {
        let made = try engine.freshStore()
        let first = ReceiptCode.random(), second = ReceiptCode.random()
        let (original, closed) = try Self.closedCase(made, Examples.report(.anonymous), receipt: first)
        // Even if a caller passed a login, an anonymous case's answer names nobody.
        let answered = try made.store.answerCheckIn(on: original.reference, answer: .yes, account: "", receipt: second, actor: "ben",
                                                    router: CountingRouter(), at: Self.noon(closed.adding(months: 6)))
        let linked = try #require(answered.linked)
        #expect(answered.event.actor == nil && answered.event.at.text.count == 10)
        #expect(linked.wayOfRaising == .anonymous && linked.reporter == nil && linked.reporterDetails == nil)
        #expect(linked.submitted.text.count == 10, "only the day: \(linked.submitted.text)")
        #expect(linked.account == DetrimentCheckIn.accountWhenEmpty(original: original.reference, months: 6))
        #expect(try made.store.report(forReceipt: second)?.reference == linked.reference)
        #expect(try made.store.report(forReceipt: first)?.reference == original.reference)
        #expect(try made.store.reports(raisedBy: Examples.ben).isEmpty)
        for event in try made.store.events(for: linked.reference) + made.store.events(for: original.reference) {
            #expect(event.actor == nil || event.actor == CaseEvent.rulesActor || event.actor == "asha", "\(event)")
            #expect(event.at.text.count == 10, "only days on an anonymous case: \(event)")
        }
        // The database itself refuses a check-in answer, or a link, that names an anonymous reporter.
        for kind in ["detriment-check-in", "detriment-linked"] {
            #expect(throws: (any Error).self, "\(kind)") {
                try made.raw("""
                    INSERT INTO case_event (reference, sequence, kind, at, text, actor)
                    VALUES ('\(original.reference)', 99, '\(kind)', '2027-01-01', '3 no', 'ben')
                    """)
            }
        }
    }

    @Test("a router that cannot route safely stores nothing: no answer, no case", arguments: Engine.allCases)
    func failedRoutingStoresNothing(engine: Engine) throws {
        let made = try engine.freshStore()
        let (original, closed) = try Self.closedCase(made, Examples.report())
        let before = try made.store.events(for: original.reference)
        #expect(throws: StoreError.self) {
            _ = try made.store.answerCheckIn(on: original.reference, answer: .yes, account: "x", receipt: nil, actor: "ben",
                                             router: FailingRouter(), at: Self.noon(closed.adding(months: 1)))
        }
        #expect(try made.store.events(for: original.reference) == before)
        #expect(try made.store.allReports().count == 1)
        // And it can still be answered.
        #expect(try made.store.answerCheckIn(on: original.reference, answer: .yes, account: "x", receipt: nil, actor: "ben",
                                             router: CountingRouter(), at: Self.noon(closed.adding(months: 1))).linked != nil)
    }
}

/// Routes to asha, gita and the subject's own chain (Dr Smith, and mo whom they manage), leaving out
/// the person the report is about and anyone they manage, as safe routing does; notes what it routed.
final class ChainRouter: CaseRouter, @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [Report] = []
    private var counts: [Int] = []
    var seen: [Report] { lock.withLock { reports } }
    var counted: [Int] { lock.withLock { counts } }

    func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
        var earlier = 0
        if let key = SubjectKey.of(report.subject, directoryID: nil) {
            earlier = try history.reportsAbout(key, since: CalendarDay(from.addingTimeInterval(-365 * Examples.day), in: .gmt))
        }
        lock.withLock {
            reports.append(report)
            counts.append(earlier)
        }
        let chain = report.subject.name == "Dr Smith" ? ["smith", "mo"] : []
        return CaseRouting(level: .informal, roles: ["guardian"], handlers: ["asha", "gita", "smith", "mo"].filter { !chain.contains($0) },
                           acknowledgeBy: from.addingTimeInterval(7 * Examples.day), feedBackBy: from.addingTimeInterval(90 * Examples.day),
                           explanation: ["Left out: smith (the subject), mo (managed by them)."], candidates: ["S-1"])
    }
}
