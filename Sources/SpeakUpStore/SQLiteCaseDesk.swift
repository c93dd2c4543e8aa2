import Foundation
import GRDB
import SpeakUpCore

/// The SQLite store as the handlers' workspace runs on it (`PolicedCaseDesk` adds the policy).
@_spi(StoreEngines)
extension SQLiteReportStore: CaseDeskEngine {
    public func deskQueue(_ query: QueueQuery, for handler: String, now: Date) throws(StoreError) -> [QueueRow] {
        try queue(query, for: handler, now: now)
    }

    public func deskOpenCase(_ reference: CaseReference, for handler: String, at moment: Date,
                             refusal: @escaping (Report) -> String?) throws(StoreError) -> CaseFile? {
        try openCase(reference, for: handler, at: moment, refusal: refusal)
    }

    public func deskAct(_ action: CaseAction, on reference: CaseReference, by handler: String, at moment: Date,
                        refusal: @escaping (String, Report) -> String?) throws(StoreError) {
        try act(action, on: reference, by: handler, at: moment, refusal: refusal)
    }

    public func deskReminders(for handler: String) throws(StoreError) -> [Reminder] {
        try reminders(for: handler)
    }

    public func deskDismissReminders(for handler: String) throws(StoreError) {
        try dismissReminders(for: handler)
    }

    public func deskCaseSubjects(_ references: [CaseReference]) throws(StoreError) -> [CaseSubject] {
        try caseSubjects(references)
    }
}

extension SQLiteReportStore {
    /// Who each report is about, for the policy: one small read for a page of the queue.
    func caseSubjects(_ references: [CaseReference]) throws(StoreError) -> [CaseSubject] {
        do {
            return try queue.read { db in
                let marks = Array(repeating: "?", count: references.count).joined(separator: ",")
                return try Row.fetchAll(db, sql: """
                    SELECT reference, subject_name, subject_role, subject_seniority, subject_id, excluded_handlers, subject_facts, subject_key,
                           \(StoredForm.subjectChecks(aggregate: "group_concat")) AS subject_checks
                    FROM report r WHERE reference IN (\(marks))
                    """, arguments: StatementArguments(references.map(\.text))).map { row in
                    // A reference that does not read is damage, never a case let through unchecked.
                    guard let reference = CaseReference(row["reference"] as String) else {
                        throw StoreError(.damaged, "A report in the store at \(path) has a reference that does not read (\(row["reference"] as String)). Please tell IT.")
                    }
                    return CaseSubject(
                        reference: reference,
                        subject: try StoredForm.subject(name: row["subject_name"], role: row["subject_role"] ?? "",
                                                        seniority: Seniority(rawValue: row["subject_seniority"] ?? "") ?? .unknown,
                                                        directoryID: row["subject_id"], facts: row["subject_facts"], key: row["subject_key"],
                                                        checks: row["subject_checks"]),
                        excludedHandlers: (row["excluded_handlers"] as String? ?? "").split(separator: "\n").map(String.init))
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// The workspace on this store, under `policy`.
    public func desk(policy: any HandlerPolicy) -> any CaseDesk {
        PolicedCaseDesk(engine: self, policy: policy)
    }

    /// Reports stored with nobody able to handle them (not held, not closed), oldest first.
    public func unroutedCases() throws(StoreError) -> [UnroutedCase] {
        do {
            return try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT f.reference, r.submitted FROM case_file f JOIN report r ON r.reference = f.reference
                    WHERE f.unrouted = 1 AND f.status <> 'closed' ORDER BY r.submitted, f.reference
                    """).compactMap { row in
                    guard let reference = CaseReference(row["reference"] as String),
                        let day = CalendarDay(typed: String((row["submitted"] as String).prefix(10)))
                    else { return nil }
                    return UnroutedCase(reference: reference, since: day)
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// Open cases none of whose handlers the policy now lets see them (the directory changed since
    /// they were routed: a handler turned out to be managed by the person a case is about), routed
    /// again with `router`. Without this they would be hidden from everyone who has them. Returns
    /// those routed again; a case nobody can take now is marked unrouted, and says so.
    /// Whether any case is open (not closed): a new directory can only strand an open case.
    public func hasOpenCases() throws(StoreError) -> Bool {
        do {
            return try queue.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM case_file WHERE status <> 'closed' LIMIT 1") ?? false }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func rerouteWithheldCases(policy: any HandlerPolicy, router: any CaseRouter, at now: Date) throws(StoreError) -> [CaseReference] {
        guard let router = try Self.prepare(router) else { return [] }
        do {
            let holders = try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT h.reference, h.handler FROM case_handler h JOIN case_file f ON f.reference = h.reference
                    WHERE f.status <> 'closed'
                    """).reduce(into: [String: [String]]()) { $0[$1["reference"], default: []].append($1["handler"]) }
            }
            let stranded = try withheldCases(holders: holders, policy: policy)
        var routed: [CaseReference] = []
            for reference in stranded {
                var done = false
                try writeTurn { db in
                    try db.inTransaction(.immediate) {
                        done = try Self.routeAgain(reference.text, router: router, at: now, in: db) { _ in
                            "Routed again: the staff directory changed, and nobody who had the case may see it now."
                        }
                        return done ? .commit : .rollback
                    }
                }
                if done { routed.append(reference) }
            }
            return routed
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-escalation")
        }
    }

    /// Routes one stored case again, inside the caller's transaction, as a new "routed" event whose
    /// explanation starts with `because`. With `onlyIfSomeone`, nothing is written unless the new
    /// routing reaches a handler. Returns whether it was written.
    static func routeAgain(_ reference: String, router: any CaseRouter, at now: Date, onlyIfSomeone: Bool = false, in db: Database,
                           because: (Report) -> String) throws -> Bool {
        guard let report = try ReportRows.all(in: db, reference: reference).first else { return false }
        var routing = try router.route(report, history: ReportRows.History(db: db, excluding: reference, digest: router.subjectKeyDigest), from: report.deadlineStart)
        if onlyIfSomeone && (routing.handlers.isEmpty || routing.held) { return false }
        routing.explanation = [because(report)] + routing.explanation
        let next = (try Int.fetchOne(db, sql: "SELECT max(sequence) FROM case_event WHERE reference = ?", arguments: [reference]) ?? 0) + 1
        try ReportRows.insertRouting(routing, for: report, kind: .routed, sequence: next, at: .recorded(for: report.wayOfRaising, at: now), into: db)
        return true
    }

    /// Routes again every unrouted case (not held, not closed) with `router`; returns those
    /// that now reach someone. For `escalate tick`, once handlers have been set up. Each case is
    /// first routed in a read (user and group lookups included), outside any writer's turn; only a
    /// case that now reaches someone takes a turn, briefly, and is routed again inside it.
    public func routeWaitingCases(at now: Date, router: any CaseRouter) throws(StoreError) -> [CaseReference] {
        guard let router = try Self.prepare(router) else { return [] }
        do {
            let waiting = try queue.read { db in
                try String.fetchAll(db, sql: "SELECT reference FROM case_file WHERE unrouted = 1 AND status <> 'closed' ORDER BY reference")
            }
            var routed: [CaseReference] = []
            for reference in waiting {
                let reachesSomeone = try queue.read { db -> Bool in
                    guard let report = try ReportRows.all(in: db, reference: reference).first else { return false }
                    let routing = try router.route(report, history: ReportRows.History(db: db, excluding: reference, digest: router.subjectKeyDigest), from: report.deadlineStart)
                    return !routing.handlers.isEmpty && !routing.held
                }
                guard reachesSomeone else { continue }
                try writeTurn { db in
                    try db.inTransaction(.immediate) {
                        // Read again inside the turn: another tick may have routed it a moment ago.
                        guard try Bool.fetchOne(db, sql: "SELECT unrouted = 1 AND status <> 'closed' FROM case_file WHERE reference = ?",
                                                arguments: [reference]) == true,
                            try Self.routeAgain(reference, router: router, at: now, onlyIfSomeone: true, in: db, because: { report in
                                "Routed when a handler could take it; it had waited since \(report.submitted.text.prefix(10))."
                            })
                        else { return .rollback }
                        if let parsed = CaseReference(reference) { routed.append(parsed) }
                        return .commit
                    }
                }
            }
            return routed
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-escalation")
        }
    }
}
