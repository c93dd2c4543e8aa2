import GRDB
import SpeakUpCore

/// How a report and its case events are laid out in rows.
enum ReportRows {
    static func insert(_ report: Report, into db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO report (reference, way_of_raising, subject_seniority, location, account,
                                    reporter_user, reporter_uid, submitted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                report.reference.text, report.wayOfRaising.rawValue, report.subjectSeniority.rawValue,
                report.location, report.account, report.reporter?.userName,
                report.reporter.map { Int64($0.uid) }, report.submitted.text,
            ])
        for concern in report.concerns {
            try db.execute(
                sql: "INSERT INTO report_concern (reference, category) VALUES (?, ?)",
                arguments: [report.reference.text, concern.rawValue])
        }
        try db.execute(
            sql: "INSERT INTO case_event (reference, sequence, kind, at) VALUES (?, 1, ?, ?)",
            arguments: [report.reference.text, CaseEvent.Kind.received.rawValue, report.submitted.text])
    }

    static func isReferenceCollision(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_CONSTRAINT && (error.message ?? "").contains("report.reference")
    }

    static func all(in db: Database) throws -> [Report] {
        var concerns: [String: [ConcernCategory]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT reference, category FROM report_concern") {
            let reference: String = row["reference"]
            concerns[reference, default: []].append(try decode(ConcernCategory.self, row["category"], "concern"))
        }
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM report ORDER BY submitted, reference")
        return try rows.map { row in
            let referenceText: String = row["reference"]
            guard let reference = CaseReference(referenceText) else { throw damaged("case reference", referenceText) }
            let submittedText: String = row["submitted"]
            guard let submitted = SubmissionTime(text: submittedText) else { throw damaged("time", submittedText) }
            let user: String? = row["reporter_user"]
            let uid: Int64? = row["reporter_uid"]
            return Report(
                reference: reference,
                wayOfRaising: try decode(WayOfRaising.self, row["way_of_raising"], "way of raising"),
                concerns: concerns[referenceText] ?? [],
                subjectSeniority: try decode(Seniority.self, row["subject_seniority"], "seniority"),
                location: row["location"],
                account: row["account"],
                reporter: user.map { Reporter(userName: $0, uid: UInt32(truncatingIfNeeded: uid ?? -1)) },
                submitted: submitted)
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
                kind: try decode(CaseEvent.Kind.self, row["kind"], "case event"), at: at)
        }
    }

    private static func decode<T: RawRepresentable>(_ type: T.Type, _ raw: String, _ what: String) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw damaged(what, raw) }
        return value
    }

    private static func damaged(_ what: String, _ raw: String) -> StoreError {
        StoreError(.damaged, "The store holds a \(what) this version of SpeakUp does not know (\(raw.debugDescription)). It may have been written by a newer version.")
    }
}
