import Foundation
import Testing
import SpeakUpCore
import SpeakUpStore

@Suite("Conformance: a whole store copied to each engine and back (store copy)")
struct CopyConformance {
    /// A store with something of everything: each way of raising (an anonymous one with a receipt
    /// and a message), events, a closed case, a draft, the directory, reminders, an opening.
    static func filled(_ made: StoreUnderTest) throws -> (receipt: ReceiptCode, anonymous: Report) {
        let store = made.store
        let router = CountingRouter()
        try store.replaceStaff([
            StaffMember(id: "M1", name: "Morris Oduya", unixUser: "mo", role: "Matron", seniority: .manager, managerID: nil, ward: "W"),
        ], by: "admin", at: Examples.moment)
        let open = try store.submit(Examples.report(.open), receipt: nil, discardingDraftOf: nil, router: router)
        let confidential = try store.submit(Examples.report(.confidential, account: "Belittled a student in front of patients."),
                                            receipt: nil, discardingDraftOf: nil, router: router)
        let receipt = ReceiptCode.random()
        let anonymous = try store.submit(Examples.report(.anonymous, account: "Mocked a patient's accent."), receipt: receipt,
                                         discardingDraftOf: nil, router: router)
        _ = try store.appendEvent(to: anonymous.reference, kind: .reporterMessage, text: "It happened again today.", actor: nil,
                                  at: Examples.moment.addingTimeInterval(2 * Examples.day))
        let desk = store.desk(policy: EveryoneMay())
        try desk.act(.acknowledge, on: open.reference, by: "asha", at: Examples.moment.addingTimeInterval(3_600))
        try desk.act(.close(.resolvedInformally, learned: "Talked it through."), on: open.reference, by: "asha",
                     at: Examples.moment.addingTimeInterval(5 * Examples.day))
        try desk.act(.note("Spoke to the matron."), on: confidential.reference, by: "gita", at: Examples.moment.addingTimeInterval(7_200))
        _ = try desk.openCase(confidential.reference, for: "gita", at: Examples.moment.addingTimeInterval(7_300))
        _ = try store.makeReminders(at: Examples.moment.addingTimeInterval(6.5 * Examples.day), soon: Examples.day)
        var draft = ReportDraft()
        draft.account = "Half written."
        try store.saveDraft(draft, owner: Reporter(userName: "cara", uid: 1003), at: Examples.moment)
        // A handler's sealing key (with a wrong try counted) and the trust recovery key: copied as they are.
        try store.keepSealingKey(HandlerSealingKey(handler: "gita", publicKey: Array(repeating: 7, count: 32), lockedKey: [1, 2, 3], keptAt: Examples.moment),
                                 replacing: nil, at: Examples.moment)
        _ = try store.recordFailedUnlock(of: "gita", at: Examples.moment.addingTimeInterval(60))
        try store.keepRecoveryKey(TrustRecoveryKey(publicKey: Array(repeating: 9, count: 32), madeAt: Examples.moment), by: "ivan", at: Examples.moment)
        return (receipt, anonymous)
    }

    @Test("SQLite to this engine and back: counts, the audit chain and every report's export are the same; receipts, drafts and the queue work on the copy",
          arguments: Engine.allCases)
    func roundTrip(engine: Engine) throws {
        let source = try Engine.sqlite.freshStore()
        let (receipt, anonymous) = try Self.filled(source)
        let later = CalendarDay(Examples.moment.addingTimeInterval(30 * Examples.day), in: .gmt)
        let there = try engine.freshStore()
        let out = try StoreCopy(from: source.transfer, to: there.transfer, today: later).run()
        #expect(out.reports == 3)
        #expect(out.rows["report"] == 3)
        #expect(out.rows["staff"] == 1)
        #expect(out.rows["draft"] == 1)
        #expect(out.auditRecords > 8)
        #expect(try there.store.report(forReceipt: receipt)?.reference == anonymous.reference)
        #expect(try there.store.draft(owner: Reporter(userName: "cara", uid: 1003))?.account == "Half written.")
        let desk = there.store.desk(policy: EveryoneMay())
        var all = QueueQuery()
        all.status = .all
        #expect(try desk.queue(all, for: "asha", now: Examples.moment).rows.count == 3)
        var search = all
        search.search = "matron"
        try there.store.indexPendingWords()
        #expect(try desk.queue(search, for: "gita", now: Examples.moment).rows.count == 1)
        // And back again, to a new SQLite store: the same digest.
        let back = try Engine.sqlite.freshStore()
        let home = try StoreCopy(from: there.transfer, to: back.transfer, today: later).run()
        #expect(home.digest == out.digest)
        #expect(home.lastHash == out.lastHash)
    }

    @Test("a copy into a store that already holds reports is refused, and nothing is written", arguments: Engine.allCases)
    func refusesAFullStore(engine: Engine) throws {
        let source = try Engine.sqlite.freshStore()
        _ = try Self.filled(source)
        let there = try engine.freshStore()
        let own = try there.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: nil)
        let error = #expect(throws: StoreError.self) {
            _ = try StoreCopy(from: source.transfer, to: there.transfer, today: CalendarDay(Examples.moment, in: .gmt)).run()
        }
        #expect(error?.sentence.contains("is not empty") == true)
        #expect(try there.store.allReports().map(\.reference) == [own.reference])
    }
}
