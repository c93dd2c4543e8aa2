import Foundation
import Testing
import SpeakUpCore
import SpeakUpRules
@testable import SpeakUpStore

@Suite("Safe routing on the store: the policy in every desk call, reports never silently unrouted, errors never permissive")
struct SafeRoutingStoreTests {
    // Mo manages Gita; Asha is independent of both.
    static let staff = [
        StaffMember(id: "M1", name: "Morris Oduya", unixUser: "mo", role: "Matron", seniority: .manager, managerID: nil, ward: "W"),
        StaffMember(id: "G1", name: "Gita Guardian", unixUser: "gita", role: "Guardian", seniority: .practitioner, managerID: "M1", ward: "W"),
        StaffMember(id: "A1", name: "Asha Guardian", unixUser: "asha", role: "Guardian", seniority: .practitioner, managerID: nil, ward: "W"),
    ]

    static func report(about name: String) -> Report {
        Report(reference: .random(), wayOfRaising: .confidential, concerns: [.rudeOrAggressive],
               subject: Subject(name: name, role: "", seniority: .unknown), location: "Ward 7", account: "Shouted at me.",
               reporter: Reporter(userName: "ben", uid: 1002), submitted: .recorded(for: .confidential, at: Reports.moment))
    }

    @Test("a case routed to Gita before the directory said Mo manages her is kept from her in the queue, opening, acting and reminders")
    func policyInEveryCall() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        // Routed with no directory: nothing showed that "Mo" manages Gita.
        let stored = try store.submit(Self.report(about: "Mo"), router: FixedRouter(handlers: ["gita", "asha"]))
        _ = try store.makeReminders(at: Reports.moment.addingTimeInterval(7 * 86_400))
        let desk = store.desk(policy: SubjectChainPolicy(directory: StaffDirectory(Self.staff)))
        #expect(try desk.queue(QueueQuery(), for: "gita", now: Reports.moment).rows.isEmpty)
        #expect(try desk.queue(QueueQuery(), for: "gita", now: Reports.moment).fetched == 1)
        #expect(try desk.queue(QueueQuery(), for: "asha", now: Reports.moment).rows.map(\.reference) == [stored.reference])
        #expect(try desk.reminders(for: "gita").isEmpty)
        #expect(try desk.reminders(for: "asha").count == 1)
        let refused = #expect(throws: StoreError.self) { _ = try desk.openCase(stored.reference, for: "gita", at: Reports.moment) }
        #expect(refused?.sentence.contains("managed by the person the report is about (M1)") == true)
        #expect(throws: StoreError.self) { try desk.act(.acknowledge, on: stored.reference, by: "gita", at: Reports.moment) }
        // Asha may not pass it to Gita either.
        let passed = #expect(throws: StoreError.self) { try desk.act(.reassign(to: "gita"), on: stored.reference, by: "asha", at: Reports.moment) }
        #expect(passed?.sentence.contains("cannot go to gita") == true)
        #expect(try store.events(for: stored.reference).map(\.kind) == [.received, .routed])
        // Nothing was written to the audit trail for the refused opening.
        #expect(try store.auditRecords().allSatisfy { $0.entry.action != "opened" })
    }

    @Test("a report nobody can take is stored as unrouted, listed, and routed by the tick once someone can take it")
    func unroutedThenRouted() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        struct Nobody: GroupMembership { func members(ofGroup group: String) -> [String] { [] } }
        struct Guardians: GroupMembership { func members(ofGroup group: String) -> [String] { group == "speakup-guardians" ? ["asha"] : [] } }
        let stored = try store.submit(Self.report(about: "Someone"), router: RulesRouter(rules: DefaultRules.ruleSet, membership: Nobody()))
        let routing = try #require(try store.routing(for: stored.reference))
        #expect(routing.isUnrouted)
        #expect(routing.explanation.contains { $0.contains("NO HANDLER") })
        #expect(RoutingForReporter.sentence(routing, report: stored)?.contains("Nobody on this system is set up to receive it yet") == true)
        #expect(try store.unroutedCases().map(\.reference) == [stored.reference])
        // Still nobody: nothing changes.
        #expect(try store.routeWaitingCases(at: Reports.moment, router: RulesRouter(rules: DefaultRules.ruleSet, membership: Nobody())).isEmpty)
        let routed = try store.routeWaitingCases(at: Reports.moment.addingTimeInterval(3600), router: RulesRouter(rules: DefaultRules.ruleSet, membership: Guardians()))
        #expect(routed == [stored.reference])
        #expect(try store.unroutedCases().isEmpty)
        #expect(try store.routing(for: stored.reference)?.handlers == ["asha"])
        let desk = store.desk(policy: SubjectChainPolicy(directory: StaffDirectory([])))
        #expect(try desk.queue(QueueQuery(), for: "asha", now: Reports.moment).rows.map(\.reference) == [stored.reference])
    }

    @Test("a history that cannot be read stops the submit: nothing is stored, and the sentence says the words are kept")
    func failedHistoryFailsClosed() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        struct Broken: ReportHistory {
            func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) throws -> Int { throw RoutingFailure("The history could not be read.") }
        }
        struct BrokenHistoryRouter: CaseRouter {
            func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
                try RulesRouter(rules: DefaultRules.ruleSet, membership: EscalationTickTests.FakeRoles()).route(report, history: Broken(), from: from)
            }
        }
        var held = Self.report(about: "Morris Oduya")
        held.hold = MatchingHold(until: CalendarDay(year: 2027, month: 6, day: 1)!)
        let failure = #expect(throws: StoreError.self) { _ = try store.submit(held, router: BrokenHistoryRouter()) }
        #expect(failure?.sentence.contains("has not been saved, and nothing on this screen is lost") == true)
        #expect(try store.allReports().isEmpty)
    }

    @Test("a router that cannot be prepared (the directory unreadable) stops the submit before anything is written")
    func unpreparedRouterFailsClosed() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        struct Unreadable: CaseRouter {
            func prepared() throws -> any CaseRouter { throw RoutingFailure("The staff directory could not be read.") }
            func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting { fatalError("never reached") }
        }
        let failure = #expect(throws: StoreError.self) { _ = try store.submit(Self.report(about: "Mo"), router: Unreadable()) }
        #expect(failure?.sentence.hasPrefix("The staff directory could not be read.") == true)
        #expect(try store.allReports().isEmpty)
    }

    @Test("known_as names survive the store, and a handler's own login written as the subject keeps it from them")
    func loginAsSubject() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        var staff = Self.staff
        staff[1].knownAs = ["Gigi", "G"]
        try store.replaceStaff(staff)
        #expect(try store.staff().first { $0.id == "G1" }?.knownAs == ["Gigi", "G"])
        let router = RulesRouter(rules: DefaultRules.ruleSet, directory: StaffDirectory(try store.staff()), membership: EscalationTickTests.FakeRoles())
        for written in ["gita", "g\u{200B}ita", "Gigi", "Gіta Guardian"] {  // the last with a Cyrillic і
            let stored = try store.submit(Self.report(about: written), router: router)
            let handlers = try #require(try store.routing(for: stored.reference)).handlers
            #expect(!handlers.contains("gita"), "\(written)")
        }
    }

    @Test("a new directory that shows every handler of an open case to be too close to its subject routes it again")
    func rerouteAfterDirectoryChange() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let stranded = try store.submit(Self.report(about: "Mo"), router: FixedRouter(handlers: ["gita"]))
        let fine = try store.submit(Self.report(about: "Someone Else"), router: FixedRouter(handlers: ["gita"]))
        try store.replaceStaff(Self.staff)
        let router = RulesRouter(rules: DefaultRules.ruleSet, directory: StaffDirectory(try store.staff()), membership: EscalationTickTests.FakeRoles())
        let policy = SubjectChainPolicy(router: router)
        #expect(try store.rerouteWithheldCases(policy: policy, router: router, at: Reports.moment) == [stranded.reference])
        let routing = try #require(try store.routing(for: stranded.reference))
        #expect(routing.explanation.first == "Routed again: the staff directory changed, and nobody who had the case may see it now.")
        #expect(!routing.handlers.contains("gita") && !routing.handlers.isEmpty)
        #expect(try store.routing(for: fine.reference)?.handlers == ["gita"])
        // Checked again: nothing is left to do.
        #expect(try store.rerouteWithheldCases(policy: policy, router: router, at: Reports.moment).isEmpty)
    }
}
