import Foundation

/// Where reports are kept. The form and the commands see only this; SQLite (and
/// PostgreSQL later) live behind it in SpeakUpStore.
public protocol ReportStore: Sendable {
    /// Stores the report, its first case event, the receipt's hash (anonymous
    /// reports) and the removal of the reporter's draft in one durable transaction.
    ///
    /// Returns the report as stored: if its reference was already taken, the
    /// store gives it a fresh one. When this returns, the report is on disk;
    /// when it throws, nothing of it was stored.
    /// `owner` is the person at the terminal: their draft goes in the same transaction,
    /// even when the report itself, being anonymous, does not name them; nil leaves drafts alone
    /// (a draft that could not be read is never removed or overwritten).
    /// `router` decides, inside the same transaction, where the report goes; its
    /// decision is kept as the case's "routed" event.
    func submit(_ report: Report, receipt: ReceiptCode?, discardingDraftOf owner: Reporter?, router: (any CaseRouter)?) throws(StoreError) -> Report

    /// The staff directory (empty until one is imported).
    func staff() throws(StoreError) -> [StaffMember]

    /// The routing decision kept with a case (the latest, after any escalation), if it was routed.
    func routing(for reference: CaseReference) throws(StoreError) -> CaseRouting?

    /// Cases with a deadline passed by `now`, not met and not yet escalated, in one
    /// query (so a tick over many open cases costs little when few are due).
    func casesPastDeadline(at now: Date) throws(StoreError) -> [(CaseReference, CaseDeadline)]

    /// Routes again every held case whose hold has ended by `now`, releasing it.
    func releaseEndedHolds(at now: Date, router: any CaseRouter) throws(StoreError) -> [CaseReference]

    /// If `deadline` has passed by `now`, is not met, and was not escalated before,
    /// appends the escalation `decide` works out, all in one transaction (so two
    /// ticks at once escalate a case once). Returns whether it escalated.
    func escalate(_ reference: CaseReference, missed deadline: CaseDeadline, at now: Date,
                  decide: (Report, CaseRouting) -> CaseRouting) throws(StoreError) -> Bool

    /// The anonymous report a receipt code belongs to, or nil. Costs the same
    /// (one slow hash and one lookup) whether or not the code is known.
    func report(forReceipt code: ReceiptCode) throws(StoreError) -> Report?

    /// The reports raised openly or confidentially by this person (their real uid), oldest first.
    func reports(raisedBy reporter: Reporter) throws(StoreError) -> [Report]

    /// Appends an event to a case's timeline (the store numbers it), with its
    /// audit record. Anonymous cases keep only the day of `moment`. `actor` is the
    /// login that did it; nil for an anonymous reporter.
    func appendEvent(to reference: CaseReference, kind: CaseEvent.Kind, text: String?, actor: String?, at moment: Date) throws(StoreError) -> CaseEvent

    /// Keeps a draft of an open or confidential report for its owner, replacing any earlier one.
    func saveDraft(_ draft: ReportDraft, owner: Reporter, at moment: Date) throws(StoreError)

    /// The owner's unfinished draft, if one was left.
    func draft(owner: Reporter) throws(StoreError) -> ReportDraft?

    /// Forgets the owner's draft (after submitting, or when they choose to start again).
    func discardDraft(owner: Reporter) throws(StoreError)

    /// Every report, oldest first.
    func allReports() throws(StoreError) -> [Report]

    /// The timeline of one case, in order.
    func events(for reference: CaseReference) throws(StoreError) -> [CaseEvent]

    /// Housekeeping once a saved report's confirmation is on screen.
    func tidy()

    /// How long this store's writes wait for other terminals, shared with the screen using it;
    /// nil for a store that never waits.
    var writeWait: StoreWait? { get }
}

/// A store failure, with a sentence a person can act on.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of failure a person can meet.
    public enum Kind: String, Hashable, Sendable {
        case missing, cannotOpen, notAStore, newerVersion, readOnly, diskFull, busy, damaged, failed
    }

    public var kind: Kind
    /// What happened and what to do, in plain words.
    public var sentence: String

    public init(_ kind: Kind, _ sentence: String) {
        self.kind = kind
        self.sentence = sentence
    }

    public var description: String { sentence }
}

extension ReportStore {
    /// Housekeeping after a report is saved and the reporter told (the SQLite store copies its log
    /// back into the file here, rather than inside the reporter's submit). Does nothing by default.
    public func tidy() {}

    /// A store that never waits for another terminal.
    public var writeWait: StoreWait? { nil }

    /// Appends an event that names nobody.
    public func appendEvent(to reference: CaseReference, kind: CaseEvent.Kind, text: String?, at moment: Date) throws(StoreError) -> CaseEvent {
        try appendEvent(to: reference, kind: kind, text: text, actor: nil, at: moment)
    }
}
