import Foundation
import Testing
import PostgresNIO
import SpeakUpCore
import SpeakUpPostgres
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
        // A report submitted to the copy chains on and verifies; on PostgreSQL the chain's guard, off
        // for the owner's load, is on again: a record that does not follow on is refused.
        _ = try there.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        #expect(try there.store.verifyAudit(today: later, anchor: nil).firstBroken == nil)
        if engine == .postgres {
            #expect(throws: (any Error).self) {
                try there.raw("INSERT INTO audit_record (position, at, action, previous_hash, hash) VALUES (999999, '2026-01-01', 'forged', '\\x00', '\\x00')")
            }
        }
    }

    @Test("read and written a few rows at a time, a copy to this engine and back holds the same as one read whole: every table's rows, page by page, in key order",
          arguments: Engine.allCases)
    func inPages(engine: Engine) throws {
        let source = try Engine.sqlite.freshStore()
        _ = try Self.filled(source)
        let later = CalendarDay(Examples.moment.addingTimeInterval(30 * Examples.day), in: .gmt)
        let there = try engine.freshStore()
        let out = try StoreCopy(from: source.transfer, to: there.transfer, today: later, page: 3).run()
        let back = try Engine.sqlite.freshStore()
        let home = try StoreCopy(from: there.transfer, to: back.transfer, today: later, page: 2).run()
        #expect(home.digest == out.digest && home.lastHash == out.lastHash && home.rows == out.rows)
        #expect((out.rows["case_event"] ?? 0) > 3 && (out.rows["audit_record"] ?? 0) > 3, "more than a page")
        // Page by page, a table reads as it does whole, on the engine that holds it (case_key is a rowid table on SQLite).
        for table in ["case_event", "audit_record", "case_key", "store_secret"] {
            let whole = try there.transfer.rows(of: table, after: nil, limit: 1_000)
            var paged: [[StoredValue]] = []
            var page = try there.transfer.rows(of: table, after: nil, limit: 2)
            paged += page.rows
            while page.rows.count == 2, let next = page.next {
                page = try there.transfer.rows(of: table, after: next, limit: 2)
                paged += page.rows
            }
            #expect(paged == whole.rows, "\(table)")
            #expect(try back.transfer.rows(of: table).rows.count == whole.rows.count, "\(table)")
        }
    }

    @Test("checking an earlier copy on this engine (store copy --check): the same outcome as the copy's own check; an empty store refused; a source that moved on named as differing",
          arguments: Engine.allCases)
    func checkOnly(engine: Engine) throws {
        let source = try Engine.sqlite.freshStore()
        _ = try Self.filled(source)
        let later = CalendarDay(Examples.moment.addingTimeInterval(30 * Examples.day), in: .gmt)
        let there = try engine.freshStore()
        var told: [String: Int]?
        let out = try StoreCopy(from: source.transfer, to: there.transfer, today: later).run { told = $0 }
        #expect(told == out.rows, "told what was copied before the check")
        let checked = try StoreCopy(from: source.transfer, to: there.transfer, today: later).checkOnly()
        #expect(checked == out)
        let empty = try engine.freshStore()
        do {
            _ = try StoreCopy(from: source.transfer, to: empty.transfer, today: later).checkOnly()
            Issue.record("an empty store passed as a copy")
        } catch {
            #expect(error.sentence.contains("is empty, so there is no copy to check"), "\(error.sentence)")
        }
        _ = try source.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        do {
            _ = try StoreCopy(from: source.transfer, to: there.transfer, today: later).checkOnly()
            Issue.record("a copy that no longer matches its source passed its check")
        } catch {
            #expect(error.sentence.contains("The copy does not match its source"), "\(error.sentence)")
        }
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

    @Test("many timelines read at once are each case's events in order, as read one case at a time; a case not there is left out",
          arguments: Engine.allCases)
    func timelines(engine: Engine) throws {
        let made = try engine.freshStore()
        let (_, anonymous) = try Self.filled(made)
        let references = try made.store.allReports().map(\.reference)
        #expect(references.count == 3)
        let missing = CaseReference.random()
        let read = try made.transfer.timelines(of: references + [missing])
        #expect(read.count == 3)
        #expect(read[missing] == nil)
        for reference in references {
            let one = try made.store.events(for: reference)
            #expect(!one.isEmpty)
            #expect(read[reference] == one, "\(reference)")
        }
        #expect(read[anonymous.reference]?.contains { $0.kind == .reporterMessage } == true)
    }

    /// The owner's load into PostgreSQL checks the chain's links in one statement rather than record
    /// by record (`PostgresStoreTransfer.checkLinks`): a record missing from the source's trail is
    /// found there, named, and nothing is copied.
    @Test("a source whose audit trail has a record missing is refused by the load, the record after the gap named, and nothing is copied")
    func brokenLinks() throws {
        let source = try Engine.sqlite.freshStore()
        _ = try Self.filled(source)
        try source.asOwner("DROP TRIGGER audit_record_no_delete")
        try source.asOwner("DELETE FROM audit_record WHERE position = 3")
        let there = try Engine.postgres.freshStore()
        let error = #expect(throws: StoreError.self) {
            _ = try StoreCopy(from: source.transfer, to: there.transfer, today: CalendarDay(Examples.moment, in: .gmt)).run()
        }
        #expect(error?.sentence.contains("do not follow on from each other at record 4, so nothing was copied") == true, "\(error?.sentence ?? "")")
        #expect(try there.store.allReports().isEmpty)
        #expect(try there.transfer.count(of: "audit_record") == 0)
    }

    /// A copy into PostgreSQL is one transaction however big the store, so it may take the store's
    /// wait and 2 ms a row more: kept waiting past the wait by another session, it still lands;
    /// kept waiting for good, it stops at its deadline with nothing copied.
    @Test("a copy into PostgreSQL has time for its size, and no more: held past the store's wait it still lands; held for good it stops with nothing copied")
    func copyDeadline() throws {
        let source = try Engine.sqlite.freshStore()
        _ = try Self.filled(source)
        for index in 0..<80 {
            _ = try source.store.submit(Examples.report(account: "Shouted on shift \(index)."), receipt: nil, discardingDraftOf: nil,
                                        router: CountingRouter())
        }
        let rows = try StoreTables.copied.reduce(0) { total, table in total + (try source.transfer.count(of: table)) }
        #expect(rows > 500, "\(rows) rows: allowed more than a second past the wait")
        let later = CalendarDay(Examples.moment.addingTimeInterval(30 * Examples.day), in: .gmt)
        func held(_ there: StoreUnderTest) throws -> PostgresSession {
            let holder = try PostgresSession.connect(to: try #require(there.superuser), password: nil, deadline: 10)
            _ = try holder.query("BEGIN")
            _ = try holder.query("LOCK TABLE report IN ACCESS EXCLUSIVE MODE")
            return holder
        }

        let stuck = try Engine.postgres.freshStore()
        stuck.store.writeWait?.setLimit(0.5)
        let holder = try held(stuck)
        let started = Date()
        let error = #expect(throws: StoreError.self) { _ = try StoreCopy(from: source.transfer, to: stuck.transfer, today: later).run() }
        let took = Date().timeIntervalSince(started)
        let allowed = 0.5 + Double(rows) * 0.002
        #expect(took > allowed - 0.1 && took < allowed + 5, "gave up after \(took) s of \(allowed) s")
        // (The source's count may differ by an audit record or two: its waiting ones are chained as the copy starts.)
        let said = error?.sentence.split(separator: "did not answer within ").last?.split(separator: " ").first.flatMap { Int($0) }
        #expect(said.map { abs(Double($0) - allowed) < 1.5 } == true, "\(error?.sentence ?? "")")
        #expect(error?.sentence.contains("so nothing was saved. Nothing was imported.") == true, "\(error?.sentence ?? "")")
        holder.close()
        #expect(try stuck.another().allReports().isEmpty, "nothing copied (asked on a connection of its own: the one that gave up was closed)")

        let there = try Engine.postgres.freshStore()
        there.store.writeWait?.setLimit(0.5)
        let briefly = try held(there)
        let released = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            usleep(1_000_000)
            _ = try? briefly.query("ROLLBACK")
            released.signal()
        }
        let out = try StoreCopy(from: source.transfer, to: there.transfer, today: later).run()
        released.wait()
        briefly.close()
        #expect(out.reports == 83)
        #expect(try there.transfer.count(of: "report") == 83)
    }
}
