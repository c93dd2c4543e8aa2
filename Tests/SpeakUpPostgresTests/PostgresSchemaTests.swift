import Foundation
import PostgresNIO
import SpeakUpCore
import Synchronization
import Testing

@testable import SpeakUpPostgres

@Suite struct PostgresSchemaTests {
    let database: TestDatabase

    init() throws {
        database = try TestDatabase()
    }

    @Test func migratesOnceAndThenHasNothingToDo() throws {
        let session = try database.superuserSession()
        defer { session.close() }
        #expect(try PostgresSchema.migrate(session) == PostgresSchema.migrations.map(\.name))
        #expect(try PostgresSchema.migrate(session) == [])
        let tables = try session.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").map { try $0.decode(String.self) }
        #expect(tables == ["audit_head", "audit_record", "audit_unchained", "audit_waiting", "case_erasure", "case_event", "case_file", "case_handler", "case_handler_concern",
                           "case_key", "case_recusal", "case_text", "case_text_pending", "draft", "erased_event", "receipt", "recovery_key", "reminder", "report",
                           "report_concern", "reporter_characteristics", "sealed_event", "sealed_name", "sealing_key", "speakup_schema", "staff", "store_secret", "subject_check"])
        let salt = try session.query("SELECT value FROM store_secret WHERE name = 'receipt-salt'")[0].decode(ByteBuffer.self)
        #expect(salt.readableBytes == 32)
    }

    /// Two hosts starting at once: both migrate, one after the other under the advisory lock, and
    /// only one of them applies anything.
    @Test func twoSessionsAtOnceMigrateOnce() throws {
        let applied = Mutex<[[String]]>([])
        let failures = Mutex<[String]>([])
        let address = database.socketAddress
        let threads = (0..<2).map { _ in
            Thread {
                do {
                    let session = try PostgresSession.connect(to: address, password: nil, deadline: 10)
                    defer { session.close() }
                    let names = try PostgresSchema.migrate(session)
                    applied.withLock { $0.append(names) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        threads.forEach { $0.start() }
        #expect(waitUntil { applied.withLock { $0.count } + failures.withLock { $0.count } == 2 })
        #expect(failures.withLock { $0 } == [])
        #expect(applied.withLock { $0.sorted { $0.count < $1.count } } == [[], PostgresSchema.migrations.map(\.name)])
        let session = try database.superuserSession()
        defer { session.close() }
        #expect(try session.query("SELECT count(*) FROM speakup_schema")[0].decode(Int.self) == PostgresSchema.migrations.count)
        #expect(try session.query("SELECT count(*) FROM store_secret")[0].decode(Int.self) == 1)
    }

    @Test func aNewerSchemaIsRefusedAndLeftAlone() throws {
        let session = try database.superuserSession()
        defer { session.close() }
        try PostgresSchema.migrate(session)
        _ = try session.query("INSERT INTO speakup_schema (name, applied) VALUES ('pg-v2-from-the-future', '2031-01-01T00:00:00Z')")
        #expect(throws: StoreError(.newerVersion, "The PostgreSQL store at \(session.endpoint) was set up by a newer SpeakUp (it has the change \"pg-v2-from-the-future\", which this SpeakUp does not know), so this one will not use it or change it. Please install the newer SpeakUp on this host too.")) {
            try PostgresSchema.migrate(session)
        }
        #expect(try session.query("SELECT count(*) FROM speakup_schema")[0].decode(Int.self) == PostgresSchema.migrations.count + 1)
    }

    @Test func appendedRowsAreNeverChanged() throws {
        let session = try migrated()
        defer { session.close() }
        try insertOpenReport("AB12-CD34", in: session)
        _ = try session.query("INSERT INTO report_concern (reference, category) VALUES ('AB12-CD34', 'bullying')")
        _ = try session.query("INSERT INTO case_event (reference, sequence, kind, at, actor) VALUES ('AB12-CD34', 1, 'received', '2025-03-04T10:00:00Z', 'alice')")
        _ = try session.query("INSERT INTO receipt (hash, reference) VALUES ('\\x01'::bytea, 'AB12-CD34')")
        let genesis = String(repeating: "00", count: 32)
        _ = try session.query(PostgresQuery(unsafeSQL: """
            INSERT INTO audit_record (position, at, actor, action, reference, previous_hash, hash)
            VALUES (1, '2025-03-04T10:00:00Z', 'alice', 'received', 'AB12-CD34', '\\x\(genesis)'::bytea, '\\x02'::bytea)
            """))
        let refusals = [
            ("UPDATE report SET account = 'changed'", "report rows are appended, never changed"),
            ("DELETE FROM report", "report rows are appended, never changed"),
            ("TRUNCATE report CASCADE", "report rows are appended, never changed"),
            ("UPDATE report_concern SET category = 'other'", "report_concern rows are appended, never changed"),
            ("DELETE FROM report_concern", "report_concern rows are appended, never changed"),
            ("UPDATE case_event SET text = 'changed'", "case_event rows are appended, never changed"),
            ("DELETE FROM case_event", "case_event rows are appended, never changed"),
            ("UPDATE receipt SET hash = '\\x03'::bytea", "receipt rows are appended, never changed"),
            ("DELETE FROM receipt", "receipt rows are appended, never changed"),
            ("UPDATE audit_record SET actor = 'mallory'", "audit records are appended, never changed"),
            ("DELETE FROM audit_record", "audit records are appended, never changed"),
            ("TRUNCATE audit_record", "audit records are appended, never changed"),
            ("DELETE FROM audit_head", "the head of the audit chain is moved on, never removed"),
        ]
        for (statement, message) in refusals {
            do {
                _ = try session.query(PostgresQuery(unsafeSQL: statement))
                Issue.record("\(statement) was allowed")
            } catch {
                #expect(error.kind == .failed, "\(statement)")
                #expect(error.sentence.contains(message), "\(statement): \(error.sentence)")
            }
        }
        #expect(try session.query("SELECT account FROM report")[0].decode(String.self) == "What happened")
    }

    @Test func theAuditChainFollowsItsHead() throws {
        let session = try migrated()
        defer { session.close() }
        let genesis = String(repeating: "00", count: 32)
        // A record that does not follow on from the head is refused; one that does moves the head on.
        #expect(throws: StoreError.self) {
            try session.query(PostgresQuery(unsafeSQL: """
                INSERT INTO audit_record (position, at, action, previous_hash, hash) VALUES (2, 'x', 'opened', '\\x\(genesis)'::bytea, '\\x02'::bytea)
                """))
        }
        try session.transaction { session in
            _ = try session.query("SELECT position, hash FROM audit_head FOR UPDATE")
            _ = try session.query(PostgresQuery(unsafeSQL: """
                INSERT INTO audit_record (position, at, action, previous_hash, hash) VALUES (1, 'x', 'opened', '\\x\(genesis)'::bytea, '\\x02'::bytea)
                """))
        }
        let head = try session.query("SELECT position, encode(hash, 'hex') FROM audit_head")[0].decode((Int, String).self)
        #expect(head == (1, "02"))
    }

    @Test func anAnonymousReportNamesNobody() throws {
        let session = try migrated()
        defer { session.close() }
        let refused = [
            ("reporter_user, reporter_uid, submitted", "'alice', 1000, '2025-03-04'", "report_anonymous_names_nobody"),
            ("submitted", "'2025-03-04T10:00:00Z'", "report_anonymous_names_nobody"),
            ("submitted, reporter_name", "'2025-03-04', 'Alice'", "report_anonymous_keeps_no_details"),
        ]
        for (columns, values, constraint) in refused {
            do {
                _ = try session.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, \(columns))
                    VALUES ('ANON-0001', 'anonymous', 'peer', 'Ward 7', 'What happened', \(values))
                    """))
                Issue.record("an anonymous report with \(columns) was stored")
            } catch {
                #expect(error.sentence.contains(constraint), "\(error.sentence)")
            }
        }
        // The same report with only the day, and nobody named, is stored.
        _ = try session.query("""
            INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, submitted)
            VALUES ('ANON-0001', 'anonymous', 'peer', 'Ward 7', 'What happened', '2025-03-04')
            """)
        // Its reporter is never named in its events.
        #expect(throws: StoreError.self) {
            try session.query("INSERT INTO case_event (reference, sequence, kind, at, actor) VALUES ('ANON-0001', 1, 'received', '2025-03-04', 'alice')")
        }
    }

    @Test func theProgramsLoginCannotChangeAReport() throws {
        let session = try migrated()
        defer { session.close() }
        try insertOpenReport("AB12-CD34", in: session)
        try session.transaction { session in
            _ = try session.query("SET LOCAL ROLE speakup_app")
            // What it may do: read reports and keep drafts.
            #expect(try session.query("SELECT count(*) FROM report")[0].decode(Int.self) == 1)
            _ = try session.query("INSERT INTO draft (owner_uid, saved, body) VALUES (1000, 'now', '{}') ON CONFLICT (owner_uid) DO UPDATE SET body = excluded.body")
            _ = try session.query("INSERT INTO draft (owner_uid, saved, body) VALUES (1000, 'now', '{}') ON CONFLICT (owner_uid) DO UPDATE SET body = excluded.body")
        }
        for statement in ["UPDATE report SET account = 'changed'", "DELETE FROM report", "UPDATE case_event SET kind = 'x'",
                          "DROP TRIGGER report_no_change ON report", "DELETE FROM store_secret"] {
            do {
                try session.transaction { session in
                    _ = try session.query("SET LOCAL ROLE speakup_app")
                    _ = try session.query(PostgresQuery(unsafeSQL: statement))
                }
                Issue.record("speakup_app was allowed to \(statement)")
            } catch let error as StoreError {
                if statement.hasPrefix("UPDATE report") {
                    // The login may update the columns an erasure blanks (pg-v2), but the trigger refuses any case not being erased.
                    #expect(error.sentence.contains("rows are appended, never changed"), "\(statement): \(error.sentence)")
                } else {
                    #expect(error.kind == .readOnly, "\(statement): \(error.sentence)")
                    #expect(error.sentence.hasPrefix("The PostgreSQL server at \(session.endpoint) does not allow SpeakUp's login to do this"))
                }
            }
        }
    }

    @Test func searchFindsWholeWordsAndTheStartOfTheLast() throws {
        let session = try migrated()
        defer { session.close() }
        _ = try session.query("INSERT INTO case_text (id, reference, words, terms) VALUES (7, 'AB12-CD34', 'He shouted at the porter', 'he shouted at the porter')")
        func found(_ query: String) throws -> Int {
            try session.query("SELECT count(*) FROM case_text WHERE search @@ \(query)::tsquery")[0].decode(Int.self)
        }
        #expect(try found("'shouted' & 'at' & 'p':*") == 1)
        #expect(try found("'shouted' & 'p'") == 0)
        #expect(try found("'shout'") == 0)
        #expect(try found("'shout':*") == 1)
        // The query plan can use the GIN index.
        _ = try session.query("SET enable_seqscan = off")
        let plan = try session.query("EXPLAIN SELECT id FROM case_text WHERE search @@ '''por'':*'::tsquery").map { try $0.decode(String.self) }
        #expect(plan.joined().contains("case_text_search"))
    }

    private func migrated() throws -> PostgresSession {
        let session = try database.superuserSession()
        try PostgresSchema.migrate(session)
        return session
    }

    private func insertOpenReport(_ reference: String, in session: PostgresSession) throws {
        _ = try session.query("""
            INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, reporter_user, reporter_uid, submitted)
            VALUES (\(reference), 'open', 'peer', 'Ward 7', 'What happened', 'alice', 1000, '2025-03-04T10:00:00Z')
            """)
    }
}
