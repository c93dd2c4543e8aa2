import Foundation
import GRDB
import Testing
import SpeakUpCore
@testable import SpeakUpStore

@Suite("The store: receipts, drafts, case events, and upgrading old stores")
struct JourneyStoreTests {
    static func store(_ folder: TemporaryFolder) throws -> SQLiteReportStore {
        try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)  // cheap hashes for tests
    }

    @Test("a receipt finds its anonymous report; a wrong code finds nothing; only a hash is kept")
    func receipts() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let code = ReceiptCode.random()
        let report = try store.submit(Reports.make(.anonymous), receipt: code)
        #expect(try store.report(forReceipt: code) == report)
        #expect(try store.report(forReceipt: ReceiptCode(typed: "0000000000000000")!) == nil)
        let stored = try store.withDatabase { db in try Row.fetchOne(db, sql: "SELECT * FROM receipt")! }
        #expect((stored["hash"] as Data).count == 32)
        let file = try Data(contentsOf: URL(fileURLWithPath: folder.file()))
        + ((try? Data(contentsOf: URL(fileURLWithPath: folder.file() + "-wal"))) ?? Data())
        #expect(file.range(of: Data(code.digits.utf8)) == nil)
    }

    @Test("the receipt hash depends on the store's own salt")
    func saltPerStore() throws {
        let first = TemporaryFolder(), second = TemporaryFolder()
        let code = ReceiptCode(typed: "1234567890123456")!
        _ = try Self.store(first).submit(Reports.make(.anonymous), receipt: code)
        _ = try Self.store(second).submit(Reports.make(.anonymous), receipt: code)
        let hashes = try [first, second].map { folder in
            try Self.store(folder).withDatabase { db in try Data.fetchOne(db, sql: "SELECT hash FROM receipt")! }
        }
        #expect(hashes[0] != hashes[1])
    }

    @Test("drafts: kept for their owner only, replaced, and gone once the report is sent")
    func drafts() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let asha = Reporter(userName: "asha", uid: 1001), ben = Reporter(userName: "ben", uid: 1002)
        var draft = ReportDraft()
        draft.wayOfRaising = .confidential
        draft.account = "first"
        try store.saveDraft(draft, owner: asha, at: Reports.moment)
        draft.account = "second"
        try store.saveDraft(draft, owner: asha, at: Reports.moment)
        #expect(try store.draft(owner: asha)?.account == "second")
        #expect(try store.draft(owner: ben) == nil)
        _ = try store.submit(Reports.make(.confidential), receipt: nil)  // names no draft: it stays
        #expect(try store.draft(owner: asha)?.account == "second")
        _ = try store.submit(Reports.make(.confidential), receipt: nil, discardingDraftOf: asha)
        #expect(try store.draft(owner: asha) == nil)
    }

    @Test("a draft that does not read is an error, never 'no draft', and is left as it was")
    func unreadableDraft() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let asha = Reporter(userName: "asha", uid: 1001)
        try store.withDatabase { db in
            try db.execute(sql: "INSERT INTO draft (owner_uid, saved, body) VALUES (1001, '2026-11-27T08:00:00Z', '{\"from\": \"a future version\"')")
        }
        let failure = #expect(throws: StoreError.self) { _ = try store.draft(owner: asha) }
        #expect(failure?.kind == .damaged)
        #expect(try store.withDatabase { db in try String.fetchOne(db, sql: "SELECT body FROM draft WHERE owner_uid = 1001") }?.contains("future") == true)
    }

    @Test("a draft given up for an anonymous report leaves no trace in the file or its log")
    func draftWiped() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let asha = Reporter(userName: "asha", uid: 1001)
        var draft = ReportDraft()
        draft.wayOfRaising = .confidential
        draft.reporterName = "Asha Quintessential-Patel"
        draft.account = "Zanzibar marmalade incident"
        try store.saveDraft(draft, owner: asha, at: Reports.moment)
        try store.discardDraft(owner: asha)  // she chose anonymous
        _ = try store.submit(Reports.make(.anonymous, account: "Something else entirely."), receipt: .random(), discardingDraftOf: asha)
        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] { bytes += (try? Data(contentsOf: URL(fileURLWithPath: folder.file() + suffix))) ?? Data() }
        #expect(bytes.range(of: Data("Quintessential".utf8)) == nil)
        #expect(bytes.range(of: Data("Zanzibar".utf8)) == nil)
        #expect(bytes.range(of: Data("Something else entirely.".utf8)) != nil)
    }

    @Test("an anonymous draft is never written")
    func noAnonymousDraft() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        var draft = ReportDraft()
        draft.wayOfRaising = .anonymous
        draft.account = "never on disk"
        try store.saveDraft(draft, owner: Reporter(userName: "asha", uid: 1001), at: Reports.moment)
        #expect(try store.count("draft") == 0)
    }

    @Test("case events are numbered in order, and an anonymous case's keep only the day")
    func events() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let open = try store.submit(Reports.make(.open), receipt: nil)
        let anonymous = try store.submit(Reports.make(.anonymous), receipt: ReceiptCode.random())
        _ = try store.appendEvent(to: open.reference, kind: .handlerMessage, text: "Thank you.", at: Reports.moment)
        let reply = try store.appendEvent(to: anonymous.reference, kind: .reporterMessage, text: "More detail.", at: Reports.moment)
        #expect(reply.sequence == 2 && reply.at == .day("2026-11-27"))
        #expect(try store.events(for: open.reference).map(\.sequence) == [1, 2])
        #expect(try store.events(for: open.reference).last?.at.text == "2026-11-27T09:01:46Z")
        let error = #expect(throws: StoreError.self) {
            _ = try store.appendEvent(to: CaseReference("SU-0000-0000")!, kind: .reporterMessage, text: "x", at: Reports.moment)
        }
        #expect(error?.kind == .missing)
    }

    @Test("my reports are the open and confidential ones raised by my uid")
    func myReports() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let mine = try store.submit(Reports.make(.confidential), receipt: nil)
        _ = try store.submit(Reports.make(.anonymous), receipt: ReceiptCode.random())
        #expect(try store.reports(raisedBy: Reporter(userName: "asha", uid: 1001)) == [mine])
        #expect(try store.reports(raisedBy: Reporter(userName: "ben", uid: 1002)).isEmpty)
    }

    @Test("a store made by the first version upgrades in place and keeps its reports")
    func upgradeFromVersionOne() throws {
        let folder = TemporaryFolder()
        let queue = try DatabaseQueue(path: folder.file())
        try StoreSchema.migrator.migrate(queue, upTo: "v1-reports-and-case-events")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO report VALUES ('SU-7KQ4-M2XD', 'open', 'manager', 'Ward 7', 'Old report.', 'asha', 1001, '2026-11-01T10:00:00Z');
                INSERT INTO report_concern VALUES ('SU-7KQ4-M2XD', 'other');
                INSERT INTO case_event VALUES ('SU-7KQ4-M2XD', 1, 'received', '2026-11-01T10:00:00Z');
                """)
        }
        let store = try Self.store(folder)
        #expect(try store.appliedMigrations().count == StoreSchema.migrator.migrations.count)
        let old = try #require(try store.allReports().first)
        #expect(old.account == "Old report." && old.harm == .unknown && old.occurred == nil && old.reporterDetails == nil)
        #expect(try store.events(for: old.reference).first?.text == nil)
    }
}
