import Foundation
import GRDB
import GRDBSQLite
import SpeakUpCore

/// The handlers' workspace over the SQLite store: the queue, a case, actions as
/// case events, reminders and the facts statistics are counted from. These read and
/// write without the handler policy; `SQLiteCaseDesk` is the public way in, and adds it.
extension SQLiteReportStore {
    /// `walkBudget`: see `walkBudget`; tests lower it to reach the full-text index with few cases.
    func queue(_ query: QueueQuery, for handler: String, now: Date, walkBudget: Int = walkBudget) throws(StoreError) -> [QueueRow] {
        if Self.ftsQuery(query.search) != nil { try indexPendingWords() }
        do {
            return try queue.read { db in try Self.queueRows(query, handler: handler, now: now, walkBudget: walkBudget, in: db) }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// The queue's query, read in queue order from an index wherever it can be: the handler's
    /// cases by rank; by level and rank when a level is chosen; from the per-concern copy when a
    /// category is; and, for words found in few cases, from the full-text index first.
    static func queueRows(_ query: QueueQuery, handler: String, now: Date, walkBudget: Int = walkBudget, in db: Database) throws -> [QueueRow] {
        var conditions = ["h.handler = :handler"]
        var arguments: [String: (any DatabaseValueConvertible)?] = ["handler": handler, "limit": query.limit, "offset": query.offset]
        // A search that is the start of a reference ("SU CF00") finds cases by reference, from the
        // reference's own index: a handful of rows, whatever else the cases say.
        let referencePrefix = CaseReference.typedPrefix(query.search)
        var from = query.category == nil || referencePrefix != nil ? "case_handler h" : "case_handler_concern h"
        conditions += QueueConditions.filters(query, now: now, byReference: referencePrefix != nil) { value in
            let name = "filter\(arguments.count)"
            arguments[name] = value
            return ":" + name
        }
        if let only = query.only {
            conditions.append("h.reference IN (SELECT value FROM json_each(:only))")
            arguments["only"] = String(decoding: (try? JSONSerialization.data(withJSONObject: only)) ?? Data("[]".utf8), as: UTF8.self)
        }
        if !query.location.isBlank {
            conditions.append("instr(lower(r.location), lower(:location)) > 0")
            arguments["location"] = query.location.trimmingCharacters(in: .whitespaces)
        }
        let columns = """
            h.reference, f.status, f.level, f.acknowledge_by, f.feed_back_by,
            r.submitted, r.subject_seniority, r.location, r.way_of_raising, r.subject_name, r.subject_role,
            r.subject_facts IS NOT NULL AS subject_sealed
            """
        let terms = referencePrefix == nil ? SearchTerms(query.search) : nil
        var walked = false
        if let referencePrefix {
            // CROSS JOIN keeps SQLite to this order: the reference range first, then each case's handler row.
            from = "case_file w CROSS JOIN case_handler h ON h.reference = w.reference"
            conditions.append("w.reference >= :low AND w.reference < :high")
            arguments["low"] = referencePrefix
            arguments["high"] = referencePrefix + "~"  // after every symbol and dash a reference can hold
        } else if let terms {
            // Words in many cases: read the queue in order with each case's words and keep the
            // matches, until enough are found. Words in few: that would read far, so the full-text
            // index goes first (below). Which is which is found out by reading at most `walkBudget`
            // rows: cheap either way, and no full-text query is run at all for common words.
            // The words come from the full-text table's own content table (`case_text_content`,
            // column c1: what FTS5 indexed), a plain row lookup; through the full-text table itself
            // each lookup would cost a full-text query. Only the joins the filters need are made.
            let filters = conditions.joined(separator: " AND ")
            var joins = ""
            if filters.contains("f.") || query.category != nil { joins += " JOIN case_file f ON f.reference = h.reference" }
            if filters.contains("r.") { joins += " JOIN report r ON r.reference = h.reference" }
            let textID = query.category == nil ? "h.text_id" : "f.text_id"
            let statement = try db.makeStatement(sql: """
                SELECT h.reference, t.c1
                FROM \(from)\(joins)
                JOIN case_text_content t ON t.id = \(textID)
                WHERE \(filters)
                ORDER BY h.rank, h.reference
                """)
            let need = query.offset + query.limit
            var kept: [String] = []
            var read = 0
            var ended = true
            let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(arguments.filter { Self.sqlNames(statement).contains($0.key) }))
            while let row = try cursor.next() {
                read += 1
                if let words = row[1] as String?, terms.matches(words) { kept.append(row[0]) }
                if kept.count >= need { break }
                if read >= walkBudget {
                    ended = false
                    break
                }
            }
            if kept.count >= need || ended {
                // The matches found, read whole below in the same order.
                walked = true
                conditions.append("h.reference IN (SELECT value FROM json_each(:walked))")
                arguments["walked"] = String(decoding: (try? JSONSerialization.data(withJSONObject: Array(kept.dropFirst(query.offset)))) ?? Data("[]".utf8), as: UTF8.self)
                arguments["offset"] = 0
            }
        }
        if !walked, referencePrefix == nil, let terms {
            let match = terms.ftsQuery
            arguments["match"] = match
            // Words in few cases: start from the words (cost grows with the matches). Words in many: read the
            // queue in order and keep the matches (cost grows with the rows passed over, fewer the more match).
            // The two cost the same near 5,000 matches for a million cases (make bench, docs/performance.md).
            let found = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM case_text WHERE case_text MATCH ? LIMIT 5001)",
                                         arguments: [match]) ?? 0
            if found <= 5000 {
                // CROSS JOIN keeps SQLite to this order: the full-text index once, then each match's case.
                // Left to itself (a store with no statistics) it may put the index innermost and run the
                // whole search again for every case in the queue: seconds a key, measured.
                from = "case_text t CROSS JOIN case_file w ON w.text_id = t.rowid CROSS JOIN \(from) ON h.reference = w.reference"
                conditions.append("case_text MATCH :match")
            } else {
                conditions.append("\(query.category == nil ? "h" : "f").text_id IN (SELECT rowid FROM case_text WHERE case_text MATCH :match)")
            }
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(columns)
            FROM \(from)
            JOIN case_file f ON f.reference = h.reference
            JOIN report r ON r.reference = h.reference
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY h.rank, h.reference
            LIMIT :limit OFFSET :offset
            """, arguments: StatementArguments(arguments))
        var concerns: [String: [ConcernCategory]] = [:]
        if !rows.isEmpty {
            let references = rows.map { $0["reference"] as String }
            let marks = Array(repeating: "?", count: references.count).joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT reference, category FROM report_concern WHERE reference IN (\(marks))",
                                        arguments: StatementArguments(references)) {
                if let category = ConcernCategory(rawValue: row["category"]) { concerns[row["reference"], default: []].append(category) }
            }
        }
        return rows.compactMap { row in
            StoredForm.queueRow(
                reference: row["reference"], status: row["status"], level: row["level"], submitted: row["submitted"],
                acknowledgeBy: row["acknowledge_by"], feedBackBy: row["feed_back_by"], concerns: concerns[row["reference"] as String] ?? [],
                seniority: row["subject_seniority"], location: row["location"], wayOfRaising: row["way_of_raising"],
                subjectName: row["subject_name"], subjectRole: row["subject_role"], subjectSealed: row["subject_sealed"] as Bool? ?? false)
        }
    }

    /// Indexes the words of cases sent since the last search (cheap when there are none).
    public func indexPendingWords() throws(StoreError) {
        do {
            let waiting = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_text_pending") ?? 0 }
            guard waiting > 0 else { return }
            try writeTurn { db in
                try db.inTransaction(.immediate) {
                    try CaseProjection.indexPending(in: db)
                    return .commit
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// Words typed into the search box as an FTS5 query: each word a prefix, all of them
    /// needed. Quotes keep FTS5's own syntax (AND, NEAR, *, :) from being read in what was typed.
    static func ftsQuery(_ typed: String) -> String? {
        guard CaseReference.typedPrefix(typed) == nil else { return nil }
        return SearchTerms(typed)?.ftsQuery
    }

    /// How many rows of the queue a search reads, in order, before it asks the full-text index instead.
    static let walkBudget = 2000

    /// The named parameters a statement uses (GRDB refuses arguments a statement does not name).
    private static func sqlNames(_ statement: Statement) -> Set<String> {
        Set((1...max(1, Int(sqlite3_bind_parameter_count(statement.sqliteStatement)))).compactMap { index in
            sqlite3_bind_parameter_name(statement.sqliteStatement, Int32(index)).map { String(String(cString: $0).dropFirst()) }
        })
    }

    static func date(_ text: String) -> Date? { StoredForm.date(text) }

    /// Opens a case unless `refusal` (checked before anything is written, the audit record
    /// included) gives a reason this handler must not see it.
    func openCase(_ reference: CaseReference, for handler: String, at moment: Date,
                  refusal: ((Report) -> String?)? = nil) throws(StoreError) -> CaseFile? {
        var refused: String? = nil
        let file: CaseFile?
        do {
            file = try writeTurn { db -> CaseFile? in
                var file: CaseFile? = nil
                try db.inTransaction(.immediate) {
                    guard try Self.has(handler, reference, in: db),
                        let report = try ReportRows.all(in: db, reference: reference.text).first
                    else { return .commit }
                    if let reason = refusal?(report) {
                        refused = reason
                        return .commit
                    }
                    let events = try ReportRows.events(for: reference, in: db)
                    let state = try Row.fetchOne(db, sql: "SELECT status, level FROM case_file WHERE reference = ?", arguments: [reference.text])
                    let status = HandlingStatus(rawValue: state?["status"] ?? "new") ?? .new
                    let key = try String.fetchOne(db, sql: "SELECT subject_key FROM report WHERE reference = ?", arguments: [reference.text])
                    var linked: [QueueRow] = []
                    var samePerson = 0
                    if let key {
                        // Held reports stay sealed: neither counted nor listed until they are released.
                        samePerson = try Int.fetchOne(db, sql: """
                            SELECT count(*) FROM report r JOIN case_file f ON f.reference = r.reference
                            WHERE r.subject_key = ? AND f.held = 0
                            """, arguments: [key]) ?? 0
                        let others = try String.fetchAll(db, sql: """
                            SELECT r.reference FROM report r JOIN case_handler h ON h.reference = r.reference AND h.handler = ?
                            WHERE r.subject_key = ? AND r.reference <> ? ORDER BY r.submitted LIMIT 50
                            """, arguments: [handler, key, reference.text])
                        linked = try Self.rows(others, handler: handler, now: moment, in: db)
                    }
                    var routing = try ReportRows.latestRouting(for: reference, in: db)
                    if let level = (state?["level"] as String?).flatMap(PyramidLevel.init(rawValue:)) { routing?.level = level }
                    file = CaseFile(report: report, events: events, routing: routing, status: status, linked: linked,
                                    reportsAboutSamePerson: samePerson)
                    file?.currentHandlers = try String.fetchAll(
                        db, sql: "SELECT handler FROM case_handler WHERE reference = ? ORDER BY handler", arguments: [reference.text])
                    if report.sealed != nil {
                        for row in try Row.fetchAll(db, sql: "SELECT recipient, wrapped FROM case_key WHERE reference = ? ORDER BY recipient",
                                                    arguments: [reference.text]) {
                            let recipient: String = row["recipient"]
                            file?.wrappedFor.append(recipient)
                            if recipient == handler { file?.wrappedKey = Array(row["wrapped"] as Data) }
                        }
                    }
                    try AuditTrail.append(AuditEntry(at: .instant(moment), actor: handler, action: "opened", reference: reference.text), in: db)
                    return .commit
                }
                return file
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "audit")
        }
        if let refused { throw StoreError(.failed, refused) }
        return file
    }

    /// The queue rows of these cases, for this handler.
    static func rows(_ references: [String], handler: String, now: Date, in db: Database) throws -> [QueueRow] {
        guard !references.isEmpty else { return [] }
        return try queueRows(QueueConditions.exactly(references), handler: handler, now: now, in: db)
    }

    /// One report, for the administrator's tools (`rules explain`): no handler policy, no audit record.
    public func report(_ reference: CaseReference) throws(StoreError) -> Report? {
        try reports([reference]).first
    }

    /// Reports by reference, in one read (no audit record: for checks before cases are shown).
    func reports(_ references: [CaseReference]) throws(StoreError) -> [Report] {
        guard !references.isEmpty else { return [] }
        do {
            return try queue.read { db in try ReportRows.all(in: db, references: references.map(\.text)) }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    private static func has(_ handler: String, _ reference: CaseReference, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM case_handler WHERE reference = ? AND handler = ?", arguments: [reference.text, handler]) ?? false
    }

    func act(_ action: CaseAction, on reference: CaseReference, by handler: String, at moment: Date,
             refusal: ((String, Report) -> String?)? = nil) throws(StoreError) {
        do {
            try writeTurn { db in
                try db.inTransaction(.immediate) {
                    // Checked inside the transaction: a handler who has just lost the case (recused,
                    // reassigned by someone else a moment ago) cannot act on it.
                    guard try Self.has(handler, reference, in: db) else { throw CaseActionRules.notWith(reference) }
                    let report = refusal == nil ? nil : try ReportRows.all(in: db, reference: reference.text).first
                    let status = try String.fetchOne(db, sql: "SELECT status FROM case_file WHERE reference = ?", arguments: [reference.text])
                    try CaseActionRules.carryOut(
                        action, on: reference, by: handler, report: report, status: status, refusal: refusal ?? { _, _ in nil },
                        state: CaseState(db: db, reference: reference.text)
                    ) { kind, text, detail in
                        _ = try ReportRows.appendEvent(to: reference, kind: kind, text: text, actor: handler, at: moment, detail: detail, in: db)
                    }
                    return .commit
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-action")
        }
    }

    /// The case as the action rules read it, inside the action's transaction.
    private struct CaseState: CaseStateReading {
        let db: Database
        let reference: String

        func level() throws -> String? {
            try String.fetchOne(db, sql: "SELECT level FROM case_file WHERE reference = ?", arguments: [reference])
        }

        func hasSteppedAway(_ handler: String) throws -> Bool {
            try Bool.fetchOne(db, sql: "SELECT 1 FROM case_recusal WHERE reference = ? AND handler = ?", arguments: [reference, handler]) == true
        }

        func steppedAway() throws -> Set<String> {
            Set(try String.fetchAll(db, sql: "SELECT handler FROM case_recusal WHERE reference = ?", arguments: [reference]))
        }

        func handlers(except handler: String) throws -> [String] {
            try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ? AND handler <> ?", arguments: [reference, handler])
        }

        func isUnderLegalHold() throws -> Bool {
            try SQLiteReportStore.isUnderLegalHold(reference, in: db)
        }
    }

    func reminders(for handler: String) throws(StoreError) -> [Reminder] {
        do {
            return try queue.read { db in
                // Only for cases still with this handler, and promises not yet kept.
                try Row.fetchAll(db, sql: """
                    SELECT m.* FROM reminder m
                    JOIN case_handler h ON h.reference = m.reference AND h.handler = m.handler
                    JOIN case_file f ON f.reference = m.reference
                    WHERE m.handler = ? AND m.seen = 0 AND f.status <> 'closed'
                      AND (m.deadline = 'feed-back' OR f.status = 'new')
                    ORDER BY m.due
                    """, arguments: [handler]).compactMap(Self.reminder)
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    func dismissReminders(for handler: String) throws(StoreError) {
        do {
            try writeTurnInTransaction { db in try db.execute(sql: "UPDATE reminder SET seen = 1 WHERE handler = ?", arguments: [handler]) }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-action")
        }
    }

    private static func reminder(_ row: Row) -> Reminder? {
        StoredForm.reminder(reference: row["reference"], handler: row["handler"], deadline: row["deadline"], stage: row["stage"], due: row["due"])
    }

    /// Makes the reminders due at `now` (deadlines within `soon`, or passed) for every
    /// handler of each open case, once each, and returns the new ones.
    public func makeReminders(at now: Date, soon: TimeInterval = 86_400) throws(StoreError) -> [Reminder] {
        do {
            return try writeTurn { db in
                var made: [Reminder] = []
                try db.inTransaction(.immediate) {
                    let horizon = CaseProjection.stamp(now.addingTimeInterval(soon))
                    let due = try Row.fetchAll(db, sql: """
                        SELECT reference, 'acknowledge' AS deadline, acknowledge_by AS due FROM case_file
                            WHERE status = 'new' AND held = 0 AND acknowledge_by <= :horizon
                        UNION ALL
                        SELECT reference, 'feed-back', feed_back_by FROM case_file
                            WHERE status <> 'closed' AND held = 0 AND feed_back_by <= :horizon
                        """, arguments: ["horizon": horizon])
                    for row in due {
                        guard let dueDate = Self.date(row["due"]) else { continue }
                        let stage: Reminder.Stage = dueDate <= now ? .passed : .nearing
                        let handlers = try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ?", arguments: [row["reference"] as String])
                        for handler in handlers {
                            try db.execute(sql: """
                                INSERT OR IGNORE INTO reminder (reference, handler, deadline, stage, due) VALUES (?, ?, ?, ?, ?)
                                """, arguments: [row["reference"] as String, handler, row["deadline"] as String, stage.rawValue, row["due"] as String])
                            if db.changesCount > 0, let reminder = Self.reminder(
                                try Row.fetchOne(db, sql: "SELECT * FROM reminder WHERE reference = ? AND handler = ? AND deadline = ? AND stage = ?",
                                                 arguments: [row["reference"] as String, handler, row["deadline"] as String, stage.rawValue])!) {
                                made.append(reminder)
                            }
                        }
                    }
                    return .commit
                }
                return made
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-action")
        }
    }

    /// Counts only, no case content: public without a policy (statistics and the data return).
    /// `now` (else the store's clock) decides whether a deadline not yet met is already late.
    public func caseFacts(now: Date? = nil) throws(StoreError) -> [CaseFacts] {
        let now = now ?? clock.now()
        do {
            return try queue.read { db in
                var tally = CaseFactsTally()
                for row in try Row.fetchAll(db, sql: "SELECT reference, category FROM report_concern") {
                    tally.addConcern(reference: row["reference"], category: row["category"])
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT reference, kind, at, text FROM case_event
                    WHERE kind IN ('acknowledged', 'handler-message', 'closed', 'speak-up-again', 'detriment-check-in') ORDER BY reference, sequence
                    """) {
                    tally.addEvent(reference: row["reference"], kind: row["kind"], at: row["at"], text: row["text"])
                }
                let taken = Seniority.takenPrefix
                for row in try Row.fetchAll(db, sql: """
                    SELECT reference, json_extract(detail, '$.level') AS level,
                           CASE WHEN kind = 'routed' AND instr(detail, ?) > 0 THEN substr(detail, instr(detail, ?) + ?, 24) END AS taken
                    FROM case_event WHERE kind IN ('routed', 'escalated', 'level-changed')
                    """, arguments: [taken, taken, taken.count]) {
                    tally.addLevel(reference: row["reference"], level: row["level"], taken: row["taken"])
                }
                return try Row.fetchAll(db, sql: """
                    SELECT r.reference, r.submitted, r.way_of_raising, r.reporter_group, r.subject_seniority, f.acknowledge_by, f.feed_back_by, f.level
                    FROM report r LEFT JOIN case_file f ON f.reference = r.reference
                    """).compactMap { row in
                    tally.facts(reference: row["reference"], submitted: row["submitted"], wayOfRaising: row["way_of_raising"],
                                reporterGroup: row["reporter_group"], subjectSeniority: row["subject_seniority"],
                                acknowledgeBy: row["acknowledge_by"], feedBackBy: row["feed_back_by"], level: row["level"], now: now)
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }
}
