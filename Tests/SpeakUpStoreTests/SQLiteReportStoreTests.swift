import Foundation
import GRDB
import Testing
import SpeakUpCore
@testable import SpeakUpStore

@Suite("The SQLite store")
struct SQLiteReportStoreTests {
    @Test("a new store is migrated from empty to the current schema")
    func migratesFromEmpty() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file())
        #expect(try store.appliedMigrations() == ["v1-reports-and-case-events", "v2-whole-reporter-journey", "v3-receipts-and-drafts", "v4-case-event-text", "v5-routing", "v6-staff-directory", "v7-hold-index", "v8-excluded-handlers", "v9-subject-id", "v10-stations-actors-audit", "v11-guardians-workspace", "v12-safe-routing", "v13-content-digests", "v14-search-prefixes", "v15-retention-and-erasure", "v16-detriment-check-ins", "v17-reporter-characteristics", "v18-board-facts", "v19-retention-index", "v20-sealing-keys", "v21-sealed-reports", "v22-sealed-in-place", "v23-sealed-subject", "v24-case-keys-appended", "v25-subject-checks", "v26-sealed-names"])
        let tables = try store.withDatabase { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(tables.contains("report") && tables.contains("report_concern") && tables.contains("case_event"))
    }

    @Test("the store runs in WAL mode with synchronous=FULL")
    func durabilitySettings() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file())
        let (mode, synchronous) = try store.withDatabase { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode")!, try Int.fetchOne(db, sql: "PRAGMA synchronous")!)
        }
        #expect(mode == "wal")
        #expect(synchronous == 2)  // FULL
    }

    @Test("a report written, then the store reopened, reads back exactly")
    func writeThenReopen() throws {
        let folder = TemporaryFolder()
        let account = "Ward 7 — Zoë said \"患者\" was fine \u{1B}[31m and\nmore on a second line"
        let written: [Report]
        do {
            let store = try SQLiteReportStore(path: folder.file())
            written = [try store.submit(Reports.make(.open, account: account)),
                       try store.submit(Reports.make(.anonymous))]
        }
        let reopened = try SQLiteReportStore(path: folder.file(), createIfMissing: false)
        let read = try reopened.allReports()
        #expect(Set(read) == Set(written))
        #expect(read.first { $0.wayOfRaising == .open }?.account == account)
        for report in read {
            let events = try reopened.events(for: report.reference)
            #expect(events.map(\.kind) == [.received])
            #expect(events.first?.at == report.submitted)
        }
    }

    @Test("an anonymous report is stored with no reporter and only the day")
    func anonymousRow() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file())
        let report = try store.submit(Reports.make(.anonymous))
        let row = try store.withDatabase { db in
            try Row.fetchOne(db, sql: "SELECT * FROM report WHERE reference = ?", arguments: [report.reference.text])!
        }
        #expect(row["reporter_user"] as String? == nil)
        #expect(row["reporter_uid"] as Int64? == nil)
        #expect(row["submitted"] as String == "2026-11-27")
        let eventTime = try store.withDatabase { db in try String.fetchOne(db, sql: "SELECT at FROM case_event")! }
        #expect(eventTime == "2026-11-27")
    }

    @Test("the schema itself refuses identity on an anonymous row")
    func schemaGuardsAnonymity() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file())
        #expect(throws: DatabaseError.self) {
            try store.withDatabase { db in
                try db.execute(sql: """
                    INSERT INTO report VALUES ('SU-0000-0000', 'anonymous', 'board', '', 'x', 'asha', 1001, '2026-11-27T08:00:00Z')
                    """)
            }
        }
    }

    @Test("reports and case events cannot be changed or removed")
    func appendOnly() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file())
        _ = try store.submit(Reports.make())
        for statement in ["UPDATE report SET account = 'edited'", "DELETE FROM report", "UPDATE case_event SET kind = 'x'",
                          "DELETE FROM case_event", "DELETE FROM report_concern"] {
            #expect(throws: DatabaseError.self) { try store.withDatabase { db in try db.execute(sql: statement) } }
        }
        #expect(try store.allReports().first?.account == Reports.make().account)
    }

    @Test("a full disk fails the whole report, leaves nothing half-written, and says so plainly")
    func diskFull() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file())
        _ = try store.submit(Reports.make())
        // Cap the file at its current size, with no free pages left in it: the next report cannot fit.
        try store.withDatabase { db in
            try db.execute(sql: "VACUUM")
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count")!
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
        }
        let before = try ["report", "report_concern", "case_event"].map { try store.count($0) }
        let error = #expect(throws: StoreError.self) {
            _ = try store.submit(Reports.make(account: String(repeating: "A long account. ", count: 600)))
        }
        #expect(error?.kind == .diskFull)
        #expect(error?.sentence.contains("disk") == true)
        #expect(error?.sentence.contains("not been saved") == true)
        let after = try ["report", "report_concern", "case_event"].map { try store.count($0) }
        #expect(after == before)
    }

    @Test("a read-only store refuses the write with a sentence and stores nothing")
    func readOnly() throws {
        let folder = TemporaryFolder()
        _ = try SQLiteReportStore(path: folder.file()).submit(Reports.make())
        let store = try SQLiteReportStore(path: folder.file(), createIfMissing: false, readOnly: true)
        let error = #expect(throws: StoreError.self) { _ = try store.submit(Reports.make()) }
        #expect(error?.kind == .readOnly)
        #expect(try store.allReports().count == 1)
    }

    @Test("many writers at once lose nothing")
    func concurrentWriters() async throws {
        let folder = TemporaryFolder()
        let path = folder.file()
        _ = try SQLiteReportStore(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let store = try SQLiteReportStore(path: path)  // a connection of its own, like another terminal
                    for _ in 0..<25 { _ = try store.submit(Reports.make()) }
                }
            }
            try await group.waitForAll()
        }
        let store = try SQLiteReportStore(path: path)
        #expect(try store.allReports().count == 100)
        #expect(try store.count("case_event") == 100)
        #expect(try store.count("report_concern") == 200)
    }

    @Test("a taken reference is replaced, never overwritten")
    func referenceCollision() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file())
        let first = try store.submit(Reports.make())
        var twin = Reports.make()
        twin.reference = first.reference
        let second = try store.submit(twin)
        #expect(second.reference != first.reference)
        #expect(try store.allReports().count == 2)
    }
}
