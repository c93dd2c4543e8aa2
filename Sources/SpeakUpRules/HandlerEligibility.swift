import SpeakUpCore

/// The routing invariants applied to one handler after the case has been routed:
/// who a case may be passed to (reassigning, stepping away), and whether a handler
/// must not see it at all, even if the rules or the directory changed since.
public enum HandlerEligibility {
    /// Every handler of any role in the rules who may take `report` under the same
    /// rules as routing (never the subject, anyone they manage, or anyone the
    /// reporter excluded), less those in `leaving`.
    public static func handlers(for report: Report, rules: RuleSet, directory: StaffDirectory, membership: any GroupMembership,
                                leaving: Set<String>) -> [String] {
        var excluded: [RoutingDecision.Exclusion] = []
        let facts = ReportFacts(report: report, subjectID: report.subject.directoryID, excludedByReporter: report.excludedHandlers)
        let subjects = EscalationEngine.identify(facts, directory).0
        return EscalationEngine.eligible(rules.roles.keys.sorted(), rules, facts, subjects, directory, membership, &excluded)
            .filter { !leaving.contains($0) }.sorted()
    }

    /// Why `handler` must not see `report` (they are its subject, managed by its subject, or
    /// excluded by the reporter), or nil.
    public static func conflict(_ handler: String, _ report: Report, directory: StaffDirectory) -> String? {
        var excluded: [RoutingDecision.Exclusion] = []
        let facts = ReportFacts(report: report, subjectID: report.subject.directoryID, excludedByReporter: report.excludedHandlers)
        let subjects = EscalationEngine.identify(facts, directory).0
        let rules = RuleSet.single(role: "handler", user: handler)
        _ = EscalationEngine.eligible(["handler"], rules, facts, subjects, directory, NoGroups(), &excluded)
        guard let reason = excluded.first(where: { $0.user == handler })?.reason else { return nil }
        return "This case is not one you may see: you are \(reason). Please ask an administrator to make sure someone else has it."
    }

    private struct NoGroups: GroupMembership {
        func members(ofGroup group: String) -> [String] { [] }
    }
}
