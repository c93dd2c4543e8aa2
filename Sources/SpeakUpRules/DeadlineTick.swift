import Foundation
import SpeakUpCore

/// `speakup escalate tick`: applies every passed deadline once.
///
/// Idempotent: a case is escalated at most once for each deadline, and the store
/// checks that inside the transaction that records it, so two ticks running at
/// once escalate it once between them.
public struct DeadlineTick {
    public let router: RulesRouter

    public init(router: RulesRouter) { self.router = router }

    /// What one escalation did.
    public struct Escalated: Hashable, Sendable {
        public var reference: CaseReference
        public var deadline: CaseDeadline

        public init(reference: CaseReference, deadline: CaseDeadline) {
            self.reference = reference
            self.deadline = deadline
        }
    }

    /// Holds that ended and were released by the last run.
    public func releaseHolds(on store: any CaseEscalation, now: Date) throws(StoreError) -> [CaseReference] {
        try store.releaseEndedHolds(at: now, router: router)
    }

    public func run(on store: any CaseEscalation, now: Date) throws(StoreError) -> [Escalated] {
        var done: [Escalated] = []
        // One query finds what is due; each escalation then re-checks inside its own transaction.
        for (reference, deadline) in try store.casesPastDeadline(at: now) {
            let escalated = try store.escalate(reference, missed: deadline, at: now) { report, routing in
                var next = EscalationEngine.escalate(
                    routing, missed: deadline, report: report, rules: router.rules, directory: router.directory,
                    membership: router.membership, now: now)
                // Which rules were used (and whether a rules file failed) goes under the heading.
                next.explanation.insert(contentsOf: router.preface, at: min(1, next.explanation.count))
                return next
            }
            if escalated { done.append(Escalated(reference: reference, deadline: deadline)) }
        }
        return done
    }
}
