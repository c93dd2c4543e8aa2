import Foundation

/// A closed case whose content the retention policy says is due for erasure.
public struct DueCase: Hashable, Sendable {
    public var reference: CaseReference
    /// The day it closed (UTC, as its closing event keeps it).
    public var closedOn: CalendarDay
    /// How it ended (`CaseOutcome`'s raw value), if its closing says.
    public var outcome: String?
    /// Which rule makes it due, in words ("closed upheld, kept 10 years").
    public var rule: String

    public init(reference: CaseReference, closedOn: CalendarDay, outcome: String?, rule: String) {
        self.reference = reference
        self.closedOn = closedOn
        self.outcome = outcome
        self.rule = rule
    }
}

/// What a retention run would do (or, after it, did): nothing in it is content.
public struct RetentionPlan: Hashable, Sendable {
    /// Closed cases due for erasure and not under legal hold.
    public var cases: [DueCase] = []
    /// Cases that would be due but are under legal hold: kept.
    public var held: [CaseReference] = []
    /// Cases whose receipt code has expired (their content may still be kept).
    public var receipts: [CaseReference] = []
    /// Unsent drafts past their time.
    public var drafts = 0

    public init(cases: [DueCase] = [], held: [CaseReference] = [], receipts: [CaseReference] = [], drafts: Int = 0) {
        self.cases = cases
        self.held = held
        self.receipts = receipts
        self.drafts = drafts
    }

    public var isEmpty: Bool { cases.isEmpty && receipts.isEmpty && drafts == 0 }
}

/// Erasing what the retention policy no longer lets the store keep (`speakup retention run`).
///
/// Kept apart from `ReportStore`: no screen needs it, only the retention command, like
/// `StoreHousekeeping`. Every engine keeps the same promises (the conformance suite holds them):
/// a case under legal hold is never erased; cases are erased a batch at a time, each batch in
/// one transaction, so a run stopped at any moment leaves every case whole or fully erased (a
/// case is never half erased, and a batch is never half committed); what statistics and past
/// returns count (`CaseFacts`) is kept; each erased event keeps a tombstone with the digest its
/// audit record holds, so the audit chain still verifies, and the erasure is itself chained.
public protocol RetentionKeeping: Sendable {
    /// What is due on `today` under `policy`. Changes nothing.
    func retentionPlan(_ policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> RetentionPlan

    /// Erases a batch of cases' content for good, in one transaction, checking again inside it
    /// that each case is closed, due under `policy` on `today` and not under legal hold. Returns
    /// the cases erased; one left out was not erased because it no longer is due (a hold set
    /// since the plan, or erased already). Keep batches short (`RetentionRun.batchSize`): every
    /// other writer waits for the whole batch.
    func eraseCases(_ cases: [DueCase], policy: RetentionPolicy, today: CalendarDay, by actor: String?, at moment: Date) throws(StoreError) -> Set<CaseReference>

    /// Removes closed cases' receipts once their time is over (never under legal hold), in one
    /// transaction; how many were removed (one already gone or no longer due is left).
    func expireReceipts(_ references: [CaseReference], policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> Int

    /// Removes unsent drafts past their time; how many.
    func expireDrafts(_ policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> Int

    /// After erasing: frees and overwrites what the erased rows left in the store's files (SQLite:
    /// the search index's segments merged and an emptied log; PostgreSQL: a vacuum), in steps
    /// short enough that other writers are kept waiting no longer than a batch would.
    func compactAfterErasure() throws(StoreError)

    /// Whether a case is under legal hold now.
    func isUnderLegalHold(_ reference: CaseReference) throws(StoreError) -> Bool
}

extension RetentionKeeping {
    /// Erases one case (a batch of one): false when it no longer is due.
    public func eraseCase(_ due: DueCase, policy: RetentionPolicy, today: CalendarDay, by actor: String?, at moment: Date) throws(StoreError) -> Bool {
        try eraseCases([due], policy: policy, today: today, by: actor, at: moment).contains(due.reference)
    }

    /// Removes one case's receipt: false when there was none to remove or it is no longer due.
    public func expireReceipt(_ reference: CaseReference, policy: RetentionPolicy, today: CalendarDay) throws(StoreError) -> Bool {
        try expireReceipts([reference], policy: policy, today: today) > 0
    }
}
