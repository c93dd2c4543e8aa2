import Foundation
import GRDB
import Testing
import SpeakUpCore
import SpeakUpRules
@testable import SpeakUpStore

@Suite("escalate tick: passed deadlines, applied once")
struct EscalationTickTests {
    static let router = RulesRouter(rules: DefaultRules.ruleSet, membership: FakeRoles())
    static let day: TimeInterval = 86_400

    /// Guardians asha and gita, patient safety pat, independent ned.
    struct FakeRoles: GroupMembership {
        func members(ofGroup group: String) -> [String] {
            ["speakup-guardians": ["asha", "gita"], "speakup-patient-safety": ["pat"], "speakup-independent": ["ned"]][group] ?? []
        }
    }

    static func store(_ folder: TemporaryFolder) throws -> (SQLiteReportStore, Report) {
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let report = try store.submit(RoutingStoreTests.report(.confidential), router: router)
        return (store, report)
    }

    @Test("not acknowledged after 7 days: patient safety is added; running the tick again changes nothing")
    func acknowledgeMissed() throws {
        let folder = TemporaryFolder()
        let (store, report) = try Self.store(folder)
        let tick = DeadlineTick(router: Self.router)
        #expect(try tick.run(on: store, now: Reports.moment.addingTimeInterval(6 * Self.day)).isEmpty)
        let first = try tick.run(on: store, now: Reports.moment.addingTimeInterval(8 * Self.day))
        #expect(first == [DeadlineTick.Escalated(reference: report.reference, deadline: .acknowledge)])
        let routing = try #require(try store.routing(for: report.reference))
        #expect(routing.roles == ["guardian", "patient-safety"])
        #expect(routing.handlers == ["asha", "gita", "pat"])
        #expect(routing.level == .informal)
        #expect(try tick.run(on: store, now: Reports.moment.addingTimeInterval(8 * Self.day)).isEmpty)
        #expect(try store.events(for: report.reference).map(\.kind) == [.received, .routed, .escalated])
    }

    @Test("no feedback after 3 months: the level rises and the independent route is told")
    func feedBackMissed() throws {
        let folder = TemporaryFolder()
        let (store, report) = try Self.store(folder)
        _ = try store.appendEvent(to: report.reference, kind: .acknowledged, text: nil, at: Reports.moment.addingTimeInterval(Self.day))
        let tick = DeadlineTick(router: Self.router)
        let done = try tick.run(on: store, now: Reports.moment.addingTimeInterval(100 * Self.day))
        #expect(done == [DeadlineTick.Escalated(reference: report.reference, deadline: .feedBack)])
        let routing = try #require(try store.routing(for: report.reference))
        #expect(routing.level == .awareness)
        #expect(routing.handlers.contains("ned"))
        #expect(routing.explanation.first == "No feedback in time.")
    }

    @Test("an acknowledgement after the deadline does not undo the missed deadline")
    func lateAcknowledgement() throws {
        let folder = TemporaryFolder()
        let (store, report) = try Self.store(folder)
        _ = try store.appendEvent(to: report.reference, kind: .acknowledged, text: nil, at: Reports.moment.addingTimeInterval(9 * Self.day))
        let done = try DeadlineTick(router: Self.router).run(on: store, now: Reports.moment.addingTimeInterval(10 * Self.day))
        #expect(done == [DeadlineTick.Escalated(reference: report.reference, deadline: .acknowledge)])
    }

    @Test("a closed case is never escalated")
    func closedCase() throws {
        let folder = TemporaryFolder()
        let (store, report) = try Self.store(folder)
        _ = try store.appendEvent(to: report.reference, kind: .closed, text: "Done.", at: Reports.moment.addingTimeInterval(Self.day))
        #expect(try DeadlineTick(router: Self.router).run(on: store, now: Reports.moment.addingTimeInterval(400 * Self.day)).isEmpty)
    }

    @Test("two ticks at once escalate each case once between them")
    func concurrentTicks() async throws {
        let folder = TemporaryFolder()
        let (store, _) = try Self.store(folder)
        for _ in 0..<9 { _ = try store.submit(RoutingStoreTests.report(.open), router: Self.router) }
        let path = folder.file()
        let later = Reports.moment.addingTimeInterval(8 * Self.day)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let own = try SQLiteReportStore(path: path, receiptRounds: 1 << 10)
                    return try DeadlineTick(router: Self.router).run(on: own, now: later).count
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(counts == 10)
        let escalations = try store.withDatabase { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_event WHERE kind = 'escalated'")! }
        #expect(escalations == 10)
    }
}
