import Testing
import SpeakUpCore
@testable import SpeakUpRules

@Suite("Staff directory files: checked whole, every problem with its line")
struct DirectoryFileTests {
    static let good = """
        staff_id,name,unix_user,role,seniority,manager_id,ward
        S1,Helen Chief,hchief,chief executive,chief-executive,,Board
        S2,Nia Nurse,nnurse,chief nurse,executive,S1,Board
        S3,"Gita Guardian, RN",gita,guardian,practitioner,S2,FTSU
        """

    @Test("a good file gives every member, quoted commas and empty managers included")
    func good() throws {
        let members = try DirectoryFile.members(from: Self.good).get()
        #expect(members.map(\.id) == ["S1", "S2", "S3"])
        #expect(members[2].name == "Gita Guardian, RN" && members[2].managerID == "S2" && members[0].managerID == nil)
    }

    @Test("unknown seniority, repeated id, unknown manager, a cycle and a short row are each named with their line")
    func problems() {
        let text = """
            staff_id,name,unix_user,role,seniority,manager_id,ward
            A,Ann,ann,nurse,nurse,,W1
            B,Ben,ben,nurse,practitioner,C,W1
            C,Cat,cat,sister,manager,B,W1
            A,Ann again,ann2,nurse,staff,,W1
            D,Dan,dan,porter,staff,Z,W2
            E,Eve,eve
            """
        guard case .failure(let problems) = DirectoryFile.members(from: text) else {
            Issue.record("expected problems")
            return
        }
        let lines = problems.all.map(\.description)
        #expect(lines.contains { $0.hasPrefix("2: \"nurse\" is not a seniority") })
        #expect(lines.contains { $0.hasPrefix("3: The management chain above B goes round in a circle") })
        #expect(lines.contains("5: The staff id A is already on line 2."))
        #expect(lines.contains("6: D's manager Z is not in the directory."))
        #expect(lines.contains("7: This row has 3 fields; the header has 7."))
    }

    @Test("a login given to two people is refused")
    func repeatedLogin() {
        let text = "staff_id,name,unix_user,role,seniority,manager_id,ward\nA,Ann,gita,nurse,staff,,W\nB,Bea,gita,nurse,staff,,W\n"
        guard case .failure(let problems) = DirectoryFile.members(from: text) else { Issue.record("expected failure"); return }
        #expect(problems.all.map(\.description) == ["3: The login gita is already given to someone on line 2; each login belongs to one person."])
    }

    @Test("a missing column or an empty file is refused")
    func shape() {
        guard case .failure(let missing) = DirectoryFile.members(from: "staff_id,name\nS1,Ann\n") else { Issue.record("expected failure"); return }
        #expect(missing.all.first?.sentence.contains("missing: unix_user, role, seniority, manager_id, ward") == true)
        guard case .failure(let empty) = DirectoryFile.members(from: DirectoryFile.columns.joined(separator: ",") + "\n") else { Issue.record("expected failure"); return }
        #expect(empty.all.first?.sentence == "The file lists no staff.")
    }

    @Test("a subject named but not picked from the directory is matched by name, so their team is left out")
    func matchedByName() {
        let report = EscalationEngineTests.report(.executive, name: "Nia Nurse")
        let decision = EscalationEngineTests.decide(ReportFacts(report: report))
        #expect(!decision.handlers.contains("gita"))
        #expect(decision.explanation.contains { $0.contains("recognised in the directory: S2") })
    }
}

@Suite("A directory of 100,000 staff")
struct LargeDirectoryTests {
    @Test("100,000 rows are read and checked whole, and a cycle deep inside is still found")
    func large() throws {
        var text = DirectoryFile.columns.joined(separator: ",") + "\n"
        for i in 0..<100_000 {
            let manager = i % 100 == 0 ? "" : "S\(i - 1)"
            text += "S\(i),Person \(i),u\(i),nurse,practitioner,\(manager),W\(i % 40)\n"
        }
        let members = try DirectoryFile.members(from: text).get()
        #expect(members.count == 100_000)
        let broken = text.replacingOccurrences(of: "S50000,Person 50000,u50000,nurse,practitioner,,W0", with: "S50000,Person 50000,u50000,nurse,practitioner,S50099,W0")
        guard case .failure(let problems) = DirectoryFile.members(from: broken) else { Issue.record("expected a cycle"); return }
        #expect(problems.all.contains { $0.sentence.contains("goes round in a circle") })
    }
}
