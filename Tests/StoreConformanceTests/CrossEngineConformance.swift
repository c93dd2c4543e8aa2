import Foundation
import Testing
import SpeakUpCore

@Suite("Conformance: every engine keeps the same record of the same work")
struct CrossEngineConformance {
    /// What `store copy` relies on: a chain written by one engine verifies on the other, because the
    /// same reports and actions give the same records, hashes and content digests, byte for byte.
    @Test("the same reports and actions give the same audit chain, the same queue and the same facts on every engine")
    func sameRecordEverywhere() throws {
        let open = Examples.report()
        let anonymous = Examples.report(.anonymous, account: "Nobody answers the call bells at night.", concerns: [.lackOfCompassion],
                                        at: Examples.moment.addingTimeInterval(60))
        let staff = [
            StaffMember(id: "M1", name: "Morris Oduya", unixUser: "mo", role: "Matron", seniority: .manager, managerID: nil, ward: "W"),
            StaffMember(id: "G1", name: "Gita Guardian", unixUser: "gita", role: "Guardian", seniority: .practitioner, managerID: "M1", ward: "W",
                        knownAs: ["G. Guardian"]),
        ]
        let later = Examples.moment.addingTimeInterval(3_600)
        var chains: [[AuditRecord]] = []
        var queues: [[QueueRow]] = []
        var facts: [[CaseFacts]] = []
        for engine in Engine.allCases {
            let made = try engine.freshStore()
            _ = try made.store.submit(open, receipt: nil, discardingDraftOf: nil, router: CountingRouter())
            // No router: the anonymous report's one waiting record is chained alone when its day ends.
            _ = try made.store.submit(anonymous, receipt: nil, discardingDraftOf: nil, router: nil)
            try made.store.replaceStaff(staff, by: "admin", at: later)
            let desk = made.store.desk(policy: EveryoneMay())
            try desk.act(.acknowledge, on: open.reference, by: "asha", at: later)
            try desk.act(.note("Spoke to the ward manager."), on: open.reference, by: "asha", at: later.addingTimeInterval(60))
            _ = try desk.openCase(open.reference, for: "gita", at: later.addingTimeInterval(120))
            try made.store.sealAudit(today: CalendarDay(Examples.moment.addingTimeInterval(Examples.day), in: .gmt))
            let verified = try made.store.verifyAudit(today: CalendarDay(Examples.moment.addingTimeInterval(Examples.day), in: .gmt), anchor: nil)
            #expect(verified.firstBroken == nil, "\(engine)")
            chains.append(try made.store.auditRecords())
            var all = QueueQuery()
            all.status = .all
            queues.append(try desk.queue(all, for: "asha", now: later).rows)
            facts.append(try made.store.caseFacts(now: later))
        }
        #expect(chains.first?.count == 7)
        #expect(Set(chains.map { $0.map(\.hash) }).count == 1, "every engine's chain has the same hashes")
        #expect(chains.dropFirst().allSatisfy { $0 == chains[0] })
        #expect(queues.dropFirst().allSatisfy { $0 == queues[0] })
        #expect(facts.dropFirst().allSatisfy { Set($0) == Set(facts[0]) })
    }

    /// A write's records are kept until it commits and then written together; the order rule still
    /// holds inside one write: a record chained for a later day first chains what an anonymous
    /// reporter's case left waiting for an earlier one, even when that was written by the same write.
    @Test("one import chains the waiting record an earlier anonymous report in it left, the same on every engine")
    func waitingRecordChainedInTheSameWrite() throws {
        let anonymous = Examples.report(.anonymous, account: "Nobody answered the call bells.", concerns: [.lackOfCompassion],
                                        at: Examples.moment.addingTimeInterval(-10 * Examples.day))
        let open = Examples.report(.open, account: "Shouted at a student.", at: Examples.moment.addingTimeInterval(-5 * Examples.day))
        let received = { (report: Report) in [CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted)] }
        let today = CalendarDay(Examples.moment, in: .gmt)
        var chains: [[AuditRecord]] = []
        for engine in Engine.allCases {
            let made = try engine.freshStore()
            try made.store.importReports([(anonymous, received(anonymous)), (open, received(open))], router: CountingRouter(),
                                         by: "importer", at: Examples.moment)
            let verified = try made.store.verifyAudit(today: today, anchor: nil)
            #expect(verified.firstBroken == nil, "\(engine)")
            #expect(verified.waiting == 0, "\(engine): the anonymous report's routing, ten days old, was chained by the next report's records")
            let chain = try made.store.auditRecords()
            // Imported and routed for each report; the anonymous one's routing between its import and the next.
            #expect(chain.map(\.entry.action) == ["imported", "routed", "imported", "routed"], "\(engine)")
            // The head moved on with them: the next write follows on.
            _ = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
            #expect(try made.store.verifyAudit(today: today, anchor: nil).firstBroken == nil, "\(engine)")
            chains.append(chain)
        }
        #expect(chains.dropFirst().allSatisfy { $0 == chains[0] })
    }
}
