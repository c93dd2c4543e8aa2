import Synchronization
import SpeakUpCore

/// The handler policy the program gives the store: a handler never sees or acts on a
/// case they may be the subject of, or whose possible subject manages them, or that the
/// reporter kept from them; judged against the directory as it is now (so a change to
/// the directory since the case was routed counts).
public final class SubjectChainPolicy: HandlerPolicy {
    let directory: StaffDirectory
    let names: any HandlerNames
    let outsideChains: Set<String>
    let managerLevels: Int?
    /// Each report's conflicts, worked out once per session.
    private let known = Mutex<[CaseReference: SubjectConflicts]>([:])

    /// - Parameters:
    ///   - outsideChains: handlers the directory need not list (the independent route's).
    ///   - managerLevels: the rules' `exclude: subject-managers`, applied to every case.
    public init(directory: StaffDirectory, names: any HandlerNames = NoHandlerNames(), outsideChains: Set<String> = [], managerLevels: Int? = nil) {
        self.directory = directory
        self.names = names
        self.outsideChains = outsideChains
        self.managerLevels = managerLevels
    }

    /// The policy for a router's rules, directory and membership.
    public convenience init(router: RulesRouter, names: any HandlerNames = NoHandlerNames()) {
        self.init(directory: router.directory, names: names, outsideChains: router.rules.independentHandlers(router.membership),
                  managerLevels: router.rules.subjectManagerLevels)
    }

    /// For a case whose name was sealed away before `handler` was checked against it: the check, worked
    /// out from the case with its name opened (`speakup recover`, with the recovery key). Nil when the name
    /// is not open, no name was given, or the handler was checked already.
    public func laterCheck(of handler: String, opened report: CaseSubject) -> SubjectCheck? {
        guard let facts = report.subject.sealedFacts, facts.nameGiven, !report.subject.isSealedAway, !facts.checked.contains(handler)
        else { return nil }
        let conflicts = SubjectConflicts(report, directory: directory, names: names, outsideChains: outsideChains, managerLevels: managerLevels)
        return SubjectCheck(reference: report.reference, handler: handler, fits: conflicts.facts(checking: [handler]).fitting.contains(handler))
    }

    /// For a case whose sealed name is open in `opener`'s session: every handler the rules know, of any
    /// role, who was not checked against the name when it was sealed (they became a handler since), checked
    /// now (`laterCheck`). The opener is not checked by their own session.
    public func laterChecks(opened report: CaseSubject, by opener: String, rules: RuleSet, membership: any GroupMembership) -> [SubjectCheck] {
        EscalationEngine.everyHandler(rules, membership).filter { $0 != opener }.compactMap { laterCheck(of: $0, opened: report) }
    }

    public func refusal(of handler: String, for report: CaseSubject) -> String? {
        let conflicts = known.withLock { cache in
            if let found = cache[report.reference] { return found }
            let made = SubjectConflicts(report, directory: directory, names: names, outsideChains: outsideChains, managerLevels: managerLevels)
            if cache.count > 10_000 { cache.removeAll() }
            cache[report.reference] = made
            return made
        }
        guard let reason = conflicts.reason(against: handler) else { return nil }
        return "Case \(report.reference) is not one \(handler) may see or act on: \(handler) is \(reason). Please ask an administrator to make sure someone else has it."
    }
}
