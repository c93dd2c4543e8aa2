import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// Erasure under the retention policy on PostgreSQL (`RetentionKeeping`, `RetentionErasure`):
/// the same rows blanked, the same tombstones and audit records as on SQLite.
extension PostgresReportStore: RetentionKeeping {
    static func isUnderLegalHold(_ reference: String, in session: PostgresSession) throws -> Bool {
        try session.texts("""
            SELECT kind FROM case_event WHERE reference = \(reference) AND kind IN ('legal-hold', 'legal-hold-lifted')
            ORDER BY sequence DESC LIMIT 1
            """).first == "legal-hold"
    }

    public func isUnderLegalHold(_ reference: CaseReference) throws(StoreError) -> Bool {
        try read { session in try Self.isUnderLegalHold(reference.text, in: session) }
    }

    public func retentionPlan(_ policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> RetentionPlan {
        let location = location
        return try read { session in
            var plan = RetentionPlan()
            // Only closings old enough to be due for something, through the closings' index (pg-v6),
            // and any whose time does not start with its day (so it stops the run, as on SQLite).
            let latest = policy.latestClosingDue(today: today)?.adding(days: 1).description ?? "0"
            for row in try session.rows("""
                SELECT e.reference, e.at, e.detail,
                       (SELECT h.kind FROM case_event h WHERE h.reference = e.reference AND h.kind IN ('legal-hold', 'legal-hold-lifted')
                        ORDER BY h.sequence DESC LIMIT 1) AS hold,
                       EXISTS (SELECT 1 FROM receipt r WHERE r.reference = e.reference)::int AS receipt
                FROM case_event e
                WHERE e.kind = 'closed'
                  AND (e.reference, e.sequence) IN (
                      SELECT reference, sequence FROM case_event WHERE kind = 'closed' AND (at COLLATE "C") < \(latest)
                      UNION ALL
                      SELECT reference, sequence FROM case_event
                      WHERE kind = 'closed' AND (at COLLATE "C") >= \(latest) AND at !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}')
                  AND NOT EXISTS (SELECT 1 FROM case_erasure x WHERE x.reference = e.reference)
                ORDER BY e.reference
                """) {
                let text = try row.string("reference")
                guard let reference = CaseReference(text), let closing = RetentionErasure.closing(at: try row.string("at"), detail: try row.text("detail"))
                else {
                    throw StoreError(.damaged, "Case \(text) in the PostgreSQL store at \(location) has a closing that does not read, so the retention run stopped without erasing it. Please tell IT.")
                }
                let held = try row.text("hold") == "legal-hold"
                if policy.caseIsDue(closedOn: closing.day, outcome: closing.outcome, today: today) {
                    if held {
                        plan.held.append(reference)
                    } else {
                        plan.cases.append(DueCase(reference: reference, closedOn: closing.day, outcome: closing.outcome,
                                                  rule: policy.period(forOutcome: closing.outcome).rule))
                    }
                } else if try row.integer("receipt") == 1, !held, policy.receiptIsDue(closedOn: closing.day, today: today) {
                    plan.receipts.append(reference)
                }
            }
            if let before = policy.draftsSavedBefore(today: today) {
                plan.drafts = try session.number("SELECT count(*) FROM draft WHERE substr(saved, 1, 10) < \(before.description)") ?? 0
            }
            return plan
        }
    }

    /// The case's closing, and whether it may go now: closed, due, not held, not erased already.
    /// Locks the case's row first, as every event's writer does, so a hold set at the same moment waits.
    private static func mayErase(_ reference: String, policy: RetentionPolicy, today: CalendarDay, receiptOnly: Bool,
                                 in session: PostgresSession) throws -> (day: CalendarDay, outcome: String?)? {
        _ = try session.query("SELECT 1 FROM case_file WHERE reference = \(reference) FOR UPDATE")
        guard try session.number("SELECT count(*) FROM case_erasure WHERE reference = \(reference)") == 0,
            let closed = try session.row("""
                SELECT at, detail FROM case_event WHERE reference = \(reference) AND kind = 'closed' ORDER BY sequence LIMIT 1
                """),
            let closing = RetentionErasure.closing(at: try closed.string("at"), detail: try closed.text("detail")),
            try !isUnderLegalHold(reference, in: session)
        else { return nil }
        let due = receiptOnly ? policy.receiptIsDue(closedOn: closing.day, today: today)
            : policy.caseIsDue(closedOn: closing.day, outcome: closing.outcome, today: today)
        return due ? closing : nil
    }

    public func eraseCases(_ cases: [DueCase], policy: RetentionPolicy, today: CalendarDay, by actor: String?, at moment: Date) throws(StoreError) -> Set<CaseReference> {
        guard !cases.isEmpty else { return [] }
        // One transaction for the batch, as on SQLite: one flush for all its cases, and a stop at any
        // moment leaves the whole batch as it was or the whole batch erased.
        return try write(.erase) { session in
            var erased: Set<CaseReference> = []
            for due in cases {
                if try Self.erase(due.reference.text, policy: policy, today: today, by: actor, at: moment, in: session) { erased.insert(due.reference) }
            }
            return erased
        }
    }

    /// Erases one case inside the batch's transaction; false (and nothing changed) when it may not go.
    private static func erase(_ reference: String, policy: RetentionPolicy, today: CalendarDay, by actor: String?, at moment: Date,
                              in session: PostgresSession) throws -> Bool {
        guard let closing = try mayErase(reference, policy: policy, today: today, receiptOnly: false, in: session) else { return false }
        let rule = policy.period(forOutcome: closing.outcome).rule
        // Every event is read once, and digested as it is and as the statements below leave it (as on SQLite).
        let events = try RetentionErasure.erasedEvents(
            try session.rows("SELECT * FROM case_event WHERE reference = \(reference) ORDER BY sequence").map { row throws(StoreError) in try row.forDigest() },
            report: { try session.row("SELECT * FROM report WHERE reference = \(reference)")?.forDigest() },
            concerns: { try session.texts("SELECT category FROM report_concern WHERE reference = \(reference) ORDER BY category") })
        _ = try session.query("INSERT INTO case_erasure (reference, erased_on, rule) VALUES (\(reference), \(today.description), \(rule))")
        _ = try session.query(PostgresQuery(unsafeSQL: "UPDATE report SET \(RetentionErasure.reportAssignments) WHERE reference = $1",
                                            binds: binds(reference)))
        // Texts go in one statement; a routing's detail is rewritten event by event.
        _ = try session.query("""
            UPDATE case_event SET text = NULL
            WHERE reference = \(reference) AND text IS NOT NULL AND NOT (kind = ANY(\(RetentionErasure.keptTextKinds.sorted())))
            """)
        for event in events {
            guard let detail = event.erasedDetail else { continue }
            _ = try session.query("UPDATE case_event SET detail = \(detail) WHERE reference = \(reference) AND sequence = \(event.sequence)")
        }
        _ = try session.query("DELETE FROM case_text WHERE reference = \(reference)")
        _ = try session.query("DELETE FROM case_text_pending WHERE reference = \(reference)")
        _ = try session.query("DELETE FROM reminder WHERE reference = \(reference)")
        _ = try session.query("DELETE FROM receipt WHERE reference = \(reference)")
        // A sealed report's wrapped keys go with its sealed words.
        _ = try session.query("DELETE FROM case_key WHERE reference = \(reference)")
        // Later checks of its sealed name go with the name (a check that fits says whom it may mean).
        _ = try session.query("DELETE FROM subject_check WHERE reference = \(reference)")
        var tombstones: [(sequence: Int, content: Data, remains: Data)] = []
        for event in events {
            _ = try session.query("""
                INSERT INTO erased_event (reference, sequence, content, remains) VALUES (\(reference), \(event.sequence), \(event.before), \(event.after))
                """)
            tombstones.append((event.sequence, event.before, event.after))
        }
        let digest = RetentionErasure.tombstonesDigest(reference: reference, erasedOn: today.description, rule: rule, events: tombstones)
        try PostgresAuditTrail.append(
            RetentionErasure.auditEntry(reference: reference, rule: rule, events: tombstones.count, digest: digest, by: actor, at: moment),
            in: session)
        return true
    }

    private static func binds(_ reference: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(reference)
        return binds
    }

    public func expireReceipts(_ references: [CaseReference], policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> Int {
        guard !references.isEmpty else { return 0 }
        return try write(.erase) { session in
            var removed = 0
            for reference in references {
                guard try Self.mayErase(reference.text, policy: policy, today: today, receiptOnly: true, in: session) != nil else { continue }
                removed += try session.number("WITH gone AS (DELETE FROM receipt WHERE reference = \(reference.text) RETURNING 1) SELECT count(*) FROM gone") ?? 0
            }
            return removed
        }
    }

    public func expireDrafts(_ policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> Int {
        guard let before = policy.draftsSavedBefore(today: today) else { return 0 }
        return try write(.erase) { session in
            try session.number("WITH gone AS (DELETE FROM draft WHERE substr(saved, 1, 10) < \(before.description) RETURNING 1) SELECT count(*) FROM gone") ?? 0
        }
    }

    /// VACUUM the tables an erasure touches, so the dead rows' space is reclaimed and, in time,
    /// overwritten. The program's login may do this on PostgreSQL 17 and later (`MAINTAIN`, pg-v2);
    /// on older servers PostgreSQL skips tables it does not own, and autovacuum does it instead.
    public func compactAfterErasure() throws(StoreError) {
        do {
            try connection.use { session in
                for table in ["report", "case_event", "receipt", "case_text", "reminder", "draft"] {
                    _ = try session.query(PostgresQuery(unsafeSQL: "VACUUM \(table)"), deadline: 600)
                }
            }
        } catch {
            throw PostgresStoreFailure.translate(error, at: location, doing: .erase)
        }
    }
}
