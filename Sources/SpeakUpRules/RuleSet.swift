import SpeakUpCore

/// A loaded, checked rules file: who may handle cases, and how each report is routed.
public struct RuleSet: Hashable, Sendable {
    /// A handler role: Unix users and groups whose members may handle cases.
    public struct Role: Hashable, Sendable {
        public var name: String
        public var users: [String]
        public var groups: [String]

        /// Who holds the role on the system: its users who exist, then its groups' members, each once.
        public func members(_ membership: any GroupMembership) -> [String] {
            var seen: Set<String> = []
            return (membership.existing(users) + groups.flatMap(membership.members(ofGroup:))).filter { seen.insert($0).inserted }
        }
    }

    /// How long something may take: a number of hours, days or months.
    public struct Duration: Hashable, Sendable, CustomStringConvertible {
        public enum Unit: String, Hashable, Sendable { case hours = "h", days = "d", months = "mo" }
        public var amount: Int
        public var unit: Unit
        public var description: String { "\(amount)\(unit.rawValue)" }
    }

    /// A seniority test such as `>= executive`.
    public struct SeniorityTest: Hashable, Sendable {
        public enum Comparison: String, Hashable, Sendable, CaseIterable { case atLeast = ">=", atMost = "<=", above = ">", below = "<", exactly = "==" }
        public var comparison: Comparison
        public var seniority: Seniority

        public func holds(for value: Seniority) -> Bool {
            switch comparison {
            case .atLeast: value != .unknown && value >= seniority
            case .atMost: value != .unknown && value <= seniority
            case .above: value != .unknown && value > seniority
            case .below: value != .unknown && value < seniority
            case .exactly: value == seniority
            }
        }
    }

    /// "At least N reports about the same person within a time": counts anonymous reports too.
    public struct Pattern: Hashable, Sendable {
        public var atLeast: Int
        public var within: Duration
    }

    /// What a report must be for a route to match. Empty lists match anything.
    public struct Match: Hashable, Sendable {
        public var concerns: [ConcernCategory] = []
        public var harm: [PatientHarm] = []
        public var seniority: SeniorityTest? = nil
        public var locations: [String] = []
        public var ways: [WayOfRaising] = []
        public var pattern: Pattern? = nil
    }

    /// One route: when it matches, its roles are told, at its level, with its deadlines.
    public struct Route: Hashable, Sendable {
        public var name: String
        public var match: Match
        public var level: PyramidLevel
        public var notify: [String]
        public var acknowledgeWithin: Duration?
        public var feedBackWithin: Duration?
        /// Like Alertmanager's `continue`: keep looking at later routes after this one matches.
        public var continues: Bool
        /// The source line, for explanations.
        public var line: Int
        /// How many levels of the subject's own managers are left out too (`exclude: subject-managers`);
        /// nil leaves them in. For trusts whose guardians line-manage staff.
        public var excludeSubjectManagers: Int? = nil
    }

    /// What happens when a deadline passes.
    public struct Escalation: Hashable, Sendable {
        public var raiseLevel: Bool
        public var notify: [String]
    }

    public var version: Int
    public var roles: [String: Role]
    /// The independent route: roles outside every management chain (a non-executive director).
    /// A report goes there when a possible subject is at executive level or above, or when
    /// everyone its routes named had to be left out. Defaults to a role called `independent`.
    public var independent: [String] = []
    /// Roles tried, in order, when no route matches or every matched handler is excluded.
    public var fallback: [String]
    public var routes: [Route]
    public var acknowledgeWithin: Duration
    public var feedBackWithin: Duration
    public var whenAcknowledgeMissed: Escalation
    public var whenFeedBackMissed: Escalation
}

extension RuleSet {
    /// The most levels of the subject's own managers any route leaves out: applied everywhere a
    /// case can go (routing, escalation, reassigning, the store's policy), never only at first routing.
    public var subjectManagerLevels: Int? { routes.compactMap(\.excludeSubjectManagers).max() }

    /// The handlers of the independent route, as `membership` says.
    public func independentHandlers(_ membership: any GroupMembership) -> Set<String> {
        Set(independent.compactMap { roles[$0] }.flatMap { $0.members(membership) })
    }

    /// Rules with one role holding one user: for checking one handler against the invariants.
    static func single(role: String, user: String) -> RuleSet {
        RuleSet(
            version: 1, roles: [role: Role(name: role, users: [user], groups: [])], independent: [], fallback: [role], routes: [],
            acknowledgeWithin: Duration(amount: 7, unit: .days), feedBackWithin: Duration(amount: 3, unit: .months),
            whenAcknowledgeMissed: Escalation(raiseLevel: false, notify: []), whenFeedBackMissed: Escalation(raiseLevel: false, notify: []))
    }
}
