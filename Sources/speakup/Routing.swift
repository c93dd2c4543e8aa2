import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpSealing
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
                "The rules file \(path) could not be used (\(problems.all.count.counted("problem")); the first: line \(problems.all[0].line): \(problems.all[0].sentence)). The built-in default rules were used instead; run `speakup rules check \(path)`.",
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
    static func router(store: any ReportStore, rulesPath: String?, owner: String?) throws(Failure) -> RulesRouter {
        let staff: [StaffMember]
        do { staff = try store.staff() } catch {
            throw Failure("The staff directory could not be read (\(error.sentence)), so SpeakUp cannot make sure reports are kept from the people they are about. Please tell IT.")
        }
        return try router(staff: staff, rulesPath: rulesPath, owner: owner)
    }

    static func router(staff: [StaffMember], rulesPath: String?, owner: String?) throws(Failure) -> RulesRouter {
        let (rules, source) = rules(at: rulesPath)
        let (membership, note) = try membership(rulesPath: rulesPath, owner: owner)
        return RulesRouter(rules: rules, directory: StaffDirectory.reusing(staff), membership: membership, preface: source + note,
                           subjectKeyDigest: SubjectKeyFile.secret(), alsoChecked: try administrators())
    }

    /// An installed SpeakUp's administrators by login (the users its settings name and the members of
    /// the groups they name): checked against a report's name given as the handlers are, since
    /// exports and returns ask the handler policy about them.
    static func administrators() throws(Failure) -> [String] {
        guard let installation = try Deployment.get().installation else { return [] }
        let accounts = SystemAccounts()
        return installation.administrators.users + installation.administrators.groups.flatMap { accounts.members(ofGroup: $0) }
    }

    /// A router for a form: built when a report is about to be sent (not before the first
    /// screen), from the directory as it is at that moment.
    static func deferred(store: any ReportStore, rulesPath: String?, owner: String?) -> DeferredRouter {
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
/// users named in rules count only if they exist. Answers found are kept for the life of the
/// process (a command, or one workspace session); a lookup that fails is never kept, and counts
/// as no one (so a report it leaves with nobody says it waits for a handler).
struct SystemAccounts: GroupMembership, HandlerNames {
    /// A group: its id and its listed members.
    typealias Group = (gid: gid_t, listed: [String])
    /// An account: its primary group and the name field (up to the first comma).
    typealias Account = (gid: gid_t, fullName: String)

    private static let known = Mutex<(groups: [String: Group?], accounts: [String: Account?], members: [String: [String]], all: [(String, gid_t)]?)>(
        ([:], [:], [:], nil))

    func members(ofGroup name: String) -> [String] {
        if let found = Self.known.withLock({ $0.members[name] }) { return found }
        guard let group = Self.group(named: name) else { return [] }
        var names = group.listed
        var seen = Set(names)
        for (login, gid) in Self.accounts() where gid == group.gid && seen.insert(login).inserted { names.append(login) }
        let members = existing(names)
        Self.known.withLock { $0.members[name] = members }
        return members
    }

    func existing(_ users: [String]) -> [String] {
        users.filter { Self.account(named: $0) != nil }
    }

    func fullName(of user: String) -> String? {
        Self.account(named: user)?.fullName
    }

    /// Whether `login` is in `group`: listed in it, or it is their primary group. Two direct lookups,
    /// never a walk of every account (a central user directory may not allow one).
    func isMember(_ login: String, ofGroup name: String) -> Bool {
        guard let group = Self.group(named: name), let account = Self.account(named: login) else { return false }
        return account.gid == group.gid || group.listed.contains(login)
    }

    /// Runs a lookup with a buffer, larger each time the system says it was too small (ERANGE).
    /// Returns the lookup's last status: ERANGE still at 16 MiB is a failure like any other.
    private static func withBuffer(_ lookup: (UnsafeMutableBufferPointer<CChar>) -> Int32) -> Int32 {
        var size = 16_384
        var status = ERANGE
        while status == ERANGE && size <= 16 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            status = buffer.withUnsafeMutableBufferPointer { lookup($0) }
            size *= 4
        }
        return status
    }

    /// A group by name; nil when there is none (kept) or the lookup failed (not kept).
    static func group(named name: String) -> Group? {
        if let cached = known.withLock({ $0.groups[name] }) { return cached }
        var found: Group? = nil
        let status = withBuffer { buffer in
            var entry = Glibc.group()
            var result: UnsafeMutablePointer<Glibc.group>? = nil
            let status = getgrnam_r(name, &entry, buffer.baseAddress!, buffer.count, &result)
            guard status == 0, result != nil else { return status }
            var listed: [String] = []
            if var member = entry.gr_mem {
                while let login = member.pointee {
                    listed.append(String(cString: login))
                    member += 1
                }
            }
            found = (entry.gr_gid, listed)
            return 0
        }
        if status == 0 { known.withLock { $0.groups[name] = .some(found) } }
        return found
    }

    /// Every account in the user list, with its primary group: read once, whole, under the lock
    /// (the system's cursor is shared), and not kept if the walk failed part-way.
    static func accounts() -> [(String, gid_t)] {
        known.withLock { state in
            if let all = state.all { return all }
            var found: [(String, gid_t)] = []
            var complete = true
            setpwent()
            defer { endpwent() }
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>? = nil
            var buffer = [CChar](repeating: 0, count: 1 << 20)
            while true {
                let status = getpwent_r(&entry, &buffer, buffer.count, &result)
                if status == ENOENT || (status == 0 && result == nil) { break }
                guard status == 0, result != nil else { complete = false; break }
                found.append((String(cString: entry.pw_name), entry.pw_gid))
            }
            if complete { state.all = found }
            return found
        }
    }

    /// One account by login; nil when there is none (kept) or the lookup failed (not kept).
    static func account(named login: String) -> Account? {
        if let cached = known.withLock({ $0.accounts[login] }) { return cached }
        var found: Account? = nil
        let status = withBuffer { buffer in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>? = nil
            let status = getpwnam_r(login, &entry, buffer.baseAddress!, buffer.count, &result)
            guard status == 0, result != nil else { return status }
            let gecos = entry.pw_gecos.map { String(cString: $0) } ?? ""
            found = (entry.pw_gid, String(gecos.split(separator: ",", omittingEmptySubsequences: false).first ?? ""))
            return 0
        }
        if status == 0 { known.withLock { $0.accounts[login] = .some(found) } }
        return found
    }
}
