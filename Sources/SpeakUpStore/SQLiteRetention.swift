import Foundation
import GRDB
import SpeakUpCore

/// Erasure under the retention policy on SQLite (`RetentionKeeping`, `RetentionErasure`).
extension SQLiteReportStore: RetentionKeeping {
    /// Whether a case's latest legal-hold event sets a hold.
    static func isUnderLegalHold(_ reference: String, in db: Database) throws -> Bool {
        try String.fetchOne(db.cachedStatement(sql: """
            SELECT kind FROM case_event WHERE reference = ? AND kind IN ('legal-hold', 'legal-hold-lifted') ORDER BY sequence DESC LIMIT 1
            """), arguments: [reference]) == "legal-hold"
    }

    public func isUnderLegalHold(_ reference: CaseReference) throws(StoreError) -> Bool {
        do {
            return try queue.read { db in try Self.isUnderLegalHold(reference.text, in: db) }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func retentionPlan(_ policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> RetentionPlan {
        do {
            return try queue.read { db in
                var plan = RetentionPlan()
                // Only closings old enough to be due for something are read, through the closings'
                // index (v19): a store's recent and open cases are never visited.
                // (A closing whose time does not start with its day is read too, so it stops the run.)
                if let latest = policy.latestClosingDue(today: today) {
                    let rows = try Row.fetchCursor(db, sql: """
                        SELECT e.reference, e.at, e.detail,
                               (SELECT h.kind FROM case_event h WHERE h.reference = e.reference AND h.kind IN ('legal-hold', 'legal-hold-lifted')
                                ORDER BY h.sequence DESC LIMIT 1) AS hold,
                               EXISTS (SELECT 1 FROM case_erasure x WHERE x.reference = e.reference) AS erased,
                               EXISTS (SELECT 1 FROM receipt r WHERE r.reference = e.reference) AS receipt
                        FROM (SELECT reference, sequence FROM case_event WHERE kind = 'closed' AND at < ?1
                              UNION ALL
                              SELECT reference, sequence FROM case_event
                              WHERE kind = 'closed' AND at >= ?1 AND at NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*') c
                        JOIN case_event e ON e.reference = c.reference AND e.sequence = c.sequence
                        ORDER BY e.reference
                        """, arguments: [latest.adding(days: 1).description])
                    while let row = try rows.next() {
                        if row["erased"] as Bool { continue }
                        try Self.place(row, in: &plan, policy: policy, today: today, path: path)
                    }
                }
                if let before = policy.draftsSavedBefore(today: today) {
                    plan.drafts = try Int.fetchOne(db, sql: "SELECT count(*) FROM draft WHERE substr(saved, 1, 10) < ?",
                                                   arguments: [before.description]) ?? 0
                }
                return plan
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// Puts a closed, unerased case into the plan: due (or held), or only its receipt due.
    private static func place(_ row: Row, in plan: inout RetentionPlan, policy: RetentionPolicy, today: CalendarDay, path: String) throws {
        let text: String = row["reference"]
        guard let reference = CaseReference(text), let closing = RetentionErasure.closing(at: row["at"], detail: row["detail"]) else {
            // Never taken as "not due": the run stops and says so.
            throw StoreError(.damaged, "Case \(text) in the store at \(path) has a closing that does not read, so the retention run stopped without erasing it. Please tell IT.")
        }
        let held = (row["hold"] as String?) == "legal-hold"
        if policy.caseIsDue(closedOn: closing.day, outcome: closing.outcome, today: today) {
            if held {
                plan.held.append(reference)
            } else {
                plan.cases.append(DueCase(reference: reference, closedOn: closing.day, outcome: closing.outcome,
                                          rule: policy.period(forOutcome: closing.outcome).rule))
            }
        } else if row["receipt"] as Bool, !held, policy.receiptIsDue(closedOn: closing.day, today: today) {
            plan.receipts.append(reference)
        }
    }

    /// The case's closing, and whether it may go now: closed, due, not held, not erased already.
    private static func mayErase(_ reference: String, policy: RetentionPolicy, today: CalendarDay, receiptOnly: Bool, in db: Database) throws -> (CalendarDay, String?)? {
        // One look for all three: erased already, its first closing, its latest hold.
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM case_erasure WHERE reference = ?1) AS erased,
                       (SELECT kind FROM case_event WHERE reference = ?1 AND kind IN ('legal-hold', 'legal-hold-lifted')
                        ORDER BY sequence DESC LIMIT 1) AS hold,
                       c.at, c.detail
                FROM (SELECT at, detail FROM case_event WHERE reference = ?1 AND kind = 'closed' ORDER BY sequence LIMIT 1) c
                """), arguments: [reference]),
            !(row["erased"] as Bool), (row["hold"] as String?) != "legal-hold",
            let closing = RetentionErasure.closing(at: row["at"], detail: row["detail"])
        else { return nil }
        let due = receiptOnly ? policy.receiptIsDue(closedOn: closing.day, today: today)
            : policy.caseIsDue(closedOn: closing.day, outcome: closing.outcome, today: today)
        return due ? closing : nil
    }

    /// `mayErase` for a case known not to be erased yet, from its events as already read (every column,
    /// in sequence order): the same answer, without reading its events twice.
    private static func mayErase(_ events: [Row], policy: RetentionPolicy, today: CalendarDay) -> (CalendarDay, String?)? {
        var firstClosing: Row? = nil
        var latestHold: String? = nil
        for event in events {
            let kind: String = event["kind"]
            if kind == "closed", firstClosing == nil { firstClosing = event }
            if kind == "legal-hold" || kind == "legal-hold-lifted" { latestHold = kind }
        }
        guard latestHold != "legal-hold", let firstClosing,
              let closing = RetentionErasure.closing(at: firstClosing["at"], detail: firstClosing["detail"])
        else { return nil }
        return policy.caseIsDue(closedOn: closing.day, outcome: closing.outcome, today: today) ? closing : nil
    }

    public func eraseCases(_ cases: [DueCase], policy: RetentionPolicy, today: CalendarDay, by actor: String?, at moment: Date) throws(StoreError) -> Set<CaseReference> {
        guard !cases.isEmpty else { return [] }
        // The log is copied back into the file beside the next batch rather than before it (`CheckpointAside`):
        // 13% less time a case at 200,000 cases, measured against the same build checkpointing in line; a
        // reporter's submit meanwhile waits longer (median 35 ms rather than 15-20, p99 about 200 ms).
        defer { if takeCheckpointDue() { checkpointAside.start() } }
        do {
            return try writeTurn(checkpointing: false) { db in
                // A batch reads and writes a few thousand pages spread over the file (each case's rows sit where
                // its random reference put them): a larger page cache than a terminal's keeps the indexes' upper
                // pages in memory from one case to the next. Only pages read take memory.
                try db.execute(sql: "PRAGMA cache_size = -65536")
                var erased: Set<CaseReference> = []
                // One transaction for the batch: one flush to disk for all its cases, and a stop at
                // any moment leaves the whole batch as it was or the whole batch erased.
                try db.inTransaction(.immediate) {
                    erased = try Self.erase(cases.map(\.reference.text), policy: policy, today: today, by: actor, at: moment, in: db)
                    // What goes whole goes for the batch at once: its words from the search index last, since once
                    // the index has been written in a transaction SQLite has it save its pending changes at every
                    // later statement (a third of an erasure's work when each case's words left with the case,
                    // measured). (The index's own segments are merged in `compactAfterErasure`.)
                    let references = erased.map(\.text)
                    if !references.isEmpty {
                        let list = databaseQuestionMarks(count: references.count)
                        for table in ["case_text_pending", "reminder", "receipt", "case_key", "subject_check"] {
                            // A sealed report's wrapped keys go with its sealed words, later checks of its name with the name.
                            try db.execute(sql: "DELETE FROM \(table) WHERE reference IN (\(list))", arguments: StatementArguments(references))
                        }
                        try db.execute(sql: "DELETE FROM case_text WHERE rowid IN (SELECT text_id FROM case_file WHERE reference IN (\(list)))",
                                       arguments: StatementArguments(references))
                    }
                    return .commit
                }
                return erased
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "erase")
        }
    }

    /// Erases a batch of cases inside its transaction; gives those erased (a case that may not go now,
    /// held or erased since the plan, is left as it is). Each kind of row is read once for the whole
    /// batch and each statement that can serve the batch is run once for it; what is worked out per
    /// case (its digests, tombstones and audit record) is worked out as before.
    private static func erase(_ references: [String], policy: RetentionPolicy, today: CalendarDay, by actor: String?, at moment: Date,
                              in db: Database) throws -> Set<CaseReference> {
        guard !references.isEmpty else { return [] }
        let list = databaseQuestionMarks(count: references.count)
        let arguments = StatementArguments(references)
        // Every event of the batch's cases, read once: checked again inside the transaction (a hold set
        // since the plan keeps the case), then digested as it is and as the statements below leave it.
        var events: [String: [Row]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM case_event WHERE reference IN (\(list)) ORDER BY reference, sequence",
                                    arguments: arguments) {
            events[row["reference"], default: []].append(row)
        }
        let erasedBefore = Set(try String.fetchAll(db, sql: "SELECT reference FROM case_erasure WHERE reference IN (\(list))", arguments: arguments))
        var reports: [String: Row] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM report WHERE reference IN (\(list))", arguments: arguments) {
            reports[row["reference"]] = row
        }
        var concerns: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT reference, category FROM report_concern WHERE reference IN (\(list)) ORDER BY reference, category",
                                    arguments: arguments) {
            concerns[row["reference"], default: []].append(row["category"])
        }

        struct Erasing {
            let reference: String
            let rule: String
            let digests: [RetentionErasure.ErasedEvent]
        }
        var erasing: [Erasing] = []
        // A case closed twice is planned twice: erased once.
        var seen: Set<String> = []
        for reference in references where !erasedBefore.contains(reference) && seen.insert(reference).inserted {
            let caseEvents = events[reference] ?? []
            guard let closing = mayErase(caseEvents, policy: policy, today: today) else { continue }
            erasing.append(Erasing(
                reference: reference, rule: policy.period(forOutcome: closing.1).rule,
                digests: try ContentDigest.ofErasure(caseEvents, report: reports[reference], concerns: concerns[reference] ?? [])))
        }
        guard !erasing.isEmpty else { return [] }

        let gone = erasing.map(\.reference)
        let goneList = databaseQuestionMarks(count: gone.count)
        let goneArguments = StatementArguments(gone)
        let insertErasure = try db.cachedStatement(sql: "INSERT INTO case_erasure (reference, erased_on, rule) VALUES (?, ?, ?)")
        for item in erasing { try insertErasure.execute(arguments: [item.reference, today.description, item.rule]) }
        try db.execute(sql: "UPDATE report SET \(RetentionErasure.reportAssignments) WHERE reference IN (\(goneList))", arguments: goneArguments)
        // Texts go in one statement; a routing's detail is rewritten event by event.
        try db.execute(sql: """
            UPDATE case_event SET text = NULL
            WHERE reference IN (\(goneList)) AND text IS NOT NULL
              AND kind NOT IN (\(RetentionErasure.keptTextKinds.sorted().map { "'\($0)'" }.joined(separator: ", ")))
            """, arguments: goneArguments)
        let rewriteDetail = try db.cachedStatement(sql: "UPDATE case_event SET detail = ? WHERE reference = ? AND sequence = ?")
        let tombstone = try db.cachedStatement(sql: "INSERT INTO erased_event (reference, sequence, content, remains) VALUES (?, ?, ?, ?)")
        // (Their words in the search index, reminders, receipts and wrapped keys go in `eraseCases`.)
        for item in erasing {
            var tombstones: [(sequence: Int, content: Data, remains: Data)] = []
            for event in item.digests {
                if let detail = event.erasedDetail { try rewriteDetail.execute(arguments: [detail, item.reference, event.sequence]) }
                try tombstone.execute(arguments: [item.reference, event.sequence, event.before, event.after])
                tombstones.append((event.sequence, event.before, event.after))
            }
            let digest = RetentionErasure.tombstonesDigest(reference: item.reference, erasedOn: today.description, rule: item.rule, events: tombstones)
            try AuditTrail.append(
                RetentionErasure.auditEntry(reference: item.reference, rule: item.rule, events: tombstones.count, digest: digest, by: actor, at: moment),
                in: db)
        }
        return Set(gone.compactMap(CaseReference.init))
    }

    public func expireReceipts(_ references: [CaseReference], policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> Int {
        guard !references.isEmpty else { return 0 }
        do {
            return try writeTurn { db in
                var removed = 0
                try db.inTransaction(.immediate) {
                    for reference in references {
                        guard try Self.mayErase(reference.text, policy: policy, today: today, receiptOnly: true, in: db) != nil else { continue }
                        try db.execute(sql: "DELETE FROM receipt WHERE reference = ?", arguments: [reference.text])
                        removed += db.changesCount
                    }
                    return .commit
                }
                return removed
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "erase")
        }
    }

    public func expireDrafts(_ policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> Int {
        guard let before = policy.draftsSavedBefore(today: today) else { return 0 }
        do {
            return try writeTurn { db in
                var removed = 0
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "DELETE FROM draft WHERE substr(saved, 1, 10) < ?", arguments: [before.description])
                    removed = db.changesCount
                    return .commit
                }
                return removed
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "erase")
        }
    }

    /// Pages of the search index one step of `compactAfterErasure` merges (FTS5's 'merge' N): a
    /// step is meant to hold the write turn about as long as a batch of erasures does.
    static let mergeStep = 200

    /// `secure_delete` (on for every connection) has already overwritten what the erased rows
    /// held in the file's pages; this merges the search index's segments (dropping the erased
    /// words they still held), then copies the log into the file and empties it, so no earlier
    /// page image stays in the `-wal` file. The merge is FTS5's incremental one ('merge' with a
    /// negative step, which takes every level's segments, run until it has nothing left to do:
    /// what 'optimize' does in one go), one short write turn a step, so a submit waits for a
    /// step, never for the whole index to be rewritten. (A full `VACUUM` is `vacuum()`: it
    /// would keep every writer waiting while it rewrites the file.)
    public func compactAfterErasure() throws(StoreError) {
        checkpointAside.wait()
        do {
            // FTS5 keeps a deleted row's words in its index segments until they are merged: merged now.
            // The first step (negative) puts every segment on one level and starts merging them all,
            // as 'optimize' would; each later one (positive) goes on with that merge, and only that,
            // however many segments submits add meanwhile, until a step does nothing (FTS5 then
            // changes fewer than two rows).
            var step = -Self.mergeStep
            while try writeTurn(checkpointing: true, { db in
                let before = db.totalChangesCount
                try db.execute(sql: "INSERT INTO case_text (case_text, rank) VALUES ('merge', ?)", arguments: [step])
                return db.totalChangesCount - before >= 2
            }) {
                step = Self.mergeStep
            }
            let busy = try writeTurn(checkpointing: false) { db in
                try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)").map { $0[0] as Int } ?? 0
            }
            if busy != 0 {
                throw StoreError(.busy, "The erased content is gone from the store's pages, but another program was reading the store at \(path), so its log (the -wal file) could not be emptied yet. Run `speakup retention run` again at a quieter moment to finish.")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "erase")
        }
    }

    /// Rewrites the whole file (`VACUUM`), leaving no free page behind, then empties the log.
    /// Every writer waits while it runs: for a quiet moment (`retention run --vacuum`).
    public func vacuum() throws(StoreError) {
        do {
            try writeTurn(checkpointing: false) { db in try db.execute(sql: "VACUUM") }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "erase")
        }
        try compactAfterErasure()
    }
}
