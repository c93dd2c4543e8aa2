import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// The handlers' workspace over the PostgreSQL store: the queue, a case, actions as case events,
/// reminders and the facts statistics are counted from. These read and write without the handler
/// policy; `PolicedCaseDesk` (what `desk(policy:)` gives) is the way in, and adds it.
@_spi(StoreEngines)
extension PostgresReportStore: CaseDeskEngine {
    public func deskQueue(_ query: QueueQuery, for handler: String, now: Date) throws(StoreError) -> [QueueRow] {
        try read { session in try Self.queueRows(query, handler: handler, now: now, in: session) }
    }

    public func deskOpenCase(_ reference: CaseReference, for handler: String, at moment: Date,
                             refusal: @escaping (Report) -> String?) throws(StoreError) -> CaseFile? {
        var refused: String? = nil
        let file = try write(.audit) { session -> CaseFile? in
            guard try Self.has(handler, reference, in: session),
                let report = try PostgresReportRows.reports(in: session, reference: reference.text).first
            else { return nil }
            if let reason = refusal(report) {
                refused = reason
                return nil
            }
            let events = try PostgresReportRows.events(for: reference, in: session)
            let state = try session.row("SELECT status, level FROM case_file WHERE reference = \(reference.text)")
            let status = HandlingStatus(rawValue: try state?.text("status") ?? "new") ?? .new
            var linked: [QueueRow] = []
            var samePerson = 0
            if let key = try session.texts("SELECT subject_key FROM report WHERE reference = \(reference.text)").first {
                // Held reports stay sealed: neither counted nor listed until they are released.
                samePerson = try session.number("""
                    SELECT count(*) FROM report r JOIN case_file f ON f.reference = r.reference WHERE r.subject_key = \(key) AND f.held = 0
                    """) ?? 0
                let others = try session.texts("""
                    SELECT r.reference FROM report r JOIN case_handler h ON h.reference = r.reference AND h.handler = \(handler)
                    WHERE r.subject_key = \(key) AND r.reference <> \(reference.text) ORDER BY r.submitted LIMIT 50
                    """)
                linked = try Self.rows(others, handler: handler, now: moment, in: session)
            }
            var routing = try PostgresReportRows.latestRouting(for: reference, in: session)
            if let level = try state?.text("level").flatMap(PyramidLevel.init(rawValue:)) { routing?.level = level }
            var file = CaseFile(report: report, events: events, routing: routing, status: status, linked: linked, reportsAboutSamePerson: samePerson)
            file.currentHandlers = try session.texts("SELECT handler FROM case_handler WHERE reference = \(reference.text) ORDER BY handler")
            if report.sealed != nil {
                for row in try session.rows("SELECT recipient, wrapped FROM case_key WHERE reference = \(reference.text) ORDER BY recipient COLLATE \"C\"") {
                    let recipient = try row.string("recipient")
                    file.wrappedFor.append(recipient)
                    if recipient == handler { file.wrappedKey = try row.bytes("wrapped").map(Array.init) }
                }
            }
            try PostgresAuditTrail.append(AuditEntry(at: .instant(moment), actor: handler, action: "opened", reference: reference.text), in: session)
            return file
        }
        if let refused { throw StoreError(.failed, refused) }
        return file
    }

    public func deskAct(_ action: CaseAction, on reference: CaseReference, by handler: String, at moment: Date,
                        refusal: @escaping (String, Report) -> String?) throws(StoreError) {
        try write(.action) { session in
            // The case is locked, then checked: a handler who has just lost the case (recused,
            // reassigned by someone else a moment ago) cannot act on it.
            let status = try session.texts("SELECT status FROM case_file WHERE reference = \(reference.text) FOR UPDATE").first
            guard try Self.has(handler, reference, in: session) else { throw CaseActionRules.notWith(reference) }
            try CaseActionRules.carryOut(
                action, on: reference, by: handler, report: try PostgresReportRows.reports(in: session, reference: reference.text).first,
                status: status, refusal: refusal, state: CaseState(session: session, reference: reference.text)
            ) { kind, text, detail in
                _ = try PostgresReportRows.appendEvent(to: reference, kind: kind, text: text, actor: handler, at: moment, detail: detail, in: session)
            }
        }
    }

    public func deskReminders(for handler: String) throws(StoreError) -> [Reminder] {
        try read { session in
            // Only for cases still with this handler, and promises not yet kept.
            try session.rows("""
                SELECT m.* FROM reminder m
                JOIN case_handler h ON h.reference = m.reference AND h.handler = m.handler
                JOIN case_file f ON f.reference = m.reference
                WHERE m.handler = \(handler) AND m.seen = 0 AND f.status <> 'closed'
                  AND (m.deadline = 'feed-back' OR f.status = 'new')
                ORDER BY m.due
                """).compactMap { row in
                StoredForm.reminder(reference: try row.string("reference"), handler: try row.string("handler"), deadline: try row.string("deadline"),
                                    stage: try row.string("stage"), due: try row.string("due"))
            }
        }
    }

    public func deskDismissReminders(for handler: String) throws(StoreError) {
        try write(.action) { session in _ = try session.query("UPDATE reminder SET seen = 1 WHERE handler = \(handler)") }
    }

    /// Who each report is about, for the policy: one small read for a page of the queue.
    public func deskCaseSubjects(_ references: [CaseReference]) throws(StoreError) -> [CaseSubject] {
        try caseSubjects(references)
    }
}

extension PostgresReportStore {
    /// The workspace on this store, under `policy`.
    public func desk(policy: any HandlerPolicy) -> any CaseDesk {
        PolicedCaseDesk(engine: self, policy: policy)
    }

    /// One report, for the administrator's tools (`rules explain`): no handler policy, no audit record.
    public func report(_ reference: CaseReference) throws(StoreError) -> Report? {
        try read { session in try PostgresReportRows.reports(in: session, reference: reference.text).first }
    }

    /// Reports stored with nobody able to handle them (not held, not closed), oldest first.
    public func unroutedCases() throws(StoreError) -> [UnroutedCase] {
        try read { session in
            try session.rows("""
                SELECT f.reference, r.submitted FROM case_file f JOIN report r ON r.reference = f.reference
                WHERE f.unrouted = 1 AND f.status <> 'closed' ORDER BY r.submitted, f.reference
                """).compactMap { row in
                guard let reference = CaseReference(try row.string("reference")),
                    let day = CalendarDay(typed: String(try row.string("submitted").prefix(10)))
                else { return nil }
                return UnroutedCase(reference: reference, since: day)
            }
        }
    }

    /// Counts only, no case content: public without a policy (statistics and the data return).
    public func caseFacts(now: Date?) throws(StoreError) -> [CaseFacts] {
        let now = now ?? clock.now()
        let taken = Seniority.takenPrefix
        return try read { session in
            var tally = CaseFactsTally()
            for row in try session.rows("SELECT reference, category FROM report_concern ORDER BY reference, category") {
                tally.addConcern(reference: try row.string("reference"), category: try row.string("category"))
            }
            for row in try session.rows("""
                SELECT reference, kind, at, text FROM case_event
                WHERE kind IN ('acknowledged', 'handler-message', 'closed', 'speak-up-again', 'detriment-check-in') ORDER BY reference, sequence
                """) {
                tally.addEvent(reference: try row.string("reference"), kind: try row.string("kind"), at: try row.string("at"), text: try row.text("text"))
            }
            for row in try session.rows("""
                SELECT reference, detail::jsonb ->> 'level' AS level,
                       CASE WHEN kind = 'routed' AND strpos(detail, \(taken)) > 0
                            THEN substr(detail, strpos(detail, \(taken)) + \(taken.count)::int, 24) END AS taken
                FROM case_event WHERE kind IN ('routed', 'escalated', 'level-changed')
                """) {
                tally.addLevel(reference: try row.string("reference"), level: try row.text("level"), taken: try row.text("taken"))
            }
            return try session.rows("""
                SELECT r.reference, r.submitted, r.way_of_raising, r.reporter_group, r.subject_seniority, f.acknowledge_by, f.feed_back_by, f.level
                FROM report r LEFT JOIN case_file f ON f.reference = r.reference
                """).compactMap { row in
                tally.facts(reference: try row.string("reference"), submitted: try row.string("submitted"),
                            wayOfRaising: try row.string("way_of_raising"), reporterGroup: try row.text("reporter_group"),
                            subjectSeniority: try row.text("subject_seniority"), acknowledgeBy: try row.text("acknowledge_by"),
                            feedBackBy: try row.text("feed_back_by"), level: try row.text("level"), now: now)
            }
        }
    }

    /// Who each report is about, for the policy: one small read.
    func caseSubjects(_ references: [CaseReference]) throws(StoreError) -> [CaseSubject] {
        guard !references.isEmpty else { return [] }
        return try read { session in
            try session.rows("""
                SELECT reference, subject_name, subject_role, subject_seniority, subject_id, excluded_handlers, subject_facts, subject_key,
                       \(unescaped: StoredForm.subjectChecks(aggregate: "string_agg")) AS subject_checks
                FROM report r WHERE reference = ANY(\(references.map(\.text)))
                """).map { row in
                // A reference that does not read is damage, never a case let through unchecked.
                let text = try row.string("reference")
                guard let reference = CaseReference(text) else {
                    throw StoreError(.damaged, "A report in the PostgreSQL store at \(location) has a reference that does not read (\(text)). Please tell IT.")
                }
                return CaseSubject(
                    reference: reference,
                    subject: try StoredForm.subject(name: try row.text("subject_name"), role: try row.text("subject_role") ?? "",
                                                    seniority: Seniority(rawValue: try row.text("subject_seniority") ?? "") ?? .unknown,
                                                    directoryID: try row.text("subject_id"), facts: try row.text("subject_facts"),
                                                    key: try row.text("subject_key"), checks: try row.text("subject_checks")),
                    excludedHandlers: (try row.text("excluded_handlers") ?? "").split(separator: "\n").map(String.init))
            }
        }
    }

    /// The queue's query: the handler's cases in queue order (`h.rank`, then reference), every
    /// filter in SQL; search through the case's words' `tsvector` (GIN-indexed), the last word a prefix.
    static func queueRows(_ query: QueueQuery, handler: String, now: Date, in session: PostgresSession) throws -> [QueueRow] {
        // Words typed: the cases they find are worked out first (`PostgresQueueSearch`), then read as these.
        if query.only == nil, CaseReference.typedPrefix(query.search) == nil, let terms = SearchTerms(query.search) {
            var found = query
            found.search = ""
            found.only = try PostgresQueueSearch.matches(tsQuery(terms), query: query, handler: handler, now: now, in: session)
            found.offset = 0
            return try queueRows(found, handler: handler, now: now, in: session)
        }
        var parts = StatementParts()
        var conditions = ["h.handler = \(parts.bind(handler))"]
        // A search that is the start of a reference ("SU CF00") finds cases by reference.
        let referencePrefix = CaseReference.typedPrefix(query.search)
        let from = query.category == nil || referencePrefix != nil ? "case_handler h" : "case_handler_concern h"
        conditions += QueueConditions.filters(query, now: now, byReference: referencePrefix != nil) { parts.bind($0) }
        if let only = query.only {
            conditions.append("h.reference = ANY(\(parts.bind(only)))")
        }
        if !query.location.isBlank {
            conditions.append("strpos(lower(r.location), lower(\(parts.bind(query.location.trimmingCharacters(in: .whitespaces))))) > 0")
        }
        if let referencePrefix {
            conditions.append("h.reference >= \(parts.bind(referencePrefix)) AND h.reference < \(parts.bind(referencePrefix + "~"))")
        }
        let sql = """
            SELECT h.reference, f.status, f.level, f.acknowledge_by, f.feed_back_by,
                   r.submitted, r.subject_seniority, r.location, r.way_of_raising, r.subject_name, r.subject_role,
                   r.subject_facts IS NOT NULL AS subject_sealed
            FROM \(from)
            JOIN case_file f ON f.reference = h.reference
            JOIN report r ON r.reference = h.reference
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY h.rank, h.reference
            LIMIT \(parts.bind(query.limit)) OFFSET \(parts.bind(query.offset))
            """
        let rows = try session.rows(parts.query(sql))
        var concerns: [String: [ConcernCategory]] = [:]
        if !rows.isEmpty {
            let references = try rows.map { row in try row.string("reference") }
            for row in try session.rows("SELECT reference, category FROM report_concern WHERE reference = ANY(\(references))") {
                if let category = ConcernCategory(rawValue: try row.string("category")) { concerns[try row.string("reference"), default: []].append(category) }
            }
        }
        return try rows.compactMap { row in
            StoredForm.queueRow(
                reference: try row.string("reference"), status: try row.string("status"), level: try row.string("level"),
                submitted: try row.string("submitted"), acknowledgeBy: try row.text("acknowledge_by"), feedBackBy: try row.text("feed_back_by"),
                concerns: concerns[try row.string("reference")] ?? [], seniority: try row.text("subject_seniority"), location: try row.string("location"),
                wayOfRaising: try row.string("way_of_raising"), subjectName: try row.text("subject_name"), subjectRole: try row.text("subject_role"),
                subjectSealed: try row.flag("subject_sealed"))
        }
    }

    /// The words typed into the search box as a `tsquery`: every word needed, the last one
    /// still being typed as the start of a word. The words are letters and digits only
    /// (`SearchTerms`), so quoting them is enough for none to be read as the query's own syntax.
    static func tsQuery(_ terms: SearchTerms) -> String {
        (terms.whole.map { "'\($0)'" } + (terms.start.map { ["'\($0)':*"] } ?? [])).joined(separator: " & ")
    }

    /// The queue rows of these cases, for this handler.
    static func rows(_ references: [String], handler: String, now: Date, in session: PostgresSession) throws -> [QueueRow] {
        guard !references.isEmpty else { return [] }
        return try queueRows(QueueConditions.exactly(references), handler: handler, now: now, in: session)
    }

    private static func has(_ handler: String, _ reference: CaseReference, in session: PostgresSession) throws -> Bool {
        try session.finds("SELECT 1 FROM case_handler WHERE reference = \(reference.text) AND handler = \(handler)")
    }

    /// The case as the action rules read it, inside the action's transaction.
    private struct CaseState: CaseStateReading {
        let session: PostgresSession
        let reference: String

        func level() throws -> String? {
            try session.texts("SELECT level FROM case_file WHERE reference = \(reference)").first
        }

        func hasSteppedAway(_ handler: String) throws -> Bool {
            try session.finds("SELECT 1 FROM case_recusal WHERE reference = \(reference) AND handler = \(handler)")
        }

        func steppedAway() throws -> Set<String> {
            Set(try session.texts("SELECT handler FROM case_recusal WHERE reference = \(reference)"))
        }

        func handlers(except handler: String) throws -> [String] {
            try session.texts("SELECT handler FROM case_handler WHERE reference = \(reference) AND handler <> \(handler)")
        }

        func isUnderLegalHold() throws -> Bool {
            try PostgresReportStore.isUnderLegalHold(reference, in: session)
        }
    }
}
