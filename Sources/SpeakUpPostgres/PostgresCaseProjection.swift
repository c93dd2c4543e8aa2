import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// Keeps the handlers' workspace tables in step with the case events, inside the same
/// transaction as each event, as `CaseProjection` does on SQLite: `case_file` (status, level,
/// deadlines), `case_handler` and `case_handler_concern` (who has each case, with the queue's
/// sort key), `case_recusal`, and `case_text` (each case's words, searched through its
/// `tsvector`). Unlike SQLite, a case's words are indexed as it is written: the GIN index takes
/// them without holding the reporter up.
enum PostgresCaseProjection {
    /// A new case: its row, and its words for search, as `WITH` clauses of the statement that
    /// inserts its report (`PostgresReportRows.insert`, whose new row they read as `r`). The text
    /// row's id is random, so the index records nothing of the order reports arrived in.
    static func opening(_ report: Report, in parts: inout StatementParts) -> [String] {
        let textID = parts.bind(Int.random(in: 1...Int.max))
        let board = BoardColumns.opening(report)
        let words = StoredForm.searchWords(of: report, notes: [])
        return [
            """
            r_case AS (INSERT INTO case_file (reference, text_id, raised_on, detriment, subject_band)
                       SELECT r.reference, \(textID), \(parts.bind(board.raisedOn)), \(parts.bind(board.detriment)), \(parts.bind(board.band)) FROM r
                       RETURNING 1)
            """,
            """
            r_text AS (INSERT INTO case_text (id, reference, words, terms)
                       SELECT \(textID), r.reference, \(parts.bind(words)), \(parts.bind(searchTerms(of: words))) FROM r RETURNING 1)
            """,
        ]
    }

    /// A new case routed by the statement that writes it (`PostgresSubmitStatement`): the rows
    /// `opening` and then `applyRouting` leave for a new case (nobody has stepped away from it yet),
    /// worked out here, as `WITH` clauses that read the new report as `r`. The routing is read back
    /// from its event's detail, as `applyRouting` reads it: one that does not read back stops the submit.
    static func opening(_ report: Report, routedBy event: CaseEvent, detail: String, in parts: inout StatementParts) throws -> [String] {
        let routing = try StoredForm.routing(detail: detail)
        let textID = parts.bind(Int.random(in: 1...Int.max))
        let opened = BoardColumns.opening(report)
        let level = routing.level.rawValue
        let (acknowledgeBy, feedBackBy) = (StoredForm.stamp(routing.acknowledgeBy), StoredForm.stamp(routing.feedBackBy))
        let handlers = routing.held ? [] : Array(Set(routing.handlers)).sorted()
        let rank = StoredForm.rank(status: "new", level: level, acknowledgeBy: acknowledgeBy, feedBackBy: feedBackBy)
        var board = BoardColumns.Row(highestLevel: PyramidLevel.informal.rawValue, band: opened.band, acknowledgedAt: nil, acknowledgedDays: nil,
                                     closedAt: nil, closedDays: nil, again: nil, againOn: nil)
        if let submitted = SubmissionTime(text: report.submitted.text) {
            BoardColumns.apply(event, detail: detail, submitted: submitted, level: level, to: &board)
        }
        let words = StoredForm.searchWords(of: report, notes: [])
        let values = [
            textID, parts.bind(opened.raisedOn), parts.bind(opened.detriment), parts.bind(board.band), parts.bind(level),
            parts.bind(acknowledgeBy), parts.bind(feedBackBy), parts.bind(routing.held ? 1 : 0),
            // Nobody to handle it, and not held: it waits for a handler, and says so (`speakup cases`, `check`).
            parts.bind(!routing.held && handlers.isEmpty ? 1 : 0),
            parts.bind(board.highestLevel), parts.bind(board.acknowledgedAt), parts.bind(board.acknowledgedDays), parts.bind(board.closedAt),
            parts.bind(board.closedDays), parts.bind(board.again), parts.bind(board.againOn),
        ]
        let (everyone, rankBound, levelBound) = (parts.bind(handlers), parts.bind(rank), parts.bind(level))
        return [
            """
            r_case AS (INSERT INTO case_file (reference, text_id, raised_on, detriment, subject_band, level, acknowledge_by, feed_back_by, held,
                                              unrouted, highest_level, acknowledged_at, acknowledged_days, closed_at, closed_days, again, again_on)
                       SELECT r.reference, \(values.joined(separator: ", ")) FROM r RETURNING 1)
            """,
            """
            r_text AS (INSERT INTO case_text (id, reference, words, terms)
                       SELECT \(textID), r.reference, \(parts.bind(words)), \(parts.bind(searchTerms(of: words))) FROM r RETURNING 1)
            """,
            """
            r_handler AS (INSERT INTO case_handler (handler, rank, reference, level, text_id)
                          SELECT h, \(rankBound), r.reference, \(levelBound), \(textID) FROM r, unnest(\(everyone)::text[]) AS h RETURNING 1)
            """,
            """
            r_handler_concern AS (
                INSERT INTO case_handler_concern (handler, category, rank, reference, level)
                SELECT h, c, \(rankBound), r.reference, \(levelBound)
                FROM r, unnest(\(everyone)::text[]) AS h, unnest(\(parts.bind(report.concerns.map(\.rawValue)))::text[]) AS c
                RETURNING 1)
            """,
        ]
    }

    /// Indexes the words of up to `batch` cases left waiting (`case_text_pending`: none, unless a
    /// store was copied in), in seven statements however many: their reports, text ids and notes
    /// read together, their words written in one INSERT. Cases another writer is indexing are
    /// skipped. Returns how many were indexed (0: nothing left that this session could take).
    static func indexPending(batch: Int, in session: PostgresSession) throws -> Int {
        let waiting = try session.texts("""
            SELECT reference FROM case_text_pending ORDER BY reference LIMIT \(batch) FOR UPDATE SKIP LOCKED
            """)
        guard !waiting.isEmpty else { return 0 }
        let reports = try PostgresReportRows.reports(in: session, references: waiting)
        var textIDs: [String: Int] = [:]
        for row in try session.rows("SELECT reference, text_id FROM case_file WHERE reference = ANY(\(waiting))") {
            textIDs[try row.string("reference")] = try row.integer("text_id")
        }
        var notes: [String: [String]] = [:]
        for row in try session.rows("""
            SELECT reference, text FROM case_event WHERE reference = ANY(\(waiting)) AND kind = 'note' ORDER BY reference, sequence
            """) {
            // (An erased case's notes have no text left.)
            if let text = try row.text("text") { notes[try row.string("reference"), default: []].append(text) }
        }
        var ids: [Int] = [], references: [String] = [], words: [String] = [], terms: [String] = []
        for report in reports {
            // A report without its case file has nothing to be found by (it cannot be in anyone's queue).
            guard let id = textIDs[report.reference.text] else { continue }
            let text = StoredForm.searchWords(of: report, notes: notes[report.reference.text] ?? [])
            ids.append(id)
            references.append(report.reference.text)
            words.append(text)
            terms.append(searchTerms(of: text))
        }
        _ = try session.query("""
            INSERT INTO case_text (id, reference, words, terms)
            SELECT * FROM unnest(\(ids)::bigint[], \(references)::text[], \(words)::text[], \(terms)::text[])
            ON CONFLICT (id) DO UPDATE SET words = EXCLUDED.words, terms = EXCLUDED.terms
            """)
        _ = try session.query("DELETE FROM case_text_pending WHERE reference = ANY(\(waiting))")
        return waiting.count
    }

    /// The words as the search index keeps them: folded as `SearchTerms` reads the search box,
    /// one space between them. (PostgreSQL refuses a word longer than 2,047 bytes: such a "word",
    /// never typed into a search box, is left out.)
    static func searchTerms(of words: String) -> String {
        SearchTerms.words(in: words).filter { $0.utf8.count < 2_000 }.joined(separator: " ")
    }

    /// Applies one event (already inserted) to the workspace tables, then to the case's board columns.
    /// `locksAuditHead`: a routing's last statement also locks the audit chain's head (nothing but the
    /// audit trail is written after it: `PostgresReportRows.insert`'s `lastWrite`).
    static func apply(_ event: CaseEvent, detail: String?, locksAuditHead: Bool = false, in session: PostgresSession) throws {
        if event.kind == .routed, let detail {
            return try applyRouting(event, detail: detail, locksAuditHead: locksAuditHead, in: session)
        }
        try applyToWorkspace(event, detail: detail, in: session)
        if BoardColumns.touches(event.kind) { try applyToBoard(event, detail: detail, in: session) }
    }

    /// A routing (a submit's, a held case's release, an unrouted case's): the case file, its handlers and
    /// its board columns in two statements, as `applyToWorkspace` and `applyToBoard` would in seven.
    /// The first sets the routing's level, deadlines and hold, takes the case from everyone, and brings
    /// back what the rest is worked out from; the second gives it to the routing's handlers (but those who
    /// stepped away from it) and writes whether it waits for one and its board columns.
    private static func applyRouting(_ event: CaseEvent, detail: String, locksAuditHead: Bool, in session: PostgresSession) throws {
        let reference = event.reference.text
        // A routing that does not read back stops the transaction: a case is never left routed to nobody by accident.
        let routing = try StoredForm.routing(detail: detail)
        guard let stored = try session.row("""
            WITH gone AS (DELETE FROM case_handler WHERE reference = \(reference)),
                 gone_concern AS (DELETE FROM case_handler_concern WHERE reference = \(reference))
            UPDATE case_file f SET level = \(routing.level.rawValue), acknowledge_by = \(StoredForm.stamp(routing.acknowledgeBy)),
                feed_back_by = \(StoredForm.stamp(routing.feedBackBy)), held = \(routing.held ? 1 : 0)
            WHERE f.reference = \(reference)
            RETURNING f.status, f.level, f.acknowledge_by, f.feed_back_by, f.text_id, f.highest_level, f.subject_band,
                      f.acknowledged_at, f.acknowledged_days, f.closed_at, f.closed_days, f.again, f.again_on,
                      (SELECT r.submitted FROM report r WHERE r.reference = f.reference) AS submitted,
                      ARRAY(SELECT c.handler FROM case_recusal c WHERE c.reference = f.reference) AS recused,
                      ARRAY(SELECT c.category FROM report_concern c WHERE c.reference = f.reference) AS categories
            """)
        else { return }
        let level = try stored.string("level")
        guard let textID = try stored.integer("text_id") else { throw StoredForm.damaged("case's text id", "NULL") }
        let recused = Set(try stored.list("recused"))
        let handlers = routing.held ? [] : Array(Set(routing.handlers.filter { !recused.contains($0) })).sorted()
        let key = StoredForm.rank(status: try stored.string("status"), level: level, acknowledgeBy: try stored.text("acknowledge_by"),
                                  feedBackBy: try stored.text("feed_back_by"))
        // Nobody to handle it, and not held: it waits for a handler, and says so (`speakup cases`, `check`).
        let unrouted = !routing.held && handlers.isEmpty ? 1 : 0
        var board = BoardColumns.Row(highestLevel: try stored.string("highest_level"), band: try stored.string("subject_band"),
                                     acknowledgedAt: try stored.real("acknowledged_at"), acknowledgedDays: try stored.real("acknowledged_days"),
                                     closedAt: try stored.real("closed_at"), closedDays: try stored.real("closed_days"),
                                     again: try stored.text("again"), againOn: try stored.text("again_on"))
        if let submitted = SubmissionTime(text: try stored.string("submitted")) {
            BoardColumns.apply(event, detail: detail, submitted: submitted, level: level, to: &board)
        }
        let categories = try stored.list("categories")
        let lock = locksAuditHead ? (from: " FROM " + PostgresAuditTrail.headLock.from, returning: " RETURNING " + PostgresAuditTrail.headLock.columns)
            : (from: "", returning: "")
        let written = try session.query("""
            WITH given AS (
                INSERT INTO case_handler (handler, rank, reference, level, text_id)
                SELECT h, \(key), \(reference), \(level), \(textID) FROM unnest(\(handlers)::text[]) AS h),
            given_concern AS (
                INSERT INTO case_handler_concern (handler, category, rank, reference, level)
                SELECT h, c, \(key), \(reference), \(level) FROM unnest(\(handlers)::text[]) AS h, unnest(\(categories)::text[]) AS c)
            UPDATE case_file SET unrouted = \(unrouted), highest_level = \(board.highestLevel), subject_band = \(board.band),
                acknowledged_at = \(board.acknowledgedAt), acknowledged_days = \(board.acknowledgedDays), closed_at = \(board.closedAt),
                closed_days = \(board.closedDays), again = \(board.again), again_on = \(board.againOn)\(unescaped: lock.from)
            WHERE reference = \(reference)\(unescaped: lock.returning)
            """)
        if locksAuditHead, let row = written.first { try PostgresAuditTrail.lockedHead(from: PostgresColumns(row), in: session) }
    }

    /// The board's columns after the event (`BoardColumns`): read, worked out, written back.
    private static func applyToBoard(_ event: CaseEvent, detail: String?, in session: PostgresSession) throws {
        let reference = event.reference.text
        guard let stored = try session.row("""
                SELECT f.level, f.highest_level, f.subject_band, f.acknowledged_at, f.acknowledged_days, f.closed_at, f.closed_days,
                       f.again, f.again_on, r.submitted
                FROM case_file f JOIN report r ON r.reference = f.reference WHERE f.reference = \(reference)
                """),
            let submitted = SubmissionTime(text: try stored.string("submitted"))
        else { return }
        var row = BoardColumns.Row(highestLevel: try stored.string("highest_level"), band: try stored.string("subject_band"),
                                   acknowledgedAt: try stored.real("acknowledged_at"), acknowledgedDays: try stored.real("acknowledged_days"),
                                   closedAt: try stored.real("closed_at"), closedDays: try stored.real("closed_days"),
                                   again: try stored.text("again"), againOn: try stored.text("again_on"))
        let before = row
        BoardColumns.apply(event, detail: detail, submitted: submitted, level: try stored.text("level"), to: &row)
        guard row != before else { return }
        _ = try session.query("""
            UPDATE case_file SET highest_level = \(row.highestLevel), subject_band = \(row.band), acknowledged_at = \(row.acknowledgedAt),
                acknowledged_days = \(row.acknowledgedDays), closed_at = \(row.closedAt), closed_days = \(row.closedDays),
                again = \(row.again), again_on = \(row.againOn)
            WHERE reference = \(reference)
            """)
    }

    private static func applyToWorkspace(_ event: CaseEvent, detail: String?, in session: PostgresSession) throws {
        let reference = event.reference.text
        switch event.kind {
        case .routed, .escalated:
            // A routing that does not read back stops the transaction: a case is never left routed to nobody by accident.
            guard let detail else { return }
            let routing = try StoredForm.routing(detail: detail)
            // An escalation never lowers a level a handler raised.
            var level = routing.level
            if event.kind == .escalated,
                let current = try session.texts("SELECT level FROM case_file WHERE reference = \(reference)").first.flatMap(PyramidLevel.init(rawValue:)) {
                level = max(level, current)
            }
            _ = try session.query("""
                UPDATE case_file SET level = \(level.rawValue), acknowledge_by = \(StoredForm.stamp(routing.acknowledgeBy)),
                    feed_back_by = \(StoredForm.stamp(routing.feedBackBy)), held = \(routing.held ? 1 : 0)
                WHERE reference = \(reference)
                """)
            let recused = Set(try session.texts("SELECT handler FROM case_recusal WHERE reference = \(reference)"))
            if event.kind == .routed {
                try setHandlers(routing.held ? [] : routing.handlers.filter { !recused.contains($0) }, of: reference, in: session)
            } else {
                // An escalation adds people; it never takes back a case a handler passed on.
                let passedOn = Set(try session.texts("""
                    SELECT detail::jsonb ->> 'from' FROM case_event WHERE reference = \(reference) AND kind = 'reassigned'
                    """))
                let current = try session.texts("SELECT handler FROM case_handler WHERE reference = \(reference)")
                let added = routing.handlers.filter { !passedOn.contains($0) && !recused.contains($0) && !current.contains($0) }
                try setHandlers(current + added, of: reference, in: session)
            }
            // Nobody to handle it, and not held: it waits for a handler, and says so (`speakup cases`, `check`).
            _ = try session.query("""
                UPDATE case_file SET unrouted = CASE WHEN held = 0
                    AND NOT EXISTS (SELECT 1 FROM case_handler h WHERE h.reference = case_file.reference) THEN 1 ELSE 0 END
                WHERE reference = \(reference)
                """)
        case .acknowledged, .handlerMessage:
            _ = try session.query("UPDATE case_file SET status = 'acknowledged' WHERE reference = \(reference) AND status = 'new'")
            try rerank(reference, in: session)
        case .closed:
            _ = try session.query("UPDATE case_file SET status = 'closed' WHERE reference = \(reference)")
            try rerank(reference, in: session)
        case .note:
            // A case still waiting to be indexed takes its notes when it is; sealed words are searched in
            // the handler's memory (`SealedSearchDesk`), never indexed.
            if let text = event.text, !SealedEventText.isSealed(text), try !session.finds("SELECT 1 FROM case_text_pending WHERE reference = \(reference)") {
                _ = try session.query("""
                    UPDATE case_text SET words = words || chr(10) || \(text), terms = terms || ' ' || \(searchTerms(of: text))
                    WHERE id = (SELECT text_id FROM case_file WHERE reference = \(reference))
                    """)
            }
        case .levelChanged:
            if let level = StoredForm.detailField("level", of: detail) {
                _ = try session.query("UPDATE case_file SET level = \(level) WHERE reference = \(reference)")
                try rerank(reference, in: session)
            }
        case .reassigned:
            if let from = StoredForm.detailField("from", of: detail), let to = StoredForm.detailField("to", of: detail) {
                var handlers = try session.texts("SELECT handler FROM case_handler WHERE reference = \(reference)")
                handlers.removeAll { $0 == from }
                if !handlers.contains(to) { handlers.append(to) }
                try setHandlers(handlers, of: reference, in: session)
            }
        case .recused:
            // An imported timeline has no detail: the one who stepped away is the event's actor.
            if let who = StoredForm.detailField("handler", of: detail) ?? event.actor {
                _ = try session.query("INSERT INTO case_recusal (reference, handler) VALUES (\(reference), \(who)) ON CONFLICT DO NOTHING")
                var handlers = try session.texts("SELECT handler FROM case_handler WHERE reference = \(reference)")
                handlers.removeAll { $0 == who }
                for next in StoredForm.detailList("to", of: detail) where !handlers.contains(next) && next != who { handlers.append(next) }
                try setHandlers(handlers, of: reference, in: session)
            }
        case .received, .reporterMessage, .speakUpAgain, .detrimentCheckIn, .detrimentLinked, .legalHold, .legalHoldLifted:
            break
        }
    }

    /// Gives the case to `handlers` (and to nobody else), each row with the queue's sort key as the
    /// case file has it now: two statements, however many handlers and concerns.
    private static func setHandlers(_ handlers: [String], of reference: String, in session: PostgresSession) throws {
        guard let row = try session.row("""
            WITH gone AS (DELETE FROM case_handler WHERE reference = \(reference)),
                 gone_concern AS (DELETE FROM case_handler_concern WHERE reference = \(reference))
            SELECT f.*, ARRAY(SELECT category FROM report_concern c WHERE c.reference = f.reference) AS categories
            FROM case_file f WHERE f.reference = \(reference)
            """)
        else { return }
        let level = try row.string("level")
        guard let textID = try row.integer("text_id") else { throw StoredForm.damaged("case's text id", "NULL") }
        let key = StoredForm.rank(status: try row.string("status"), level: level, acknowledgeBy: try row.text("acknowledge_by"),
                                  feedBackBy: try row.text("feed_back_by"))
        let everyone = Array(Set(handlers)).sorted()
        guard !everyone.isEmpty else { return }
        _ = try session.query("""
            WITH given AS (
                INSERT INTO case_handler (handler, rank, reference, level, text_id)
                SELECT h, \(key), \(reference), \(level), \(textID) FROM unnest(\(everyone)::text[]) AS h)
            INSERT INTO case_handler_concern (handler, category, rank, reference, level)
            SELECT h, c, \(key), \(reference), \(level) FROM unnest(\(everyone)::text[]) AS h, unnest(\(try row.list("categories"))::text[]) AS c
            """)
    }

    private static func rerank(_ reference: String, in session: PostgresSession) throws {
        let handlers = try session.texts("SELECT handler FROM case_handler WHERE reference = \(reference)")
        try setHandlers(handlers, of: reference, in: session)
    }
}
