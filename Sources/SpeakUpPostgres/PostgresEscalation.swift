import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// Deadlines, holds and cases waiting for a handler, on PostgreSQL: each change is one
/// transaction that reads again what it changes, so two ticks at once do a thing once.
extension PostgresReportStore {
    public func casesPastDeadline(at now: Date) throws(StoreError) -> [(CaseReference, CaseDeadline)] {
        let moment = now.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        let acknowledgeHeading = CaseDeadline.acknowledge.escalationHeading
        let feedBackHeading = CaseDeadline.feedBack.escalationHeading
        let rows = try read { session in
            try session.rows("""
                WITH latest AS (
                    -- Each case's latest routing (the first routed, or the last escalation), as JSON.
                    SELECT DISTINCT ON (e.reference) e.reference, e.detail::jsonb AS detail FROM case_event e
                    WHERE e.kind IN ('routed', 'escalated') AND e.detail IS NOT NULL
                    ORDER BY e.reference, e.sequence DESC
                ), open AS (
                    -- Not closed, and not held for a match.
                    SELECT l.reference, l.detail FROM latest l
                    WHERE (l.detail ->> 'held') IS DISTINCT FROM 'true'
                      AND NOT EXISTS (SELECT FROM case_event c WHERE c.reference = l.reference AND c.kind = 'closed')
                )
                SELECT reference, 'acknowledge' COLLATE "C" AS deadline FROM open
                WHERE (detail ->> 'acknowledge_by') COLLATE "C" < \(moment)
                  AND NOT EXISTS (SELECT 1 FROM case_event c WHERE c.reference = open.reference
                                  AND c.kind IN ('acknowledged', 'handler-message')
                                  AND c.at COLLATE "C" <= (open.detail ->> 'acknowledge_by'))
                  AND NOT EXISTS (SELECT 1 FROM case_event c WHERE c.reference = open.reference
                                  AND c.kind = 'escalated' AND starts_with(c.text, \(acknowledgeHeading)))
                UNION ALL
                SELECT reference, 'feed-back' COLLATE "C" FROM open
                WHERE (detail ->> 'feed_back_by') COLLATE "C" < \(moment)
                  AND NOT EXISTS (SELECT 1 FROM case_event c WHERE c.reference = open.reference AND c.kind = 'handler-message'
                                  AND c.at COLLATE "C" <= (open.detail ->> 'feed_back_by'))
                  AND NOT EXISTS (SELECT 1 FROM case_event c WHERE c.reference = open.reference
                                  AND c.kind = 'escalated' AND starts_with(c.text, \(feedBackHeading)))
                ORDER BY reference, deadline
                """)
        }
        var due: [(CaseReference, CaseDeadline)] = []
        for row in rows {
            guard let reference = CaseReference(try row.string("reference")), let deadline = CaseDeadline(rawValue: try row.string("deadline")) else { continue }
            due.append((reference, deadline))
        }
        return due
    }

    public func releaseEndedHolds(at now: Date, router: any CaseRouter) throws(StoreError) -> [CaseReference] {
        guard let router = try Self.prepare(router) else { return [] }
        return try write(.escalation) { session in
            var released: [CaseReference] = []
            for reference in try PostgresReportRows.heldCases(subjectKey: nil, holdEndedBy: CalendarDay(now, in: .gmt), in: session)
            where try PostgresReportRows.reroute(reference, router: router, at: now, in: session) != nil {
                if let parsed = CaseReference(reference) { released.append(parsed) }
            }
            return released
        }
    }

    public func escalate(_ reference: CaseReference, missed deadline: CaseDeadline, at now: Date,
                         decide: (Report, CaseRouting) -> CaseRouting) throws(StoreError) -> Bool {
        try write(.escalation) { session in
            // Everything is read again inside the transaction, the case locked: another tick may have just escalated.
            let next = try PostgresReportRows.nextSequence(of: reference.text, in: session)
            guard let report = try PostgresReportRows.reports(in: session, reference: reference.text).first,
                let routing = try PostgresReportRows.latestRouting(for: reference, in: session)
            else { return false }
            let events = try PostgresReportRows.events(for: reference, in: session)
            let due = deadline == .acknowledge ? routing.acknowledgeBy : routing.feedBackBy
            guard !routing.held, now > due, !deadline.isMet(by: events, due: due), !deadline.wasEscalated(in: events) else { return false }
            try PostgresReportRows.insertRouting(decide(report, routing), for: report, kind: .escalated, sequence: next,
                                                 at: .recorded(for: report.wayOfRaising, at: now), in: session)
            return true
        }
    }

    public func hasOpenCases() throws(StoreError) -> Bool {
        try read { session in try session.finds("SELECT 1 FROM case_file WHERE status <> 'closed' LIMIT 1") }
    }

    /// Routes again every unrouted case (not held, not closed); returns those that now reach someone.
    /// Each case is first routed in a read; only one that now reaches someone is routed again, in a
    /// transaction that reads it again first.
    public func routeWaitingCases(at now: Date, router: any CaseRouter) throws(StoreError) -> [CaseReference] {
        guard let router = try Self.prepare(router) else { return [] }
        let waiting = try read { session in
            try session.texts("SELECT reference FROM case_file WHERE unrouted = 1 AND status <> 'closed' ORDER BY reference")
        }
        var routed: [CaseReference] = []
        for reference in waiting {
            let reachesSomeone = try read { session -> Bool in
                guard let report = try PostgresReportRows.reports(in: session, reference: reference).first else { return false }
                let routing = try router.route(report, history: PostgresReportRows.History(session: session, excluding: reference, digest: router.subjectKeyDigest),
                                               from: report.deadlineStart)
                return !routing.handlers.isEmpty && !routing.held
            }
            guard reachesSomeone else { continue }
            let done = try write(.escalation) { session -> Bool in
                _ = try session.query("SELECT 1 FROM case_file WHERE reference = \(reference) FOR UPDATE")
                // Read again inside the transaction: another tick may have routed it a moment ago.
                guard try session.finds("SELECT 1 FROM case_file WHERE reference = \(reference) AND unrouted = 1 AND status <> 'closed'") else {
                    return false
                }
                return try Self.routeAgain(reference, router: router, at: now, onlyIfSomeone: true, in: session) { report in
                    "Routed when a handler could take it; it had waited since \(report.submitted.text.prefix(10))."
                }
            }
            if done, let parsed = CaseReference(reference) { routed.append(parsed) }
        }
        return routed
    }

    /// Open cases none of whose handlers `policy` now lets see them, routed again; a case nobody
    /// can take now is marked unrouted, and says so. Returns those routed again.
    public func rerouteWithheldCases(policy: any HandlerPolicy, router: any CaseRouter, at now: Date) throws(StoreError) -> [CaseReference] {
        guard let router = try Self.prepare(router) else { return [] }
        let holders = try read { session in
            try session.rows("""
                SELECT h.reference, h.handler FROM case_handler h JOIN case_file f ON f.reference = h.reference WHERE f.status <> 'closed'
                """).reduce(into: [String: [String]]()) { holders, row in
                holders[try row.string("reference"), default: []].append(try row.string("handler"))
            }
        }
        let stranded = try withheldCases(holders: holders, policy: policy)
        var routed: [CaseReference] = []
        for reference in stranded {
            let done = try write(.escalation) { session in
                try Self.routeAgain(reference.text, router: router, at: now, in: session) { _ in
                    "Routed again: the staff directory changed, and nobody who had the case may see it now."
                }
            }
            if done { routed.append(reference) }
        }
        return routed
    }

    /// Routes one stored case again, inside the caller's transaction, as a new "routed" event whose
    /// explanation starts with `because`. With `onlyIfSomeone`, nothing is written unless the new
    /// routing reaches a handler. Returns whether it was written.
    static func routeAgain(_ reference: String, router: any CaseRouter, at now: Date, onlyIfSomeone: Bool = false, in session: PostgresSession,
                           because: (Report) -> String) throws -> Bool {
        let next = try PostgresReportRows.nextSequence(of: reference, in: session)
        guard let report = try PostgresReportRows.reports(in: session, reference: reference).first else { return false }
        var routing = try router.route(report, history: PostgresReportRows.History(session: session, excluding: reference, digest: router.subjectKeyDigest), from: report.deadlineStart)
        if onlyIfSomeone && (routing.handlers.isEmpty || routing.held) { return false }
        routing.explanation = [because(report)] + routing.explanation
        try PostgresReportRows.insertRouting(routing, for: report, kind: .routed, sequence: next, at: .recorded(for: report.wayOfRaising, at: now),
                                             in: session)
        return true
    }

    /// Makes the reminders due at `now` (deadlines within `soon`, or passed) for every handler of
    /// each open case, once each, and returns the new ones.
    public func makeReminders(at now: Date, soon: TimeInterval) throws(StoreError) -> [Reminder] {
        try write(.action) { session in
            let horizon = StoredForm.stamp(now.addingTimeInterval(soon))
            var made: [Reminder] = []
            for row in try session.rows("""
                SELECT reference, 'acknowledge' AS deadline, acknowledge_by AS due FROM case_file
                    WHERE status = 'new' AND held = 0 AND acknowledge_by <= \(horizon)
                UNION ALL
                SELECT reference, 'feed-back', feed_back_by FROM case_file
                    WHERE status <> 'closed' AND held = 0 AND feed_back_by <= \(horizon)
                """) {
                let reference = try row.string("reference")
                let dueText = try row.string("due")
                guard let dueDate = StoredForm.date(dueText) else { continue }
                let stage: Reminder.Stage = dueDate <= now ? .passed : .nearing
                for handler in try session.texts("SELECT handler FROM case_handler WHERE reference = \(reference)") {
                    // Once each: a reminder already made is left as it is (seen or not).
                    for new in try session.rows("""
                        INSERT INTO reminder (reference, handler, deadline, stage, due)
                        VALUES (\(reference), \(handler), \(try row.string("deadline")), \(stage.rawValue), \(dueText))
                        ON CONFLICT DO NOTHING
                        RETURNING reference, handler, deadline, stage, due
                        """) {
                        if let reminder = StoredForm.reminder(reference: try new.string("reference"), handler: try new.string("handler"),
                                                              deadline: try new.string("deadline"), stage: try new.string("stage"),
                                                              due: try new.string("due")) {
                            made.append(reminder)
                        }
                    }
                }
            }
            return made
        }
    }
}
