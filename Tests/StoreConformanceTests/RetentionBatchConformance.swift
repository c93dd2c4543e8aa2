import Foundation
import Synchronization
import Testing
import SpeakUpCore

/// A retention run erases cases a batch per transaction (`RetentionRun`): what a batch promises,
/// on every engine.
@Suite("Conformance: retention runs in batches (each engine)")
struct RetentionBatchConformance {
    /// `count` cases closed on the example day (due a year later under the conformance policy).
    static func closedCases(_ made: StoreUnderTest, _ count: Int) throws -> [Report] {
        try (0..<count).map { index in
            try RetentionConformance.make(made, account: "Batch account \(index), to be erased.", closed: Examples.moment)
        }
    }

    static var today: CalendarDay { RetentionConformance.later }

    /// Each case is whole (its account there) or fully erased (account, subject and note gone).
    static func erased(_ made: StoreUnderTest, _ cases: [Report]) throws -> Set<CaseReference> {
        var erased: Set<CaseReference> = []
        for report in try made.store.allReports() where cases.contains(where: { $0.reference == report.reference }) {
            let note = try made.store.events(for: report.reference).first { $0.kind == .note }
            if report.account.isEmpty {
                #expect(report.subject.name == nil && note?.text == nil, "\(report.reference) is half erased")
                erased.insert(report.reference)
            } else {
                #expect(report.account.hasPrefix("Batch account") && note?.text != nil, "\(report.reference) is half erased")
            }
        }
        return erased
    }

    @Test("a legal hold set between two batches keeps its case, and the rest of the run goes on", arguments: Engine.allCases)
    func holdBetweenBatches(engine: Engine) throws {
        let made = try engine.freshStore()
        let cases = try Self.closedCases(made, 6)
        let plan = try made.store.retentionPlan(RetentionConformance.policy, today: Self.today)
        #expect(plan.cases.count == 6)
        let last = try #require(plan.cases.last).reference
        let desk = made.store.desk(policy: EveryoneMay())
        let run = RetentionRun(store: made.store, policy: RetentionConformance.policy, today: Self.today, actor: "admin", batchSize: 2, clock: { Examples.moment })
        var batches: [[CaseReference]] = []
        let done = try run.erase(plan) { batch, erased in
            batches.append(batch.map(\.reference))
            #expect(erased == Set(batch.map(\.reference).filter { $0 != last }))
            // After the first batch is committed, a handler puts the plan's last case under hold.
            if batches.count == 1 {
                try? desk.act(.legalHold(reason: "Tribunal claim"), on: last, by: "asha", at: Examples.moment.addingTimeInterval(60))
            }
        }
        #expect(batches.count == 3 && batches.allSatisfy { $0.count == 2 })
        #expect(done.erased == 5 && done.kept == [last])
        #expect(try Self.erased(made, cases) == Set(plan.cases.map(\.reference)).subtracting([last]))
        #expect(try made.store.verifyAudit(today: RetentionConformance.later, anchor: nil).firstBroken == nil)
        #expect(try made.store.retentionPlan(RetentionConformance.policy, today: Self.today).held == [last])
    }

    /// A store whose second batch fails, as a run stopped (a power cut, a kill) between batches would.
    final class StopsAtSecondBatch: RetentionKeeping, @unchecked Sendable {
        let inner: any OpenedStore
        let batches = Mutex(0)
        init(_ inner: any OpenedStore) { self.inner = inner }

        func retentionPlan(_ policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> RetentionPlan {
            try inner.retentionPlan(policy, today: today)
        }
        func eraseCases(_ cases: [DueCase], policy: RetentionPolicy, today: CalendarDay, by actor: String?, at moment: Date) throws(StoreError) -> Set<CaseReference> {
            let batch = batches.withLock { (count: inout Int) -> Int in
                count += 1
                return count
            }
            if batch == 2 { throw StoreError(.failed, "The power went.") }
            return try inner.eraseCases(cases, policy: policy, today: today, by: actor, at: moment)
        }
        func expireReceipts(_ references: [CaseReference], policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> Int {
            try inner.expireReceipts(references, policy: policy, today: today)
        }
        func expireDrafts(_ policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> Int { try inner.expireDrafts(policy, today: today) }
        func compactAfterErasure() throws(StoreError) { try inner.compactAfterErasure() }
        func isUnderLegalHold(_ reference: CaseReference) throws(StoreError) -> Bool { try inner.isUnderLegalHold(reference) }
    }

    @Test("a run stopped between batches leaves the first batch erased and every other case whole; the next run finishes", arguments: Engine.allCases)
    func stoppedBetweenBatches(engine: Engine) throws {
        let made = try engine.freshStore()
        let cases = try Self.closedCases(made, 7)
        let stopping = StopsAtSecondBatch(made.store)
        let plan = try stopping.retentionPlan(RetentionConformance.policy, today: Self.today)
        let run = RetentionRun(store: stopping, policy: RetentionConformance.policy, today: Self.today, actor: "admin", batchSize: 3, clock: { Examples.moment })
        var told: Set<CaseReference> = []
        do {
            _ = try run.erase(plan) { _, erased in told.formUnion(erased) }
            Issue.record("the run should have stopped at its second batch")
        } catch {
            #expect(error.sentence == "The power went.")
        }
        #expect(told == Set(plan.cases.prefix(3).map(\.reference)), "the first batch was told, and only it")
        #expect(try Self.erased(made, cases) == told)
        #expect(try made.store.verifyAudit(today: RetentionConformance.later, anchor: nil).firstBroken == nil)
        // The next run's plan holds the rest, and finishes.
        let rest = try made.store.retentionPlan(RetentionConformance.policy, today: Self.today)
        #expect(Set(rest.cases.map(\.reference)) == Set(plan.cases.dropFirst(3).map(\.reference)))
        try RetentionConformance.run(made.store, today: Self.today)
        #expect(try Self.erased(made, cases).count == 7)
        let verified = try made.store.verifyAudit(today: RetentionConformance.later, anchor: nil)
        #expect(verified.firstBroken == nil && verified.erasedCases == 7)
    }

    @Test("a case put under hold after the plan is kept while the others of its batch are erased in the same transaction", arguments: Engine.allCases)
    func holdInsideABatch(engine: Engine) throws {
        let made = try engine.freshStore()
        let cases = try Self.closedCases(made, 3)
        let plan = try made.store.retentionPlan(RetentionConformance.policy, today: Self.today)
        let middle = plan.cases[1].reference
        try made.store.desk(policy: EveryoneMay()).act(.legalHold(reason: "Inquest"), on: middle, by: "asha", at: Examples.moment.addingTimeInterval(60))
        let erased = try made.store.eraseCases(plan.cases, policy: RetentionConformance.policy, today: Self.today, by: "admin", at: Examples.moment)
        #expect(erased == Set([plan.cases[0].reference, plan.cases[2].reference]))
        #expect(try Self.erased(made, cases) == erased)
        #expect(try made.store.verifyAudit(today: RetentionConformance.later, anchor: nil).firstBroken == nil)
    }

    @Test("a case given twice in one batch (planned once for each closing) is erased once, with one erasure row and one audit record", arguments: Engine.allCases)
    func sameCaseTwiceInABatch(engine: Engine) throws {
        let made = try engine.freshStore()
        let cases = try Self.closedCases(made, 2)
        let plan = try made.store.retentionPlan(RetentionConformance.policy, today: Self.today)
        let twice = [plan.cases[0], plan.cases[1], plan.cases[0]]
        let erased = try made.store.eraseCases(twice, policy: RetentionConformance.policy, today: Self.today, by: "admin", at: Examples.moment)
        #expect(erased == Set(plan.cases.map(\.reference)))
        #expect(try Self.erased(made, cases) == erased)
        let verified = try made.store.verifyAudit(today: RetentionConformance.later, anchor: nil)
        #expect(verified.firstBroken == nil && verified.erasedCases == 2)
        // Given again in a later batch, it is left as it is.
        #expect(try made.store.eraseCases([plan.cases[0]], policy: RetentionConformance.policy, today: Self.today, by: "admin", at: Examples.moment).isEmpty)
    }
}
