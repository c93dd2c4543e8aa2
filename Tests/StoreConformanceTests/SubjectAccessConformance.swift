import Foundation
import Testing
import SpeakUpCore

@Suite("Conformance: subject access, gathered and recorded (each engine)")
struct SubjectAccessConformance {
    static let staff = [
        StaffMember(id: "S1", name: "Samuel Jones", unixUser: "sjones", role: "Charge Nurse", seniority: .seniorPractitioner, managerID: "M1", ward: "Ward 9"),
        StaffMember(id: "M1", name: "Morris Oduya", unixUser: "mo", role: "Matron", seniority: .manager, managerID: nil, ward: "Medicine"),
        StaffMember(id: "B1", name: "Ben Reporter", unixUser: "ben", role: "Staff Nurse", seniority: .practitioner, managerID: "M1", ward: "Ward 7"),
    ]

    @Test("every case about them (picked, named, a typo as a possible match), their own, a note naming them, and their audit records", arguments: Engine.allCases)
    func gathered(engine: Engine) throws {
        let made = try engine.freshStore()
        try made.store.replaceStaff(Self.staff, by: "admin", at: Examples.moment)
        var picked = Examples.report(about: nil)
        picked.subject = Subject(name: nil, role: "", seniority: .unknown, directoryID: "S1")
        let named = Examples.report(.anonymous, about: "Samuel Jones")
        let typo = Examples.report(about: "Sam Jnoes")
        let elsewhere = Examples.report(about: "Morris Oduya")
        let unrelated = Examples.report(about: "Morris Oduya")
        var own = Examples.report(about: "Morris Oduya")
        own.reporter = Reporter(userName: "sjones", uid: 1010)
        var stored: [Report] = []
        for (offset, report) in [picked, named, typo, elsewhere, unrelated, own].enumerated() {
            var report = report
            report.submitted = .recorded(for: report.wayOfRaising, at: Examples.moment.addingTimeInterval(Double(offset) * 60))
            stored.append(try made.store.submit(report, receipt: nil, discardingDraftOf: nil, router: CountingRouter(handlers: ["sjones"])))
        }
        _ = try made.store.appendEvent(to: stored[3].reference, kind: .note, text: "Jones may have seen it.", actor: "asha", at: Examples.moment.addingTimeInterval(3_600))
        try made.store.recordOpening(stored[4].reference, by: "sjones", at: Examples.moment.addingTimeInterval(7_200))

        let holdings = try #require(try made.store.subjectAccessHoldings(staffID: "S1"))
        #expect(holdings.person.name == "Samuel Jones")
        // Certain matches first (in the store's order: an anonymous report keeps only its day), then possible ones.
        #expect(Set(holdings.aboutThem.prefix(2).map(\.report.reference)) == Set([stored[0], stored[1]].map(\.reference)))
        #expect(holdings.aboutThem.last?.report.reference == stored[2].reference)
        #expect(holdings.aboutThem.map(\.match.isPossible) == [false, false, true])
        #expect(holdings.aboutThem.allSatisfy { $0.events.first?.kind == .received })
        #expect(holdings.raisedByThem.map(\.report.reference) == [stored[5].reference])
        #expect(holdings.mentions.map(\.report.reference) == [stored[3].reference])
        #expect(holdings.ownActions.map(\.entry.action) == ["received", "opened"])  // sending their own report, then opening a case
        #expect(try made.store.subjectAccessHoldings(staffID: "NOBODY") == nil)
    }

    @Test("an approval and a decline are chained in the audit trail with who, which staff id and the file's digest; the chain still verifies", arguments: Engine.allCases)
    func recorded(engine: Engine) throws {
        let made = try engine.freshStore()
        try made.store.replaceStaff(Self.staff, by: "admin", at: Examples.moment)
        let digest = Data(repeating: 0xAB, count: 32)
        try made.store.recordSubjectAccess(SubjectAccessDecision(staffID: "S1", approved: true, digest: digest, counts: (2, 1, 0)),
                                           by: "gita", at: Examples.moment.addingTimeInterval(60))
        try made.store.recordSubjectAccess(SubjectAccessDecision(staffID: "S1", approved: false, digest: digest, counts: (2, 1, 0)),
                                           by: "asha", at: Examples.moment.addingTimeInterval(120))
        let records = try made.store.auditRecords().filter { $0.entry.action.hasPrefix("subject-access") }
        #expect(records.map(\.entry.action) == ["subject-access-disclosed", "subject-access-declined"])
        #expect(records.map(\.entry.actor) == ["gita", "asha"])
        #expect(records[0].entry.content == digest && records[1].entry.content == nil)
        #expect(records[0].entry.detail == "staff id S1; 2 about them, 1 raised by them, 0 possibly naming them; file sha256 " + String(repeating: "ab", count: 32))
        #expect(records[0].entry.at == .instant(Examples.moment.addingTimeInterval(60)))
        let verified = try made.store.verifyAudit(today: CalendarDay(Examples.moment.addingTimeInterval(86_400), in: .gmt), anchor: nil)
        #expect(verified.firstBroken == nil && verified.records >= 3)
    }
}
