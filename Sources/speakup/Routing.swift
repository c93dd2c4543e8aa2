import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore
import Synchronization

/// `--rules PATH`, shared by every command that routes or checks against the rules.
struct RulesOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "The escalation rules file to route by (default: $SPEAKUP_RULES, else the built-in rules; an installed SpeakUp uses its settings' rules).",
        valueName: "path"))
    var path: String?

    /// The rules file chosen: `--rules`, else the installed settings' rules, else `$SPEAKUP_RULES`; nil for the built-in rules.
    func chosen() throws(Failure) -> String? {
        if let installation = try Deployment.get().installation {
            if path != nil {
                throw Failure("This SpeakUp is installed with the rules its settings name, so --rules cannot change where reports go. To try rules out, use `speakup rules test`.", code: 64)
            }
            return installation.rules
        }
        if let path {
            guard !path.isEmpty else { throw Failure("--rules needs the path of a rules file, such as --rules docs/rules/default.yaml.", code: 64) }
            return path
        }
        return ProcessInfo.processInfo.environment["SPEAKUP_RULES"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// The one place a router is built, for every command that routes or checks who may
/// handle a case (`report`, `ward`, `kiosk`, `import`, `cases`, `escalate tick`,
/// `rules explain`, `whoami`, `check`): the same rules, the same directory, the same
/// idea of who holds each role.
enum Routing {
    /// The rules to route by, with the lines that say where they came from. A rules file
    /// that does not load never stops a report: the defaults are used and the
    /// explanation kept with the case says so.
    static func rules(at path: String?) -> (RuleSet, [String]) {
        guard let path else { return (DefaultRules.ruleSet, ["Routed by the built-in default rules."]) }
        guard let bytes = GroupPrivilege.withoutGroup({ FileManager.default.contents(atPath: path) }), let text = String(data: bytes, encoding: .utf8) else {
            return (DefaultRules.ruleSet, ["The rules file \(path) could not be read. The built-in default rules were used instead."])
        }
        switch RulesLoader.load(text) {
        case .success(let loaded):
            return (loaded, ["Routed by the rules in \(path)."])
        case .failure(let problems):
            return (DefaultRules.ruleSet, [
                "The rules file \(path) could not be used (\(problems.all.count) problems; the first: line \(problems.all[0].line): \(problems.all[0].sentence)). The built-in default rules were used instead; run `speakup rules check \(path)`.",
            ])
        }
    }

    /// The handler a personal store's owner is recorded as (`PersonalStore.handler`).
    static let personalHandler = PersonalStore.handler

    /// Whether reports go to the store's owner: a personal store (not installed for a
    /// shared host) with no rules file chosen. Settings that cannot be read are never taken
    /// to mean "personal": that would make everyone the owner.
    static func isPersonal(rulesPath: String?) throws(Failure) -> Bool {
        try Deployment.get().installation == nil && rulesPath == nil
    }

    /// The handler name `login` acts under: `personalHandler` in a personal store, else the login.
    static func handler(for login: String, rulesPath: String?) throws(Failure) -> String {
        try isPersonal(rulesPath: rulesPath) ? personalHandler : login
    }

    /// Who holds each role: on a personal store its owner holds every role (as
    /// `personalHandler`), so `make run` routes to them; otherwise the system's users and groups.
    static func membership(rulesPath: String?, owner: String?) throws(Failure) -> (any GroupMembership, [String]) {
        if try isPersonal(rulesPath: rulesPath), owner != nil {
            return (OwnerHoldsEveryRole(owner: personalHandler), ["In this personal store its owner holds every role."])
        }
        return (SystemAccounts(), [])
    }

    /// The router for this store, with its directory read now. A directory that cannot be
    /// read stops here with a sentence: routing without it could reach the subject's team.
    static func router(store: SQLiteReportStore, rulesPath: String?, owner: String?) throws(Failure) -> RulesRouter {
        let staff: [StaffMember]
        do { staff = try store.staff() } catch {
            throw Failure("The staff directory could not be read (\(error.sentence)), so SpeakUp cannot make sure reports are kept from the people they are about. Please tell IT.")
        }
        return try router(staff: staff, rulesPath: rulesPath, owner: owner)
    }

    static func router(staff: [StaffMember], rulesPath: String?, owner: String?) throws(Failure) -> RulesRouter {
        let (rules, source) = rules(at: rulesPath)
        let (membership, note) = try membership(rulesPath: rulesPath, owner: owner)
        return RulesRouter(rules: rules, directory: StaffDirectory.reusing(staff), membership: membership, preface: source + note)
    }

    /// A router for a form: built when a report is about to be sent (not before the first
    /// screen), from the directory as it is at that moment.
    static func deferred(store: SQLiteReportStore, rulesPath: String?, owner: String?) -> DeferredRouter {
        DeferredRouter { () throws(RoutingFailure) in
            do throws(Failure) {
                return try router(store: store, rulesPath: rulesPath, owner: owner)
            } catch {
                throw RoutingFailure(error.sentence)
            }
        }
    }
}

/// A router built just before a report is stored (`prepared`), outside the store's transaction.
struct DeferredRouter: CaseRouter {
    let make: @Sendable () throws(RoutingFailure) -> RulesRouter

    func prepared() throws -> any CaseRouter { try make() }

    func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
        // The store prepares a router before its transaction; this is only reached by a caller that did not.
        throw RoutingFailure("SpeakUp could not work out where the report goes. Please try again.")
    }
}

/// The system's users and groups: the one answer to who is in a group, for routing and for
/// `Roles` alike. A group's members are those listed in it and those whose primary group it is;
/// users named in rules count only if they exist. Answers are kept for the life of the process
/// (a command, or one workspace session), so a report's routing reads the user list once.
struct SystemAccounts: GroupMembership, HandlerNames {
    private static let known = Mutex<(groups: [String: [String]], accounts: [String: (gid: gid_t, fullName: String)?], all: [(login: String, gid: gid_t)]?)>(([:], [:], nil))

    func members(ofGroup name: String) -> [String] {
        if let found = Self.known.withLock({ $0.groups[name] }) { return found }
        var names: [String] = []
        var gid: gid_t? = nil
        Self.withBuffer { buffer in
            var entry = Glibc.group()
            var result: UnsafeMutablePointer<Glibc.group>? = nil
            let status = getgrnam_r(name, &entry, buffer.baseAddress!, buffer.count, &result)
            guard status == 0 else { return status }
            guard result != nil else { return 0 }
            gid = entry.gr_gid
            if var member = entry.gr_mem {
                while let login = member.pointee {
                    names.append(String(cString: login))
                    member += 1
                }
            }
            return 0
        }
        if let gid {
            var seen = Set(names)
            for account in Self.accounts() where account.gid == gid && seen.insert(account.login).inserted { names.append(account.login) }
        }
        let members = existing(names)
        Self.known.withLock { $0.groups[name] = members }
        return members
    }

    func existing(_ users: [String]) -> [String] {
        users.filter { Self.account(named: $0) != nil }
    }

    func fullName(of user: String) -> String? {
        Self.account(named: user)?.fullName
    }

    /// Whether `login` is in `group`, by the same answer as `members(ofGroup:)`.
    func isMember(_ login: String, ofGroup group: String) -> Bool {
        members(ofGroup: group).contains(login)
    }

    /// Runs a lookup with a buffer, larger each time the system says it was too small (ERANGE).
    private static func withBuffer(_ lookup: (UnsafeMutableBufferPointer<CChar>) -> Int32) {
        var size = 16_384
        while size <= 16 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            let result = buffer.withUnsafeMutableBufferPointer { lookup($0) }
            if result != ERANGE { return }
            size *= 4
        }
    }

    /// Every account in the user list, with its primary group.
    static func accounts() -> [(login: String, gid: gid_t)] {
        if let all = known.withLock({ $0.all }) { return all }
        var found: [(String, gid_t)] = []
        setpwent()
        defer { endpwent() }
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 65_536)
        while getpwent_r(&entry, &buffer, buffer.count, &result) == 0, result != nil {
            found.append((String(cString: entry.pw_name), entry.pw_gid))
        }
        known.withLock { $0.all = found }
        return found
    }

    /// One account by login: its primary group and the name field (up to the first comma).
    static func account(named login: String) -> (gid: gid_t, fullName: String)? {
        if let cached = known.withLock({ $0.accounts[login] }) { return cached }
        var found: (gid: gid_t, fullName: String)? = nil
        withBuffer { buffer in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>? = nil
            let status = getpwnam_r(login, &entry, buffer.baseAddress!, buffer.count, &result)
            guard status == 0, result != nil else { return status }
            let gecos = entry.pw_gecos.map { String(cString: $0) } ?? ""
            found = (entry.pw_gid, String(gecos.split(separator: ",", omittingEmptySubsequences: false).first ?? ""))
            return 0
        }
        known.withLock { $0.accounts[login] = .some(found) }
        return found
    }
}
