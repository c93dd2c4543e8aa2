import Foundation
import GRDB
import SpeakUpCore

/// Keeps the handlers' workspace tables in step with the case events, inside
/// the same transaction as each event: `case_file` (status, level, deadlines),
/// `case_handler` (who has each case, with the queue's sort key), `case_recusal`
/// and `case_text` (FTS5 over the account and the handlers' notes).
///
/// The events are the record; these tables are what the queue reads fast, and
/// `rebuild` makes them again from the events.
enum CaseProjection {
    /// A new case: its row, and its words for search. The search row's id is random, so
    /// the full-text index records nothing of the order reports arrived in.
    static func open(_ report: Report, in db: Database) throws {
        let textID = Int64.random(in: 1...Int64.max)
        let board = BoardColumns.opening(report)
        try db.cachedStatement(sql: "INSERT INTO case_file (reference, text_id, raised_on, detriment, subject_band) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [report.reference.text, textID, board.raisedOn, board.detriment, board.band])
        try db.cachedStatement(sql: "INSERT INTO case_text_pending (reference) VALUES (?)").execute(arguments: [report.reference.text])
    }

    /// Puts the words of every case still waiting into the full-text index: the report's
    /// words and every note so far. Returns how many were indexed.
    @discardableResult
    static func indexPending(in db: Database) throws -> Int {
        let waiting = try String.fetchAll(db, sql: "SELECT reference FROM case_text_pending")
        for reference in waiting {
            if let report = try ReportRows.all(in: db, reference: reference).first,
                let textID = try Int64.fetchOne(db, sql: "SELECT text_id FROM case_file WHERE reference = ?", arguments: [reference]) {
                let notes = try String.fetchAll(db, sql: "SELECT text FROM case_event WHERE reference = ? AND kind = 'note' ORDER BY sequence",
                                                arguments: [reference])
                let words = StoredForm.searchWords(of: report, notes: notes)
                try db.execute(sql: "INSERT INTO case_text (rowid, reference, words) VALUES (?, ?, ?)", arguments: [textID, reference, words])
            }
            try db.execute(sql: "DELETE FROM case_text_pending WHERE reference = ?", arguments: [reference])
        }
        return waiting.count
    }

    /// Applies one event (already inserted) to the workspace tables, then to the case's board columns.
    static func apply(_ event: CaseEvent, detail: String?, in db: Database) throws {
        try applyToWorkspace(event, detail: detail, in: db)
        if BoardColumns.touches(event.kind) { try applyToBoard(event, detail: detail, in: db) }
    }

    /// The board's columns after the event (`BoardColumns`): read, worked out, written back.
    private static func applyToBoard(_ event: CaseEvent, detail: String?, in db: Database) throws {
        let reference = event.reference.text
        guard let stored = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT f.level, f.highest_level, f.subject_band, f.acknowledged_at, f.acknowledged_days, f.closed_at, f.closed_days,
                       f.again, f.again_on, r.submitted
                FROM case_file f JOIN report r ON r.reference = f.reference WHERE f.reference = ?
                """), arguments: [reference]),
            let submitted = SubmissionTime(text: stored["submitted"])
        else { return }
        let highest: String = stored["highest_level"], band: String = stored["subject_band"]
        let acknowledgedAt: Double? = stored["acknowledged_at"], acknowledgedDays: Double? = stored["acknowledged_days"]
        let closedAt: Double? = stored["closed_at"], closedDays: Double? = stored["closed_days"]
        let again: String? = stored["again"], againOn: String? = stored["again_on"]
        var row = BoardColumns.Row(highestLevel: highest, band: band, acknowledgedAt: acknowledgedAt, acknowledgedDays: acknowledgedDays,
                                   closedAt: closedAt, closedDays: closedDays, again: again, againOn: againOn)
        let before = row
        BoardColumns.apply(event, detail: detail, submitted: submitted, level: stored["level"] as String?, to: &row)
        guard row != before else { return }
        try db.cachedStatement(sql: """
            UPDATE case_file SET highest_level = ?, subject_band = ?, acknowledged_at = ?, acknowledged_days = ?, closed_at = ?, closed_days = ?,
                again = ?, again_on = ?
            WHERE reference = ?
            """).execute(arguments: [row.highestLevel, row.band, row.acknowledgedAt, row.acknowledgedDays, row.closedAt, row.closedDays,
                                     row.again, row.againOn, reference])
    }

    private static func applyToWorkspace(_ event: CaseEvent, detail: String?, in db: Database) throws {
        let reference = event.reference.text
        switch event.kind {
        case .routed, .escalated:
            // A routing that does not read back stops the transaction: a case is never left routed to nobody by accident.
            guard let detail else { return }
            let routing = try decoder.decode(CaseRouting.self, from: Data(detail.utf8))
            // An escalation never lowers a level a handler raised.
            var level = routing.level
            if event.kind == .escalated,
                let current = try String.fetchOne(db, sql: "SELECT level FROM case_file WHERE reference = ?", arguments: [reference])
                    .flatMap(PyramidLevel.init(rawValue:)) {
                level = max(level, current)
            }
            try db.execute(
                sql: "UPDATE case_file SET level = ?, acknowledge_by = ?, feed_back_by = ?, held = ? WHERE reference = ?",
                arguments: [level.rawValue, stamp(routing.acknowledgeBy), stamp(routing.feedBackBy), routing.held, reference])
            let recused = Set(try String.fetchAll(db, sql: "SELECT handler FROM case_recusal WHERE reference = ?", arguments: [reference]))
            if event.kind == .routed {
                try setHandlers(routing.held ? [] : routing.handlers.filter { !recused.contains($0) }, of: reference, in: db)
            } else {
                // An escalation adds people; it never takes back a case a handler passed on.
                let passedOn = Set(try String.fetchAll(db, sql: """
                    SELECT json_extract(detail, '$.from') FROM case_event WHERE reference = ? AND kind = 'reassigned'
                    """, arguments: [reference]))
                let current = try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ?", arguments: [reference])
                let added = routing.handlers.filter { !passedOn.contains($0) && !recused.contains($0) && !current.contains($0) }
                try setHandlers(current + added, of: reference, in: db)
            }
            // Nobody to handle it, and not held: it waits for a handler, and says so (`speakup cases`, `check`).
            // (Migration v11 rebuilds these tables before v12 adds the column.)
            guard try db.columns(in: "case_file").contains(where: { $0.name == "unrouted" }) else { return }
            try db.execute(sql: """
                UPDATE case_file SET unrouted = (held = 0 AND NOT EXISTS (SELECT 1 FROM case_handler h WHERE h.reference = case_file.reference))
                WHERE reference = ?
                """, arguments: [reference])
        case .acknowledged, .handlerMessage:
            try db.execute(sql: "UPDATE case_file SET status = 'acknowledged' WHERE reference = ? AND status = 'new'", arguments: [reference])
            try rerank(reference, in: db)
        case .closed:
            try db.execute(sql: "UPDATE case_file SET status = 'closed' WHERE reference = ?", arguments: [reference])
            try rerank(reference, in: db)
        case .note:
            // A case still waiting to be indexed takes its notes when it is; sealed words are searched in
            // the handler's memory (`SealedSearchDesk`), never indexed.
            if let text = event.text, !SealedEventText.isSealed(text),
                try Bool.fetchOne(db, sql: "SELECT 1 FROM case_text_pending WHERE reference = ?", arguments: [reference]) != true {
                try db.execute(
                    sql: "UPDATE case_text SET words = words || char(10) || ? WHERE rowid = (SELECT text_id FROM case_file WHERE reference = ?)",
                    arguments: [text, reference])
            }
        case .levelChanged:
            if let level = field("level", of: detail) {
                try db.execute(sql: "UPDATE case_file SET level = ? WHERE reference = ?", arguments: [level, reference])
                try rerank(reference, in: db)
            }
        case .reassigned:
            if let from = field("from", of: detail), let to = field("to", of: detail) {
                var handlers = try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ?", arguments: [reference])
                handlers.removeAll { $0 == from }
                if !handlers.contains(to) { handlers.append(to) }
                try setHandlers(handlers, of: reference, in: db)
            }
        case .recused:
            // An imported timeline has no detail: the one who stepped away is the event's actor.
            if let who = field("handler", of: detail) ?? event.actor {
                try db.execute(sql: "INSERT OR IGNORE INTO case_recusal (reference, handler) VALUES (?, ?)", arguments: [reference, who])
                var handlers = try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ?", arguments: [reference])
                handlers.removeAll { $0 == who }
                for next in list("to", of: detail) where !handlers.contains(next) && next != who { handlers.append(next) }
                try setHandlers(handlers, of: reference, in: db)
            }
        case .received, .reporterMessage, .speakUpAgain, .detrimentCheckIn, .detrimentLinked, .legalHold, .legalHoldLifted:
            break
        }
    }

    /// Rebuilds every workspace table from the reports and their events.
    static func rebuild(in db: Database) throws {
        for table in ["case_file", "case_handler", "case_handler_concern", "case_recusal", "case_text", "reminder"] {
            try db.execute(sql: "DELETE FROM \(table)")
        }
        for report in try ReportRows.all(in: db) {
            try open(report, in: db)
            for row in try Row.fetchAll(db, sql: "SELECT * FROM case_event WHERE reference = ? ORDER BY sequence", arguments: [report.reference.text]) {
                guard let kind = CaseEvent.Kind(rawValue: row["kind"]), let at = SubmissionTime(text: row["at"]) else { continue }
                let event = CaseEvent(reference: report.reference, sequence: row["sequence"], kind: kind, at: at, text: row["text"], actor: row["actor"])
                try apply(event, detail: row["detail"], in: db)
            }
        }
        try indexPending(in: db)
    }

    /// The queue's sort key: open cases before closed, urgent before the rest, then the next deadline.
    static func rank(status: String, level: String, acknowledgeBy: String?, feedBackBy: String?) -> String {
        StoredForm.rank(status: status, level: level, acknowledgeBy: acknowledgeBy, feedBackBy: feedBackBy)
    }

    private static func setHandlers(_ handlers: [String], of reference: String, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM case_handler WHERE reference = ?").execute(arguments: [reference])
        try db.cachedStatement(sql: "DELETE FROM case_handler_concern WHERE reference = ?").execute(arguments: [reference])
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM case_file WHERE reference = ?"), arguments: [reference]) else { return }
        let level: String = row["level"]
        let textID: Int64 = row["text_id"]
        let key = rank(status: row["status"], level: level, acknowledgeBy: row["acknowledge_by"], feedBackBy: row["feed_back_by"])
        let categories = try String.fetchAll(db.cachedStatement(sql: "SELECT category FROM report_concern WHERE reference = ?"), arguments: [reference])
        for handler in Set(handlers) {
            try db.cachedStatement(sql: "INSERT INTO case_handler (handler, rank, reference, level, text_id) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [handler, key, reference, level, textID])
            for category in categories {
                try db.cachedStatement(sql: "INSERT INTO case_handler_concern (handler, category, rank, reference, level) VALUES (?, ?, ?, ?, ?)")
                    .execute(arguments: [handler, category, key, reference, level])
            }
        }
    }

    private static func rerank(_ reference: String, in db: Database) throws {
        let handlers = try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ?", arguments: [reference])
        try setHandlers(handlers, of: reference, in: db)
    }

    static func stamp(_ date: Date) -> String { StoredForm.stamp(date) }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    private static func field(_ name: String, of detail: String?) -> String? {
        StoredForm.detailField(name, of: detail)
    }

    private static func list(_ name: String, of detail: String?) -> [String] {
        StoredForm.detailList(name, of: detail)
    }
}
