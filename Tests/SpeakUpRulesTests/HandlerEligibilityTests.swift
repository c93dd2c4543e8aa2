import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpRules

@Suite("Reassigning and stepping away keep the routing invariants")
struct HandlerEligibilityTests {
    struct Groups: GroupMembership {
        func members(ofGroup group: String) -> [String] {
            group == "speakup-guardians" ? ["gita", "omar", "pat"] : group == "speakup-independent" ? ["nina"] : []
        }
    }

    // Omar is a director who manages Pat; Gita is independent of both.
    static let directory = StaffDirectory([
        StaffMember(id: "D1", name: "Omar Director", unixUser: "omar", role: "director", seniority: .director, managerID: nil, ward: ""),
        StaffMember(id: "P1", name: "Pat Practitioner", unixUser: "pat", role: "nurse", seniority: .practitioner, managerID: "D1", ward: ""),
        StaffMember(id: "G1", name: "Gita Guardian", unixUser: "gita", role: "guardian", seniority: .manager, managerID: nil, ward: ""),
        StaffMember(id: "N1", name: "Nina Nonexec", unixUser: "nina", role: "non-executive director", seniority: .board, managerID: nil, ward: ""),
    ])

    static func report(about subjectID: String?, excluding: [String] = []) -> Report {
        Report(reference: .random(), wayOfRaising: .anonymous, concerns: [.rudeOrAggressive],
               subject: Subject(name: "Omar Director", role: "director", seniority: .director, directoryID: subjectID), location: "",
               account: "Shouted.", excludedHandlers: excluding, reporter: nil, submitted: .day("2026-11-27"))
    }

    @Test("a case about Omar can pass to neither Omar nor Pat (whom he manages), nor to anyone the reporter excluded")
    func eligible() {
        let handlers = HandlerEligibility.handlers(
            for: Self.report(about: "D1", excluding: ["nina"]), rules: DefaultRules.ruleSet, directory: Self.directory,
            membership: Groups(), leaving: ["gita"])
        #expect(handlers.filter { $0.notOffered == nil }.isEmpty)  // gita is leaving; omar, pat and nina may not have it
        #expect(handlers.first { $0.handler == "nina" }?.notOffered == "the reporter asked that they not see it")
        let withoutExclusion = HandlerEligibility.handlers(
            for: Self.report(about: "D1"), rules: DefaultRules.ruleSet, directory: Self.directory, membership: Groups(), leaving: ["gita"])
        #expect(withoutExclusion.filter { $0.notOffered == nil }.map(\.handler) == ["nina"])
    }

    @Test("the subject, and anyone they manage, is refused at opening even if a rule later sent it to them")
    func conflictAtOpening() {
        let report = Self.report(about: "D1")
        #expect(HandlerEligibility.conflict("omar", report, directory: Self.directory)?.contains("the person the report is about") == true)
        #expect(HandlerEligibility.conflict("pat", report, directory: Self.directory)?.contains("managed by the person the report is about") == true)
        #expect(HandlerEligibility.conflict("gita", report, directory: Self.directory) == nil)
    }
}
