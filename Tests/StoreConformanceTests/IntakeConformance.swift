import Foundation
import Testing
import SpeakUpCore

@Suite("Conformance: taking reports in (each engine)")
struct IntakeConformance {
    @Test("a submit stores the report, its received and routed events in one go; the router counts earlier reports inside it", arguments: Engine.allCases)
    func atomicSubmitWithRouting(engine: Engine) throws {
        let made = try engine.freshStore()
        let store = made.store
        let router = CountingRouter()
        let first = try store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: router)
        let second = try store.submit(Examples.report(about: "dr  SMITH"), receipt: nil, discardingDraftOf: nil, router: router)
        #expect(router.seen == [0, 1])
        #expect(try store.events(for: first.reference).map(\.kind) == [.received, .routed])
        #expect(try store.routing(for: second.reference)?.handlers == ["asha", "gita"])
        #expect(Set(try store.allReports().map(\.reference)) == [first.reference, second.reference])
    }

    @Test("a router that cannot route safely stores nothing at all, and says why", arguments: Engine.allCases)
    func failedRoutingStoresNothing(engine: Engine) throws {
        let made = try engine.freshStore()
        let store = made.store
        let draft = ReportDraft()
        try store.saveDraft(draft, owner: Examples.ben, at: Examples.moment)
        let error = #expect(throws: StoreError.self) {
            _ = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: Examples.ben, router: FailingRouter())
        }
        #expect(error?.sentence.contains("directory could not be read") == true)
        #expect(try store.allReports().isEmpty)
        #expect(try store.draft(owner: Examples.ben) != nil, "the draft is kept when nothing was sent")
        #expect(try store.auditRecords().isEmpty)
    }

    @Test("sending removes the sender's draft in the same transaction", arguments: Engine.allCases)
    func draftGoesWithTheSubmit(engine: Engine) throws {
        let made = try engine.freshStore()
        var draft = ReportDraft()
        draft.account = "First words"
        try made.store.saveDraft(draft, owner: Examples.ben, at: Examples.moment)
        draft.account = "Second words"
        try made.store.saveDraft(draft, owner: Examples.ben, at: Examples.moment)
        #expect(try made.store.draft(owner: Examples.ben)?.account == "Second words")
        _ = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: Examples.ben, router: CountingRouter())
        #expect(try made.store.draft(owner: Examples.ben) == nil)
        try made.store.saveDraft(draft, owner: Examples.ben, at: Examples.moment)
        try made.store.discardDraft(owner: Examples.ben)
        #expect(try made.store.draft(owner: Examples.ben) == nil)
    }

    @Test("an anonymous report keeps no login and only its day; its receipt finds it, a wrong one finds nothing", arguments: Engine.allCases)
    func anonymity(engine: Engine) throws {
        let made = try engine.freshStore()
        let code = ReceiptCode.random()
        let stored = try made.store.submit(Examples.report(.anonymous), receipt: code, discardingDraftOf: Examples.ben, router: CountingRouter())
        #expect(stored.reporter == nil)
        #expect(stored.submitted.text.count == 10, "only the day: \(stored.submitted.text)")
        #expect(try made.store.report(forReceipt: code)?.reference == stored.reference)
        #expect(try made.store.report(forReceipt: ReceiptCode.random()) == nil)
        #expect(try made.store.reports(raisedBy: Examples.ben).isEmpty)
        let event = try made.store.appendEvent(to: stored.reference, kind: .reporterMessage, text: "More.", actor: nil,
                                               at: Examples.moment.addingTimeInterval(3_600))
        #expect(event.at.text.count == 10)
        // The database itself refuses an anonymous row that names someone.
        #expect(throws: (any Error).self) {
            try made.raw("""
                INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, reporter_user, reporter_uid, submitted)
                VALUES ('ZZ-TEST-1', 'anonymous', 'unknown', 'Ward 7', 'x', 'ben', 1002, '2026-11-30')
                """)
        }
    }

    @Test("reports, concerns and events are appended, never changed or removed, by the database itself", arguments: Engine.allCases)
    func appendOnly(engine: Engine) throws {
        let made = try engine.freshStore()
        let stored = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        for sql in [
            "UPDATE report SET account = 'changed' WHERE reference = '\(stored.reference)'",
            "DELETE FROM report WHERE reference = '\(stored.reference)'",
            "UPDATE case_event SET kind = 'closed' WHERE reference = '\(stored.reference)'",
            "DELETE FROM case_event WHERE reference = '\(stored.reference)'",
            "DELETE FROM report_concern WHERE reference = '\(stored.reference)'",
            "UPDATE audit_record SET actor = 'someone'",
            "DELETE FROM audit_record",
        ] {
            #expect(throws: (any Error).self, "\(sql)") { try made.raw(sql) }
        }
        #expect(try made.store.allReports().first?.account == stored.account)
        #expect(try made.store.events(for: stored.reference).count == 2)
    }

    @Test("an import is all or nothing: one taken reference, and none of the batch is stored", arguments: Engine.allCases)
    func importAllOrNothing(engine: Engine) throws {
        let made = try engine.freshStore()
        let existing = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: nil)
        let fresh = Examples.report(account: "Imported from paper.")
        var clash = Examples.report(account: "Same reference as one already kept.")
        clash.reference = existing.reference
        let received = { (report: Report) in [CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted)] }
        #expect(try made.store.takenReferences([fresh.reference.text, existing.reference.text]) == [existing.reference.text])
        let error = #expect(throws: StoreError.self) {
            try made.store.importReports([(fresh, received(fresh)), (clash, received(clash))], router: CountingRouter(), by: "importer", at: Examples.moment)
        }
        #expect(error?.sentence.contains("nothing was imported") == true)
        #expect(try made.store.allReports().count == 1)
        try made.store.importReports([(fresh, received(fresh))], router: CountingRouter(), by: "importer", at: Examples.moment)
        #expect(try made.store.allReports().count == 2)
        #expect(try made.store.events(for: fresh.reference).map(\.kind) == [.received, .routed])
    }

    @Test("a kiosk's count of today's reports comes from the reports themselves", arguments: Engine.allCases)
    func kioskCount(engine: Engine) throws {
        let made = try engine.freshStore()
        let kiosk = Station.kiosk(location: "Main entrance")
        for _ in 0..<3 {
            var report = Examples.report(.anonymous)
            report.station = kiosk
            _ = try made.store.submit(report, receipt: nil, discardingDraftOf: nil, router: nil)
        }
        _ = try made.store.submit(Examples.report(.anonymous), receipt: nil, discardingDraftOf: nil, router: nil)
        #expect(try made.store.reportCount(at: kiosk, on: CalendarDay(Examples.moment, in: .gmt)) == 3)
    }
}
