import Crypto
import Foundation
import GRDB
import Testing
import SpeakUpCore
@testable import SpeakUpStore

@Suite("The audit trail: every case change, chained by SHA-256")
struct AuditTrailTests {
    static let day: TimeInterval = 86_400

    static func store(_ folder: TemporaryFolder) throws -> SQLiteReportStore {
        try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
    }

    /// Today where the tests run, and a day after the fixtures' moment.
    static var dayAfter: CalendarDay { CalendarDay.local(Reports.moment.addingTimeInterval(day)) }

    @Test("a content digest is SHA-256 of each text's length (four bytes, big-endian) and its UTF-8 bytes, and hex is two lower-case digits a byte")
    func contentDigestBytes() throws {
        var hasher = ContentHasher()
        hasher.add("case_event")
        hasher.add("")
        hasher.add("Zoë ✓")
        var expected: [UInt8] = []
        for text in ["case_event", "", "Zoë ✓"] {
            let bytes = Array(text.utf8)
            expected += [0, 0, 0, UInt8(bytes.count)] + bytes
        }
        #expect(hasher.finalize() == Data(SHA256.hash(data: expected)))
        #expect([0x00, 0x09, 0x0a, 0x7f, 0xa5, 0xff].hex == "00090a7fa5ff")
        #expect(Data(SHA256.hash(data: Array("abc".utf8))).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect([UInt8]().hex == "")
    }

    @Test("submitting, routing, messages and openings each append a record that names who did it")
    func recordsEveryChange() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let report = try store.submit(Reports.make(.open), receipt: nil)
        _ = try store.appendEvent(to: report.reference, kind: .acknowledged, text: nil, actor: "guardian", at: Reports.moment)
        try store.recordOpening(report.reference, by: "guardian", at: Reports.moment)
        let records = try store.auditRecords()
        #expect(records.map(\.entry.action) == ["received", "acknowledged", "opened"])
        #expect(records.map(\.entry.actor) == ["asha", "guardian", "guardian"])
        #expect(records.map(\.position) == [1, 2, 3])
        #expect(records[0].previousHash == AuditTrail.genesis)
        #expect(records[1].previousHash == records[0].hash)
        #expect(try store.verifyAudit(today: Self.dayAfter).firstBroken == nil)
    }

    @Test("an anonymous submission's record names no actor, keeps only the day, and waits for the day's end to be chained")
    func anonymousWaits() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let anonymous = try store.submit(Reports.make(.anonymous), receipt: .random())
        let open = try store.submit(Reports.make(.open), receipt: nil)
        // During its day, the chain holds the open report only: nothing places the anonymous one between two times.
        #expect(try store.auditRecords().map(\.entry.reference) == [open.reference.text])
        #expect(try store.count("audit_waiting") == 1)
        let waiting = try store.withDatabase { db in try Row.fetchOne(db, sql: "SELECT * FROM audit_waiting")! }
        #expect(waiting["day"] as String == CalendarDay.local(Reports.moment).description)
        #expect(waiting.columnNames.contains("actor") == false)
        // The next day it joins the chain, still with no actor and only the day.
        let verification = try store.verifyAudit(today: Self.dayAfter)
        #expect(verification.waiting == 0 && verification.records == 2 && verification.firstBroken == nil)
        let sealed = try #require(try store.auditRecords().first { $0.entry.reference == anonymous.reference.text })
        #expect(sealed.entry.actor == nil)
        #expect(sealed.entry.at == .day(CalendarDay.local(Reports.moment).description))
    }

    @Test("the store refuses to name the reporter of an anonymous case in its timeline")
    func anonymousReplyUnnamed() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let anonymous = try store.submit(Reports.make(.anonymous), receipt: .random())
        #expect(throws: StoreError.self) {
            try store.appendEvent(to: anonymous.reference, kind: .reporterMessage, text: "More.", actor: "asha", at: Reports.moment)
        }
        // A handler on the same case is named.
        _ = try store.appendEvent(to: anonymous.reference, kind: .handlerMessage, text: "Thank you.", actor: "guardian", at: Reports.moment)
    }

    @Test("one changed byte in any record is found, and the first broken record is named",
          arguments: ["at", "actor", "action", "reference", "detail", "hash", "previous_hash"])
    func tamperingFound(column: String) throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        for _ in 0..<3 {
            let report = try store.submit(Reports.make(.open), receipt: nil)
            _ = try store.appendEvent(to: report.reference, kind: .acknowledged, text: nil, actor: "guardian", at: Reports.moment)
        }
        #expect(try store.verifyAudit(today: Self.dayAfter) == AuditVerification(records: 6, waiting: 0, firstBroken: nil, lastHash: nil))
        try store.withDatabase { db in
            try db.execute(sql: "DROP TRIGGER audit_record_no_update")
            // Flip one bit of one byte of record 4.
            let row = try Row.fetchOne(db, sql: "SELECT \(column) FROM audit_record WHERE position = 4")!
            var bytes: [UInt8] = (row[0] as Data?).map(Array.init) ?? Array((row[0] as String? ?? "x").utf8)
            bytes[0] ^= 0x01
            let value: any DatabaseValueConvertible = column.hasSuffix("hash") ? Data(bytes) : String(decoding: bytes, as: UTF8.self)
            try db.execute(sql: "UPDATE audit_record SET \(column) = ? WHERE position = 4", arguments: [value])
        }
        let broken = try #require(try store.verifyAudit(today: Self.dayAfter).firstBroken)
        #expect(broken.position == 4)
    }

    @Test("a removed record is found")
    func removalFound() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        for _ in 0..<3 { _ = try store.submit(Reports.make(.open), receipt: nil) }
        try store.withDatabase { db in
            try db.execute(sql: "DROP TRIGGER audit_record_no_delete")
            try db.execute(sql: "DELETE FROM audit_record WHERE position = 2")
        }
        let broken = try #require(try store.verifyAudit(today: Self.dayAfter).firstBroken)
        #expect(broken.position == 2)
        #expect(broken.reason.contains("missing"))
    }

    @Test("audit records cannot be changed or removed through SQL")
    func appendOnly() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        _ = try store.submit(Reports.make(.open), receipt: nil)
        #expect(throws: DatabaseError.self) { try store.withDatabase { db in try db.execute(sql: "UPDATE audit_record SET actor = 'x'") } }
        #expect(throws: DatabaseError.self) { try store.withDatabase { db in try db.execute(sql: "DELETE FROM audit_record") } }
    }

    @Test("ward reports keep the name given but not the shared login, and get a receipt; kiosk reports are anonymous")
    func stations() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let ward = Report(
            reference: .random(), wayOfRaising: .open, concerns: [.unsafePractice],
            subject: Subject(name: nil, role: "", seniority: .manager), location: "Ward 7", account: "Left the drug cupboard open.",
            reporter: Reporter(userName: "ward7", uid: 1500),
            reporterDetails: ReporterDetails(name: "Sam Okafor", contact: "", professionalGroup: nil),
            submitted: .recorded(for: .open, at: Reports.moment), station: .ward(location: "Ward 7"))
        #expect(ward.reporter == nil)
        let code = ReceiptCode.random()
        let stored = try store.submit(ward, receipt: code)
        #expect(try store.report(forReceipt: code) == stored)
        #expect(stored.station == .ward(location: "Ward 7"))
        #expect(try store.allReports().first?.reporterDetails?.name == "Sam Okafor")

        let kiosk = Report(
            reference: .random(), wayOfRaising: .open, concerns: [.rudeOrAggressive],
            subject: Subject(name: nil, role: "", seniority: .staff), location: "", account: "Shouted at a porter.",
            reporter: Reporter(userName: "kiosk", uid: 1600), submitted: .recorded(for: .open, at: Reports.moment),
            station: .kiosk(location: nil))
        #expect(kiosk.wayOfRaising == .anonymous && kiosk.reporter == nil)
        #expect(try store.submit(kiosk, receipt: .random()).station == .kiosk(location: nil))
        // The store itself refuses a kiosk row that is not anonymous.
        #expect(throws: DatabaseError.self) {
            try store.withDatabase { db in
                try db.execute(sql: """
                    INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, submitted, station)
                    VALUES ('SU-AAAA-AAAA', 'open', 'staff', '', 'x', '2026-11-27T10:00:00Z', 'kiosk')
                    """)
            }
        }
    }
}

@Suite("Many writers at once")
struct ConcurrentWritersTests {
    @Test("eight store connections submitting from eight threads at once: every report lands, and the audit chain holds")
    func eightWriters() async throws {
        let folder = TemporaryFolder()
        let path = folder.file()
        _ = try SQLiteReportStore(path: path, receiptRounds: 1 << 10)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let store = try SQLiteReportStore(path: path, receiptRounds: 1 << 10)
                    for _ in 0..<25 { _ = try store.submit(Reports.make(.open), receipt: nil) }
                }
            }
            try await group.waitForAll()
        }
        let store = try SQLiteReportStore(path: path, receiptRounds: 1 << 10)
        #expect(try store.allReports().count == 200)
        let verification = try store.verifyAudit(today: CalendarDay.local(Reports.moment.addingTimeInterval(86_400)))
        #expect(verification.records == 200 && verification.firstBroken == nil)
    }
}

@Suite("Anonymous reports leave no time behind")
struct AnonymousReleaseTests {
    @Test("an anonymous report that releases a held open report records the release by day only, so the chain cannot date it")
    func releaseByDay() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let router = FixedRouter(handlers: ["gita"])
        var held = CaseDeskTests.report("Held until someone else reports him.")
        held.hold = MatchingHold(until: CalendarDay(year: 2027, month: 6, day: 1)!)
        struct Holding: CaseRouter {
            let inner: FixedRouter
            func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
                var routing = inner.route(report, history: history, from: from)
                routing.held = try report.hold != nil && history.reportsAbout(SubjectKey.of(report.subject, directoryID: nil)!, since: .earliest, notBy: report.reporter) == 0
                return routing
            }
        }
        let stored = try store.submit(held, router: Holding(inner: router))
        let chainBefore = try store.auditRecords().count
        var anonymous = CaseDeskTests.report("The same man, again.", at: Reports.moment.addingTimeInterval(5000))
        anonymous = Report(reference: .random(), wayOfRaising: .anonymous, concerns: anonymous.concerns, subject: anonymous.subject,
                           location: "", account: anonymous.account, reporter: nil,
                           submitted: .recorded(for: .anonymous, at: Reports.moment.addingTimeInterval(5000)))
        _ = try store.submit(anonymous, receipt: .random(), router: Holding(inner: router))
        let release = try #require(try store.events(for: stored.reference).last)
        #expect(release.kind == .routed)
        #expect(release.at == anonymous.submitted)  // the day, not a time
        #expect(try store.auditRecords().count == chainBefore)  // nothing joined the chain before the day ends
    }
}

@Suite("Audit anchors: what a chain alone cannot show")
struct AuditAnchorTests {
    @Test("records cut from the end, or the whole chain rewritten, are found against a noted anchor")
    func anchors() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        for _ in 0..<4 { _ = try store.submit(Reports.make(.open), receipt: nil) }
        let today = CalendarDay.local(Reports.moment.addingTimeInterval(86_400))
        let first = try store.verifyAudit(today: today)
        let hash = try #require(first.lastHash)
        #expect(first.records == 4 && hash.count == 64)
        #expect(try store.verifyAudit(today: today, anchor: (4, String(hash.prefix(16)))).firstBroken == nil)
        // Cut the last record: the chain still holds, but the anchor shows the cut.
        try store.withDatabase { db in
            try db.execute(sql: "DROP TRIGGER audit_record_no_delete")
            try db.execute(sql: "DELETE FROM audit_record WHERE position = 4")
        }
        #expect(try store.verifyAudit(today: today).firstBroken == nil)
        let cut = try #require(try store.verifyAudit(today: today, anchor: (4, String(hash.prefix(16)))).firstBroken)
        #expect(cut.reason.contains("cut off"))
        // A different anchor hash for a record that is there: rewritten.
        let rewritten = try #require(try store.verifyAudit(today: today, anchor: (3, "0000000000000000")).firstBroken)
        #expect(rewritten.position == 3 && rewritten.reason.contains("rewritten"))
    }
}

/// Before, with the triggers dropped and put back, an UPDATE of a report's account or a message's
/// words passed `audit verify`, with or without an anchor: the chain covered who did what, not what
/// was said. Now each record carries a digest of its event's content.
@Suite("The audit chain covers what was said")
struct AuditContentTests {
    static let today = CalendarDay.local(Reports.moment.addingTimeInterval(86_400))

    /// A store with an open report (routed), a handler's message and a directory import.
    static func store(_ folder: TemporaryFolder) throws -> (SQLiteReportStore, Report) {
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        try store.replaceStaff([StaffMember(id: "P1", name: "Sam Lord", unixUser: "slord", role: "Consultant", seniority: .seniorClinician,
                                            managerID: nil, ward: "")], by: "admin", at: Reports.moment)
        let report = try store.submit(Reports.make(.open), router: FixedRouter(handlers: ["gita"]))
        _ = try store.appendEvent(to: report.reference, kind: .handlerMessage, text: "Thank you for telling us.", actor: "gita", at: Reports.moment)
        return (store, report)
    }

    /// Changes a stored row the way someone with the file would: triggers dropped, UPDATE, triggers put back.
    static func tamper(_ store: SQLiteReportStore, table: String, _ sql: String) throws {
        try store.withDatabase { db in
            let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", arguments: [table])
            for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger["name"] as String)") }
            try db.execute(sql: sql)
            for trigger in triggers { try db.execute(sql: trigger["sql"] as String) }
        }
    }

    @Test("a changed word anywhere (account, place, concern, a message, a routing's explanation, the directory) is named by verify, anchor or not",
          arguments: [
            ("report", "UPDATE report SET account = 'Nothing happened.'", "the report"),
            ("report", "UPDATE report SET location = 'Ward 8'", "the report"),
            ("report_concern", "UPDATE report_concern SET category = 'other' WHERE category = 'lack-of-compassion'", "the report"),
            ("case_event", "UPDATE case_event SET text = 'We will not act.' WHERE kind = 'handler-message'", "event 3"),
            ("case_event", "UPDATE case_event SET detail = replace(detail, 'gita', 'zed') WHERE kind = 'routed'", "event 2"),
            ("staff", "UPDATE staff SET manager_id = 'P9'", "directory"),
          ])
    func changedWordFound(table: String, sql: String, named: String) throws {
        let folder = TemporaryFolder()
        let (store, _) = try Self.store(folder)
        let clean = try store.verifyAudit(today: Self.today)
        #expect(clean.firstBroken == nil)
        let anchor = try #require(clean.lastHash)
        try Self.tamper(store, table: table, sql)
        for noted in [nil, (clean.records, String(anchor.prefix(16)))] {
            let broken = try #require(try store.verifyAudit(today: Self.today, anchor: noted).firstBroken)
            #expect(broken.reason.contains(named), "\(broken.reason)")
            #expect(broken.reason.contains("changed"))
        }
    }

    @Test("a removed case event is named")
    func removedEventFound() throws {
        let folder = TemporaryFolder()
        let (store, _) = try Self.store(folder)
        try Self.tamper(store, table: "case_event", "DELETE FROM case_event WHERE kind = 'handler-message'")
        let broken = try #require(try store.verifyAudit(today: Self.today).firstBroken)
        #expect(broken.reason.contains("has been removed"))
    }

    @Test("an older store gets its digests once, at upgrade; the upgrade is chained and vouches for them, so later changes show")
    func upgradeVouches() throws {
        let folder = TemporaryFolder()
        do {
            let (store, _) = try Self.store(folder)
            // Back to the shape of a version-12 store: no content digests, records hashed without them.
            try store.withDatabase { db in
                try db.execute(sql: "DROP TRIGGER audit_record_no_update")
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit_record ORDER BY position")
                var previous = AuditTrail.genesis
                for row in rows {
                    let entry = AuditEntry(at: SubmissionTime(text: row["at"])!, actor: row["actor"], action: row["action"],
                                           reference: row["reference"], detail: row["detail"])
                    let hash = AuditTrail.digest(position: row["position"], previous: previous, entry)
                    try db.execute(sql: "UPDATE audit_record SET event = NULL, content = NULL, previous_hash = ?, hash = ? WHERE position = ?",
                                   arguments: [previous, hash, row["position"]])
                    previous = hash
                }
                try db.execute(sql: """
                    CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record
                    BEGIN SELECT RAISE(ABORT, 'audit records are appended, never changed'); END;
                    ALTER TABLE audit_record DROP COLUMN event; ALTER TABLE audit_record DROP COLUMN content;
                    ALTER TABLE audit_waiting DROP COLUMN event; ALTER TABLE audit_waiting DROP COLUMN content;
                    DELETE FROM grdb_migrations WHERE identifier = 'v13-content-digests';
                    """)
            }
        }
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let records = try store.auditRecords()
        let upgrade = try #require(records.last)
        #expect(upgrade.entry.action == AuditTrail.upgradeAction && upgrade.entry.detail == "3 earlier records")
        #expect(records.dropLast().filter { $0.entry.content != nil }.count == 3)
        #expect(try store.verifyAudit(today: Self.today).firstBroken == nil)

        // A word changed after the upgrade, in a record from before it: named at that record.
        try Self.tamper(store, table: "case_event", "UPDATE case_event SET text = 'We will not act.' WHERE kind = 'handler-message'")
        let broken = try #require(try store.verifyAudit(today: Self.today).firstBroken)
        #expect(broken.reason.contains("event 3") && broken.position < upgrade.position)
        // The word and the record's digest both changed: the upgrade record no longer vouches for it.
        try Self.tamper(store, table: "audit_record", """
            UPDATE audit_record SET content = (SELECT content FROM audit_record WHERE position = 1) WHERE event = 3
            """)
        try Self.tamper(store, table: "audit_record", "UPDATE audit_record SET content = NULL, event = NULL WHERE position < \(upgrade.position) AND event = 3")
        let vouched = try #require(try store.verifyAudit(today: Self.today).firstBroken)
        #expect(vouched.position == upgrade.position && vouched.reason.contains("vouched"))
    }
}

@Suite("The store's own times come from its clock")
struct StoreClockTests {
    @Test("an import, a directory import and what counts as late use the store's clock, not the machine's")
    func clockEverywhere() throws {
        let folder = TemporaryFolder()
        let moment = Date(timeIntervalSince1970: 1_811_000_000)  // May 2027: months after the machine's today
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10, clock: FixedClock(moment))
        let report = Reports.make(.open)
        try store.importReports([(report, [CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted)])],
                                router: FixedRouter(handlers: ["gita"]), by: "admin")
        try store.replaceStaff([], by: "admin")
        let records = try store.auditRecords()
        #expect(records.map(\.entry.action) == ["imported", "routed", "directory-replaced"])
        #expect(records.filter { $0.entry.action != "routed" }.allSatisfy { $0.entry.at == .instant(moment) })
        // Acknowledging was due a week after 27 November 2026: by the store's clock (May 2027) it is late.
        let facts = try store.caseFacts()
        #expect(facts.count == 1 && facts.allSatisfy(\.acknowledgedLate))
    }
}
