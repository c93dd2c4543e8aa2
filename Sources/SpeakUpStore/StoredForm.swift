import Foundation
import SpeakUpCore

/// How the store's values are written in its columns, and read back, with no database in it: every
/// engine keeps the same texts in the same columns (same-person keys, routing decisions, the
/// queue's sort key, times), so a store copied from one engine to the other reads the same.
public enum StoredForm {
    /// The text form of a same-person key in the subject_key column.
    public static func subjectKey(_ key: SubjectKey) -> String {
        switch key {
        case .directory(let id): "id:" + id
        case .nameAndRole(let text): "name:" + text
        case .kept(let text): text
        }
    }

    /// `SealingKeyKeeping.namesInClear`: the same text on both engines.
    public static let namesInClear = """
        SELECT count(*) FROM report r WHERE sealed IS NOT NULL AND subject_facts IS NULL
            AND (coalesce(subject_name, '') <> '' OR subject_role <> '')
            AND NOT EXISTS (SELECT 1 FROM case_erasure e WHERE e.reference = r.reference)
        """

    /// Whether a case (the one parameter, its reference) is sealed and none of those it is with holds a
    /// wrapping of its key (`CaseRouting.noHandlerHoldsKey`): one query, the same text on both engines.
    public static let noHandlerHoldsKey = """
        SELECT r.sealed IS NOT NULL AND EXISTS (SELECT 1 FROM case_handler h WHERE h.reference = r.reference)
               AND NOT EXISTS (SELECT 1 FROM case_handler h JOIN case_key k ON k.reference = h.reference AND k.recipient = h.handler
                               WHERE h.reference = r.reference) AS keyless
        FROM report r WHERE r.reference = $1
        """

    /// The stored forms a same-person key may have in a store: a name's key in clear (reports kept
    /// before names were sealed) and, given the installation's digest, as kept for a sealed name.
    /// Always two (the same one twice when there is one), for `subject_key IN (?, ?)`.
    public static func subjectKeys(_ key: SubjectKey, digest: (any SubjectKeyDigest)?) -> (String, String) {
        let clear = subjectKey(key)
        guard let digest, case .nameAndRole = key else { return (clear, clear) }
        return (clear, subjectKey(digest.digest(key)))
    }

    /// A routing decision as a case event's detail: JSON, keys sorted, times in ISO 8601.
    public static func routingDetail(_ routing: CaseRouting) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(routing), as: UTF8.self)
    }

    /// A report's first event as sent: received, by the reporter (nobody, when anonymous).
    public static func receivedEvent(of report: Report) -> CaseEvent {
        CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted,
                  actor: report.wayOfRaising == .anonymous ? nil : report.reporter?.userName)
    }

    /// A routing decision (or an escalation's new one) as the case event that keeps it, and its detail.
    public static func routingEvent(_ routing: CaseRouting, for report: Report, kind: CaseEvent.Kind, sequence: Int, at: SubmissionTime) throws
        -> (event: CaseEvent, detail: String) {
        (CaseEvent(reference: report.reference, sequence: sequence, kind: kind, at: at, text: routing.explanation.joined(separator: "\n"),
                   actor: CaseEvent.rulesActor),
         try routingDetail(routing))
    }

    /// A routing decision read back from a case event's detail.
    public static func routing(detail: String) throws -> CaseRouting {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(CaseRouting.self, from: Data(detail.utf8))
    }

    /// The JSON detail of a handler's action (keys sorted).
    public static func actionDetail(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    /// A text field of a handler's action's JSON detail ("from", "to", "level", "handler").
    public static func detailField(_ name: String, of detail: String?) -> String? {
        guard let detail, let object = try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any] else { return nil }
        return object[name] as? String
    }

    /// A list field of a handler's action's JSON detail (a recusal's "to").
    public static func detailList(_ name: String, of detail: String?) -> [String] {
        guard let detail, let object = try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any] else { return [] }
        return object[name] as? [String] ?? []
    }

    /// The queue's sort key: open cases before closed, urgent before the rest, then the next deadline.
    public static func rank(status: String, level: String, acknowledgeBy: String?, feedBackBy: String?) -> String {
        let group = status == "closed" ? "1" : "0"
        let urgency = level == PyramidLevel.urgent.rawValue ? "0" : "1"
        let due = switch status {
        case "new": acknowledgeBy ?? "9999"
        case "acknowledged": feedBackBy ?? "9999"
        default: "9999"
        }
        return group + urgency + due
    }

    /// A deadline or a reminder's time as stored.
    public static func stamp(_ date: Date) -> String { SubmissionTime.instant(date).text }

    /// A stored deadline read back.
    public static func date(_ text: String) -> Date? { try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt)) }

    /// The words of a case the search index holds: the report's words and its notes so far.
    public static func searchWords(of report: Report, notes: [String]) -> String {
        ([report.account, report.subject.name ?? "", report.subject.role, report.location, report.witnesses, report.staffImpact]
            + notes.filter { !SealedEventText.isSealed($0) })
            .filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// A report read back from its row: `text` gives a text column's value (nil for NULL), `uid`
    /// the reporter_uid column's. A value this version does not know is damage, never guessed at.
    public static func report(text: (String) throws -> String?, uid: Int64?, concerns: [ConcernCategory]) throws -> Report {
        func required(_ column: String) throws -> String {
            guard let value = try text(column) else { throw damaged(column, "NULL") }
            return value
        }
        let referenceText = try required("reference")
        guard let reference = CaseReference(referenceText) else { throw damaged("case reference", referenceText) }
        let submittedText = try required("submitted")
        guard let submitted = SubmissionTime(text: submittedText) else { throw damaged("time", submittedText) }
        let stationKind = try required("station")
        guard let station = Station(kind: stationKind, location: try text("station_location")) else { throw damaged("station", stationKind) }
        let subject = try subject(name: try text("subject_name"), role: try required("subject_role"),
                                  seniority: try decode(Seniority.self, try required("subject_seniority"), "seniority"),
                                  directoryID: try text("subject_id"), facts: try text("subject_facts"), key: try text("subject_key"),
                                  checks: try text("subject_checks"))
        return Report(
            reference: reference,
            wayOfRaising: try decode(WayOfRaising.self, try required("way_of_raising"), "way of raising"),
            concerns: concerns,
            subject: subject,
            occurred: try text("occurred_on").map { day in
                guard let parsed = CalendarDay(typed: day) else { throw damaged("date", day) }
                return Occurrence(day: parsed, time: try text("occurred_at"))
            },
            location: try required("location"),
            harm: try decode(PatientHarm.self, try required("patient_harm"), "patient harm"),
            staffImpact: try required("staff_impact"),
            account: try required("account"),
            witnesses: try required("witnesses"),
            desiredOutcome: try text("desired_outcome").map { try decode(DesiredOutcome.self, $0, "outcome") },
            hold: try text("hold_until").map { day in
                guard let parsed = CalendarDay(typed: day) else { throw damaged("date", day) }
                return MatchingHold(until: parsed)
            },
            excludedHandlers: (try text("excluded_handlers") ?? "").split(separator: "\n").map(String.init),
            reporter: try text("reporter_user").map { Reporter(userName: $0, uid: UInt32(truncatingIfNeeded: uid ?? -1)) },
            reporterDetails: try text("reporter_name").map { name in
                ReporterDetails(
                    name: name, contact: try text("reporter_contact") ?? "",
                    professionalGroup: try text("reporter_group").map { try decode(ProfessionalGroup.self, $0, "professional group") })
            },
            submitted: submitted,
            station: station)
    }

    /// The column a query of `report r` adds for `subject(…checks:)`: the case's later checks, listed.
    /// (`string_agg` on PostgreSQL, `group_concat` on SQLite.)
    public static func subjectChecks(aggregate: String) -> String {
        "(SELECT \(aggregate)(c.handler || '=' || CASE WHEN c.fits = 1 THEN '1' ELSE '0' END, ' ') FROM subject_check c WHERE c.reference = r.reference)"
    }

    /// Who a report is about as stored: with the facts kept in place of a sealed name (`SubjectFacts`),
    /// and then the same-person key kept for it. Facts that do not read are damage: never a case let
    /// through unchecked.
    /// `checks`: the handlers checked against the name since (`subjectChecks`), as the query lists them.
    public static func subject(name: String?, role: String, seniority: Seniority, directoryID: String?, facts: String?, key: String?,
                               checks: String? = nil) throws -> Subject {
        var subject = Subject(name: name, role: role, seniority: seniority, directoryID: directoryID)
        if let facts {
            guard let read = SubjectFacts(stored: facts) else { throw damaged("record of who a report is about", String(facts.prefix(80))) }
            guard let later = SubjectCheck.listed(checks ?? "") else { throw damaged("record of a later check of who a report is about", String(checks!.prefix(80))) }
            subject.sealedFacts = read.adding(later)
            subject.keptKey = key
        }
        return subject
    }

    /// A line of the queue from a case's stored state (nil when it does not read: left out, as it always was).
    public static func queueRow(reference referenceText: String, status statusText: String, level levelText: String, submitted submittedText: String,
                                acknowledgeBy: String?, feedBackBy: String?, concerns: [ConcernCategory], seniority: String?, location: String,
                                wayOfRaising: String, subjectName: String?, subjectRole: String?, subjectSealed: Bool = false) -> QueueRow? {
        guard let reference = CaseReference(referenceText), let submitted = SubmissionTime(text: submittedText),
            let status = HandlingStatus(rawValue: statusText), let level = PyramidLevel(rawValue: levelText)
        else { return nil }
        let acknowledge = acknowledgeBy.flatMap(date)
        let feedBack = feedBackBy.flatMap(date)
        let (deadline, kind): (Date?, CaseDeadline?) = switch status {
        case .new: (acknowledge, .acknowledge)
        case .acknowledged: (feedBack, .feedBack)
        case .closed: (nil, nil)
        }
        return QueueRow(
            reference: reference, status: status, level: level, submitted: submitted, deadline: deadline, deadlineKind: kind,
            concerns: concerns.sorted(), seniority: seniority.flatMap(Seniority.init(rawValue:)) ?? .unknown,
            location: location, wayOfRaising: WayOfRaising(rawValue: wayOfRaising) ?? .anonymous,
            // What the handler reads on opening the case; the row exists only for a case routed to them.
            about: Subject(name: subjectName, role: subjectRole ?? "", seniority: .unknown).asWritten,
            aboutSealed: subjectSealed && (subjectName ?? "").isEmpty && (subjectRole ?? "").isEmpty)
    }

    /// A stored reminder read back (nil when it does not read).
    public static func reminder(reference: String, handler: String, deadline: String, stage: String, due: String) -> Reminder? {
        guard let reference = CaseReference(reference), let deadline = CaseDeadline(rawValue: deadline),
            let stage = Reminder.Stage(rawValue: stage), let due = date(due)
        else { return nil }
        return Reminder(reference: reference, handler: handler, deadline: deadline, due: due, stage: stage)
    }

    public static func decode<T: RawRepresentable>(_ type: T.Type, _ raw: String, _ what: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw damaged(what, raw) }
        return value
    }

    /// A stored value this version of SpeakUp does not know.
    public static func damaged(_ what: String, _ raw: String) -> StoreError {
        StoreError(.damaged, "The store holds a \(what) this version of SpeakUp does not know (\(raw.debugDescription)). It may have been written by a newer version.")
    }
}
