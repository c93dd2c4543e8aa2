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

    /// One event of a case being erased: its digest before and after, and the routing detail to write.
    public struct ErasedEvent {
        public var sequence: Int
        public var before: Data
        public var after: Data
        /// The detail a routing event is left with (nil for any other event: its detail stays).
        public var erasedDetail: String?
    }

    /// A case's events digested as they are now and as an erasure leaves them, from one read of their
    /// rows (every column, in sequence order; `report` and `concerns` read at most once, for the first
    /// event): each erased form worked out the way the erasure's statements write it (the report's
    /// blanked columns, texts emptied but for the kinds kept, a routing's detail with names and
    /// reasons taken out), so nothing is read twice. `audit verify` digests the rows as stored and holds
    /// the tombstones to them, so a difference between this and what the statements wrote would show
    /// there (and in the tests). The same on every engine.
    public static func erasedEvents(_ events: [[(name: String, value: ContentHasher.Value?)]],
                                    report: () throws -> [(name: String, value: ContentHasher.Value?)]?,
                                    concerns: () throws -> [String]) throws -> [ErasedEvent] {
        var reportRead: [(name: String, value: ContentHasher.Value?)]?? = nil
        var concernsRead: [String]? = nil
        func reportNow() throws -> [(name: String, value: ContentHasher.Value?)]? {
            if let reportRead { return reportRead }
            let read = try report()
            reportRead = .some(read)
            return read
        }
        func concernsNow() throws -> [String] {
            if let concernsRead { return concernsRead }
            let read = try concerns()
            concernsRead = read
            return read
        }
        let blanked = Dictionary(uniqueKeysWithValues: blankedReportColumns.map { ($0.column, $0.value == "''") })
        return try events.map { now in
            func field(_ name: String) -> ContentHasher.Value? { now.first { $0.name == name }?.value ?? nil }
            guard case .integer(let number)? = field("sequence"), case .text(let kind)? = field("kind") else {
                throw StoredForm.damaged("case event", "without a sequence or kind")
            }
            let sequence = Int(number)
            var erasedDetail: String? = nil
            if routingKinds.contains(kind), case .text(let routing)? = field("detail") {
                erasedDetail = try erasedRoutingDetail(routing)
            }
            let erased = now.map { column -> (name: String, value: ContentHasher.Value?) in
                switch column.name {
                case "text": (column.name, keptTextKinds.contains(kind) ? column.value : nil)
                case "detail": (column.name, erasedDetail.map { .text($0) } ?? column.value)
                default: column
                }
            }
            let before = try ContentHasher.ofEvent(now, sequence: sequence, report: reportNow, concerns: concernsNow)
            let after = try ContentHasher.ofEvent(
                erased, sequence: sequence,
                report: {
                    try reportNow().map { columns in
                        columns.map { column in blanked[column.name].map { (column.name, $0 ? .text("") : nil) } ?? column }
                    }
                },
                concerns: concernsNow)
            return ErasedEvent(sequence: sequence, before: before, after: after, erasedDetail: erasedDetail)
        }
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
