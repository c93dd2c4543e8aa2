import Foundation
import Glibc
import GRDB
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore

/// `speakup retention run` over 1,000,000 cases, 10% of them closed long enough ago to be due
/// under the standard policy (a few of those under legal hold), run through `RetentionRun`, the
/// command's own code. While it runs, another connection on its own thread does what a person
/// would: a reporter's submit and a handler's queue read every 100 ms, each timed. Beside it,
/// in the same run, the floor: raw SQL blanking the same rows in one transaction (no checks,
/// digests, tombstones or audit records), and the raw commits the batches cannot do without.
/// After it: `audit verify` must pass, the held cases must be whole, and exactly the due cases
/// erased; the bench fails otherwise.
struct RetentionBench {
    let scratch: String
    let cases: Int
    /// The day the run acts as (`--today`): cases closed in 2019 are due under the standard six years.
    static let today = CalendarDay(year: 2026, month: 11, day: 30)!
    static let moment = Date(timeIntervalSince1970: 1_795_770_106)

    /// Case `i` is closed in 2019 (due) when `i % 10 == 9`, closed in 2026 (kept) when `i % 10 == 8`,
    /// open otherwise; of the due ones, those with `i % 10_000 == 9` are under legal hold.
    static func reference(_ index: Int) -> String { String(format: "SU-%04d-%04d", index / 10_000, index % 10_000) }

    /// Routes every report to gita, as a one-guardian trust's rules would.
    struct OneGuardian: CaseRouter {
        func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
            CaseRouting(level: .informal, roles: ["guardian"], handlers: ["gita"], acknowledgeBy: from.addingTimeInterval(2 * 86_400),
                        feedBackBy: from.addingTimeInterval(28 * 86_400),
                        explanation: ["Nobody in the directory matches the name.", "Seniority as the report gave it.",
                                      "Route \"everything-else\" (line 40) matched: every report."])
        }
    }

    /// One case's events as SpeakUp writes them (kind, text, detail, actor), taken from a case made
    /// through the store itself: submitted, routed, noted, closed, and one put under legal hold.
    static func templates(scratch: String) throws -> [String: Row] {
        let store = try SQLiteReportStore(path: scratch + "/retention-template.sqlite")
        var report = CommitBench.report()
        report.subject.name = "Sam Lord"
        let stored = try store.submit(report, receipt: nil, discardingDraftOf: nil, router: OneGuardian())
        let desk = store.desk(policy: SubjectChainPolicy(directory: StaffDirectory([])))
        try desk.act(.acknowledge, on: stored.reference, by: "gita", at: moment)
        try desk.act(.note("Spoke to the ward manager about the rota."), on: stored.reference, by: "gita", at: moment)
        try desk.act(.close(.upheld, learned: "Rotas changed."), on: stored.reference, by: "gita", at: moment)
        try desk.act(.legalHold(reason: "Employment tribunal claim 2026/1234"), on: stored.reference, by: "gita", at: moment)
        return try store.withDatabase { db in
            // The first event of each kind (acknowledging a case can also write a note).
            Dictionary(try Row.fetchAll(db, sql: "SELECT kind, text, detail, actor FROM case_event ORDER BY sequence").map { ($0["kind"] as String, $0) },
                       uniquingKeysWith: { first, _ in first })
        }
    }

    func run() throws -> [String] {
        let path = scratch + "/retention.sqlite"
        let store = try SQLiteReportStore(path: path)
        let templates = try Self.templates(scratch: scratch)
        func literal(_ kind: String, _ column: String) -> String {
            guard let row = templates[kind], let value: String = row[column] else { return "NULL" }
            return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        }
        let reference = "printf('SU-%04d-%04d', i / 10000, i % 10000)"
        // Due cases were sent in 2018 and closed in 2019; the rest were sent in 2026.
        let submitted = "CASE WHEN i % 10 = 9 THEN printf('2018-%02d-%02dT10:00:00Z', 1 + i % 12, 1 + i % 28) ELSE printf('2026-%02d-%02dT10:00:00Z', 1 + i % 10, 1 + i % 28) END"
        let closedAt = "CASE WHEN i % 10 = 9 THEN printf('2019-%02d-%02dT10:00:00Z', 1 + i % 12, 1 + i % 28) ELSE printf('2026-%02d-%02dT12:00:00Z', 1 + (i / 10) % 10, 1 + i % 28) END"
        let account = """
            'She shouted at the ' || CASE i % 4 WHEN 0 THEN 'porter' WHEN 1 THEN 'student' WHEN 2 THEN 'patient' ELSE 'nurse' END ||
            ' during handover on ward ' || (i % 50) || ' near the marker' || (i % 100) || ' and refused to listen when asked about the topic' ||
            (i % 1000) || ' again. ' || \(literal("note", "text"))
            """
        let filled = try fillStore(store, cases: cases) { db, numbers in
            try db.execute(sql: """
                \(numbers)
                INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, submitted, subject_role, subject_name,
                                    patient_harm, staff_impact, witnesses, reporter_user, reporter_name, reporter_contact, reporter_group)
                SELECT \(reference), 'confidential', 'practitioner', 'Ward ' || (i % 50), \(account), \(submitted), 'nurse', 'Sam Lord ' || (i % 977),
                       'none', 'I could not sleep after it.', 'Jo on the night shift', 'asha', 'Asha Patel', 'ext ' || (1000 + i % 9000), 'nursing'
                FROM n
                """)
            try db.execute(sql: """
                \(numbers)
                INSERT INTO report_concern (reference, category)
                SELECT \(reference), CASE i % 4 WHEN 0 THEN 'rude-or-aggressive' WHEN 1 THEN 'unsafe-practice' WHEN 2 THEN 'bullying-or-harassment' ELSE 'other' END
                FROM n
                """)
            try db.execute(sql: """
                \(numbers)
                INSERT INTO case_file (reference, status, level, acknowledge_by, feed_back_by, held, text_id)
                SELECT \(reference), CASE WHEN i % 10 >= 8 THEN 'closed' WHEN i % 10 >= 5 THEN 'acknowledged' ELSE 'new' END, 'informal',
                       printf('2026-12-%02dT10:00:00Z', 1 + i % 28), printf('2027-01-%02dT10:00:00Z', 1 + i % 28), 0, i + 1
                FROM n
                """)
            try db.execute(sql: """
                INSERT INTO case_handler (handler, rank, reference, level, text_id)
                SELECT 'gita', (CASE WHEN status = 'closed' THEN '11' ELSE '01' END) || acknowledge_by, reference, level, text_id FROM case_file
                """)
            try db.execute(sql: """
                \(numbers)
                INSERT INTO case_text (rowid, reference, words) SELECT i + 1, \(reference), \(account) FROM n
                """)
            // Received, routed (its explanation and detail as the store wrote them), acknowledged, a note;
            // closed, for the closed ones; a legal hold on a few of the due ones.
            try db.execute(sql: """
                \(numbers)
                INSERT INTO case_event (reference, sequence, kind, at, text, detail, actor)
                SELECT \(reference), 1, 'received', \(submitted), NULL, NULL, 'asha' FROM n
                UNION ALL
                SELECT \(reference), 2, 'routed', \(submitted), \(literal("routed", "text")), \(literal("routed", "detail")), 'speakup-rules' FROM n
                UNION ALL
                SELECT \(reference), 3, 'acknowledged', \(submitted), NULL, NULL, 'gita' FROM n WHERE i % 10 >= 5
                UNION ALL
                SELECT \(reference), 4, 'note', \(submitted), 'Spoke to Sam Lord ' || (i % 977) || ' and the ward manager about the topic' || (i % 1000) || '.',
                       NULL, 'gita' FROM n
                UNION ALL
                SELECT \(reference), 5, 'closed', \(closedAt), \(literal("closed", "text")), \(literal("closed", "detail")), 'gita' FROM n WHERE i % 10 >= 8
                UNION ALL
                SELECT \(reference), 6, 'legal-hold', '2026-06-01T10:00:00Z', \(literal("legal-hold", "text")), \(literal("legal-hold", "detail")), 'gita'
                FROM n WHERE i % 10000 = 9
                """)
            try db.execute(sql: """
                \(numbers)
                INSERT INTO receipt (hash, reference) SELECT randomblob(32), \(reference) FROM n WHERE i % 2 = 1
                """)
        }
        let due = (0..<cases).filter { $0 % 10 == 9 && $0 % 10_000 != 9 }.count
        let held = (0..<cases).filter { $0 % 10_000 == 9 }.map { Self.reference($0) }
        let chained = try chainAuditRecords(store)
        let sizes = try store.withDatabase { db in
            (events: try Int.fetchOne(db, sql: "SELECT count(*) FROM case_event") ?? 0, pages: try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0)
        }
        print("## A retention run over \(cases.formatted()) cases (\(sizes.events.formatted()) case events, \(chained.formatted()) audit records, a \(sizes.pages * 4096 / 1_048_576) MiB store; filled in \(format(filled)) s)")

        let policy = RetentionPolicy.standard
        let plan = try timed { try store.retentionPlan(policy, today: Self.today) }
        guard plan.value.cases.count == due, Set(plan.value.held.map(\.text)) == Set(held) else {
            throw BenchFailure("the plan has \(plan.value.cases.count) due and \(plan.value.held.count) held cases; \(due) and \(held.count) expected")
        }

        // The floor, before the run (so its reads warm the cache the run then finds warm too): the same
        // rows blanked and deleted by raw SQL in one transaction, rolled back.
        let floor = try rawErasure(store, plan: plan.value)
        let commits = try rawCommits(scratch: scratch, count: (due + RetentionRun.batchSize - 1) / RetentionRun.batchSize)

        // The run, with a person at work on another connection.
        let person = Person(path: path)
        person.start()
        let run = RetentionRun(store: store, policy: policy, today: Self.today, actor: "bench")
        var batches = 0
        let erased = try timed { try run.erase(plan.value) { _, _ in batches += 1 } }
        let duringErase = person.stop()
        print("erasure: \(batches) batches in \(format(erased.seconds)) s (\(erased.value.erased) cases)")
        person.start()
        // The compaction ends by emptying the log, which needs a moment with no reader: with a person
        // reading every 100 ms it may say so and stop (as the command does). The bench then says that,
        // and runs it again once the person has stopped, as the command's sentence asks.
        let compacted: (value: Void, seconds: Double)
        let duringCompact: Person.Felt
        var compactionRefused: String? = nil
        do {
            compacted = try timed { try run.compact() }
            duringCompact = person.stop()
        } catch {
            compactionRefused = "\(error)"
            duringCompact = person.stop()
            print("compaction with a person reading was refused: \(error)")
            compacted = try timed { try run.compact() }
        }
        if let compactionRefused { print("compaction refused while the person was reading; run again when they had stopped: \(format(compacted.seconds)) s (\(compactionRefused.prefix(60))...)") }

        // After it.
        let verification = try timed { try store.verifyAudit(today: Self.today.adding(days: 1)) }
        let stillHeld = try store.withDatabase { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM report r WHERE r.reference IN (\(held.map { "'\($0)'" }.joined(separator: ", ")))
                AND r.account <> '' AND NOT EXISTS (SELECT 1 FROM case_erasure x WHERE x.reference = r.reference)
                """) ?? 0
        }
        let erasedRows = try store.withDatabase { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_erasure") ?? 0 }
        let again = try store.retentionPlan(policy, today: Self.today)

        let runSeconds = erased.seconds + compacted.seconds
        print("| what | seconds | |")
        print("|---|---|---|")
        print("| plan: find the \(due.formatted()) due cases (and \(held.count) held) | \(format(plan.seconds)) | |")
        print("| erase them, \(RetentionRun.batchSize) cases a transaction (\(batches.formatted()) batches) | \(format(erased.seconds)) | \(format(erased.seconds / Double(due) * 1_000_000)) µs a case |")
        print("| make the erased words unrecoverable: FTS5 incremental merge to one segment, log emptied | \(format(compacted.seconds)) | |")
        print("| the run: plan + erase + merge | \(format(plan.seconds + runSeconds)) | goal: under 60 s |")
        print("| floor: raw SQL blanking the same rows in one transaction (no checks, digests, tombstones or audit; rolled back) | \(format(floor)) | |")
        print("| floor: \(commits.count.formatted()) raw one-row commits (one per batch), synchronous=FULL | \(format(commits.seconds)) | |")
        print("| afterwards: `audit verify` over the whole chain | \(format(verification.seconds)) | |")
        print("")
        print("What a person felt meanwhile (another connection, every 100 ms): ")
        print("| during | what | count | median ms | p99 ms | max ms | failed |")
        print("|---|---|---|---|---|---|---|")
        for (when, felt) in [("the erasure", duringErase), ("the merge", duringCompact)] {
            for (what, sample, failed) in [("a reporter's submit", felt.submits, felt.failedSubmits), ("a handler's queue read (first 100 rows)", felt.reads, felt.failedReads)] {
                print("| \(when) | \(what) | \(sample.milliseconds.count) | \(format(sample.median)) | \(format(sample.p99)) | \(format(sample.milliseconds.max() ?? .nan)) | \(failed) |")
            }
        }
        if let failure = duringErase.firstFailure ?? duringCompact.firstFailure { print("first failure: \(failure)") }
        let verified = verification.value.firstBroken == nil
        print("checks: audit verify \(verified ? "passes" : "FAILS") (\(verification.value.erasedCases.formatted()) cases, \(verification.value.erasedEvents.formatted()) events erased); "
            + "\(stillHeld) of \(held.count) held cases whole; \(erased.value.erased.formatted()) erased (\(erasedRows.formatted()) erasure rows) of \(due.formatted()) due; a second plan finds \(again.cases.count)")
        guard verified, stillHeld == held.count, erased.value.erased == due, erasedRows == due, again.cases.isEmpty,
              duringErase.failedSubmits + duringErase.failedReads + duringCompact.failedSubmits + duringCompact.failedReads == 0
        else { throw BenchFailure("the retention run's checks failed (see above)") }
        let met = plan.seconds + runSeconds < 60 ? "met" : "NOT met"
        return [
            "retention run over \(cases.formatted()) cases, \(due.formatted()) due: plan \(format(plan.seconds)) s + erase \(format(erased.seconds)) s + merge \(format(compacted.seconds)) s (goal < 60 s: \(met); floor: raw blanking \(format(floor)) s, raw commits \(format(commits.seconds)) s); "
                + "submit during it median \(format(duringErase.submits.median)) ms, p99 \(format(duringErase.submits.p99)) ms, max \(format(duringErase.submits.milliseconds.max() ?? .nan)) ms; "
                + "queue read median \(format(duringErase.reads.median)) ms, p99 \(format(duringErase.reads.p99)) ms; 0 failed; audit verify passes",
        ]
    }

    /// Audit records for every event of the cases a run touches (the due and the held), chained
    /// as the store chains them, with the content digests the store works out.
    func chainAuditRecords(_ store: SQLiteReportStore) throws -> Int {
        try store.withDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = OFF")
            defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
            var count = 0
            try db.inTransaction {
                var previous = AuditChain.genesis
                let events = try db.makeStatement(sql: "SELECT * FROM case_event WHERE reference = ? ORDER BY sequence")
                let reports = try db.makeStatement(sql: "SELECT * FROM report WHERE reference = ?")
                let concerns = try db.makeStatement(sql: "SELECT category FROM report_concern WHERE reference = ? ORDER BY category")
                let insert = try db.makeStatement(sql: """
                    INSERT INTO audit_record (position, at, actor, action, reference, detail, event, content, previous_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for index in stride(from: 9, to: cases, by: 10) {
                    let reference = Self.reference(index)
                    for event in try Row.fetchAll(events, arguments: [reference]) {
                        let sequence: Int = event["sequence"]
                        let content = try ContentHasher.ofEvent(
                            Self.columns(event), sequence: sequence,
                            report: { try Row.fetchOne(reports, arguments: [reference]).map(Self.columns) },
                            concerns: { try String.fetchAll(concerns, arguments: [reference]) })
                        let entry = AuditEntry(at: SubmissionTime(text: event["at"])!, actor: event["actor"], action: event["kind"], reference: reference,
                                               detail: "event \(sequence)", event: sequence, content: content)
                        count += 1
                        let hash = AuditChain.digest(position: count, previous: previous, entry)
                        try insert.execute(arguments: [count, entry.at.text, entry.actor, entry.action, reference, entry.detail, sequence, content, previous, hash])
                        previous = hash
                    }
                }
                return .commit
            }
            return count
        }
    }

    static func columns(_ row: Row) -> [(name: String, value: ContentHasher.Value?)] {
        zip(row.columnNames, row.databaseValues).map { column, value in
            switch value.storage {
            case .null: (column, nil)
            case .int64(let number): (column, .integer(number))
            case .double(let number): (column, .real(number))
            case .string(let text): (column, .text(text))
            case .blob(let data): (column, .blob(data))
            }
        }
    }

    /// The floor: the due cases' rows blanked and deleted as the erasure does, by raw SQL in one
    /// transaction (which is then rolled back), timed up to the commit it does not do.
    func rawErasure(_ store: SQLiteReportStore, plan: RetentionPlan) throws -> Double {
        try store.withDatabase { db in
            try db.execute(sql: "CREATE TEMP TABLE due (reference TEXT PRIMARY KEY) WITHOUT ROWID")
            for due in plan.cases { try db.execute(sql: "INSERT INTO temp.due VALUES (?)", arguments: [due.reference.text]) }
            defer { try? db.execute(sql: "DROP TABLE temp.due") }
            var seconds = 0.0
            try db.inTransaction {
                let start = now()
                // The erasure row first: the store's triggers let an erased case's rows be blanked.
                try db.execute(sql: "INSERT INTO case_erasure (reference, erased_on, rule) SELECT reference, '2026-11-30', 'raw' FROM temp.due")
                try db.execute(sql: "UPDATE report SET \(RetentionErasure.reportAssignments) WHERE reference IN temp.due")
                try db.execute(sql: """
                    UPDATE case_event SET text = CASE WHEN kind IN ('speak-up-again', 'closed', 'detriment-check-in') THEN text END
                    WHERE reference IN temp.due
                    """)
                try db.execute(sql: "DELETE FROM case_text WHERE rowid IN (SELECT text_id FROM case_file WHERE reference IN temp.due)")
                try db.execute(sql: "DELETE FROM receipt WHERE reference IN temp.due")
                seconds = now() - start
                return .rollback
            }
            return seconds
        }
    }

    /// The floor of the batches' flushes: `count` raw one-row commits (CommitBench's raw SQLite).
    func rawCommits(scratch: String, count: Int) throws -> (count: Int, seconds: Double) {
        let raw = try RawSQLite(path: scratch + "/retention-raw.sqlite")
        let start = now()
        for _ in 0..<count { try raw.insert("x") }
        return (count, now() - start)
    }

    func timed<T>(_ body: () throws -> T) throws -> (value: T, seconds: Double) {
        let start = now()
        let value = try body()
        return (value, now() - start)
    }

    /// A reporter and a handler at work on the store during the run, on a connection of their own:
    /// every 100 ms a submit (CommitBench's report) and a read of the first 100 rows of gita's queue.
    final class Person: @unchecked Sendable {
        struct Felt {
            var submits = Sample(), reads = Sample()
            var failedSubmits = 0, failedReads = 0
            var firstFailure: String?
        }

        let path: String
        private let lock = NSLock()
        private var stopping = false
        private var felt = Felt()
        private var finished = DispatchSemaphore(value: 0)

        init(path: String) { self.path = path }

        func start() {
            let finished = DispatchSemaphore(value: 0)
            lock.withLock {
                self.stopping = false
                self.felt = Felt()
                self.finished = finished
            }
            Thread.detachNewThread { [self] in
                defer { finished.signal() }
                var felt = Felt()
                do {
                    let store = try SQLiteReportStore(path: path)
                    let desk = store.desk(policy: SubjectChainPolicy(directory: StaffDirectory([])))
                    var next = now()
                    while !lock.withLock({ stopping }) {
                        next += 0.1
                        var start = now()
                        do {
                            _ = try store.submit(CommitBench.report(), receipt: nil, discardingDraftOf: nil, router: OneGuardian())
                            felt.submits.add(now() - start)
                            store.tidy()
                        } catch {
                            felt.failedSubmits += 1
                            felt.firstFailure = felt.firstFailure ?? "submit: \(error)"
                        }
                        start = now()
                        do {
                            _ = try desk.queue(QueueQuery(), for: "gita", now: RetentionBench.moment)
                            felt.reads.add(now() - start)
                        } catch {
                            felt.failedReads += 1
                            felt.firstFailure = felt.firstFailure ?? "queue: \(error)"
                        }
                        let left = next - now()
                        if left > 0 { usleep(useconds_t(left * 1_000_000)) }
                    }
                } catch {
                    felt.failedSubmits += 1
                    felt.firstFailure = "opening the store: \(error)"
                }
                lock.withLock { self.felt = felt }
            }
        }

        func stop() -> Felt {
            lock.withLock { stopping = true }
            lock.withLock { finished }.wait()
            return lock.withLock { felt }
        }
    }
}
