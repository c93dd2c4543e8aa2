import Foundation

/// The handlers' side of the store: the workspace (`CaseDesk`) under a handler policy, and what
/// administrators and the board read without one (references, days and counts, no words).
public protocol Workspace: Sendable {
    /// The workspace on this store, under `policy`.
    func desk(policy: any HandlerPolicy) -> any CaseDesk

    /// Reports stored with nobody able to handle them (not held, not closed), oldest first.
    func unroutedCases() throws(StoreError) -> [UnroutedCase]

    /// Every case's facts for statistics, returns and the board: counts only, no case content.
    /// `now` (else the store's clock) decides whether a deadline not yet met is already late.
    func caseFacts(now: Date?) throws(StoreError) -> [CaseFacts]

    /// The board's counts for `quarter` (`speakup board`), made in the store from the board columns
    /// each case keeps (docs/store.md), reading only the cases of the four quarters shown, the
    /// answers given in the quarter and its check-ins: the same figures `caseFacts` gives, without
    /// reading every case. `now` (else the store's clock) decides whether a deadline not yet met is late.
    func boardTally(for quarter: Quarter, now: Date?) throws(StoreError) -> BoardTally

    /// One report, for the administrator's tools (`rules explain`): no handler policy, no audit record.
    func report(_ reference: CaseReference) throws(StoreError) -> Report?
}

extension Workspace {
    public func caseFacts() throws(StoreError) -> [CaseFacts] { try caseFacts(now: nil) }

    public func boardTally(for quarter: Quarter) throws(StoreError) -> BoardTally { try boardTally(for: quarter, now: nil) }
}
