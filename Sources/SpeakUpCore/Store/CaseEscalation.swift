import Foundation

/// Deadlines, holds and escalation: what `speakup escalate tick` does to the store.
public protocol CaseEscalation: Sendable {
    /// Cases with a deadline passed by `now`, not met and not yet escalated, in one
    /// query (so a tick over many open cases costs little when few are due).
    func casesPastDeadline(at now: Date) throws(StoreError) -> [(CaseReference, CaseDeadline)]

    /// Routes again every held case whose hold has ended by `now`, releasing it.
    func releaseEndedHolds(at now: Date, router: any CaseRouter) throws(StoreError) -> [CaseReference]

    /// If `deadline` has passed by `now`, is not met, and was not escalated before,
    /// appends the escalation `decide` works out, all in one transaction (so two
    /// ticks at once escalate a case once). Returns whether it escalated.
    func escalate(_ reference: CaseReference, missed deadline: CaseDeadline, at now: Date,
                  decide: (Report, CaseRouting) -> CaseRouting) throws(StoreError) -> Bool

    /// Routes again every unrouted case (not held, not closed); returns those that now reach someone.
    func routeWaitingCases(at now: Date, router: any CaseRouter) throws(StoreError) -> [CaseReference]

    /// Open cases none of whose handlers `policy` now lets see them, routed again; a case nobody
    /// can take now is marked unrouted, and says so. Returns those routed again.
    func rerouteWithheldCases(policy: any HandlerPolicy, router: any CaseRouter, at now: Date) throws(StoreError) -> [CaseReference]

    /// Whether any case is open (not closed).
    func hasOpenCases() throws(StoreError) -> Bool

    /// Makes the reminders due at `now` (deadlines within `soon`, or passed) for every
    /// handler of each open case, once each, and returns the new ones.
    func makeReminders(at now: Date, soon: TimeInterval) throws(StoreError) -> [Reminder]
}

extension CaseEscalation {
    /// Reminders for deadlines within a day, or passed.
    public func makeReminders(at now: Date) throws(StoreError) -> [Reminder] {
        try makeReminders(at: now, soon: 86_400)
    }
}
