import Foundation

/// A retention run as `speakup retention run` does it, on any engine: the plan's cases erased a
/// batch at a time (`RetentionKeeping.eraseCases`), then expired receipts and old drafts, then
/// (a step of its own, `compact`) what the erased rows left in the store's files made
/// unrecoverable. The benchmark runs this same code (`make bench BENCH_ARGS="--only retention"`).
public struct RetentionRun: Sendable {
    /// Cases erased in one transaction. One per transaction costs one flush to disk per case
    /// (synchronous=FULL); a batch shares one flush among its cases, and is meant to stay short
    /// enough that a reporter's submit, which waits for the batch under way, hardly notices
    /// (measured by `make bench BENCH_ARGS="--only retention"`, docs/performance.md).
    public static let batchSize = 100

    public let store: any RetentionKeeping
    public let policy: RetentionPolicy
    public let today: CalendarDay
    /// Who ran it (their login), for the audit records; nil: `RetentionErasure.actor`.
    public let actor: String?
    public var batchSize: Int
    /// The moment each batch's audit records are dated.
    public var clock: @Sendable () -> Date

    public init(store: any RetentionKeeping, policy: RetentionPolicy, today: CalendarDay, actor: String?, batchSize: Int = Self.batchSize,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.policy = policy
        self.today = today
        self.actor = actor
        self.batchSize = max(1, batchSize)
        self.clock = clock
    }

    /// What a run did.
    public struct Done: Hashable, Sendable {
        public var erased = 0
        /// Planned cases left whole because they were no longer due when their batch came
        /// (put under legal hold, or erased by another run, since the plan).
        public var kept: [CaseReference] = []
        public var receipts = 0
        public var drafts = 0

        public var changedAnything: Bool { erased + receipts + drafts > 0 }
    }

    /// Erases the plan's cases, a batch per transaction, then removes its expired receipts (a
    /// batch per transaction too) and old drafts. `batchDone` hears each batch of cases once it is
    /// committed, with those of it erased: so what it is told has happened, whatever happens next.
    /// A run stopped part way (an error, a kill) leaves each batch committed whole or not at all;
    /// the next run's plan holds what is left.
    public func erase(_ plan: RetentionPlan, batchDone: ([DueCase], Set<CaseReference>) -> Void = { _, _ in }) throws(StoreError) -> Done {
        var done = Done()
        var start = plan.cases.startIndex
        while start < plan.cases.endIndex {
            let batch = Array(plan.cases[start..<min(start + batchSize, plan.cases.endIndex)])
            let erased = try store.eraseCases(batch, policy: policy, today: today, by: actor, at: clock())
            done.erased += erased.count
            done.kept += batch.map(\.reference).filter { !erased.contains($0) }
            batchDone(batch, erased)
            start += batch.count
        }
        start = plan.receipts.startIndex
        while start < plan.receipts.endIndex {
            let batch = Array(plan.receipts[start..<min(start + batchSize, plan.receipts.endIndex)])
            done.receipts += try store.expireReceipts(batch, policy: policy, today: today)
            start += batch.count
        }
        done.drafts = try store.expireDrafts(policy, today: today)
        return done
    }

    /// After `erase` changed anything: the search index's segments merged and the log emptied
    /// (SQLite), or the tables vacuumed (PostgreSQL), so the erased words cannot be read back.
    public func compact() throws(StoreError) {
        try store.compactAfterErasure()
    }
}
