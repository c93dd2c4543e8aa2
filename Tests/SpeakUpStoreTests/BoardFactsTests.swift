import Foundation
import GRDB
import Testing
import SpeakUpCore
import SpeakUpRules
@testable import SpeakUpStore

@Suite("The facts the board report counts: the subject's seniority as routing used it, and the highest level reached")
struct BoardFactsTests {
    @Test("a subject the directory places higher than the report did is counted at the directory's seniority, as routing took it")
    func routedSeniority() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        try store.replaceStaff([
            StaffMember(id: "E1", name: "Eve Exec", unixUser: "eve", role: "medical director", seniority: .executive, managerID: nil, ward: "Board"),
        ])
        let router = RulesRouter(rules: DefaultRules.ruleSet, directory: StaffDirectory(try store.staff()), membership: EscalationTickTests.FakeRoles())
        var named = RoutingStoreTests.report(name: "Eve Exec", role: "")
        named.subject.directoryID = "E1"
        let raised = try store.submit(named, router: router)
        _ = try store.submit(RoutingStoreTests.report(name: "Someone Else"), router: router)
        // The routing said so in its explanation; the report itself still says senior clinician.
        #expect(try store.routing(for: raised.reference)?.explanation.contains(Seniority.takenByRouting(.executive, reported: .seniorClinician)) == true)
        #expect(try store.allReports().allSatisfy { $0.subject.seniority == .seniorClinician })
        let facts = try store.caseFacts()
        #expect(facts.count == 2)
        #expect(Set(facts.map(\.subjectSeniority)) == [.executive, .seniorClinician])
    }

    @Test("an escalated case keeps the highest level it reached, even after a handler lowers it")
    func highestLevel() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let report = try store.submit(CaseDeskTests.report("Shouted."), router: FixedRouter(handlers: ["gita"]))
        _ = try store.submit(CaseDeskTests.report("Quiet."), router: FixedRouter(handlers: ["gita"]))
        #expect(try store.escalate(report.reference, missed: .acknowledge, at: Reports.moment.addingTimeInterval(8 * 86_400)) { _, routing in
            var next = routing
            next.level = .authority
            return next
        })
        try store.act(.changeLevel(.informal), on: report.reference, by: "gita", at: Reports.moment.addingTimeInterval(9 * 86_400))
        let level = try store.withDatabase { db in
            try String.fetchOne(db, sql: "SELECT level FROM case_file WHERE reference = ?", arguments: [report.reference.text])
        }
        #expect(level == "informal")  // the case is at informal now...
        let facts = try store.caseFacts()
        // ...and the board counts it at authority; the other case never left informal. Both are about a senior clinician.
        #expect(facts.map(\.highestLevel).sorted() == [.informal, .authority])
        #expect(facts.allSatisfy { $0.subjectSeniority == .seniorClinician })
    }
}
