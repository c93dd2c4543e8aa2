import Foundation
import SpeakUpCore

/// The rules engine as the store's router: runs inside the transaction that
/// stores each report, so its history is exactly what was stored before it.
public struct RulesRouter: CaseRouter {
    public let rules: RuleSet
    public let directory: StaffDirectory
    public let membership: any GroupMembership
    /// Lines put before every explanation, e.g. that a broken rules file was replaced by the defaults.
    public let preface: [String]
    /// The installation's keyed digest for same-person keys, which lets a sealing store seal subjects' names.
    public let subjectKeyDigest: (any SubjectKeyDigest)?
    /// Who besides the handlers may be asked about a case (the administrators, for exports and
    /// returns): the name given is checked against them too, for `CaseRouting.subjectFacts`.
    public let alsoChecked: [String]

    public init(rules: RuleSet, directory: StaffDirectory = StaffDirectory([]), membership: any GroupMembership, preface: [String] = [],
                subjectKeyDigest: (any SubjectKeyDigest)? = nil, alsoChecked: [String] = []) {
        self.rules = rules
        self.directory = directory
        self.membership = membership
        self.preface = preface
        self.subjectKeyDigest = subjectKeyDigest
        self.alsoChecked = alsoChecked
    }

    public func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
        var released: [String] = []
        if let hold = report.hold {
            // "Hold until someone else reports the same person": any other report about them
            // (earlier or later) releases it, and so does the end of the hold.
            let key = SubjectKey.of(report.subject, directoryID: nil)
            let others = try key.map { try history.reportsAbout($0, since: CalendarDay.earliest, notBy: report.reporter) } ?? 0
            let ended = CalendarDay(from, in: .gmt) >= hold.until
            if others == 0 && !ended {
                let until = hold.until.deadlineStart
                let facts = EscalationEngine.subjectFacts(report, rules: rules, directory: directory, membership: membership, alsoChecked: alsoChecked)
                var routing = CaseRouting(
                    level: .informal, roles: [], handlers: [], acknowledgeBy: until, feedBackBy: until,
                    explanation: preface + [
                        "Held: the reporter asked that nobody act on it until someone else reports the same person, or until \(hold.until)."
                            + (key == nil ? " The person is not named, so only the end of the hold can release it." : ""),
                    ],
                    held: true, candidates: Array(facts.candidates.prefix(RoutingDecision.keptCandidates)))
                routing.mayHold = EscalationEngine.mayHold(report, rules: rules, directory: directory, membership: membership)
                routing.subjectFacts = facts
                return routing
            }
            released.append(others > 0 ? "Released from its hold: another report names the same person." : "Released: the hold ended on \(hold.until).")
        }
        let decision = try EscalationEngine.evaluate(
            ReportFacts(report: report, subjectID: report.subject.directoryID, excludedByReporter: report.excludedHandlers), rules: rules, directory: directory, membership: membership, history: history, now: from,
            alsoChecked: alsoChecked)
        var routing = CaseRouting(
            level: decision.level, roles: decision.roles, handlers: decision.handlers,
            acknowledgeBy: decision.acknowledgeBy, feedBackBy: decision.feedBackBy, explanation: preface + released + decision.explanation,
            candidates: decision.candidates)
        routing.mayHold = decision.mayHold
        routing.subjectFacts = decision.subjectFacts
        return routing
    }
}

/// Group membership for the embedded default store: its owner holds every role,
/// so a report filed on a fresh machine with `make run` is routed to them.
public struct OwnerHoldsEveryRole: GroupMembership {
    public let owner: String
    public init(owner: String) { self.owner = owner }
    public func members(ofGroup group: String) -> [String] { [owner] }
}
