import Foundation
import GRDB
import Testing
import SpeakUpCore
import SpeakUpRules
@testable import SpeakUpStore

@Suite("Routing inside the submit transaction")
struct RoutingStoreTests {
    static let groups = OwnerHoldsEveryRole(owner: "asha")

    static func report(_ way: WayOfRaising = .confidential, name: String? = "Dr John Smith", role: String = "consultant") -> Report {
        Report(reference: .random(), wayOfRaising: way, concerns: [.rudeOrAggressive],
               subject: Subject(name: name, role: role, seniority: .seniorClinician), location: "Ward 7",
               account: "Shouted.", reporter: Reporter(userName: "ben", uid: 1002), submitted: .recorded(for: way, at: Reports.moment))
    }

    @Test("the shipped default rules file and the built-in rules are the same text")
    func defaultRulesInSync() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(try String(contentsOf: root.appendingPathComponent("docs/rules/default.yaml"), encoding: .utf8) == DefaultRules.text + "\n")
    }

    @Test("a routed report keeps its decision as its second event, and it reads back")
    func routedEvent() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let router = RulesRouter(rules: DefaultRules.ruleSet, membership: Self.groups)
        let report = try store.submit(Self.report(), router: router)
        let events = try store.events(for: report.reference)
        #expect(events.map(\.kind) == [.received, .routed])
        #expect(events[1].text?.contains("Route \"everything-else\"") == true)
        let routing = try #require(try store.routing(for: report.reference))
        #expect(routing.level == .informal && routing.handlers == ["asha"] && routing.roles == ["guardian"])
        #expect(routing.acknowledgeBy == Reports.moment.addingTimeInterval(7 * 86_400))
    }

    @Test("handlers the reporter asked to exclude (by login or name) never see it, and the wish is kept")
    func reporterExclusions() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let router = RulesRouter(rules: DefaultRules.ruleSet, membership: EscalationTickTests.FakeRoles())
        var report = Self.report()
        report.excludedHandlers = ["gita"]
        let stored = try store.submit(report, router: router)
        #expect(try store.routing(for: stored.reference)?.handlers == ["asha"])
        #expect(try store.allReports().first?.excludedHandlers == ["gita"])
    }

    @Test("a subject picked from the directory is kept by id, and their team never sees the report")
    func pickedSubject() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        try store.replaceStaff([
            StaffMember(id: "M1", name: "Mo Manager", unixUser: "mo", role: "matron", seniority: .manager, managerID: nil, ward: "W"),
            StaffMember(id: "G1", name: "Gita Guardian", unixUser: "gita", role: "guardian", seniority: .practitioner, managerID: "M1", ward: "W"),
        ])
        let router = RulesRouter(rules: DefaultRules.ruleSet, directory: StaffDirectory(try store.staff()), membership: EscalationTickTests.FakeRoles())
        var report = Self.report(name: "Mo Manager", role: "")
        report.subject.directoryID = "M1"
        let stored = try store.submit(report, router: router)
        #expect(try store.allReports().first?.subject.directoryID == "M1")
        // Gita is managed by Mo; Asha is not in the directory, so whether Mo manages her cannot be
        // told, and she is left out too: the independent route (Ned) takes it.
        let routing = try #require(try store.routing(for: stored.reference))
        #expect(routing.handlers == ["ned"])
        #expect(routing.explanation.contains("Left out: asha, not in the staff directory, so SpeakUp cannot tell whether the person the report may be about manages them."))
    }

    @Test("the third report about the same person (by name and role) within 28 months is routed at awareness level")
    func patternFromHistory() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let router = RulesRouter(rules: DefaultRules.ruleSet, membership: Self.groups)
        _ = try store.submit(Self.report(.open), router: router)
        _ = try store.submit(Self.report(.anonymous, name: "john smith", role: "Consultant"), receipt: .random(), router: router)
        let third = try store.submit(Self.report(.confidential, name: "Dr. John Smith"), router: router)
        #expect(try store.routing(for: third.reference)?.level == .awareness)
        let other = try store.submit(Self.report(name: "Someone Else"), router: router)
        #expect(try store.routing(for: other.reference)?.level == .informal)
    }

    @Test("an anonymous report's deadlines start at its day, so they give away no time")
    func anonymousDeadlines() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let router = RulesRouter(rules: DefaultRules.ruleSet, membership: Self.groups)
        let report = try store.submit(Self.report(.anonymous), receipt: .random(), router: router)
        let routing = try #require(try store.routing(for: report.reference))
        #expect(routing.acknowledgeBy.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) == "2026-12-04T00:00:00Z")
        let detail = try store.withDatabase { db in try String.fetchAll(db, sql: "SELECT detail FROM case_event WHERE detail IS NOT NULL") }
        #expect(detail.allSatisfy { !$0.contains("09:01") })
    }
}
