import SpeakUpCore

/// The routing invariants applied to one handler after the case has been routed:
/// who a case may be passed to (reassigning, stepping away), and whether a handler
/// must not see it at all, even if the rules or the directory changed since.
public enum HandlerEligibility {
    /// Every handler of any role in the rules, each with the reason they may not take
    /// `report` under the same rules as routing (nil when they may), less those in `leaving`.
    public static func handlers(for report: Report, rules: RuleSet, directory: StaffDirectory, membership: any GroupMembership,
                                leaving: Set<String>) -> [(handler: String, notOffered: String?)] {
        let conflicts = SubjectConflicts(report: report, directory: directory, names: EscalationEngine.names(membership),
                                         outsideChains: rules.independentHandlers(membership), managerLevels: rules.subjectManagerLevels)
        return EscalationEngine.everyHandler(rules, membership).filter { !leaving.contains($0) }.map { ($0, conflicts.reason(against: $0)) }
    }

    /// Every handler of any role in the rules, for passing `file` on as `handler`: each with the
    /// reason they are not offered (the conflict rules first, then who has it now, who stepped away).
    public static func choices(for file: CaseFile, by handler: String, rules: RuleSet, directory: StaffDirectory,
                               membership: any GroupMembership) -> [HandlerChoice] {
        let recused = Set(file.events.filter { $0.kind == .recused }.compactMap(\.actor))
        return handlers(for: file.report, rules: rules, directory: directory, membership: membership, leaving: []).map { entry in
            let reason: String? = entry.notOffered
                ?? (entry.handler == handler ? "you: the case is with you now"
                    : file.currentHandlers.contains(entry.handler) ? "has the case already"
                    : recused.contains(entry.handler) ? "stepped away from it for a conflict of interest" : nil)
            return HandlerChoice(handler: entry.handler, notOffered: reason)
        }
    }

    /// Why `handler` must not see `report` (they may be its subject, may be managed by its
    /// subject, or were excluded by the reporter), or nil.
    public static func conflict(_ handler: String, _ report: Report, directory: StaffDirectory,
                                names: any HandlerNames = NoHandlerNames(), outsideChains: Set<String> = []) -> String? {
        SubjectConflicts(report: report, directory: directory, names: names, outsideChains: outsideChains).reason(against: handler)
    }
}
