import Foundation
import Testing
import SpeakUpCore
import SpeakUpRules
@testable import SpeakUpStore

@Suite("Held until someone else reports the same person")
struct MatchingHoldTests {
    static let router = RulesRouter(rules: DefaultRules.ruleSet, membership: EscalationTickTests.FakeRoles())
    static let day: TimeInterval = 86_400

    static func held(_ way: WayOfRaising = .anonymous, name: String? = "Dr John Smith") -> Report {
        var report = RoutingStoreTests.report(way, name: name)
        report.hold = MatchingHold(until: CalendarDay(year: 2027, month: 11, day: 27)!)
        return report
    }

    @Test("a held report reaches nobody, and says why")
    func held() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let report = try store.submit(Self.held(), receipt: .random(), router: Self.router)
        let routing = try #require(try store.routing(for: report.reference))
        #expect(routing.held && routing.handlers.isEmpty)
        #expect(routing.explanation.last?.hasPrefix("Held:") == true)
        // Held cases are not escalated while they wait.
        #expect(try DeadlineTick(router: Self.router).run(on: store, now: Reports.moment.addingTimeInterval(30 * Self.day)).isEmpty)
    }

    @Test("another report naming the same person releases it, in the same transaction")
    func releasedByMatch() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let first = try store.submit(Self.held(), receipt: .random(), router: Self.router)
        _ = try store.submit(RoutingStoreTests.report(.open, name: "Someone Else"), router: Self.router)
        #expect(try store.routing(for: first.reference)?.held == true)
        _ = try store.submit(RoutingStoreTests.report(.open, name: "dr. john smith"), router: Self.router)
        let routing = try #require(try store.routing(for: first.reference))
        #expect(!routing.held && routing.handlers == ["asha", "gita"])
        #expect(routing.explanation.contains("Released from its hold: another report names the same person."))
        let events = try store.events(for: first.reference)
        #expect(events.map(\.kind) == [.received, .routed, .routed])
        #expect(events.last?.at.text.count == 10)  // anonymous: the day only
    }

    @Test("a released report does not count itself in patterns")
    func releasedDoesNotCountItself() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let held = try store.submit(Self.held(), receipt: .random(), router: Self.router)
        _ = try store.submit(RoutingStoreTests.report(.open), router: Self.router)  // the second report about him
        #expect(try store.routing(for: held.reference)?.level == .informal)      // 2 reports: not yet a pattern
    }

    @Test("a held case is never escalated, even if its hold's end is overdue")
    func heldNeverEscalated() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        _ = try store.submit(Self.held(), receipt: .random(), router: Self.router)
        #expect(try store.casesPastDeadline(at: Reports.moment.addingTimeInterval(800 * Self.day)).isEmpty)
    }

    @Test("a second report by the same (identified) reporter does not release their own held report")
    func sameReporterDoesNotRelease() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let held = try store.submit(Self.held(.confidential), router: Self.router)   // reporter ben, uid 1002
        _ = try store.submit(RoutingStoreTests.report(.open), router: Self.router)    // ben again
        #expect(try store.routing(for: held.reference)?.held == true)
        var other = RoutingStoreTests.report(.open)
        other.reporter = Reporter(userName: "cara", uid: 1003)
        _ = try store.submit(other, router: Self.router)
        #expect(try store.routing(for: held.reference)?.held == false)
    }

    @Test("a person already reported before releases a new held report at once")
    func earlierReportMatches() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        _ = try store.submit(RoutingStoreTests.report(.open), router: Self.router)
        let second = try store.submit(Self.held(), receipt: .random(), router: Self.router)
        #expect(try store.routing(for: second.reference)?.held == false)
    }

    @Test("when the hold ends, the tick releases it, even for an unnamed person")
    func releasedByTime() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let report = try store.submit(Self.held(name: nil), receipt: .random(), router: Self.router)
        let tick = DeadlineTick(router: Self.router)
        #expect(try tick.releaseHolds(on: store, now: Reports.moment.addingTimeInterval(100 * Self.day)).isEmpty)
        let released = try tick.releaseHolds(on: store, now: Reports.moment.addingTimeInterval(366 * Self.day))
        #expect(released == [report.reference])
        #expect(try store.routing(for: report.reference)?.handlers == ["asha", "gita"])
        #expect(try tick.releaseHolds(on: store, now: Reports.moment.addingTimeInterval(367 * Self.day)).isEmpty)
    }
}
