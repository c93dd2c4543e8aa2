import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpRules

/// A made-up trust: a chief executive, executives under them, chains up to 12 deep,
/// guardians anywhere in them, and an independent non-executive director outside.
struct RandomTrust {
    var members: [StaffMember] = []
    var guardians: [String] = []
    var independents: [String] = []

    static let firstNames = ["William", "Samuel", "Samantha", "Elizabeth", "Robert", "Zoë", "Mohammed", "Priyanka", "John",
                             "Katherine", "Christopher", "Margaret", "Oluwaseun", "Siobhan", "Daniel", "Grace", "Ahmed", "Li"]
    static let lastNames = ["Smith", "Jones", "O'Brien", "Patel", "Nguyen", "Smith-Jones", "Okafor", "Williams", "Brown",
                            "Khan", "MacDonald", "Évora", "Taylor", "Wilson", "Murphy", "Chen"]
    static let roles: [(String, Seniority)] = [
        ("Staff Nurse", .practitioner), ("Healthcare Assistant", .staff), ("Consultant Physician", .seniorClinician),
        ("Ward Manager", .manager), ("Matron", .manager), ("Registrar", .seniorPractitioner), ("Student Nurse", .student),
        ("Clinical Director", .director), ("Porter", .staff),
    ]
    static let executives: [(String, Seniority)] = [("Chief Nurse", .executive), ("Medical Director", .executive), ("Director of Finance", .executive)]

    init(size: Int, random: inout SeededRandom) {
        func name() -> String { "\(Self.firstNames.randomElement(using: &random)!) \(Self.lastNames.randomElement(using: &random)!)" }
        members.append(StaffMember(id: "P0", name: name(), unixUser: "u0", role: "Chief Executive", seniority: .chiefExecutive, managerID: nil, ward: ""))
        var depth: [String: Int] = ["P0": 0]
        for index in 1..<size {
            let id = "P\(index)"
            let (role, seniority): (String, Seniority)
            let manager: String
            if index <= 3 {
                (role, seniority) = Self.executives[index - 1]
                manager = "P0"
            } else {
                (role, seniority) = Self.roles.randomElement(using: &random)!
                // A manager among those not yet 12 deep.
                var pick = "P\(Int.random(in: 0..<index, using: &random))"
                while depth[pick]! >= 11 { pick = "P\(Int.random(in: 0..<index, using: &random))" }
                manager = pick
            }
            depth[id] = depth[manager]! + 1
            members.append(StaffMember(id: id, name: name(), unixUser: "u\(index)", role: role, seniority: seniority, managerID: manager, ward: ""))
        }
        for _ in 0..<Int.random(in: 2...8, using: &random) {
            guardians.append(members.randomElement(using: &random)!.unixUser!)
        }
        members.append(StaffMember(id: "NED", name: "Nora Independent", unixUser: "ned", role: "Non-Executive Director", seniority: .board, managerID: nil, ward: ""))
        independents = ["ned"]
    }

    /// How a reporter might write `person`: one of the ways the issue lists.
    static func written(_ person: StaffMember, way: Int, random: inout SeededRandom) -> (name: String?, role: String) {
        let words = person.name.split(separator: " ").map(String.init)
        let first = words.first!, last = words.last!
        switch way % 13 {
        case 0: return (person.name, "")
        case 1: return (first, "")  // a first name only
        case 2: return ("Dr \(first.prefix(1)). \(last)", "")  // a title and an initial
        case 3: return ("\(ShortNames.forms(of: NameFolding.key(first)).sorted().first { $0 != NameFolding.key(first) } ?? first) \(last)", "")
        case 4: return ("\(first) \(Self.slip(last, &random))", "")  // a one-letter typo
        case 5: return (nil, person.role)  // only a role
        case 6: return (person.unixUser, "")  // their login
        case 7: return (person.name.replacingOccurrences(of: "o", with: "о").replacingOccurrences(of: "a", with: "а"), "")  // Cyrillic look-alikes
        case 8: return (String(person.name.flatMap { [$0, "\u{200B}"] }), "")  // zero-width spaces
        case 9: return ("\(last.uppercased()), \(first.lowercased())", "")  // order and case
        case 10: return (last, "")  // a surname only
        case 11: return ("\(first) \(last.folding(options: .diacriticInsensitive, locale: nil).replacingOccurrences(of: "'", with: ""))", "")
        default: return (first, person.role)
        }
    }

    static func slip(_ word: String, _ random: inout SeededRandom) -> String {
        var letters = Array(word)
        guard letters.count >= 4 else { return word }
        let at = Int.random(in: 1..<letters.count, using: &random)
        letters[at] = letters[at] == "y" ? "i" : "y"
        return String(letters)
    }
}

@Suite("Safe routing whatever the reporter types (seeded property tests)")
struct SafeRoutingPropertyTests {
    struct Groups: GroupMembership {
        let guardians: [String]
        let independents: [String]
        func members(ofGroup group: String) -> [String] {
            switch group {
            case "speakup-guardians": guardians
            case "speakup-patient-safety": Array(guardians.prefix(1))
            case "speakup-independent": independents
            default: []
            }
        }
    }
    struct NoHistory: ReportHistory {
        func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) throws -> Int { 0 }
    }

    static let seed: UInt64 = ProcessInfo.processInfo.environment["SPEAKUP_TEST_SEED"].flatMap(UInt64.init) ?? 20_261_130

    @Test("no route, reassignment or escalation reaches the subject or anyone they manage; no report is left without a truthful status")
    func neverToTheSubjectsChain() throws {
        print("SafeRoutingPropertyTests seed: \(Self.seed) (replay with SPEAKUP_TEST_SEED=\(Self.seed))")
        var random = SeededRandom(seed: Self.seed)
        let now = Date(timeIntervalSince1970: 1_795_770_106)
        var reports = 0
        for round in 0..<24 {
            let size = round == 0 ? 10_000 : Int.random(in: 10...600, using: &random)
            let trust = RandomTrust(size: size, random: &random)
            let directory = StaffDirectory(trust.members)
            let groups = Groups(guardians: trust.guardians, independents: trust.independents)
            for way in 0..<26 {
                let person = trust.members.randomElement(using: &random)!
                guard person.id != "NED" else { continue }
                let (name, role) = RandomTrust.written(person, way: way, random: &random)
                let answered = [Seniority.unknown, .staff, .practitioner, person.seniority].randomElement(using: &random)!
                let report = Report(reference: .random(), wayOfRaising: .confidential, concerns: [.rudeOrAggressive],
                                    subject: Subject(name: name, role: role, seniority: answered), location: "", account: "x",
                                    reporter: Reporter(userName: "rep", uid: 4000), submitted: .instant(now))
                let context = "seed \(Self.seed), round \(round), subject \(person.id) \(person.role) written as \(name ?? "-")/\(role)"
                let decision = try EscalationEngine.evaluate(ReportFacts(report: report), rules: DefaultRules.ruleSet, directory: directory,
                                                             membership: groups, history: NoHistory(), now: now)
                reports += 1
                // The routing keeps the first candidates; the resolution behind it has them all.
                #expect(decision.candidates.count <= RoutingDecision.keptCandidates)
                let protected = Set(directory.resolve(report.subject).ids)
                #expect(protected.contains(person.id), "the person written about is among the candidates: \(context)")
                #expect(Set(decision.candidates).isSubset(of: protected))
                for handler in decision.handlers {
                    let member = directory.member(unixUser: handler)
                    #expect(member?.id != person.id, "routed to the subject: \(context)")
                    if let member { #expect(!directory.manages(person.id, member.id), "routed to \(handler), whom the subject manages: \(context)") }
                }
                if person.seniority >= .executive {
                    #expect(Set(decision.handlers).isSubset(of: ["ned"]), "an executive's case goes only to the independent route: \(context)")
                }
                if decision.handlers.isEmpty {
                    #expect(decision.explanation.contains { $0.contains("NO HANDLER") }, "an unrouted report says so: \(context)")
                }
                // Reassigning and escalating keep the same invariants.
                for offered in HandlerEligibility.handlers(for: report, rules: DefaultRules.ruleSet, directory: directory, membership: groups, leaving: [])
                where offered.notOffered == nil {
                    let member = directory.member(unixUser: offered.handler)
                    #expect(member?.id != person.id && !(member.map { directory.manages(person.id, $0.id) } ?? false),
                            "offered for reassignment: \(offered.handler): \(context)")
                }
                let routing = CaseRouting(level: decision.level, roles: decision.roles, handlers: decision.handlers,
                                          acknowledgeBy: decision.acknowledgeBy, feedBackBy: decision.feedBackBy, explanation: [])
                let escalated = EscalationEngine.escalate(routing, missed: .feedBack, report: report, rules: DefaultRules.ruleSet,
                                                          directory: directory, membership: groups, now: now.addingTimeInterval(200 * 86_400))
                for handler in escalated.handlers {
                    let member = directory.member(unixUser: handler)
                    #expect(member?.id != person.id && !(member.map { directory.manages(person.id, $0.id) } ?? false),
                            "escalated to \(handler): \(context)")
                }
                // The store's policy says the same for every handler who could ever open it.
                let policy = SubjectChainPolicy(directory: directory)
                for guardian in trust.guardians {
                    let member = directory.member(unixUser: guardian)!
                    if member.id == person.id || directory.manages(person.id, member.id) {
                        #expect(policy.refusal(of: guardian, for: report.caseSubject) != nil, "the policy lets \(guardian) open it: \(context)")
                    }
                }
            }
        }
        #expect(reports > 500)
    }

    @Test("the chief executive by role alone, seniority 'Not sure', goes to the independent route")
    func chiefExecutiveByRole() throws {
        print("SafeRoutingPropertyTests seed: \(Self.seed) (replay with SPEAKUP_TEST_SEED=\(Self.seed))")
        var random = SeededRandom(seed: Self.seed)
        let trust = RandomTrust(size: 200, random: &random)
        let directory = StaffDirectory(trust.members)
        for role in ["CEO", "Chief Executive", "chief exec", "the chief executive"] {
            let report = Report(reference: .random(), wayOfRaising: .anonymous, concerns: [.bullyingOrHarassment],
                                subject: Subject(name: nil, role: role, seniority: .unknown), location: "", account: "x",
                                reporter: nil, submitted: .day("2026-11-27"))
            let decision = try EscalationEngine.evaluate(
                ReportFacts(report: report), rules: DefaultRules.ruleSet, directory: directory,
                membership: Groups(guardians: trust.guardians, independents: ["ned"]), history: NoHistory(), now: Date())
            #expect(decision.handlers == ["ned"], "\(role)")
            #expect(decision.roles == ["independent"], "\(role)")
        }
    }
}
