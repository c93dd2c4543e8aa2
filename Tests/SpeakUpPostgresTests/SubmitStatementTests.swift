import Foundation
import PostgresNIO
import Testing
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore
@testable import SpeakUpPostgres

/// A submit in one statement (`PostgresSubmitStatement`) writes, row for row, what the submit's
/// transaction writes; the server's audit hash is `AuditChain.digest`; and where the statement
/// cannot be sure it would write the same (a held case to release, records of an earlier day still
/// waiting, a store that seals, earlier reports that changed while it routed) it writes nothing.
@Suite("PostgreSQL: a submit in one statement")
struct SubmitStatementTests {
    /// Two handlers, a level that rises with earlier reports about the person by others, a hold when
    /// the report asks for one and nobody else has reported them, nobody for a report about "Nobody Known".
    struct CountingRouter: CaseRouter {
        func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
            var earlier = 0
            if let key = SubjectKey.of(report.subject, directoryID: nil) {
                earlier = try history.reportsAbout(key, since: CalendarDay(year: 2020, month: 1, day: 1)!, notBy: report.reporter)
            }
            let handlers = report.subject.name == "Nobody Known" ? [] : ["asha", "bilal"]
            return CaseRouting(level: earlier > 0 ? .awareness : .informal, roles: ["guardian"], handlers: handlers,
                               acknowledgeBy: from.addingTimeInterval(86_400), feedBackBy: from.addingTimeInterval(28 * 86_400),
                               explanation: ["Counted \(earlier) earlier.", Seniority.takenByRouting(.director, reported: report.subjectSeniority)],
                               held: report.hold != nil && earlier == 0)
        }
    }

    static func report(_ way: WayOfRaising, subject: String = "Dr Smith", by reporter: Reporter? = Reporter(userName: "ben", uid: 1002),
                       station: Station = .personal, hold: MatchingHold? = nil, at moment: Date = Date()) -> Report {
        var report = Report(reference: .random(), wayOfRaising: way, concerns: [.rudeOrAggressive, .detriment],
                            subject: Subject(name: subject, role: "consultant", seniority: .seniorClinician), location: "Ward 7",
                            staffImpact: "Upset the team.", account: "Shouted at a patient — «again».", hold: hold,
                            reporter: way == .anonymous || station != .personal ? nil : reporter,
                            reporterDetails: way == .open ? ReporterDetails(name: "Ben Ode", contact: "x1234", professionalGroup: nil) : nil,
                            submitted: .recorded(for: way, at: moment), station: station)
        if way != .anonymous { report.characteristics = ReporterCharacteristics([.ageBand: "35-44"]) }
        return report
    }

    /// Every row of the tables a submit writes, as JSON text, leaving out the random ids and the
    /// receipt's hash (salted by each store).
    static func rows(in session: PostgresSession) throws -> [String: [String]] {
        let tables = [("report", ""), ("report_concern", ""), ("case_event", ""), ("case_file", " - 'text_id'"), ("case_handler", " - 'text_id'"),
                      ("case_handler_concern", ""), ("case_text", " - 'id'"), ("receipt", " - 'hash'"), ("reporter_characteristics", " - 'id'"),
                      ("audit_record", ""), ("audit_waiting", " - 'id'"), ("audit_head", ""), ("draft", "")]
        var found: [String: [String]] = [:]
        for (table, leftOut) in tables {
            found[table] = try session.texts(PostgresQuery(unsafeSQL: "SELECT (to_jsonb(t)\(leftOut))::text FROM \(table) t ORDER BY 1"))
        }
        return found
    }

    @Test("the server's hash of an audit record is AuditChain.digest's, whatever the fields hold")
    func serverHash() throws {
        let database = try TestDatabase()
        let store = try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10)
        defer { store.close() }
        let entries = [
            AuditEntry(at: .instant(Date(timeIntervalSince1970: 1_790_000_000.25)), actor: "ben", action: "received", reference: "SU-ABCD-2345",
                       detail: "event 1", event: 1, content: Data((0..<32).map { UInt8($0 * 7 % 256) })),
            AuditEntry(at: .day("2026-12-02"), actor: nil, action: "routed", reference: nil, detail: nil, event: nil, content: nil),
            AuditEntry(at: .day("2026-12-02"), actor: "", action: "", reference: "", detail: "", event: 3, content: Data()),
            AuditEntry(at: .instant(Date()), actor: "zoë 🙂 ‮", action: "note", reference: "SU-WXYZ-6789", detail: "line\nbreak", event: nil,
                       content: Data([0xFF, 0x00])),
        ]
        var previous = Data(repeating: 0, count: 32)
        for (index, entry) in entries.enumerated() {
            let expected = AuditChain.digest(position: index + 1, previous: previous, entry)
            let found = try store.read { session in
                try session.row("""
                    SELECT speakup_audit_hash(\(index + 1), \(ByteBuffer(bytes: previous)), \(entry.at.text), \(entry.actor), \(entry.action),
                                              \(entry.reference), \(entry.detail), \(entry.event)::integer, \(entry.content.map { ByteBuffer(bytes: $0) })) AS hash
                    """)?.bytes("hash")
            }
            #expect(found == expected, "entry \(index + 1)")
            previous = expected
        }
    }

    @Test("the same reports submitted in one statement and as a transaction leave the same rows, audit trail included, and both verify")
    func sameRows() throws {
        let statement = try TestDatabase(), transaction = try TestDatabase()
        let stores = try [statement, transaction].map { database in
            try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10)
        }
        defer { for store in stores { store.close() } }
        #expect(stores[0].oneStatement.withLock { $0 }, "the tables are as the statement writes them")
        stores[1].writeSubmitsOneByOne()
        let moment = Date()
        let reports = [
            Self.report(.confidential, at: moment),
            Self.report(.anonymous, station: .kiosk(location: "Main entrance"), at: moment),
            Self.report(.open, station: .ward(location: "Ward 7"), at: moment.addingTimeInterval(1)),
            Self.report(.confidential, subject: "Sam Held", hold: MatchingHold(until: CalendarDay(year: 2030, month: 1, day: 1)!),
                        at: moment.addingTimeInterval(2)),
            // Someone else reports Sam Held: the held report is released (by the transaction, on both).
            Self.report(.confidential, subject: "Sam Held", by: Reporter(userName: "cara", uid: 1003), at: moment.addingTimeInterval(3)),
            Self.report(.open, subject: "Nobody Known", at: moment.addingTimeInterval(4)),
            Self.report(.confidential, by: Reporter(userName: "dev", uid: 1004), at: moment.addingTimeInterval(5)),
        ]
        var outcomes: [PostgresSubmitStatement.Outcome] = []
        for report in reports {
            let receipt: ReceiptCode? = report.reporter == nil ? .random() : nil
            let owner = report.reporter
            let derived = try receipt.map { code in try stores[0].hasher().derive(code) }
            outcomes.append(try stores[0].transaction(.save) { session in
                try PostgresSubmitStatement(report: report, receiptHash: derived.map { Data($0.hash) }, owner: owner)
                    .run(router: CountingRouter(), in: session)
            })
            if outcomes.last == .needsTransaction {
                _ = try stores[0].submit(report, receipt: receipt, discardingDraftOf: owner, router: CountingRouter())
            }
            _ = try stores[1].submit(report, receipt: receipt, discardingDraftOf: owner, router: CountingRouter())
        }
        #expect(outcomes == [.stored, .stored, .stored, .stored, .needsTransaction, .stored, .stored],
                "only the report that releases a held one needs the transaction")
        let sessions = try [statement, transaction].map { try $0.superuserSession() }
        defer { for session in sessions { session.close() } }
        let written = try sessions.map(Self.rows(in:))
        for table in written[1].keys.sorted() {
            #expect(written[0][table] == written[1][table], "\(table)")
        }
        #expect(written[0]["audit_record"]?.count == 13, "two records for each named report, and the release's routing")
        #expect(written[0]["audit_waiting"]?.count == 2, "the anonymous report's two records wait for their day to end")
        #expect(written[0]["case_handler"]?.count == 12, "two handlers for each case but the one nobody handles")
        for store in stores {
            #expect(try store.verifyAudit(today: CalendarDay.local(Date()), anchor: nil).firstBroken == nil)
        }
    }

    @Test("a statement a session sends again is prepared once, then executed by name, and writes what it writes sent as it is")
    func preparedWhenRepeated() throws {
        let prepared = try TestDatabase(), unprepared = try TestDatabase()
        let stores = try [prepared, unprepared].map { database in
            try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10)
        }
        defer { for store in stores { store.close() } }
        stores[1].sendSubmitsUnprepared()
        func preparedOnServer(_ store: PostgresReportStore) throws -> [String] {
            try store.read { session in try session.texts("SELECT name FROM pg_prepared_statements ORDER BY name") }
        }
        let moment = Date()
        // A kiosk's day: named reports, then anonymous ones with receipts, then named again; each kind the same statement.
        var reports = (0..<4).map { Self.report(.confidential, subject: "Dr Smith", by: Reporter(userName: "user\($0)", uid: 2000 + $0),
                                                 at: moment.addingTimeInterval(Double($0))) }
        reports += (0..<3).map { Self.report(.anonymous, station: .kiosk(location: "Main entrance"), at: moment.addingTimeInterval(10 + Double($0))) }
        reports += (0..<2).map { Self.report(.confidential, subject: "Alex Other", by: Reporter(userName: "late\($0)", uid: 3000 + $0),
                                                 at: moment.addingTimeInterval(20 + Double($0))) }
        var preparedAfter: [Int] = []
        for report in reports {
            let receipt: ReceiptCode? = report.reporter == nil ? .random() : nil
            for store in stores {
                _ = try store.submit(report, receipt: receipt, discardingDraftOf: report.reporter, router: CountingRouter())
            }
            preparedAfter.append(try preparedOnServer(stores[0]).count)
        }
        #expect(preparedAfter == [0, 1, 1, 1, 1, 2, 2, 2, 2], "each kind of statement prepared the second time it is sent, and only once")
        #expect(try preparedOnServer(stores[1]).isEmpty, "a store told not to prepare never does")
        let sessions = try [prepared, unprepared].map { try $0.superuserSession() }
        defer { for session in sessions { session.close() } }
        let written = try sessions.map(Self.rows(in:))
        for table in written[1].keys.sorted() {
            #expect(written[0][table] == written[1][table], "\(table)")
        }
        #expect(written[0]["report"]?.count == reports.count)
        for store in stores {
            #expect(try store.verifyAudit(today: CalendarDay.local(Date()), anchor: nil).firstBroken == nil)
        }
        // A new connection starts with nothing prepared, and prepares again as it goes.
        stores[0].close()
        _ = try stores[0].submit(Self.report(.confidential, by: Reporter(userName: "next", uid: 4000)), receipt: nil, discardingDraftOf: nil,
                                 router: CountingRouter())
        #expect(try preparedOnServer(stores[0]).isEmpty)
    }

    @Test("what a session remembers: a statement prepared the second time it comes, under one name; no more than the limit prepared")
    func repeatedStatementsMemory() {
        var memory = RepeatedStatements()
        let first = RepeatedStatements.Key(sql: "SELECT $1", kinds: [25])
        let sameTextOtherKinds = RepeatedStatements.Key(sql: "SELECT $1", kinds: [0])
        #expect(memory.step(for: first) == .send)
        #expect(memory.step(for: sameTextOtherKinds) == .send, "a NULL where text was is another statement")
        let second = memory.step(for: first)
        #expect(second == .named("speakup_repeated_1"), "the second time is prepared")
        #expect(memory.step(for: first) == second)
        #expect(memory.step(for: sameTextOtherKinds) == .named("speakup_repeated_2"))
        for index in 0..<(RepeatedStatements.preparedLimit * 2) {
            let key = RepeatedStatements.Key(sql: "SELECT \(index)", kinds: [])
            _ = memory.step(for: key)
            _ = memory.step(for: key)
        }
        #expect(memory.preparedCount == RepeatedStatements.preparedLimit)
        #expect(memory.step(for: RepeatedStatements.Key(sql: "SELECT 'new'", kinds: [])) == .send)
        #expect(memory.step(for: RepeatedStatements.Key(sql: "SELECT 'new'", kinds: [])) == .send, "past the limit, sent as it is")
    }

    @Test("the statement leaves the chain's head free until the COMMIT, which chains the records; nothing is left unchained")
    func chainedAtCommit() throws {
        let database = try TestDatabase()
        let store = try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10)
        defer { store.close() }
        let other = try database.superuserSession()
        defer { other.close() }
        let report = Self.report(.confidential)
        try store.transaction(.save) { session in
            #expect(try PostgresSubmitStatement(report: report, receiptHash: nil, owner: report.reporter).run(router: CountingRouter(), in: session) == .stored)
            // Another writer may take the head now: the statement did not lock it.
            _ = try other.query("SELECT position FROM audit_head FOR UPDATE NOWAIT")
            #expect(try session.number("SELECT count(*) FROM audit_record") == 0)
        }
        #expect(try other.number("SELECT count(*) FROM audit_record WHERE reference = \(report.reference.text)") == 2)
        #expect(try other.number("SELECT count(*) FROM audit_unchained") == 0)
        #expect(try store.verifyAudit(today: CalendarDay.local(Date()), anchor: nil).firstBroken == nil)
    }

    @Test("the warm-up while a reporter writes rehearses a submit and keeps nothing of it; the submit after it is stored as any other")
    func warmUp() throws {
        let database = try TestDatabase()
        let store = try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10)
        defer { store.close() }
        let superuser = try database.superuserSession()
        defer { superuser.close() }
        _ = try store.submit(Self.report(.confidential), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        let before = try Self.rows(in: superuser)
        #expect(store.rehearseSubmit(), "the rehearsal ran whole, then was rolled back")
        #expect(try Self.rows(in: superuser) == before, "nothing kept")
        _ = try store.submit(Self.report(.confidential), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        #expect(try superuser.number("SELECT count(*) FROM report") == 2)
        #expect(try store.verifyAudit(today: CalendarDay.local(Date()), anchor: nil).firstBroken == nil)
    }

    @Test("a store whose report table has a column the statement does not write submits one by one, and its audit trail verifies")
    func tablesNotAsWritten() throws {
        let database = try TestDatabase()
        let superuser = try database.superuserSession()
        defer { superuser.close() }
        // Opened once, so the schema is made; then a column SpeakUp does not know of, with a value of its own.
        try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10).close()
        _ = try superuser.query("ALTER TABLE report ADD COLUMN local_note TEXT DEFAULT 'added here'")
        let store = try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10)
        defer { store.close() }
        #expect(!store.oneStatement.withLock { $0 })
        _ = try store.submit(Self.report(.confidential), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        _ = try store.submit(Self.report(.open), receipt: nil, discardingDraftOf: nil, router: nil)
        #expect(try superuser.number("SELECT count(*) FROM report WHERE local_note = 'added here'") == 2)
        let verified = try store.verifyAudit(today: CalendarDay.local(Date()), anchor: nil)
        #expect(verified.firstBroken == nil, "the digests hold the column: \(String(describing: verified.firstBroken))")
        #expect(PostgresSubmitStatement.tablesAsWritten([]) == false)
        #expect(PostgresSubmitStatement.tablesAsWritten(["report"]) == false)
    }

    @Test("nothing is written in one statement where it might differ: records of an earlier day waiting, a store that seals, earlier reports that changed while it routed; a reference taken is said")
    func guards() throws {
        let database = try TestDatabase()
        let store = try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10)
        defer { store.close() }
        let superuser = try database.superuserSession()
        defer { superuser.close() }
        func attempt(_ report: Report, router: any CaseRouter = CountingRouter()) throws -> PostgresSubmitStatement.Outcome {
            try store.transaction(.save) { session in
                try PostgresSubmitStatement(report: report, receiptHash: nil, owner: report.reporter).run(router: router, in: session)
            }
        }
        func reports() throws -> Int { try superuser.number("SELECT count(*) FROM report") ?? -1 }

        let first = Self.report(.confidential)
        #expect(try attempt(first) == .stored)
        var again = Self.report(.confidential)
        again.reference = first.reference
        #expect(try attempt(again) == .referenceTaken)
        #expect(try reports() == 1)

        // An anonymous reporter's record of yesterday, still waiting: chained first, by the transaction.
        _ = try superuser.query("""
            INSERT INTO audit_waiting (id, day, action, reference, detail, event, content)
            VALUES ('00', \(CalendarDay.local(Date().addingTimeInterval(-86_400)).description), 'received', NULL, NULL, NULL, NULL)
            """)
        #expect(try attempt(Self.report(.confidential)) == .needsTransaction)
        #expect(try reports() == 1)
        #expect(try attempt(Self.report(.anonymous)) == .stored, "an anonymous report's records wait too: nothing is chained")
        _ = try store.submit(Self.report(.confidential), receipt: nil, discardingDraftOf: nil, router: CountingRouter())
        #expect(try superuser.number("SELECT count(*) FROM audit_waiting WHERE id = '00'") == 0, "the transaction chained it")
        #expect(try attempt(Self.report(.confidential)) == .stored)

        // Another report about the same person, stored while the router was at work: the count it gave is out of date.
        struct Interrupted: CaseRouter {
            let other: PostgresReportStore
            func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
                let routing = try CountingRouter().route(report, history: history, from: from)
                _ = try other.submit(SubmitStatementTests.report(.confidential, by: Reporter(userName: "eli", uid: 1005)), receipt: nil,
                                     discardingDraftOf: nil, router: nil)
                return routing
            }
        }
        let other = try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10)
        defer { other.close() }
        let before = try reports()
        #expect(try attempt(Self.report(.confidential), router: Interrupted(other: other)) == .needsTransaction)
        #expect(try reports() == before + 1, "only the other report")
        let verified = try store.verifyAudit(today: CalendarDay.local(Date()), anchor: nil)
        #expect(verified.firstBroken == nil, "\(String(describing: verified.firstBroken))")

        // The check that an anonymous reporter's events name nobody sees a report written by the same statement.
        #expect(throws: (any Error).self) {
            try superuser.query("""
                WITH r AS (INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, submitted)
                           VALUES ('SU-TEST-2345', 'anonymous', 'unknown', 'Ward 7', 'Words.', '2026-12-02') RETURNING reference)
                INSERT INTO case_event (reference, sequence, kind, at, actor) SELECT reference, 1, 'received', '2026-12-02', 'ben' FROM r
                """)
        }
        #expect(try superuser.number("SELECT count(*) FROM report WHERE reference = 'SU-TEST-2345'") == 0)

        // A store that seals: never a report in clear.
        _ = try superuser.query("INSERT INTO recovery_key (id, public_key, made_at) VALUES (1, \(ByteBuffer(bytes: [UInt8](repeating: 1, count: 32))), '2026-12-02')")
        #expect(try attempt(Self.report(.confidential)) == .needsTransaction)
        #expect(try reports() == before + 1)
    }
}
