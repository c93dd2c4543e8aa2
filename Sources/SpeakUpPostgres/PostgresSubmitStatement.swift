import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// A submit's writes in one statement, inside the submit's transaction: the report, its concerns,
/// case file, words, receipt, draft removal and description, its events, the routing's handlers, and
/// its audit records, chained by the server as the transaction commits (`audit_unchained`'s deferred
/// trigger locks the chain's head and works out each hash with `speakup_audit_hash`). BEGIN, the
/// statement and COMMIT: three round trips where the writes one by one took five (with a router, the
/// question of earlier reports first: four where they took ten), and the head is never held while the
/// client is woken, or stopped.
///
/// Not sent on its own, outside a transaction, though PostgreSQL would then commit it as it ended
/// in one round trip: a statement waiting for a lock carries on when the lock is let go, even after
/// the person at the screen stopped waiting and was told nothing was saved. Only SpeakUp's COMMIT
/// makes a report saved.
///
/// What an audit record holds of its event (the digest, `ContentHasher.ofEvent`) is worked out
/// before the statement, from the values it writes (`WrittenColumn`): what a read back would give,
/// provided the tables have the columns written and no others (`tablesAsWritten`, checked as the store opens).
///
/// It writes only where it is the same as the writes one by one (`PostgresReportStore.store`): the
/// store does not seal reports; no report held until someone else reported the same person is to be
/// released; no anonymous reporter's records wait from an earlier day to be chained first; and each
/// count of earlier reports the routing relied on is still the count. The statement checks these
/// itself and writes nothing unless all hold (`Outcome.needsTransaction`: the submit then writes one
/// by one, in the same transaction).
struct PostgresSubmitStatement {
    enum Outcome: Equatable {
        case stored
        /// Another report has the reference: nothing was written.
        case referenceTaken
        /// Something above did not hold: nothing was written, and the submit writes one by one.
        case needsTransaction
    }

    let report: Report
    /// The receipt's hash, for a report no login leads back to.
    let receiptHash: Data?
    /// The reporter whose draft goes.
    let owner: Reporter?
    /// Whether the statement may be prepared by name when the session sends it again (a kiosk's or
    /// a ward terminal's next report; `PostgresSession.query(repeating:)`). The bench turns it off to compare.
    var prepares = true

    /// Routes (asking the history one question at a time), then writes.
    func run(router: (any CaseRouter)?, in session: PostgresSession) throws -> Outcome {
        let history = AskedHistory(history: PostgresReportRows.History(session: session, digest: router?.subjectKeyDigest))
        let routing = try router?.route(report, history: history, from: report.deadlineStart)
        var heldKeys: (String, String)?
        if let router, let key = SubjectKey.of(report.subject, directoryID: nil) {
            heldKeys = StoredForm.subjectKeys(key, digest: router.subjectKeyDigest)
        }
        return try write(routing: routing, asked: history, heldKeys: heldKeys, in: session)
    }

    /// The statement, given the routing and the questions it was worked out from.
    private func write(routing: CaseRouting?, asked: AskedHistory, heldKeys: (String, String)?, in session: PostgresSession) throws -> Outcome {
        // PostgreSQL keeps no text holding a NUL: refused whole, in the same words as on SQLite.
        if let field = report.fieldsHoldingNul.first { throw RefusedText(what: "The report's \(field)") }
        let received = StoredForm.receivedEvent(of: report)
        var events: [(event: CaseEvent, detail: String?)] = [(received, nil)]
        if let routing {
            let (event, detail) = try StoredForm.routingEvent(routing, for: report, kind: .routed, sequence: 2, at: report.submitted)
            events.append((event, detail))
        }
        for (event, detail) in events { try RefusedText.check([event.text, event.actor, detail], what: "The case event's text") }

        // Each event's audit entry, its digest worked out from the rows as written.
        let reportRow = PostgresReportRows.columns(of: report)
        let concerns = report.concerns.map(\.rawValue)
        let entries = events.map { event, detail in
            AuditChain.entry(for: event, content: ContentHasher.ofEvent(
                PostgresReportRows.columns(of: event, detail: detail).forDigest, sequence: event.sequence,
                report: { reportRow.forDigest }, concerns: { concerns.sorted() }), importer: nil)
        }
        let placements = entries.map(AuditChain.placement(of:))
        // An anonymous reporter's records all wait, anyone else's are all chained; both at once is left to the transaction.
        let waiting = placements.allSatisfy(\.isWaiting)
        guard waiting || !placements.contains(where: \.isWaiting) else { return .needsTransaction }

        var parts = StatementParts()
        // What must hold for this statement to write what the transaction would.
        var conditions = ["NOT EXISTS (SELECT 1 FROM recovery_key)"]
        for (question, count) in asked.asked {
            conditions.append("(\(asked.history.counting(question, in: &parts))) = \(parts.bind(count))")
        }
        if let heldKeys {
            conditions.append("NOT EXISTS (SELECT 1 \(PostgresReportRows.heldCases(subjectKey: heldKeys, holdEndedBy: nil, in: &parts)))")
        }
        let chainedDays = placements.compactMap { placement -> String? in
            if case .chained(let before) = placement { before.description } else { nil }
        }
        if let latest = chainedDays.max() {
            conditions.append("NOT EXISTS (SELECT 1 FROM audit_waiting WHERE day < \(parts.bind(latest)))")
        }

        let values = reportRow.map { $0.bind(in: &parts) }
        var clauses = [
            "g AS (SELECT \(conditions.joined(separator: "\n    AND ")) AS clear)",
            """
            r AS (
                INSERT INTO report (\(reportRow.map(\.name).joined(separator: ", ")))
                SELECT \(values.joined(separator: ", ")) FROM g WHERE g.clear
                ON CONFLICT (reference) DO NOTHING
                RETURNING reference)
            """,
            "r_concern AS (INSERT INTO report_concern (reference, category) SELECT r.reference, c FROM r, unnest(\(parts.bind(concerns))::text[]) AS c RETURNING 1)",
        ]
        if events.count > 1, let detail = events[1].detail {
            clauses += try PostgresCaseProjection.opening(report, routedBy: events[1].event, detail: detail, in: &parts)
        } else {
            clauses += PostgresCaseProjection.opening(report, in: &parts)
        }
        clauses += PostgresReportStore.alongside(report, receiptHash: receiptHash, owner: owner, keys: [], in: &parts)
        for (index, (event, detail)) in events.enumerated() {
            let row = PostgresReportRows.columns(of: event, detail: detail)
            let bound = row.map { $0.bind(in: &parts) }
            clauses.append("""
                r_event\(index + 1) AS (INSERT INTO case_event (\(row.map(\.name).joined(separator: ", ")))
                    SELECT \(bound.joined(separator: ", ")) FROM r RETURNING 1)
                """)
        }
        clauses += waiting ? Self.waitingRecords(entries, in: &parts) : Self.chainedRecords(entries, in: &parts)
        // Each write read in turn by the statement's answer, so they run in the order written (left to
        // themselves, PostgreSQL runs the writes the answer does not read after it, last first). `g` is the checks.
        let writes = clauses.map { String($0.prefix { $0 != " " }) }.filter { $0 != "g" && $0 != "r" }
        let written = writes.map { "(SELECT count(*) FROM \($0)) AS \($0)" }
        let statement = parts.repeatable("""
            WITH \(clauses.joined(separator: ",\n"))
            SELECT (SELECT clear FROM g) AS clear, (SELECT count(*) FROM r) AS stored, \(written.joined(separator: ", "))
            """)
        guard let row = try prepares ? session.row(repeating: statement) : session.row(statement.query)
        else { throw StoreError(.failed, "The store did not say whether the report was saved.") }
        if try row.integer("stored") == 1 { return .stored }
        return try row.flag("clear") ? .referenceTaken : .needsTransaction
    }

    /// The statement for a report no one wrote (anonymous, so its records wait and the chain's head is
    /// never locked), routed to two handlers after a question of earlier reports, with the chain's head
    /// read and a hash worked out, for `PostgresReportStore.warmUpForSubmit`, whose transaction
    /// is rolled back: it writes what a submit writes, so the server process loads and compiles what a
    /// submit needs, and keeps none of it.
    static func rehearse(in session: PostgresSession) throws {
        let moment = Date()
        let report = Report(reference: .random(), wayOfRaising: .anonymous, concerns: [.rudeOrAggressive, .detriment],
                            subject: Subject(name: "A Rehearsal", role: "nurse", seniority: .staff), location: "Nowhere",
                            account: "Written only to get the server ready, and rolled back.", reporter: nil,
                            submitted: .recorded(for: .anonymous, at: moment))
        let routing = CaseRouting(level: .informal, roles: ["guardian"], handlers: ["rehearsal-a", "rehearsal-b"],
                                  acknowledgeBy: moment.addingTimeInterval(86_400), feedBackBy: moment.addingTimeInterval(28 * 86_400),
                                  explanation: ["A rehearsal."])
        let receiptHash = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        let asked = AskedHistory(history: PostgresReportRows.History(session: session))
        // What a named reporter's submit needs besides: the router's question, the chain's head read
        // (not locked) and the server's hash.
        if let key = SubjectKey.of(report.subject, directoryID: nil) {
            _ = try asked.reportsAbout(key, since: CalendarDay.local(moment.addingTimeInterval(-365 * 86_400)))
        }
        _ = try session.query("""
            SELECT speakup_audit_hash(position + 1, hash, 'rehearsal', NULL, 'rehearsal', NULL, NULL, 1, hash) FROM audit_head
            """)
        // Never prepared: a reporter's own submit that came next with the same text would pay for its preparation.
        var rehearsal = PostgresSubmitStatement(report: report, receiptHash: receiptHash, owner: nil)
        rehearsal.prepares = false
        _ = try rehearsal.write(routing: routing, asked: asked, heldKeys: nil, in: session)
    }

    /// An anonymous reporter's records, waiting unordered for their day to end (as `PostgresAuditTrail`
    /// keeps them: the day only, nobody named, a random id), written once the report is.
    private static func waitingRecords(_ entries: [AuditEntry], in parts: inout StatementParts) -> [String] {
        let rows = entries.map { entry in
            guard case .waiting(let day) = AuditChain.placement(of: entry) else { return "" }
            let values = [parts.bind(randomID()), parts.bind(day), parts.bind(entry.action), parts.bind(entry.reference), parts.bind(entry.detail),
                          parts.bind(entry.event), parts.bind(entry.content)]
            return "(\(values.joined(separator: ", ")))"
        }
        return ["""
            r_audit AS (INSERT INTO audit_waiting (id, day, action, reference, detail, event, content)
                        SELECT w.id, w.day, w.action, w.reference, w.detail, w.event, w.content
                        FROM r, (VALUES \(rows.joined(separator: ", "))) AS w (id, day, action, reference, detail, event, content)
                        RETURNING 1)
            """]
    }

    /// The records to be chained, written to `audit_unchained` in order: as the transaction commits, its
    /// deferred trigger locks the chain's head and chains each after it (`pg-v15-chained-at-commit`), so
    /// the head is held only while the COMMIT ends and its flush, never while the client is woken.
    private static func chainedRecords(_ entries: [AuditEntry], in parts: inout StatementParts) -> [String] {
        let rows = entries.enumerated().map { ordinal, entry in
            let values = ["\(ordinal)", parts.bind(randomID()), parts.bind(entry.at.text), parts.bind(entry.actor), parts.bind(entry.action),
                          parts.bind(entry.reference), parts.bind(entry.detail), "\(parts.bind(entry.event))::integer", parts.bind(entry.content)]
            return "(\(values.joined(separator: ", ")))"
        }
        return ["""
            r_audit AS (INSERT INTO audit_unchained (id, at, actor, action, reference, detail, event, content)
                        SELECT u.id, u.at, u.actor, u.action, u.reference, u.detail, u.event, u.content
                        FROM r, (VALUES \(rows.joined(separator: ", "))) AS u (ordinal, id, at, actor, action, reference, detail, event, content)
                        ORDER BY u.ordinal
                        RETURNING 1)
            """]
    }

    private static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }.hex
    }

    /// The columns of `report` and `case_event` as the store has them, one text each ("report.location
    /// text"): a sub-select the store's opening statement reads, so knowing them costs no round trip.
    static let storedColumns = """
        ARRAY(SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, NULL)
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
              WHERE a.attrelid IN ('report'::regclass, 'case_event'::regclass) AND a.attnum > 0 AND NOT a.attisdropped)
        """

    /// Whether `report` and `case_event` have exactly the columns written (`stored`: as `storedColumns`
    /// reads them), each read back as the kind written, so a digest worked out from the values written
    /// is the digest of the rows stored.
    static func tablesAsWritten(_ stored: [String]) -> Bool {
        let sample = Report(reference: .random(), wayOfRaising: .confidential, concerns: [], subject: Subject(name: nil, role: "", seniority: .unknown),
                            location: "", account: "", reporter: nil, submitted: .recorded(for: .confidential, at: Date()))
        let written = [
            "report": PostgresReportRows.columns(of: sample),
            "case_event": PostgresReportRows.columns(of: StoredForm.receivedEvent(of: sample), detail: nil),
        ]
        var found: [String: [String: String]] = [:]
        for column in stored {
            guard let dot = column.firstIndex(of: "."), let space = column.firstIndex(of: " "), dot < space else { return false }
            let table = String(column[..<dot]), name = String(column[column.index(after: dot)..<space])
            found[table, default: [:]][name] = String(column[column.index(after: space)...])
        }
        return written.allSatisfy { table, columns in
            guard let types = found[table], types.count == columns.count else { return false }
            return columns.allSatisfy { column in types[column.name].map(column.isRead(asType:)) ?? false }
        }
    }
}

/// The earlier reports a router asked about, each question kept with its answer, so the statement
/// that writes the report can check that the answers still hold.
final class AskedHistory: ReportHistory {
    let history: PostgresReportRows.History
    private(set) var asked: [(question: PostgresReportRows.History.Question, count: Int)] = []

    init(history: PostgresReportRows.History) {
        self.history = history
    }

    func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) throws -> Int {
        try ask(.init(subject: subject, since: day, notBy: nil))
    }

    func reportsAbout(_ subject: SubjectKey, since day: CalendarDay, notBy reporter: Reporter?) throws -> Int {
        try ask(.init(subject: subject, since: day, notBy: reporter))
    }

    private func ask(_ question: PostgresReportRows.History.Question) throws -> Int {
        let count = try history.count(question)
        asked.append((question, count))
        return count
    }
}
