import Foundation
import SpeakUpCore
import SpeakUpRules

/// Resolving and routing one report against 10,000 staff when the subject is typed as
/// people type names (a first name, a title and initial, a short form, a slip, a login,
/// a role), beside the exact path (the person picked from the directory), in the same run.
struct SubjectBench {
    struct Groups: GroupMembership {
        func members(ofGroup group: String) -> [String] {
            group == "speakup-independent" ? ["ned"] : (0..<8).map { "u\($0 * 997 % 10_000)" }
        }
    }
    struct NoHistory: ReportHistory {
        func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) throws -> Int { 0 }
    }

    func run() throws -> [String] {
        var random = SystemRandomNumberGenerator()
        let firsts = ["William", "Samuel", "Samantha", "Elizabeth", "Robert", "Zoë", "Mohammed", "Priyanka", "John", "Katherine",
                      "Christopher", "Margaret", "Oluwaseun", "Siobhan", "Daniel", "Grace", "Ahmed", "Li", "Fatima", "Tom"]
        let lasts = ["Smith", "Jones", "O'Brien", "Patel", "Nguyen", "Smith-Jones", "Okafor", "Williams", "Brown", "Khan",
                     "MacDonald", "Évora", "Taylor", "Wilson", "Murphy", "Chen", "Ahmed", "Hughes", "Evans", "Roberts"]
        let roles = ["Staff Nurse", "Healthcare Assistant", "Consultant Physician", "Ward Manager", "Matron", "Registrar", "Porter"]
        var staff: [StaffMember] = []
        for i in 0..<10_000 {
            let name = "\(firsts[i % firsts.count]) \(lasts[(i / firsts.count) % lasts.count])\(i >= 400 ? " \(i)" : "")"
            staff.append(StaffMember(id: "S\(i)", name: name, unixUser: "u\(i)", role: i == 0 ? "Chief Executive" : roles[i % roles.count],
                                     seniority: i == 0 ? .chiefExecutive : .practitioner, managerID: i == 0 ? nil : "S\((i - 1) / 3)", ward: ""))
        }
        staff.append(StaffMember(id: "NED", name: "Nora Independent", unixUser: "ned", role: "Non-Executive Director", seniority: .board, managerID: nil, ward: ""))
        let built = Date()
        let directory = StaffDirectory(staff)
        let indexing = Date().timeIntervalSince(built)
        let now = Date(timeIntervalSince1970: 1_795_770_106)
        let rules = DefaultRules.ruleSet  // parsed once, as a router does
        func route(_ subject: Subject) throws -> Double {
            let report = Report(reference: .random(), wayOfRaising: .confidential, concerns: [.rudeOrAggressive], subject: subject,
                                location: "", account: "x", reporter: Reporter(userName: "rep", uid: 4000), submitted: .instant(now))
            let start = Date()
            _ = try EscalationEngine.evaluate(ReportFacts(report: report), rules: rules, directory: directory,
                                              membership: Groups(), history: NoHistory(), now: now)
            return Date().timeIntervalSince(start)
        }
        var exact = Sample()
        var typed = Sample()
        for round in 0..<2000 {
            let person = staff[Int.random(in: 0..<10_000, using: &random)]
            let words = person.name.split(separator: " ").map(String.init)
            exact.add(try route(Subject(name: person.name, role: person.role, seniority: .unknown, directoryID: person.id)))
            let written: Subject = switch round % 6 {
            case 0: Subject(name: words[0], role: "", seniority: .unknown)                              // first name only
            case 1: Subject(name: "Dr \(words[0].prefix(1)). \(words[1])", role: "", seniority: .unknown) // title and initial
            case 2: Subject(name: "Bill \(words[1])", role: "", seniority: .unknown)                     // a short form
            case 3: Subject(name: "\(words[0]) \(words[1].replacingOccurrences(of: "i", with: "y"))", role: "", seniority: .unknown)
            case 4: Subject(name: person.unixUser, role: "", seniority: .unknown)                        // a login
            default: Subject(name: nil, role: "CEO", seniority: .unknown)                                 // a role only
            }
            typed.add(try route(written))
        }
        print("## Recognising the subject among 10,000 staff (directory indexed in \(format(indexing * 1000)) ms)")
        print("| what | median ms | p99 ms |")
        print("|---|---|---|")
        print("| resolve and route, the subject typed as people type (first name, initial, short form, slip, login, role) | \(format(typed.median)) | \(format(typed.p99)) |")
        print("| floor: resolve and route, the subject picked from the directory | \(format(exact.median)) | \(format(exact.p99)) |")
        print("goal: under 1 ms median for typed subjects")
        return ["resolve and route among 10,000 staff: typed \(format(typed.median)) ms median (p99 \(format(typed.p99))), picked \(format(exact.median)) ms"]
    }
}
