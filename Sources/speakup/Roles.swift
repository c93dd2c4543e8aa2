import Glibc
import SpeakUpCore
import SpeakUpRules

/// What a person may do with SpeakUp.
enum Role: String, CaseIterable, Comparable {
    /// Raise concerns and follow them up.
    case reporter
    /// See and act on the cases routed to them (`speakup cases`).
    case handler
    /// Look after the store: directory, import, export, escalation ticks, the audit trail.
    case administrator

    static func < (a: Role, b: Role) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

    var duties: String {
        switch self {
        case .reporter: "report a concern and follow it up"
        case .handler: "handle the cases routed to you"
        case .administrator: "look after the store (directory, import, export, escalation, audit)"
        }
    }
}

/// The roles of the person at the terminal: from the installed settings and the
/// system's user and group lists for their real uid. In an embedded store the
/// person who owns it holds every role.
enum Roles {
    static func of(_ identity: RealIdentity, in deployment: Deployment) -> Set<Role> {
        guard let installation = deployment.installation else { return Set(Role.allCases) }
        let named = Set(installation.reporters.groups + installation.handlers.groups + installation.administrators.groups)
        let groups = groupNames(of: identity, among: named)
        func holds(_ members: Installation.Members) -> Bool {
            members.everyone || members.users.contains(identity.reporter.userName) || !groups.isDisjoint(with: members.groups)
        }
        var roles: Set<Role> = []
        if holds(installation.reporters) { roles.insert(.reporter) }
        if holds(installation.handlers) { roles.insert(.handler) }
        if holds(installation.administrators) { roles.insert(.administrator) }
        return roles
    }

    /// Stops with a sentence unless the person at the terminal holds `role`.
    static func require(_ role: Role, toDo what: String) throws(Failure) {
        try requireAny([role], toDo: what)
    }

    /// Stops with a sentence unless the person holds one of `roles`.
    static func requireAny(_ roles: [Role], toDo what: String) throws(Failure) {
        let deployment = try Deployment.get()
        guard let identity = RealIdentity.current() else {
            throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
        }
        guard !of(identity, in: deployment).isDisjoint(with: roles) else {
            let names = roles.map { $0 == .administrator ? "an administrator" : "a \($0.rawValue)" }.joined(separator: " or ")
            throw Failure("Only \(names) of SpeakUp may \(what), and your account (\(identity.reporter.userName)) is not one here. If you should be, please ask IT.", code: 77)
        }
    }

    /// The names of every group the user is in: asked of `SystemAccounts`, the same answer routing uses.
    static func groupNames(of identity: RealIdentity, among groups: Set<String>) -> Set<String> {
        let accounts = SystemAccounts()
        return groups.filter { accounts.isMember(identity.reporter.userName, ofGroup: $0) }
    }
}
