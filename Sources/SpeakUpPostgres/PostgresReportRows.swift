import Foundation
import PostgresNIO
import SpeakUpCore
import SpeakUpSealing
@_spi(StoreEngines) import SpeakUpStore

/// How a report and its case events are laid out in rows on PostgreSQL: the same tables,
/// columns and texts as on SQLite (`StoredForm`), written inside the caller's transaction.
enum PostgresReportRows {
    /// Inserts a report and its timeline (by default, one "received" event). Returns false, having
    /// written nothing, when the reference is already taken.
    /// `importer` (with the moment of the import) is named in the audit trail for an imported timeline.
    /// The report, its concerns and its workspace rows are one statement, with whatever `alongside`
    /// adds to it (`WITH` clauses that may read the new report as `r`); then each event is one more.
    /// `unlessSealing`: nothing is written (false is returned) if the store seals reports, so a report in
    /// clear never reaches a sealing store, not even in a transaction rolled back.
    /// `lastWrite`: nothing but the audit trail is written after the last event, so its statement
    /// also locks the audit chain's head (`PostgresAuditTrail.headLock`) and saves a round trip.
    static func insert(_ report: Report, events: [CaseEvent]? = nil, importer: (actor: String?, at: Date)? = nil,
                       alongside: (inout StatementParts) -> [String] = { _ in [] }, unlessSealing: Bool = false, lastWrite: Bool = false,
                       in session: PostgresSession) throws -> Bool {
        // PostgreSQL keeps no text holding a NUL: refused whole, in the same words as on SQLite.
        if let field = report.fieldsHoldingNul.first { throw RefusedText(what: "The report's \(field)") }
        var parts = StatementParts()
        let columns = Self.columns(of: report)
        let values = columns.map { $0.bind(in: &parts) }
        let concerns = report.concerns.map(\.rawValue)
        let clauses = ["""
            r AS (
                INSERT INTO report (\(columns.map(\.name).joined(separator: ", ")))
                SELECT \(values.joined(separator: ", "))
                WHERE \(unlessSealing ? "NOT EXISTS (SELECT 1 FROM recovery_key)" : "true")
                ON CONFLICT (reference) DO NOTHING
                RETURNING *)
            """,
            "r_concern AS (INSERT INTO report_concern (reference, category) SELECT r.reference, c FROM r, unnest(\(parts.bind(concerns))::text[]) AS c)",
        ] + PostgresCaseProjection.opening(report, in: &parts) + alongside(&parts)
        guard let row = try session.row(parts.query("WITH \(clauses.joined(separator: ",\n")) SELECT * FROM r")) else { return false }
        // The report as stored, and its concerns in order, are what the first event's digest holds.
        let stored = (row: try row.forDigest(), concerns: concerns.sorted())
        // An imported timeline as it came, named in the audit trail as imported; else the report's first event.
        let timeline = events ?? [StoredForm.receivedEvent(of: report)]
        for (index, event) in timeline.enumerated() {
            try insertEvent(event, importer: events == nil ? nil : importer, report: stored, lastWrite: lastWrite && index == timeline.count - 1,
                            in: session)
        }
        return true
    }

    /// A report's row as it is written: every column of `report`, in the table's order.
    static func columns(of report: Report) -> [WrittenColumn] {
        [
            WrittenColumn("reference", .text(report.reference.text)), WrittenColumn("way_of_raising", .text(report.wayOfRaising.rawValue)),
            WrittenColumn("subject_seniority", .text(report.subjectSeniority.rawValue)), WrittenColumn("location", .text(report.location)),
            WrittenColumn("account", .text(report.account)), WrittenColumn("reporter_user", .text(report.reporter?.userName)),
            WrittenColumn("reporter_uid", .integer(report.reporter.map { Int($0.uid) })), WrittenColumn("submitted", .text(report.submitted.text)),
            WrittenColumn("subject_name", .text(report.subject.name)), WrittenColumn("subject_role", .text(report.subject.role)),
            WrittenColumn("occurred_on", .text(report.occurred?.day.description)), WrittenColumn("occurred_at", .text(report.occurred?.time)),
            WrittenColumn("patient_harm", .text(report.harm.rawValue)), WrittenColumn("staff_impact", .text(report.staffImpact)),
            WrittenColumn("witnesses", .text(report.witnesses)), WrittenColumn("desired_outcome", .text(report.desiredOutcome?.rawValue)),
            WrittenColumn("hold_until", .text(report.hold?.until.description)), WrittenColumn("reporter_name", .text(report.reporterDetails?.name)),
            WrittenColumn("reporter_contact", .text(report.reporterDetails?.contact)),
            WrittenColumn("reporter_group", .text(report.reporterDetails?.professionalGroup?.rawValue)),
            WrittenColumn("subject_key", .text(SubjectKey.of(report.subject, directoryID: nil).map(StoredForm.subjectKey))),
            WrittenColumn("excluded_handlers", .text(report.excludedHandlers.joined(separator: "\n"))),
            WrittenColumn("subject_id", .text(report.subject.directoryID)), WrittenColumn("station", .text(report.station.kind)),
            WrittenColumn("station_location", .text(report.station.location)), WrittenColumn("sealed", .bytes(report.sealed.map { Data($0.content) })),
            WrittenColumn("subject_facts", .text(report.subject.isSealedAway ? report.subject.sealedFacts?.stored : nil)),
        ]
    }

    /// A case event's row as it is written: every column of `case_event`, in the table's order.
    static func columns(of event: CaseEvent, detail: String?) -> [WrittenColumn] {
        [
            WrittenColumn("reference", .text(event.reference.text)), WrittenColumn("sequence", .integer(event.sequence)),
            WrittenColumn("kind", .text(event.kind.rawValue)), WrittenColumn("at", .text(event.at.text)), WrittenColumn("text", .text(event.text)),
            WrittenColumn("detail", .text(detail)), WrittenColumn("actor", .text(event.actor)),
        ]
    }

    /// How the reporter described themselves, if they did and may (`CharacteristicsRow`), apart from
    /// the report: a `WITH` clause for the report's statement (`insert`'s `alongside`), or none.
    static func characteristics(of report: Report, in parts: inout StatementParts) -> [String] {
        guard let row = CharacteristicsRow.values(for: report) else { return [] }
        let values = ([row.id, row.month] + row.answers).map { parts.bind($0) }
        let columns = ["id", "month"] + CharacteristicsRow.columns
        return ["r_characteristics AS (INSERT INTO reporter_characteristics (\(columns.joined(separator: ", "))) SELECT \(values.joined(separator: ", ")) FROM r RETURNING 1)"]
    }

    /// The content key of a sealed report wrapped for each of its recipients: a `WITH` clause for
    /// the report's statement (`insert`'s `alongside`), or none.
    static func wrappedKeys(_ keys: [ReportSeal.Wrapped], in parts: inout StatementParts) -> [String] {
        guard !keys.isEmpty else { return [] }
        let rows = keys.map { key in "(\(parts.bind(key.recipient)), \(parts.bind(Data(key.bytes))))" }
        return ["""
            r_keys AS (INSERT INTO case_key (reference, recipient, wrapped)
                       SELECT r.reference, k.recipient, k.wrapped FROM r, (VALUES \(rows.joined(separator: ", "))) AS k (recipient, wrapped)
                       RETURNING 1)
            """]
    }

    /// Appends one case event and its audit record: the only way events are written. The event's
    /// row comes back from its INSERT, so its digest costs no read; for a case's first event, the
    /// report's row and concerns as stored come from `report` (read here when not given).
    /// `lastWrite`: see `insert`.
    static func insertEvent(_ event: CaseEvent, detail: String? = nil, importer: (actor: String?, at: Date)? = nil,
                            report: (row: [(name: String, value: ContentHasher.Value?)], concerns: [String])? = nil, lastWrite: Bool = false,
                            in session: PostgresSession) throws {
        try RefusedText.check([event.text, event.actor, detail], what: "The case event's text")
        var entry = AuditChain.entry(for: event, content: nil, importer: importer)
        let wantsLock = lastWrite && !AuditChain.placement(of: entry).isWaiting && session.pendingAudit.withLock { $0.open && $0.lockedHead == nil }
        // A routing's own last statement comes after its event's (`PostgresCaseProjection.applyRouting`): that one takes the lock.
        let routingLocks = wantsLock && event.kind == .routed && detail != nil
        let locks = wantsLock && !routingLocks
        let lock = locks ? (columns: ", " + PostgresAuditTrail.headLock.columns, from: ", " + PostgresAuditTrail.headLock.from)
            : (columns: "", from: "")
        guard let row = try session.row("""
            WITH e AS (
                INSERT INTO case_event (reference, sequence, kind, at, text, detail, actor)
                VALUES (\(event.reference.text), \(event.sequence), \(event.kind.rawValue), \(event.at.text), \(event.text), \(detail), \(event.actor))
                RETURNING *)
            SELECT e.*\(unescaped: lock.columns) FROM e\(unescaped: lock.from)
            """)
        else { throw StoreError(.failed, "The case event was not written.") }
        if locks { try PostgresAuditTrail.lockedHead(from: row, in: session) }
        // What the event holds (for the first, the report as sent too), bound into its audit record.
        let reference = event.reference.text
        entry.content = try ContentHasher.ofEvent(
            try row.forDigest(leavingOff: locks ? 3 : 0), sequence: event.sequence,
            report: { try report?.row ?? session.row("SELECT * FROM report WHERE reference = \(reference)")?.forDigest() },
            concerns: { try report?.concerns ?? session.texts("SELECT category FROM report_concern WHERE reference = \(reference) ORDER BY category") })
        try PostgresAuditTrail.append(entry, in: session)
        try PostgresCaseProjection.apply(event, detail: detail, locksAuditHead: routingLocks, in: session)
    }

    /// Earlier reports about a person, read inside the storing transaction.
    struct History: ReportHistory {
        let session: PostgresSession
        /// A stored report routed again (a held one) must not count itself.
        var excluding: String? = nil
        /// The installation's digest for sealed names' keys: reports kept either way are counted.
        var digest: (any SubjectKeyDigest)? = nil

        func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) throws -> Int {
            try count(Question(subject: subject, since: day, notBy: nil))
        }

        func reportsAbout(_ subject: SubjectKey, since day: CalendarDay, notBy reporter: Reporter?) throws -> Int {
            try count(Question(subject: subject, since: day, notBy: reporter))
        }

        /// One question a router asks: reports about `subject` since `since`, leaving out `notBy`'s.
        struct Question {
            var subject: SubjectKey
            var since: CalendarDay
            var notBy: Reporter?
        }

        func count(_ question: Question) throws -> Int {
            var parts = StatementParts()
            let sql = counting(question, in: &parts)
            return try session.number(parts.query(sql)) ?? 0
        }

        /// The query that answers `question` (one row, its count), its values bound in `parts`.
        func counting(_ question: Question, in parts: inout StatementParts) -> String {
            let (clear, sealed) = StoredForm.subjectKeys(question.subject, digest: digest)
            let notBy = question.notBy.map { " AND (reporter_uid IS NULL OR reporter_uid <> \(parts.bind(Int($0.uid))))" } ?? ""
            return """
                SELECT count(*) FROM report
                WHERE subject_key IN (\(parts.bind(clear)), \(parts.bind(sealed))) AND substr(submitted, 1, 10) >= \(parts.bind(question.since.description))
                  AND reference IS DISTINCT FROM \(parts.bind(excluding))\(notBy)
                """
        }
    }

    /// Keeps a routing decision (or an escalation's new one) as the case's next event.
    /// `lastWrite`: see `insert`.
    static func insertRouting(_ routing: CaseRouting, for report: Report, kind: CaseEvent.Kind, sequence: Int, at: SubmissionTime,
                              lastWrite: Bool = false, in session: PostgresSession) throws {
        let (event, detail) = try StoredForm.routingEvent(routing, for: report, kind: kind, sequence: sequence, at: at)
        try insertEvent(event, detail: detail, lastWrite: lastWrite, in: session)
    }

    /// Cases whose latest routing is a hold: about the person with `subjectKey`, or whose hold ends by
    /// `day`, their workspace rows locked until the transaction ends (so two writers cannot release one twice).
    static func heldCases(subjectKey: (String, String)?, holdEndedBy day: CalendarDay?, in session: PostgresSession) throws -> [String] {
        var parts = StatementParts()
        let held = heldCases(subjectKey: subjectKey, holdEndedBy: day, in: &parts)
        return try session.texts(parts.query("SELECT r.reference \(held) ORDER BY r.submitted, r.reference FOR UPDATE OF f"))
    }

    /// The `FROM` and `WHERE` of a query of the held cases `heldCases` finds, as `r` (the report) and `f` (its case file).
    static func heldCases(subjectKey: (String, String)?, holdEndedBy day: CalendarDay?, in parts: inout StatementParts) -> String {
        let condition = if let subjectKey {
            "r.subject_key IN (\(parts.bind(subjectKey.0)), \(parts.bind(subjectKey.1))) AND r.hold_until IS NOT NULL"
        } else {
            "r.hold_until <= \(parts.bind(day?.description))"
        }
        return """
            FROM report r JOIN case_file f ON f.reference = r.reference
            WHERE \(condition)
              AND (SELECT e.detail::jsonb ->> 'held' FROM case_event e
                   WHERE e.reference = r.reference AND e.kind IN ('routed', 'escalated') AND e.detail IS NOT NULL
                   ORDER BY e.sequence DESC LIMIT 1) = 'true'
            """
    }

    /// Routes a held case again (the router releases it if it may) and keeps the new routing.
    /// `recordedAs` overrides the event's time: a release set off by an anonymous report keeps
    /// only that report's day, or its exact time would date the anonymous one.
    static func reroute(_ reference: String, router: any CaseRouter, at moment: Date, recordedAs time: SubmissionTime? = nil,
                        in session: PostgresSession) throws -> CaseRouting? {
        guard let report = try reports(in: session, reference: reference).first else { return nil }
        let routing = try router.route(report, history: History(session: session, excluding: reference, digest: router.subjectKeyDigest), from: moment)
        guard !routing.held else { return nil }
        let next = try nextSequence(of: reference, in: session)
        try insertRouting(routing, for: report, kind: .routed, sequence: next, at: time ?? .recorded(for: report.wayOfRaising, at: moment),
                          in: session)
        return routing
    }

    /// The number the case's next event takes. The case's workspace row is locked first, so two
    /// writers appending to one case take turns rather than both taking the same number.
    static func nextSequence(of reference: String, in session: PostgresSession) throws -> Int {
        _ = try session.query("SELECT 1 FROM case_file WHERE reference = \(reference) FOR UPDATE")
        return (try session.number("SELECT max(sequence) FROM case_event WHERE reference = \(reference)") ?? 0) + 1
    }

    /// The latest routing kept with a case.
    static func latestRouting(for reference: CaseReference, in session: PostgresSession) throws -> CaseRouting? {
        guard let detail = try session.texts("""
            SELECT detail FROM case_event WHERE reference = \(reference.text) AND kind IN ('routed', 'escalated')
            ORDER BY sequence DESC LIMIT 1
            """).first
        else { return nil }
        do {
            return try StoredForm.routing(detail: detail)
        } catch {
            throw StoreError(.damaged, "The routing kept with \(reference) could not be read: \(error).")
        }
    }

    /// Appends an event with the next sequence number; call inside a transaction.
    static func appendEvent(to reference: CaseReference, kind: CaseEvent.Kind, text: String?, actor: String?, at moment: Date,
                            detail: String? = nil, in session: PostgresSession) throws -> CaseEvent {
        guard let way = try session.texts("SELECT way_of_raising FROM report WHERE reference = \(reference.text)").first,
            let wayOfRaising = WayOfRaising(rawValue: way)
        else {
            throw StoreError(.missing, "There is no case \(reference) in this store.")
        }
        let next = try nextSequence(of: reference.text, in: session)
        if try session.number("SELECT count(*) FROM case_erasure WHERE reference = \(reference.text)") ?? 0 > 0 {
            throw RetentionErasure.erasedRefusal(reference.text)
        }
        // On a sealed case, words that must be sealed and are not are refused (fail closed).
        if SealedEventText.mustBeSealed(kind, text: text, reporterHoldsKey: true),
           let row = try session.rows("""
               SELECT (sealed IS NOT NULL) AS sealed,
                      EXISTS (SELECT 1 FROM case_key k WHERE k.reference = report.reference AND k.recipient = \(SealedEventText.reporterRecipient)) AS reporter
               FROM report WHERE reference = \(reference.text)
               """).first,
           try row.flag("sealed"),
           SealedEventText.mustBeSealed(kind, text: text, reporterHoldsKey: try row.flag("reporter")) {
            throw SealedEventText.clearRefused(reference, kind: kind)
        }
        let event = CaseEvent(reference: reference, sequence: next, kind: kind, at: .recorded(for: wayOfRaising, at: moment), text: text,
                              actor: actor)
        try insertEvent(event, detail: detail, in: session)
        return event
    }

    /// Every report, or only the one with `reference`, or only those raised by `uid`, or those in `references`; oldest first.
    static func reports(in session: PostgresSession, reference only: String? = nil, uid: UInt32? = nil, references: [String]? = nil) throws
        -> [Report] {
        var parts = StatementParts()
        let filter = if let only { " WHERE reference = \(parts.bind(only))" }
            else if let uid { " WHERE reporter_uid = \(parts.bind(Int(uid)))" }
            else if let references { " WHERE reference = ANY(\(parts.bind(references)))" }
            else { "" }
        let concernFilter = uid == nil ? filter : " WHERE reference IN (SELECT reference FROM report\(filter))"
        var concerns: [String: [ConcernCategory]] = [:]
        for row in try session.rows(parts.query("SELECT reference, category FROM report_concern\(concernFilter) ORDER BY reference, category")) {
            concerns[try row.string("reference"), default: []].append(try StoredForm.decode(ConcernCategory.self, try row.string("category"), "concern"))
        }
        return try session.rows(parts.query("SELECT r.*, \(StoredForm.subjectChecks(aggregate: "string_agg")) AS subject_checks FROM report r\(filter) ORDER BY submitted, reference")).map { row in
            var report = try StoredForm.report(text: { column throws(StoreError) in try row.text(column) }, uid: try row.integer("reporter_uid").map(Int64.init),
                                               concerns: concerns[try row.string("reference")] ?? [])
            report.sealed = try row.bytes("sealed").map { SealedWords(content: Array($0)) }
            return report
        }
    }

    /// The timeline of one case, in order.
    static func events(for reference: CaseReference, in session: PostgresSession) throws -> [CaseEvent] {
        try session.rows("SELECT * FROM case_event WHERE reference = \(reference.text) ORDER BY sequence").map { row in
            try event(row, of: reference)
        }
    }

    /// The timelines of many cases, read in one statement.
    static func timelines(of references: [CaseReference], in session: PostgresSession) throws -> [CaseReference: [CaseEvent]] {
        let byText = Dictionary(references.map { ($0.text, $0) }, uniquingKeysWith: { first, _ in first })
        var timelines: [CaseReference: [CaseEvent]] = [:]
        for row in try session.rows("SELECT * FROM case_event WHERE reference = ANY(\(Array(byText.keys))) ORDER BY reference, sequence") {
            let text = try row.string("reference")
            guard let reference = byText[text] else { throw StoredForm.damaged("case reference", text) }
            timelines[reference, default: []].append(try event(row, of: reference))
        }
        return timelines
    }

    /// A case event read back from its row.
    private static func event(_ row: PostgresColumns, of reference: CaseReference) throws -> CaseEvent {
        let atText = try row.string("at")
        guard let at = SubmissionTime(text: atText) else { throw StoredForm.damaged("time", atText) }
        guard let sequence = try row.integer("sequence") else { throw StoredForm.damaged("case event number", "NULL") }
        return CaseEvent(
            reference: reference, sequence: sequence,
            kind: try StoredForm.decode(CaseEvent.Kind.self, try row.string("kind"), "case event"), at: at, text: try row.text("text"),
            actor: try row.text("actor"))
    }
}
