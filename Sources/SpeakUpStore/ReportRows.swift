import Foundation
import GRDB
import SpeakUpCore

/// How a report and its case events are laid out in rows.
enum ReportRows {
    /// Inserts a report and its timeline (by default, one "received" event).
    /// `importer` (with the moment of the import) is named in the audit trail for an imported
    /// timeline: the file's own actors and times are kept in the events and the record's detail,
    /// never taken as the audit trail's word for who did what.
    static func insert(_ report: Report, events: [CaseEvent]? = nil, importer: (actor: String?, at: Date)? = nil, into db: Database) throws {
        // SQLite would keep a text only up to a NUL: refused whole instead (see `StorableText`).
        if let field = report.fieldsHoldingNul.first { throw TextRefused(what: "The report's \(field)") }
        try db.execute(
            sql: """
                INSERT INTO report (reference, way_of_raising, subject_seniority, location, account,
                                    reporter_user, reporter_uid, submitted,
                                    subject_name, subject_role, occurred_on, occurred_at, patient_harm, staff_impact,
                                    witnesses, desired_outcome, hold_until, reporter_name, reporter_contact, reporter_group,
                                    subject_key, excluded_handlers, subject_id, station, station_location, sealed, subject_facts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                report.reference.text, report.wayOfRaising.rawValue, report.subjectSeniority.rawValue,
                report.location, report.account, report.reporter?.userName,
                report.reporter.map { Int64($0.uid) }, report.submitted.text,
                report.subject.name, report.subject.role, report.occurred?.day.description, report.occurred?.time,
                report.harm.rawValue, report.staffImpact, report.witnesses, report.desiredOutcome?.rawValue,
                report.hold?.until.description, report.reporterDetails?.name, report.reporterDetails?.contact,
                report.reporterDetails?.professionalGroup?.rawValue,
                SubjectKey.of(report.subject, directoryID: nil).map(ReportRows.storedKey),
                report.excludedHandlers.joined(separator: "\n"),
                report.subject.directoryID,
                report.station.kind, report.station.location, report.sealed.map { Data($0.content) },
                report.subject.isSealedAway ? report.subject.sealedFacts?.stored : nil,
            ])
        for concern in report.concerns {
            try db.execute(
                sql: "INSERT INTO report_concern (reference, category) VALUES (?, ?)",
                arguments: [report.reference.text, concern.rawValue])
        }
        try CaseProjection.open(report, in: db)
        // An imported timeline as it came, named in the audit trail as imported; else the report's first event.
        for event in events ?? [StoredForm.receivedEvent(of: report)] {
            try insertEvent(event, importer: events == nil ? nil : importer, into: db)
        }
    }

    /// Appends one case event and its audit record: the only way events are written.
    /// How the reporter described themselves, if they did and may (`CharacteristicsRow`), apart from the report.
    static func insertCharacteristics(of report: Report, into db: Database) throws {
        guard let row = CharacteristicsRow.values(for: report) else { return }
        let columns = ["id", "month"] + CharacteristicsRow.columns
        try db.execute(
            sql: "INSERT INTO reporter_characteristics (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
            arguments: StatementArguments([row.id, row.month] + row.answers))
    }

    static func insertEvent(_ event: CaseEvent, detail: String? = nil, importer: (actor: String?, at: Date)? = nil, into db: Database) throws {
        if [event.text, event.actor, detail].contains(where: { $0.map(StorableText.holdsNul) == true }) {
            throw TextRefused(what: "The case event's text")
        }
        try db.cachedStatement(
            sql: "INSERT INTO case_event (reference, sequence, kind, at, text, detail, actor) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [event.reference.text, event.sequence, event.kind.rawValue, event.at.text, event.text, detail, event.actor])
        // What the event holds (for the first, the report as sent too), bound into its audit record.
        let content = try ContentDigest.ofEvent(reference: event.reference.text, sequence: event.sequence, in: db)
        try AuditTrail.append(AuditChain.entry(for: event, content: content, importer: importer), in: db)
        try CaseProjection.apply(event, detail: detail, in: db)
    }

    /// The text form of a same-person key in the subject_key column.
    static func storedKey(_ key: SubjectKey) -> String {
        StoredForm.subjectKey(key)
    }

    /// Earlier reports about a person, read inside the storing transaction.
    struct History: ReportHistory {
        let db: Database
        /// A stored report routed again (a held one) must not count itself.
        var excluding: String? = nil
        /// The installation's digest for sealed names' keys: reports kept either way are counted.
        var digest: (any SubjectKeyDigest)? = nil
        func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) throws -> Int {
            let (clear, sealed) = StoredForm.subjectKeys(subject, digest: digest)
            return try Int.fetchOne(
                db, sql: "SELECT count(*) FROM report WHERE subject_key IN (?, ?) AND substr(submitted, 1, 10) >= ? AND reference IS NOT ?",
                arguments: [clear, sealed, day.description, excluding]) ?? 0
        }

        func reportsAbout(_ subject: SubjectKey, since day: CalendarDay, notBy reporter: Reporter?) throws -> Int {
            guard let reporter else { return try reportsAbout(subject, since: day) }
            let (clear, sealed) = StoredForm.subjectKeys(subject, digest: digest)
            return try Int.fetchOne(
                db, sql: """
                    SELECT count(*) FROM report WHERE subject_key IN (?, ?) AND substr(submitted, 1, 10) >= ? AND reference IS NOT ?
                      AND (reporter_uid IS NULL OR reporter_uid <> ?)
                    """,
                arguments: [clear, sealed, day.description, excluding, Int64(reporter.uid)]) ?? 0
        }
    }

    /// Keeps a routing decision (or an escalation's new one) as the case's next event.
    static func insertRouting(_ routing: CaseRouting, for report: Report, kind: CaseEvent.Kind, sequence: Int,
                              at: SubmissionTime, into db: Database) throws {
        let (event, detail) = try StoredForm.routingEvent(routing, for: report, kind: kind, sequence: sequence, at: at)
        try insertEvent(event, detail: detail, into: db)
    }

    /// Cases whose latest routing is a hold: about the person with `subjectKey`, or whose hold ends by `day`.
    static func heldCases(subjectKey: (String, String)?, holdEndedBy day: CalendarDay?, in db: Database) throws -> [String] {
        // Indexed lookups (by person, in either stored form, or by the hold's end), never a scan of every report.
        let condition = subjectKey != nil ? "r.subject_key IN (:key, :other) AND r.hold_until IS NOT NULL" : "r.hold_until <= :day"
        return try String.fetchAll(db, sql: """
            SELECT r.reference FROM report r
            WHERE \(condition)
              AND (SELECT json_extract(e.detail, '$.held') FROM case_event e
                   WHERE e.reference = r.reference AND e.kind IN ('routed', 'escalated') AND e.detail IS NOT NULL
                   ORDER BY e.sequence DESC LIMIT 1) = 1
            ORDER BY r.submitted, r.reference
            """, arguments: ["key": subjectKey?.0, "other": subjectKey?.1, "day": day?.description])
    }

    /// Routes a held case again (the router releases it if it may) and keeps the new routing.
    /// `recordedAs` overrides the event's time: a release set off by an anonymous report keeps
    /// only that report's day, or its exact time would date the anonymous one.
    static func reroute(_ reference: String, router: any CaseRouter, at moment: Date, recordedAs time: SubmissionTime? = nil,
                        in db: Database) throws -> CaseRouting? {
        guard let report = try all(in: db, reference: reference).first else { return nil }
        let routing = try router.route(report, history: History(db: db, excluding: reference, digest: router.subjectKeyDigest), from: moment)
        guard !routing.held else { return nil }
        let next = (try Int.fetchOne(db, sql: "SELECT max(sequence) FROM case_event WHERE reference = ?", arguments: [reference]) ?? 0) + 1
        try insertRouting(routing, for: report, kind: .routed, sequence: next, at: time ?? .recorded(for: report.wayOfRaising, at: moment), into: db)
        return routing
    }

    /// The latest routing kept with a case, inside a transaction.
    static func latestRouting(for reference: CaseReference, in db: Database) throws -> CaseRouting? {
        guard let detail = try String.fetchOne(
            db, sql: "SELECT detail FROM case_event WHERE reference = ? AND kind IN ('routed', 'escalated') ORDER BY sequence DESC LIMIT 1",
            arguments: [reference.text])
        else { return nil }
        return try StoredForm.routing(detail: detail)
    }

    static func isReferenceCollision(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_CONSTRAINT && (error.message ?? "").contains("report.reference")
    }

    /// Appends an event with the next sequence number; call inside a transaction.
    static func appendEvent(to reference: CaseReference, kind: CaseEvent.Kind, text: String?, actor: String?, at moment: Date,
                            detail: String? = nil, in db: Database) throws -> CaseEvent {
        guard let way = try String.fetchOne(db, sql: "SELECT way_of_raising FROM report WHERE reference = ?", arguments: [reference.text]),
            let wayOfRaising = WayOfRaising(rawValue: way)
        else {
            throw StoreError(.missing, "There is no case \(reference) in this store.")
        }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM case_erasure WHERE reference = ?", arguments: [reference.text]) == true {
            throw RetentionErasure.erasedRefusal(reference.text)
        }
        // On a sealed case, words that must be sealed and are not are refused (fail closed).
        if SealedEventText.mustBeSealed(kind, text: text, reporterHoldsKey: true),
           let row = try Row.fetchOne(db, sql: """
               SELECT sealed IS NOT NULL AS sealed,
                      EXISTS (SELECT 1 FROM case_key k WHERE k.reference = report.reference AND k.recipient = ?) AS reporter
               FROM report WHERE reference = ?
               """, arguments: [SealedEventText.reporterRecipient, reference.text]),
           row["sealed"] as Bool? == true,
           SealedEventText.mustBeSealed(kind, text: text, reporterHoldsKey: row["reporter"] as Bool? == true) {
            throw SealedEventText.clearRefused(reference, kind: kind)
        }
        let next = (try Int.fetchOne(db, sql: "SELECT max(sequence) FROM case_event WHERE reference = ?", arguments: [reference.text]) ?? 0) + 1
        let event = CaseEvent(reference: reference, sequence: next, kind: kind, at: .recorded(for: wayOfRaising, at: moment), text: text,
                              actor: actor)
        try insertEvent(event, detail: detail, into: db)
        return event
    }

    /// Every report, or only the one with `reference`, or only those raised by `uid`.
    static func all(in db: Database, reference only: String? = nil, uid: UInt32? = nil, references: [String]? = nil) throws -> [Report] {
        var concerns: [String: [ConcernCategory]] = [:]
        let list = references.map { String(decoding: (try? JSONEncoder().encode($0)) ?? Data("[]".utf8), as: UTF8.self) }
        let filter = only != nil ? " WHERE reference = ?" : uid != nil ? " WHERE reporter_uid = ?"
            : list != nil ? " WHERE reference IN (SELECT value FROM json_each(?))" : ""
        let arguments: StatementArguments = only.map { [$0] } ?? uid.map { [Int64($0)] } ?? list.map { [$0] } ?? []
        let concernFilter = uid == nil ? filter : " WHERE reference IN (SELECT reference FROM report WHERE reporter_uid = ?)"
        for row in try Row.fetchAll(db, sql: "SELECT reference, category FROM report_concern" + concernFilter, arguments: arguments) {
            let reference: String = row["reference"]
            concerns[reference, default: []].append(try decode(ConcernCategory.self, row["category"], "concern"))
        }
        let rows = try Row.fetchAll(db, sql: "SELECT r.*, \(StoredForm.subjectChecks(aggregate: "group_concat")) AS subject_checks FROM report r"
                                        + filter + " ORDER BY submitted, reference", arguments: arguments)
        return try rows.map { row in
            var report = try StoredForm.report(text: { row[$0] as String? }, uid: row["reporter_uid"], concerns: concerns[row["reference"] as String] ?? [])
            report.sealed = (row["sealed"] as Data?).map { SealedWords(content: Array($0)) }
            return report
        }
    }

    static func events(for reference: CaseReference, in db: Database) throws -> [CaseEvent] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM case_event WHERE reference = ? ORDER BY sequence", arguments: [reference.text]
        ).map { row in
            let atText: String = row["at"]
            guard let at = SubmissionTime(text: atText) else { throw damaged("time", atText) }
            return CaseEvent(
                reference: reference, sequence: row["sequence"],
                kind: try decode(CaseEvent.Kind.self, row["kind"], "case event"), at: at, text: row["text"], actor: row["actor"])
        }
    }

    private static func decode<T: RawRepresentable>(_ type: T.Type, _ raw: String, _ what: String) throws -> T
    where T.RawValue == String {
        try StoredForm.decode(type, raw, what)
    }

    private static func damaged(_ what: String, _ raw: String) -> StoreError {
        StoredForm.damaged(what, raw)
    }
}


/// A text that cannot be kept exactly (it holds a NUL): nothing of the write is stored.
struct TextRefused: Error {
    /// What holds it, as the start of a sentence ("The report's account").
    var what: String
}
