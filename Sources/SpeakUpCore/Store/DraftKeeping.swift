import Foundation

/// Unfinished reports kept for their owners (open and confidential only: an anonymous
/// report leaves no draft behind).
public protocol DraftKeeping: Sendable {
    /// Keeps a draft of an open or confidential report for its owner, replacing any earlier one.
    func saveDraft(_ draft: ReportDraft, owner: Reporter, at moment: Date) throws(StoreError)

    /// The owner's unfinished draft, if one was left. One that cannot be read throws: it is
    /// never taken for "no draft".
    func draft(owner: Reporter) throws(StoreError) -> ReportDraft?

    /// Forgets the owner's draft (after submitting, or when they choose to start again).
    func discardDraft(owner: Reporter) throws(StoreError)
}
