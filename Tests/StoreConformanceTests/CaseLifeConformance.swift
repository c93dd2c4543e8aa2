import Foundation
import Testing
import SpeakUpCore

@Suite("Conformance: a case's life, deadlines and the audit chain (each engine)")
struct CaseLifeConformance {
    @Test("events are numbered in order; the reporter's own reports come back oldest first", arguments: Engine.allCases)
    func timeline(engine: Engine) throws {
        let made = try engine.freshStore()
        let older = try made.store.submit(Examples.report(at: Examples.moment), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        let newer = try made.store.submit(Examples.report(at: Examples.moment.addingTimeInterval(60)), receipt: nil, discardingDraftOf: nil, router: nil)
        let acknowledged = try made.store.appendEvent(to: older.reference, kind: .acknowledged, text: nil, actor: "asha",
                                                      at: Examples.moment.addingTimeInterval(3_600))
        #expect(acknowledged.sequence == 3)
        let message = try made.store.appendEvent(to: older.reference, kind: .handlerMessage, text: "Thank you — we are looking into it.", actor: "asha",
                                                 at: Examples.moment.addingTimeInterval(7_200))
        #expect(message.sequence == 4)
        let events = try made.store.events(for: older.reference)
        #expect(events.map(\.sequence) == [1, 2, 3, 4])
        #expect(events.last?.text == "Thank you — we are looking into it.")
        #expect(events.last?.actor == "asha")
        #expect(try made.store.reports(raisedBy: Examples.ben).map(\.reference) == [older.reference, newer.reference])
    }

    @Test("a passed deadline is found in one query and escalated once, however often the tick runs", arguments: Engine.allCases)
    func deadlinesAndTick(engine: Engine) throws {
        let made = try engine.freshStore()
        let stored = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        #expect(try made.store.casesPastDeadline(at: Examples.moment.addingTimeInterval(6 * Examples.day)).isEmpty)
        let later = Examples.moment.addingTimeInterval(8 * Examples.day)
        let due = try made.store.casesPastDeadline(at: later)
        #expect(due.map(\.0) == [stored.reference])
        #expect(due.map(\.1) == [.acknowledge])
        let decide = { (report: Report, routing: CaseRouting) -> CaseRouting in
            var next = routing
            next.handlers.append("pat")
            next.explanation = [CaseDeadline.acknowledge.escalationHeading, "Patient safety added."]
            return next
        }
        #expect(try made.store.escalate(stored.reference, missed: .acknowledge, at: later, decide: decide))
        #expect(try !made.store.escalate(stored.reference, missed: .acknowledge, at: later, decide: decide))
        #expect(try made.store.routing(for: stored.reference)?.handlers == ["asha", "gita", "pat"])
        #expect(try made.store.casesPastDeadline(at: later).isEmpty)
        #expect(try made.store.events(for: stored.reference).map(\.kind) == [.received, .routed, .escalated])
    }

    @Test("reminders are made once each for every handler of an open case", arguments: Engine.allCases)
    func reminders(engine: Engine) throws {
        let made = try engine.freshStore()
        let stored = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        let soon = Examples.moment.addingTimeInterval(6.5 * Examples.day)
        let first = try made.store.makeReminders(at: soon, soon: Examples.day)
        #expect(Set(first.map(\.handler)) == ["asha", "gita"])
        #expect(first.allSatisfy { $0.reference == stored.reference && $0.stage == .nearing && $0.deadline == .acknowledge })
        #expect(try made.store.makeReminders(at: soon, soon: Examples.day).isEmpty)
        let desk = made.store.desk(policy: EveryoneMay())
        #expect(try desk.reminders(for: "asha").count == 1)
        try desk.dismissReminders(for: "asha")
        #expect(try desk.reminders(for: "asha").isEmpty)
        #expect(try desk.reminders(for: "gita").count == 1)
    }

    @Test("a report nobody can take is kept as unrouted, listed, and routed once someone can", arguments: Engine.allCases)
    func unroutedThenRouted(engine: Engine) throws {
        let made = try engine.freshStore()
        let stored = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter(handlers: []))
        #expect(try made.store.unroutedCases().map(\.reference) == [stored.reference])
        #expect(try made.store.routeWaitingCases(at: Examples.moment, router: CountingRouter(handlers: [])).isEmpty)
        #expect(try made.store.routeWaitingCases(at: Examples.moment, router: CountingRouter(handlers: ["asha"])) == [stored.reference])
        #expect(try made.store.unroutedCases().isEmpty)
        #expect(try made.store.routing(for: stored.reference)?.handlers == ["asha"])
        #expect(try made.store.hasOpenCases())
    }

    @Test("the audit chain records every event and opening, verifies, and shows a record changed behind the program's back", arguments: Engine.allCases)
    func auditChain(engine: Engine) throws {
        let made = try engine.freshStore()
        let stored = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        _ = try made.store.appendEvent(to: stored.reference, kind: .acknowledged, text: nil, actor: "asha", at: Examples.moment.addingTimeInterval(60))
        try made.store.recordOpening(stored.reference, by: "asha", at: Examples.moment.addingTimeInterval(120))
        let tomorrow = CalendarDay(Examples.moment.addingTimeInterval(Examples.day), in: .gmt)
        let verified = try made.store.verifyAudit(today: tomorrow, anchor: nil)
        #expect(verified.records == 4)
        #expect(verified.firstBroken == nil)
        let records = try made.store.auditRecords()
        #expect(records.map(\.entry.action).suffix(2) == ["acknowledged", "opened"])
        #expect(records.map(\.position) == [1, 2, 3, 4])
        // An anonymous reporter's message waits for its day to end before it joins the chain.
        let anonymous = try made.store.submit(Examples.report(.anonymous), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        let today = CalendarDay(Examples.moment, in: .gmt)
        #expect(try made.store.verifyAudit(today: today, anchor: nil).waiting >= 1)
        _ = anonymous
        try made.store.sealAudit(today: tomorrow)
        #expect(try made.store.verifyAudit(today: tomorrow, anchor: nil).waiting == 0)
        // Claiming a longer chain than is there shows records cut off.
        #expect(try made.store.verifyAudit(today: tomorrow, anchor: (position: 99, hash: "00")).firstBroken != nil)
    }

    @Test("the directory is replaced whole and read back", arguments: Engine.allCases)
    func directory(engine: Engine) throws {
        let made = try engine.freshStore()
        let staff = [
            StaffMember(id: "M1", name: "Morris Oduya", unixUser: "mo", role: "Matron", seniority: .manager, managerID: nil, ward: "W"),
            StaffMember(id: "G1", name: "Gita Guardian", unixUser: "gita", role: "Guardian", seniority: .practitioner, managerID: "M1", ward: "W"),
        ]
        try made.store.replaceStaff(staff, by: "admin", at: Examples.moment)
        #expect(try made.store.staff() == staff.sorted { $0.id < $1.id })
        try made.store.replaceStaff(Array(staff.prefix(1)), by: "admin", at: Examples.moment)
        #expect(try made.store.staff() == Array(staff.prefix(1)))
        #expect(try made.store.auditRecords().filter { $0.entry.action == "directory-replaced" }.count == 2)
    }
}

@Suite("Conformance: several writers at once (each engine)")
struct WritersAtOnceConformance {
    @Test("four connections submitting and adding to one case at once: every write lands, numbered in turn, and the audit chain holds", arguments: Engine.allCases)
    func writersAtOnce(engine: Engine) throws {
        let made = try engine.freshStore()
        let shared = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        let stores = try (0..<4).map { _ in try made.another() }
        let failures = NSLock()
        nonisolated(unsafe) var failed: [String] = []
        let group = DispatchGroup()
        for (index, store) in stores.enumerated() {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    for round in 0..<5 {
                        let at = Examples.moment.addingTimeInterval(Double(index * 100 + round))
                        _ = try store.submit(Examples.report(account: "Writer \(index), report \(round).", at: at), receipt: nil,
                                             discardingDraftOf: nil, router: CountingRouter())
                        _ = try store.appendEvent(to: shared.reference, kind: .note, text: "Note \(index).\(round)", actor: "asha", at: at)
                    }
                } catch {
                    failures.withLock { failed.append("\(error)") }
                }
            }.start()
        }
        #expect(group.wait(timeout: .now() + 120) == .success)
        #expect(failures.withLock { failed } == [])
        #expect(try made.store.allReports().count == 21)
        #expect(try made.store.events(for: shared.reference).map(\.sequence) == Array(1...22))
        let verified = try made.store.verifyAudit(today: CalendarDay(Examples.moment.addingTimeInterval(Examples.day), in: .gmt), anchor: nil)
        #expect(verified.firstBroken == nil)
        #expect(verified.records == 21 * 2 + 20)
    }
}
