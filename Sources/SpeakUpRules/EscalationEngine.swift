import Foundation
import SpeakUpCore

/// Who is in a Unix group: the engine asks, the program answers (from the system's
/// user and group lists: primary and supplementary members alike).
public protocol GroupMembership: Sendable {
    func members(ofGroup group: String) -> [String]
    /// Those of `users` (named in a rules file) who exist on the system.
    func existing(_ users: [String]) -> [String]
}

extension GroupMembership {
    /// By default every user named is taken to exist (tests, and stores without a system).
    public func existing(_ users: [String]) -> [String] { users }
}

/// What the engine knows about a report when it routes it.
public struct ReportFacts: Sendable {
    public var report: Report
    /// The subject's staff id, when the reporter picked them from the directory.
    public var subjectID: String?
    /// Handlers (Unix logins) the reporter asked not to see this report.
    public var excludedByReporter: [String]

    public init(report: Report, subjectID: String? = nil, excludedByReporter: [String] = []) {
        self.report = report
        self.subjectID = subjectID
        self.excludedByReporter = excludedByReporter
    }
}

/// The engine's decision for one report, with the reasons in plain words.
public struct RoutingDecision: Hashable, Sendable {
    public var level: PyramidLevel
    public var roles: [String]
    /// The Unix logins who will see the report.
    public var handlers: [String]
    /// Logins left out, each with why.
    public var excluded: [Exclusion]
    public var acknowledgeBy: Date
    public var feedBackBy: Date
    public var matchedRoutes: [String]
    /// Which rule matched on which facts, who was left out and why: stored with the case.
    public var explanation: [String]
    /// The staff ids of everyone the report may be about (the first `keptCandidates`; the store's
    /// policy works them all out again from the report, so a long list is not needed to protect anyone).
    public var candidates: [String] = []
    public static let keptCandidates = 500
    /// Every handler of any role the conflict rules and the reporter leave free to hold the case
    /// (`CaseRouting.mayHold`).
    public var mayHold: [String] = []
    /// What the conflict rules found, in a form that is not the name (`CaseRouting.subjectFacts`).
    public var subjectFacts: SubjectFacts?

    public struct Exclusion: Hashable, Sendable {
        public var user: String
        public var reason: String
    }
}

/// Routes a report by the rules, enforcing the invariants whatever the rules say:
/// never to the subject, never to anyone the subject manages, never to a handler
/// the reporter excluded, and always to someone (the fallback, then any eligible handler).
public enum EscalationEngine {
    /// Routes one report. Throws only when the history cannot be read: a report is
    /// never routed on a guess (the submit fails, and the form keeps every word).
    /// - Parameter alsoChecked: people besides the handlers (the administrators) the name given is
    ///   checked against for `RoutingDecision.subjectFacts`, so that a sealed name keeps them out too.
    public static func evaluate(_ facts: ReportFacts, rules: RuleSet, directory: StaffDirectory,
                                membership: any GroupMembership, history: any ReportHistory, now: Date,
                                alsoChecked: [String] = []) throws -> RoutingDecision {
        var report = facts.report
        // The facts may carry what the report itself does not (a caller that picked the subject).
        if let id = facts.subjectID { report.subject.directoryID = id }
        if !facts.excludedByReporter.isEmpty { report.excludedHandlers = facts.excludedByReporter }
        var explanation: [String] = []
        // Patterns count by the key the store keeps every report under: name and role
        // (a person picked from the directory brings the directory's name and role).
        let key = SubjectKey.of(report.subject, directoryID: nil)
        let conflicts = SubjectConflicts(report: report, directory: directory, names: names(membership),
                                         outsideChains: rules.independentHandlers(membership), managerLevels: rules.subjectManagerLevels)
        explanation.append(conflicts.summary)
        // Routes see the highest of the seniority the reporter gave and every candidate's.
        if let known = conflicts.highestCandidateSeniority, known > report.subject.seniority {
            explanation.append(Seniority.takenByRouting(known, reported: report.subject.seniority))
            report.subject.seniority = known
        }
        var matched: [RuleSet.Route] = []
        for route in rules.routes {
            guard let reasons = try reasons(route.match, report, key, history, now) else { continue }
            matched.append(route)
            explanation.append("Route \"\(route.name)\" (line \(route.line)) matched: \(reasons).")
            if !route.continues { break }
        }
        let level: PyramidLevel
        var roles: [String]
        if matched.isEmpty {
            level = .informal
            roles = rules.fallback
            explanation.append("No route matched, so the report goes to the fallback: \(rules.fallback.joined(separator: ", ")).")
        } else {
            level = matched.map(\.level).max()!
            roles = []
            for route in matched { for role in route.notify where !roles.contains(role) { roles.append(role) } }
            if matched.count > 1 { explanation.append("Level \(level.rawValue): the highest of the matched routes.") }
        }
        let acknowledge = (matched.compactMap(\.acknowledgeWithin) + [rules.acknowledgeWithin]).map { add($0, to: now) }.min()!
        let feedBack = (matched.compactMap(\.feedBackWithin) + [rules.feedBackWithin]).map { add($0, to: now) }.min()!
        var tried: Set<String> = []
        if report.subject.seniority >= .executive, !rules.independent.isEmpty, Set(roles) != Set(rules.independent) {
            explanation.append("The person it may be about is at \(report.subject.seniority.rawValue) level, so it takes the independent route: \(rules.independent.joined(separator: ", ")).")
            roles = rules.independent
        }

        var excluded: [RoutingDecision.Exclusion] = []
        func eligibleIn(_ roles: [String]) -> [String] {
            tried.formUnion(roles)
            return eligible(roles, rules, conflicts, membership, &excluded)
        }
        var handlers = eligibleIn(roles)
        if handlers.isEmpty, !rules.independent.isEmpty, !Set(rules.independent).isSubset(of: tried) {
            explanation.append("Nobody in \(roles.joined(separator: ", ")) can take it (left out, or no members), so it takes the independent route: \(rules.independent.joined(separator: ", ")).")
            roles = rules.independent
            handlers = eligibleIn(roles)
        }
        if handlers.isEmpty, !Set(rules.fallback).isSubset(of: tried) {
            explanation.append("Nobody in \(roles.joined(separator: ", ")) can take it (left out, or no members), so the report goes to the fallback: \(rules.fallback.joined(separator: ", ")).")
            roles = rules.fallback
            handlers = eligibleIn(roles)
        }
        if handlers.isEmpty {
            let everyRole = rules.roles.keys.sorted()
            explanation.append("Nobody in the fallback can take it either, so every eligible handler of any role will see it.")
            roles = everyRole
            handlers = eligibleIn(roles)
        }
        if handlers.isEmpty {
            let reason = excluded.isEmpty
                ? "no role has any members on this system (are its Unix groups created?)"
                : "everyone who could handle it had to be left out"
            explanation.append("NO HANDLER: \(reason). The report is stored and waits, unrouted, for a handler: `speakup check` says what is missing, and `speakup escalate tick` routes it as soon as someone can take it.")
        } else {
            // Only the roles someone was actually reached through: what the reporter is told names no team that has nobody.
            roles = roles.filter { name in
                guard let role = rules.roles[name] else { return false }
                let people = Set(role.members(membership))
                return handlers.contains(where: people.contains)
            }
            explanation.append("Handlers: \(handlers.joined(separator: ", ")) (roles \(roles.joined(separator: ", "))).")
        }
        for exclusion in excluded { explanation.append("Left out: \(exclusion.user), \(exclusion.reason).") }
        explanation.append("Level: \(level.rawValue). Acknowledge by \(stamp(acknowledge)); feed back by \(stamp(feedBack)).")
        var unused: [RoutingDecision.Exclusion] = []
        var decision = RoutingDecision(
            level: level, roles: roles, handlers: handlers, excluded: excluded, acknowledgeBy: acknowledge, feedBackBy: feedBack,
            matchedRoutes: matched.map(\.name), explanation: explanation, candidates: Array(conflicts.resolution.ids.prefix(RoutingDecision.keptCandidates)))
        decision.mayHold = eligible(rules.roles.keys.sorted(), rules, conflicts, membership, &unused)
        decision.subjectFacts = conflicts.facts(checking: everyHandler(rules, membership) + alsoChecked)
        return decision
    }

    /// Every handler of any role: whom the name given is checked against for `SubjectFacts`.
    static func everyHandler(_ rules: RuleSet, _ membership: any GroupMembership) -> [String] {
        Array(Set(rules.roles.values.flatMap { $0.members(membership) })).sorted()
    }

    /// What the conflict rules find about who `report` is about, in a form that is not the name.
    public static func subjectFacts(_ report: Report, rules: RuleSet, directory: StaffDirectory, membership: any GroupMembership,
                                    alsoChecked: [String] = []) -> SubjectFacts {
        SubjectConflicts(report: report, directory: directory, names: names(membership),
                         outsideChains: rules.independentHandlers(membership), managerLevels: rules.subjectManagerLevels)
            .facts(checking: everyHandler(rules, membership) + alsoChecked)
    }

    /// Every eligible handler of any role for `report`: whom a held case (routed to nobody yet) may reach.
    public static func mayHold(_ report: Report, rules: RuleSet, directory: StaffDirectory, membership: any GroupMembership) -> [String] {
        let conflicts = SubjectConflicts(report: report, directory: directory, names: names(membership),
                                         outsideChains: rules.independentHandlers(membership), managerLevels: rules.subjectManagerLevels)
        var unused: [RoutingDecision.Exclusion] = []
        return eligible(rules.roles.keys.sorted(), rules, conflicts, membership, &unused)
    }

    /// The system's full names for handlers, when the membership knows them.
    static func names(_ membership: any GroupMembership) -> any HandlerNames {
        (membership as? any HandlerNames) ?? NoHandlerNames()
    }

    /// A passed deadline: raise the level if the rules say so, and add the roles they
    /// name (their eligible handlers, with the same invariants as routing).
    public static func escalate(_ routing: CaseRouting, missed deadline: CaseDeadline, report: Report, rules: RuleSet,
                                directory: StaffDirectory, membership: any GroupMembership, now: Date) -> CaseRouting {
        let conflicts = SubjectConflicts(report: report, directory: directory, names: names(membership),
                                         outsideChains: rules.independentHandlers(membership), managerLevels: rules.subjectManagerLevels)
        let action = deadline == .acknowledge ? rules.whenAcknowledgeMissed : rules.whenFeedBackMissed
        var next = routing
        var explanation = [deadline.escalationHeading]
        let due = deadline == .acknowledge ? routing.acknowledgeBy : routing.feedBackBy
        explanation.append("It was due by \(stamp(due)); checked at \(stamp(now)).")
        if action.raiseLevel {
            next.level = routing.level.next
            explanation.append("Level raised from \(routing.level.rawValue) to \(next.level.rawValue).")
        }
        let added = action.notify.filter { !routing.roles.contains($0) }
        if !added.isEmpty {
            var excluded: [RoutingDecision.Exclusion] = []
            let users = eligible(added, rules, conflicts, membership, &excluded)
            next.roles += added
            next.handlers += users.filter { !routing.handlers.contains($0) }
            explanation.append("Also told: \(added.joined(separator: ", ")) (\(users.isEmpty ? "nobody eligible" : users.joined(separator: ", "))).")
            for exclusion in excluded { explanation.append("Left out: \(exclusion.user), \(exclusion.reason).") }
        }
        if !action.raiseLevel && added.isEmpty {
            explanation.append("The rules add no one for this; it is recorded so that it shows in the case.")
        }
        next.explanation = explanation
        return next
    }

    /// Why a route matches the report, or nil when it does not.
    static func reasons(_ match: RuleSet.Match, _ report: Report, _ key: SubjectKey?, _ history: any ReportHistory, _ now: Date) throws -> String? {
        var facts: [String] = []
        if !match.concerns.isEmpty {
            let shared = report.concerns.filter(match.concerns.contains)
            guard !shared.isEmpty else { return nil }
            facts.append("concerns include \(shared.map(\.rawValue).joined(separator: ", "))")
        }
        if !match.harm.isEmpty {
            guard match.harm.contains(report.harm) else { return nil }
            facts.append("patient harm is \(report.harm.rawValue)")
        }
        if let test = match.seniority {
            guard test.holds(for: report.subjectSeniority) else { return nil }
            facts.append("seniority \(report.subjectSeniority.rawValue) is \(test.comparison.rawValue) \(test.seniority.rawValue)")
        }
        if !match.locations.isEmpty {
            let place = SubjectKey.normalise(report.location)
            guard match.locations.contains(where: { SubjectKey.normalise($0) == place }) else { return nil }
            facts.append("location is \(report.location)")
        }
        if !match.ways.isEmpty {
            guard match.ways.contains(report.wayOfRaising) else { return nil }
            facts.append("raised \(report.wayOfRaising.rawValue)")
        }
        if let pattern = match.pattern {
            guard let key else { return nil }
            let since = startDay(of: pattern.within, before: now)
            let count = try history.reportsAbout(key, since: since) + 1
            guard count >= pattern.atLeast else { return nil }
            facts.append("\(count.counted("report")) about the same person since \(since) (at least \(pattern.atLeast) within \(pattern.within))")
        }
        return facts.isEmpty ? "it matches every report" : facts.joined(separator: "; ")
    }

    /// The handlers of `roles` (their users, and their groups' members) who may take the
    /// report; each one left out is added to `excluded` with the reason.
    static func eligible(_ roles: [String], _ rules: RuleSet, _ conflicts: SubjectConflicts, _ membership: any GroupMembership,
                         _ excluded: inout [RoutingDecision.Exclusion]) -> [String] {
        var users: [String] = []
        for name in roles {
            guard let role = rules.roles[name] else { continue }
            for user in role.members(membership) where !users.contains(user) { users.append(user) }
        }
        return users.filter { user in
            guard let reason = conflicts.reason(against: user) else { return true }
            if !excluded.contains(where: { $0.user == user }) { excluded.append(.init(user: user, reason: reason)) }
            return false
        }
    }

    static func add(_ duration: RuleSet.Duration, to moment: Date) -> Date {
        switch duration.unit {
        case .hours: return moment.addingTimeInterval(Double(duration.amount) * 3600)
        case .days: return moment.addingTimeInterval(Double(duration.amount) * 86_400)
        case .months:
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .gmt
            return calendar.date(byAdding: .month, value: duration.amount, to: moment)!
        }
    }

    static func startDay(of duration: RuleSet.Duration, before moment: Date) -> CalendarDay {
        let start = add(RuleSet.Duration(amount: -duration.amount, unit: duration.unit), to: moment)
        return CalendarDay(start, in: .gmt)
    }

    private static func stamp(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) }
}
