import Foundation
import SpeakUpCore

/// What erasing a case does to its rows, the same on every engine (`speakup retention run`,
/// docs/governance.md), and how its tombstones are digested for the audit chain.
///
/// Kept: what statistics and past returns count (`CaseFacts`): the report's reference, way of
/// raising, seniority of the person it was about, day or time sent, harm, the outcome wanted,
/// the reporter's professional group and station kind; its categories; every event's kind, time
/// and actor; a closing's outcome; the speak-up-again answer; a routing's level, deadlines,
/// roles, handlers and the seniority it took. Everything else a person wrote or that names
/// someone is blanked: the account, place, who it was about, witnesses, impact, the reporter's
/// name, contact and login, messages, notes, hold reasons, routing explanations and candidates.
public enum RetentionErasure {
    /// The audit action recorded for an erasure.
    public static let action = "erased"
    /// The actor an erasure is recorded under when nobody ran it by name.
    public static let actor = "speakup-retention"

    /// The report's columns an erasure blanks, with what each becomes (SQL literals valid on both engines).
    public static let blankedReportColumns: [(column: String, value: String)] = [
        ("location", "''"), ("account", "''"), ("reporter_user", "NULL"), ("reporter_uid", "NULL"), ("subject_name", "NULL"),
        ("subject_role", "''"), ("occurred_on", "NULL"), ("occurred_at", "NULL"), ("staff_impact", "''"), ("witnesses", "''"),
        ("hold_until", "NULL"), ("reporter_name", "NULL"), ("reporter_contact", "NULL"), ("subject_key", "NULL"), ("subject_facts", "NULL"),
        ("excluded_handlers", "''"), ("subject_id", "NULL"), ("station_location", "NULL"), ("sealed", "NULL"),
    ]

    /// `SET …` for the report's row.
    public static var reportAssignments: String {
        blankedReportColumns.map { "\($0.column) = \($0.value)" }.joined(separator: ", ")
    }

    /// Event kinds whose text is kept: the speak-up-again answer and a detriment check-in's answer
    /// (both counted by the board and the returns) and a closing's outcome line.
    public static let keptTextKinds: Set<String> = ["speak-up-again", "closed", "detriment-check-in"]

    /// Event kinds whose detail is a routing (`erasedRoutingDetail`).
    public static let routingKinds: Set<String> = ["routed", "escalated"]

    /// A routing's detail with nothing left that names anyone or says why: level, deadlines, roles,
    /// handlers and whether it was held stay, and of its explanation only the line saying which
    /// seniority routing took (the board counts it). Nil for a detail that is not a routing.
    public static func erasedRoutingDetail(_ detail: String) throws -> String {
        var routing = try StoredForm.routing(detail: detail)
        routing.explanation = routing.explanation.filter { $0.hasPrefix(Seniority.takenPrefix) }
        routing.candidates = []
        return try StoredForm.routingDetail(routing)
    }

    /// The digest an erasure's audit record holds: the case's erasure row and every tombstone, in
    /// order, so changing, removing or adding a tombstone shows in `audit verify`.
    public static func tombstonesDigest(reference: String, erasedOn: String, rule: String,
                                        events: [(sequence: Int, content: Data, remains: Data)]) -> Data {
        var hasher = ContentHasher()
        hasher.add("case_erasure")
        hasher.add(reference)
        hasher.add(erasedOn)
        hasher.add(rule)
        for event in events {
            hasher.add("erased_event")
            hasher.add(String(event.sequence))
            hasher.add(Array(event.content).hex)
            hasher.add(Array(event.remains).hex)
        }
        return hasher.finalize()
    }

    /// The audit entry of an erasure.
    public static func auditEntry(reference: String, rule: String, events: Int, digest: Data, by actor: String?, at moment: Date) -> AuditEntry {
        AuditEntry(at: .instant(moment), actor: actor ?? Self.actor, action: action, reference: reference,
                   detail: "\(events) events erased under the retention policy (\(rule))", content: digest)
    }

    /// The refusal of anything added to an erased case.
    public static func erasedRefusal(_ reference: String) -> StoreError {
        StoreError(.failed, "Case \(reference) was erased under the retention policy, so nothing can be added to it.")
    }

    /// The day and outcome a closing event's time and detail give.
    public static func closing(at: String, detail: String?) -> (day: CalendarDay, outcome: String?)? {
        guard let day = CalendarDay(typed: String(at.prefix(10))) else { return nil }
        return (day, StoredForm.detailField("outcome", of: detail))
    }
}
