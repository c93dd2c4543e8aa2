import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpRules

/// Groups and history for tests.
struct FakeGroups: GroupMembership {
    var groups: [String: [String]]
    func members(ofGroup group: String) -> [String] { groups[group] ?? [] }
}

struct FakeHistory: ReportHistory, Sendable {
    var counts: [SubjectKey: Int] = [:]
    func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) -> Int { counts[subject] ?? 0 }
}

@Suite("The escalation engine: routing, levels, deadlines, and the invariants")
struct EscalationEngineTests {
    static let now = Date(timeIntervalSince1970: 1_795_770_106)  // 2026-11-27T09:01:46Z
    static let rules = try! RulesLoader.load(RulesLoaderTests.defaultRules).get()
    static let groups = FakeGroups(groups: [
        "speakup-guardians": ["asha", "gita"],
        "speakup-patient-safety": ["pat"],
        "speakup-independent": ["ned"],
    ])

    /// The chief executive manages the chief nurse, who manages guardian Gita; Asha and Ned are outside that chain.
    static let directory = StaffDirectory([
        .init(id: "S1", name: "Helen Chief", unixUser: "hchief", role: "chief executive", seniority: .chiefExecutive, managerID: nil, ward: "Board"),
        .init(id: "S2", name: "Nia Nurse", unixUser: "nnurse", role: "chief nurse", seniority: .executive, managerID: "S1", ward: "Board"),
        .init(id: "S3", name: "Gita Guardian", unixUser: "gita", role: "guardian", seniority: .practitioner, managerID: "S2", ward: "FTSU"),
        .init(id: "S4", name: "Asha Guardian", unixUser: "asha", role: "guardian", seniority: .practitioner, managerID: nil, ward: "FTSU"),
        .init(id: "S5", name: "Ned Director", unixUser: "ned", role: "non-executive director", seniority: .board, managerID: nil, ward: "Board"),
        .init(id: "S6", name: "Carl Consultant", unixUser: "carl", role: "consultant", seniority: .seniorClinician, managerID: "S2", ward: "Ward 7"),
    ])

    static func report(_ seniority: Seniority, name: String? = nil, role: String = "", harm: PatientHarm = .none, way: WayOfRaising = .confidential) -> Report {
        Report(reference: .random(), wayOfRaising: way, concerns: [.rudeOrAggressive],
               subject: Subject(name: name, role: role, seniority: seniority), location: "Ward 7", harm: harm,
               account: "x", reporter: nil, submitted: .recorded(for: way, at: now))
    }

    static func decide(_ facts: ReportFacts, history: FakeHistory = FakeHistory()) -> RoutingDecision {
        try! EscalationEngine.evaluate(facts, rules: rules, directory: directory, membership: groups, history: history, now: now)
    }

    @Test("a report about the chief executive goes to the independent route, never to them or anyone below them")
    func chiefExecutive() {
        let decision = Self.decide(ReportFacts(report: Self.report(.chiefExecutive), subjectID: "S1"))
        #expect(decision.matchedRoutes == ["independent-for-senior-subjects"])
        #expect(decision.handlers == ["ned"])
        #expect(!decision.handlers.contains("hchief") && !decision.handlers.contains("gita"))
        #expect(decision.explanation.contains { $0.contains("seniority chief-executive is >= executive") })
    }

    @Test("a guardian managed by the subject is left out, with the reason recorded")
    func managedHandlerExcluded() {
        let decision = Self.decide(ReportFacts(report: Self.report(.executive), subjectID: "S2"))
        #expect(decision.handlers == ["ned"])
        let everyday = Self.decide(ReportFacts(report: Self.report(.seniorClinician), subjectID: "S6"))
        #expect(everyday.handlers == ["asha", "gita"])  // Carl manages nobody
        let aboutGitasBoss = Self.decide(ReportFacts(report: Self.report(.manager), subjectID: "S2"))
        #expect(!aboutGitasBoss.handlers.contains("gita"))
    }

    @Test("whom a sealed case is wrapped for: every eligible handler of any role, never the subject's chain nor whom the reporter excluded")
    func mayHold() {
        let everyday = Self.decide(ReportFacts(report: Self.report(.seniorClinician), subjectID: "S6"))
        // Any role's handlers (escalation, the independent route and reassignment can reach them all) the
        // conflict rules leave free: pat, in no directory entry, cannot be shown outside the subject's chain.
        #expect(Set(everyday.mayHold) == ["asha", "gita", "ned"])
        #expect(everyday.handlers == ["asha", "gita"])
        let aboutGitasBoss = Self.decide(ReportFacts(report: Self.report(.executive), subjectID: "S2"))
        #expect(!aboutGitasBoss.mayHold.contains("gita"), "managed by the subject: never wrapped for")
        #expect(aboutGitasBoss.mayHold.contains("ned"))
        let excluded = Self.decide(ReportFacts(report: Self.report(.seniorClinician), subjectID: "S6", excludedByReporter: ["asha"]))
        #expect(!excluded.mayHold.contains("asha"))
        // A held report, routed to nobody yet, is wrapped for the same people.
        var held = Self.report(.executive)
        held.subject.directoryID = "S2"
        held.hold = MatchingHold(until: CalendarDay(year: 2027, month: 6, day: 1)!)
        let router = RulesRouter(rules: Self.rules, directory: Self.directory, membership: Self.groups)
        let routing = try! router.route(held, history: FakeHistory(), from: Self.now)
        #expect(routing.held && routing.handlers.isEmpty)
        #expect(routing.mayHold.map(Set.init) == Set(aboutGitasBoss.mayHold))
    }

    @Test("three reports about one consultant within 28 months raise an awareness-level route")
    func pattern() {
        let carl = Self.report(.seniorClinician, name: "Carl Consultant", role: "consultant")
        let key = SubjectKey.of(carl.subject, directoryID: nil)!
        let third = Self.decide(ReportFacts(report: carl, subjectID: "S6"), history: FakeHistory(counts: [key: 2]))
        #expect(third.level == .awareness)
        #expect(third.matchedRoutes == ["pattern-awareness"])
        let second = Self.decide(ReportFacts(report: carl, subjectID: "S6"), history: FakeHistory(counts: [key: 1]))
        #expect(second.level == .informal)
    }

    @Test("patterns recognise the same person by name and role when they are not in the directory")
    func patternByName() {
        #expect(SubjectKey.of(Subject(name: "Dr. John  SMITH", role: "Registrar", seniority: .seniorPractitioner), directoryID: nil)
                == SubjectKey.of(Subject(name: "john smith", role: "registrar", seniority: .unknown), directoryID: nil))
        #expect(SubjectKey.of(Subject(name: nil, role: "registrar", seniority: .unknown), directoryID: nil) == nil)
    }

    @Test("severe harm is urgent: patient safety and guardians, acknowledged within 24 hours, and later routes still apply")
    func urgent() {
        let decision = Self.decide(ReportFacts(report: Self.report(.practitioner, harm: .death)))
        #expect(decision.level == .urgent)
        #expect(decision.matchedRoutes == ["urgent-harm", "everything-else"])
        #expect(Set(decision.handlers) == ["pat", "asha", "gita"])
        #expect(decision.acknowledgeBy == Self.now.addingTimeInterval(24 * 3600))
        #expect(decision.feedBackBy == Self.now.addingTimeInterval(7 * 86_400))
    }

    @Test("an ordinary report: informal, guardians, 7 days to acknowledge and 3 months to feed back")
    func ordinary() {
        let decision = Self.decide(ReportFacts(report: Self.report(.staff)))
        #expect(decision.level == .informal)
        #expect(decision.acknowledgeBy == Self.now.addingTimeInterval(7 * 86_400))
        #expect(decision.feedBackBy.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) == "2027-02-27T09:01:46Z")
    }

    @Test("a handler the reporter excluded never sees it; if that leaves nobody, the independent route takes it")
    func reporterExclusion() {
        let decision = Self.decide(ReportFacts(report: Self.report(.staff), excludedByReporter: ["asha", "gita"]))
        #expect(decision.handlers == ["ned"])
        #expect(decision.excluded.map(\.user).sorted() == ["asha", "gita"])
        #expect(decision.explanation.contains { $0.contains("so it takes the independent route") })
    }

    @Test("a named subject is matched to the directory by name; a handler whose login is one of the words written is kept from it")
    func sameName() throws {
        let matched = Self.decide(ReportFacts(report: Self.report(.practitioner, name: "Asha Guardian")))
        #expect(!matched.handlers.contains("asha"))
        #expect(matched.excluded.first { $0.user == "asha" }?.reason == "the person the report is about")
        let otherRole = Self.decide(ReportFacts(report: Self.report(.practitioner, name: "Asha Guardian", role: "porter")))
        #expect(!otherRole.handlers.contains("asha"))
        #expect(otherRole.explanation.contains { $0.contains("the name given matches theirs") })
        let notInDirectory = StaffDirectory([
            .init(id: "X", name: "Someone", unixUser: "asha", role: "guardian", seniority: .practitioner, managerID: nil, ward: ""),
        ])
        let byName = try EscalationEngine.evaluate(
            ReportFacts(report: Self.report(.practitioner, name: "Asha Guardian")), rules: Self.rules, directory: notInDirectory,
            membership: Self.groups, history: FakeHistory(), now: Self.now)
        // Her directory name is not the subject's, but her login is one of the words written: to be safe, she is left out.
        #expect(!byName.handlers.contains("asha"))
        #expect(byName.excluded.first { $0.user == "asha" }?.reason.contains("the person the report is about") == true)
    }

    @Test("escalation keeps the same invariants: a handler the subject manages is never added")
    func escalationKeepsInvariants() {
        let report = Self.report(.executive, name: "Nia Nurse")
        let decision = Self.decide(ReportFacts(report: report))
        let routing = CaseRouting(level: decision.level, roles: decision.roles, handlers: decision.handlers,
                                  acknowledgeBy: decision.acknowledgeBy, feedBackBy: decision.feedBackBy, explanation: [])
        // Escalating to the guardians must not add Gita, whom Nia manages.
        var rules = Self.rules
        rules.whenAcknowledgeMissed = RuleSet.Escalation(raiseLevel: false, notify: ["guardian"])
        let next = EscalationEngine.escalate(routing, missed: .acknowledge, report: report, rules: rules, directory: Self.directory,
                                             membership: Self.groups, now: Self.now.addingTimeInterval(8 * 86_400))
        #expect(next.handlers.contains("asha"))
        #expect(!next.handlers.contains("gita"))
    }

    @Test("the directory's seniority counts when higher: the chief executive reported as 'not sure' still goes independent")
    func directorySeniority() {
        let decision = Self.decide(ReportFacts(report: Self.report(.unknown, name: "Helen Chief")))
        #expect(decision.matchedRoutes == ["independent-for-senior-subjects"])
        #expect(decision.handlers == ["ned"])
    }

    @Test("a name that matches several people keeps all of them, and everyone they manage, from the case")
    func ambiguousName() throws {
        var members = Array(Self.directory.members.values)
        members.append(.init(id: "S7", name: "Nia Nurse", unixUser: "nia2", role: "ward clerk", seniority: .staff, managerID: nil, ward: "W9"))
        let directory = StaffDirectory(members)
        let decision = try EscalationEngine.evaluate(
            ReportFacts(report: Self.report(.staff, name: "Nia Nurse")), rules: Self.rules, directory: directory,
            membership: Self.groups, history: FakeHistory(), now: Self.now)
        #expect(!decision.handlers.contains("gita"))  // managed by the chief nurse Nia Nurse
        #expect(decision.explanation.contains { $0.contains("fits 2 people") && $0.contains("S7") })
    }

    @Test("the directory finds unknown managers, cycles and repeated ids")
    func directoryProblems() {
        let members: [StaffDirectory.Member] = [
            .init(id: "A", name: "A", unixUser: nil, role: "", seniority: .staff, managerID: "B", ward: ""),
            .init(id: "B", name: "B", unixUser: nil, role: "", seniority: .staff, managerID: "A", ward: ""),
            .init(id: "C", name: "C", unixUser: nil, role: "", seniority: .staff, managerID: "Z", ward: ""),
            .init(id: "C", name: "C again", unixUser: nil, role: "", seniority: .staff, managerID: nil, ward: ""),
        ]
        let sentences = StaffDirectory.problems(in: members).map(\.sentence)
        #expect(sentences.contains { $0.contains("goes round in a circle") })
        #expect(sentences.contains("C's manager Z is not in the directory."))
        #expect(sentences.contains("The staff id C appears more than once."))
    }

    @Test("whatever the directory, the subject and those they manage are never handlers (random directories)")
    func invariantHoldsForRandomDirectories() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let users = ["asha", "gita", "pat", "ned"]
            var members: [StaffDirectory.Member] = []
            for (index, user) in users.enumerated() {
                let manager = index == 0 ? nil : (Bool.random(using: &generator) ? "U\(Int.random(in: 0..<index, using: &generator))" : nil)
                members.append(.init(id: "U\(index)", name: user, unixUser: user, role: "", seniority: Seniority.ladder.randomElement(using: &generator)!, managerID: manager, ward: ""))
            }
            let directory = StaffDirectory(members)
            let subject = members.randomElement(using: &generator)!
            let decision = try EscalationEngine.evaluate(
                ReportFacts(report: Self.report(subject.seniority, harm: PatientHarm.allCases.randomElement(using: &generator)!), subjectID: subject.id),
                rules: Self.rules, directory: directory, membership: Self.groups, history: FakeHistory(), now: Self.now)
            for handler in decision.handlers {
                #expect(handler != subject.unixUser)
                #expect(!directory.manages(subject.id, directory.member(unixUser: handler)!.id))
            }
            #expect(!decision.explanation.isEmpty)
        }
    }
}

@Suite("The invariants hold for random rules, directories and reports")
struct RandomRulesTests {
    @Test("300 random rule sets over random directories: never the subject, never anyone they manage, never an excluded handler, always someone when anyone can")
    func invariants() throws {
        var generator = SystemRandomNumberGenerator()
        let logins = ["u0", "u1", "u2", "u3", "u4", "u5"]
        for _ in 0..<300 {
            // A directory of the six logins in random chains.
            var members: [StaffMember] = []
            for (index, login) in logins.enumerated() {
                let manager = index > 0 && Bool.random(using: &generator) ? "S\(Int.random(in: 0..<index, using: &generator))" : nil
                members.append(StaffMember(id: "S\(index)", name: "Person \(index)", unixUser: login, role: "role",
                                           seniority: Seniority.ladder.randomElement(using: &generator)!, managerID: manager, ward: ""))
            }
            let directory = StaffDirectory(members)
            // Random roles over random logins, random routes over them.
            let roleNames = ["a", "b", "c"]
            var yaml = "version: 1\nroles:\n"
            for role in roleNames {
                let users = logins.shuffled(using: &generator).prefix(Int.random(in: 1...3, using: &generator))
                yaml += "  \(role): { users: [\(users.joined(separator: ", "))] }\n"
            }
            yaml += "fallback: [\(roleNames.randomElement(using: &generator)!)]\nroutes:\n"
            for index in 0..<Int.random(in: 1...5, using: &generator) {
                let seniority = Seniority.ladder.randomElement(using: &generator)!.rawValue
                let harm = PatientHarm.allCases.randomElement(using: &generator)!.rawValue
                let match = Bool.random(using: &generator) ? "{ seniority: \">= \(seniority)\" }" : "{ harm: [\(harm)] }"
                yaml += "  - { name: r\(index), match: \(match), notify: [\(roleNames.randomElement(using: &generator)!)], continue: \(Bool.random(using: &generator)) }\n"
            }
            guard case .success(let rules) = RulesLoader.load(yaml) else {
                Issue.record("generated rules did not load:\n\(yaml)")
                return
            }
            let subject = members.randomElement(using: &generator)!
            let excluded = Bool.random(using: &generator) ? [logins.randomElement(using: &generator)!] : []
            let report = Report(reference: .random(), wayOfRaising: .confidential, concerns: [.other],
                                subject: Subject(name: subject.name, role: subject.role, seniority: subject.seniority, directoryID: subject.id),
                                location: "", harm: PatientHarm.allCases.randomElement(using: &generator)!, account: "x",
                                excludedHandlers: excluded, reporter: nil, submitted: .instant(Date()))
            let decision = try EscalationEngine.evaluate(
                ReportFacts(report: report, subjectID: subject.id, excludedByReporter: excluded), rules: rules, directory: directory,
                membership: FakeGroups(groups: [:]), history: FakeHistory(), now: Date())
            let eligibleAnywhere = logins.filter { login in
                let member = directory.member(unixUser: login)!
                return member.id != subject.id && !directory.manages(subject.id, member.id) && !excluded.contains(login)
                    && rules.roles.values.contains { $0.users.contains(login) }
            }
            for handler in decision.handlers {
                let member = directory.member(unixUser: handler)!
                #expect(member.id != subject.id)
                #expect(!directory.manages(subject.id, member.id))
                #expect(!excluded.contains(handler))
            }
            #expect(decision.handlers.isEmpty == eligibleAnywhere.isEmpty, "\(yaml)")
        }
    }
}
