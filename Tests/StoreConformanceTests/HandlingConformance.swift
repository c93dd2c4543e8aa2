import Foundation
import Testing
import SpeakUpCore

@Suite("Conformance: holds and matching, passing a case on, stepping away, and answers by receipt (each engine)")
struct HandlingConformance {
    @Test("a held report is seen by nobody until someone else reports the same person, then it is routed inside that submit", arguments: Engine.allCases)
    func heldUntilMatched(engine: Engine) throws {
        let made = try engine.freshStore()
        var asked = Examples.report(account: "He shouts at the juniors, but I will only go ahead if someone else says so.")
        asked.hold = MatchingHold(until: CalendarDay(Examples.moment.addingTimeInterval(90 * Examples.day), in: .gmt))
        let held = try made.store.submit(asked, receipt: nil, discardingDraftOf: nil, router: HoldingRouter())
        #expect(try made.store.routing(for: held.reference)?.held == true)
        let desk = made.store.desk(policy: EveryoneMay())
        var everything = QueueQuery()
        everything.status = .all
        #expect(try desk.queue(everything, for: "asha", now: Examples.moment).rows.isEmpty)
        #expect(try made.store.unroutedCases().isEmpty, "a held report is not waiting for a handler")
        #expect(try made.store.casesPastDeadline(at: Examples.moment.addingTimeInterval(30 * Examples.day)).isEmpty)
        #expect(try made.store.makeReminders(at: Examples.moment.addingTimeInterval(30 * Examples.day)).isEmpty)
        #expect(try made.store.releaseEndedHolds(at: Examples.moment.addingTimeInterval(Examples.day), router: HoldingRouter()).isEmpty)

        // Someone else (anonymously) reports the same person: the held report is released in that submit.
        let matching = try made.store.submit(Examples.report(.anonymous, about: "DR SMITH", account: "Shouted at me too."), receipt: nil,
                                             discardingDraftOf: nil, router: HoldingRouter())
        #expect(try made.store.events(for: held.reference).map(\.kind) == [.received, .routed, .routed])
        let release = try #require(try made.store.events(for: held.reference).last)
        #expect(release.at.text.count == 10, "a release set off by an anonymous report keeps only its day: \(release.at.text)")
        #expect(try made.store.routing(for: held.reference)?.held == false)
        #expect(Set(try desk.queue(everything, for: "asha", now: Examples.moment).rows.map(\.reference)) == [held.reference, matching.reference])
        let opened = try #require(try desk.openCase(matching.reference, for: "asha", at: Examples.moment.addingTimeInterval(60)))
        #expect(opened.reportsAboutSamePerson == 2)
        #expect(opened.linked.map(\.reference) == [held.reference])
    }

    @Test("a hold that ends releases its report at the next tick, once", arguments: Engine.allCases)
    func holdEnds(engine: Engine) throws {
        let made = try engine.freshStore()
        var asked = Examples.report()
        asked.hold = MatchingHold(until: CalendarDay(Examples.moment.addingTimeInterval(10 * Examples.day), in: .gmt))
        let held = try made.store.submit(asked, receipt: nil, discardingDraftOf: nil, router: HoldingRouter())
        let later = Examples.moment.addingTimeInterval(20 * Examples.day)
        #expect(try made.store.releaseEndedHolds(at: later, router: HoldingRouter()) == [held.reference])
        #expect(try made.store.releaseEndedHolds(at: later, router: HoldingRouter()).isEmpty)
        #expect(try made.store.routing(for: held.reference)?.handlers == ["asha", "gita"])
        #expect(try made.store.desk(policy: EveryoneMay()).queue(QueueQuery(), for: "gita", now: later).rows.map(\.reference) == [held.reference])
    }

    @Test("passing a case on: the one who passed it no longer has it, and the refusals are the same on every engine", arguments: Engine.allCases)
    func reassign(engine: Engine) throws {
        let made = try engine.freshStore()
        let stored = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter(handlers: ["asha"]))
        let desk = made.store.desk(policy: KeepFrom(kept: "kim"))
        let moment = Examples.moment.addingTimeInterval(600)
        #expect(throws: StoreError.self) { try desk.act(.reassign(to: "asha"), on: stored.reference, by: "asha", at: moment) }
        let kept = #expect(throws: StoreError.self) { try desk.act(.reassign(to: "kim"), on: stored.reference, by: "asha", at: moment) }
        #expect(kept?.sentence.hasPrefix("The case cannot go to kim:") == true)
        #expect(throws: StoreError.self) { try desk.act(.changeLevel(.informal), on: stored.reference, by: "asha", at: moment) }
        try desk.act(.changeLevel(.awareness), on: stored.reference, by: "asha", at: moment)
        try desk.act(.reassign(to: "pat"), on: stored.reference, by: "asha", at: moment)
        #expect(try desk.queue(QueueQuery(), for: "asha", now: moment).rows.isEmpty)
        #expect(try desk.queue(QueueQuery(), for: "pat", now: moment).rows.map(\.reference) == [stored.reference])
        #expect(try desk.queue(QueueQuery(), for: "pat", now: moment).rows.first?.level == .awareness)
        let gone = #expect(throws: StoreError.self) { try desk.act(.acknowledge, on: stored.reference, by: "asha", at: moment) }
        #expect(gone?.kind == .missing)
        #expect(try made.store.events(for: stored.reference).map(\.kind) == [.received, .routed, .levelChanged, .reassigned])
        // An escalation adds people, but never gives the case back to one who passed it on.
        let decide = { (report: Report, routing: CaseRouting) -> CaseRouting in
            var next = routing
            next.handlers = ["asha", "ned"]
            next.explanation = [CaseDeadline.acknowledge.escalationHeading]
            return next
        }
        #expect(try made.store.escalate(stored.reference, missed: .acknowledge, at: Examples.moment.addingTimeInterval(8 * Examples.day), decide: decide))
        let file = try #require(try desk.openCase(stored.reference, for: "pat", at: moment))
        #expect(file.currentHandlers == ["ned", "pat"])
        #expect(file.routing?.level == .awareness, "an escalation never lowers a level a handler raised")
    }

    @Test("stepping away: the case stays with the others, or goes to those offered, never back; nobody left, and it is refused", arguments: Engine.allCases)
    func recuse(engine: Engine) throws {
        let made = try engine.freshStore()
        let stored = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter(handlers: ["asha", "gita"]))
        let desk = made.store.desk(policy: KeepFrom(kept: "kim"))
        let moment = Examples.moment.addingTimeInterval(600)
        try desk.act(.recuse(to: ["ned"]), on: stored.reference, by: "gita", at: moment)
        #expect(try made.store.desk(policy: EveryoneMay()).openCase(stored.reference, for: "asha", at: moment)?.currentHandlers == ["asha"])
        #expect(throws: StoreError.self) { try desk.act(.note("Still here?"), on: stored.reference, by: "gita", at: moment) }
        let nobody = #expect(throws: StoreError.self) { try desk.act(.recuse(to: ["gita", "kim"]), on: stored.reference, by: "asha", at: moment) }
        #expect(nobody?.sentence.contains("nobody else eligible") == true, "gita stepped away before, and kim is kept from the case")
        #expect(throws: StoreError.self) { try desk.act(.reassign(to: "gita"), on: stored.reference, by: "asha", at: moment) }
        try desk.act(.recuse(to: ["gita", "pat"]), on: stored.reference, by: "asha", at: moment)
        #expect(try desk.queue(QueueQuery(), for: "pat", now: moment).rows.map(\.reference) == [stored.reference])
        #expect(try desk.queue(QueueQuery(), for: "asha", now: moment).rows.isEmpty)
        #expect(try desk.queue(QueueQuery(), for: "gita", now: moment).rows.isEmpty)
        // Closed: only a note may be added.
        try desk.act(.close(.notUpheld, learned: "Nothing to learn."), on: stored.reference, by: "pat", at: moment)
        #expect(throws: StoreError.self) { try desk.act(.message("One more thing."), on: stored.reference, by: "pat", at: moment) }
        try desk.act(.note("Filed."), on: stored.reference, by: "pat", at: moment)
        #expect(try made.store.events(for: stored.reference).suffix(3).map(\.kind) == [.note, .closed, .note])
    }

    @Test("a handler's message reaches an anonymous reporter by receipt, and their answer names nobody and keeps only the day", arguments: Engine.allCases)
    func anonymousConversation(engine: Engine) throws {
        let made = try engine.freshStore()
        let code = ReceiptCode.random()
        let stored = try made.store.submit(Examples.report(.anonymous), receipt: code, discardingDraftOf: nil, router: CountingRouter())
        let desk = made.store.desk(policy: EveryoneMay())
        let asked = Examples.moment.addingTimeInterval(2 * 3_600)
        try desk.act(.message("Thank you. Which shift was it?"), on: stored.reference, by: "asha", at: asked)
        let found = try #require(try made.store.report(forReceipt: code))
        let timeline = try made.store.events(for: found.reference)
        let message = try #require(timeline.last)
        #expect(message.kind == .handlerMessage)
        #expect(message.text == "Thank you. Which shift was it?")
        #expect(message.at.text.count == 10, "an anonymous case's events keep only the day: \(message.at.text)")
        let answer = try made.store.appendEvent(to: found.reference, kind: .reporterMessage, text: "The night shift.", actor: nil,
                                                at: asked.addingTimeInterval(3_600))
        #expect(answer.actor == nil)
        #expect(answer.at.text.count == 10)
        #expect(try desk.queue(QueueQuery(), for: "asha", now: asked).rows.first?.status == .acknowledged, "a message acknowledges the case")
        // The database itself refuses naming the anonymous reporter in their own answer.
        #expect(throws: (any Error).self) {
            try made.raw("""
                INSERT INTO case_event (reference, sequence, kind, at, text, actor)
                VALUES ('\(stored.reference.text)', 99, 'reporter-message', '\(answer.at.text)', 'x', 'ben')
                """)
        }
        let today = CalendarDay(Examples.moment, in: .gmt)
        #expect(try made.store.verifyAudit(today: today, anchor: nil).waiting >= 2, "the reporter's own records wait for their day to end")
        let verified = try made.store.verifyAudit(today: CalendarDay(Examples.moment.addingTimeInterval(Examples.day), in: .gmt), anchor: nil)
        #expect(verified.waiting == 0)
        #expect(verified.firstBroken == nil)
    }
}
