import Foundation

/// What a reporter comes back for: their reports (by login, or by receipt when anonymous),
/// each case's timeline and where it went, and their answers to the handlers.
public protocol ReporterFollowUp: Sendable {
    /// The anonymous report a receipt code belongs to, or nil. Costs the same
    /// (one slow hash and one lookup) whether or not the code is known.
    func report(forReceipt code: ReceiptCode) throws(StoreError) -> Report?

    /// The reports raised openly or confidentially by this person (their real uid), oldest first.
    func reports(raisedBy reporter: Reporter) throws(StoreError) -> [Report]

    /// The timeline of one case, in order.
    func events(for reference: CaseReference) throws(StoreError) -> [CaseEvent]

    /// The routing decision kept with a case (the latest, after any escalation), if it was routed.
    func routing(for reference: CaseReference) throws(StoreError) -> CaseRouting?

    /// Appends an event to a case's timeline (the store numbers it), with its
    /// audit record. Anonymous cases keep only the day of `moment`. `actor` is the
    /// login that did it; nil for an anonymous reporter.
    func appendEvent(to reference: CaseReference, kind: CaseEvent.Kind, text: String?, actor: String?, at moment: Date) throws(StoreError) -> CaseEvent

    /// Records the reporter's answer to the detriment check-in due on the (local) day of `moment`
    /// (`DetrimentCheckIn.due`, worked out inside the transaction from the case's events), once: when
    /// none is due (the case is open, it is too early or too late, or it was answered already) it
    /// throws `.failed` and stores nothing. An answer of yes opens, in the same transaction, a linked
    /// case (`DetrimentCheckIn.linkedReport`, with `account`) routed by `router` as a submit routes
    /// it, given `receipt`'s hash when no login leads back to it; the answer's event names the linked
    /// case, and the linked case's third event (`detriment-linked`) names the first. `actor` is the
    /// reporter's login, nil for an anonymous reporter or one who came by receipt code.
    func answerCheckIn(on reference: CaseReference, answer: DetrimentCheckIn.Answer, account: String, receipt: ReceiptCode?,
                       actor: String?, router: (any CaseRouter)?, at moment: Date) throws(StoreError) -> CheckInAnswered
}

extension ReporterFollowUp {
    /// Appends an event that names nobody.
    public func appendEvent(to reference: CaseReference, kind: CaseEvent.Kind, text: String?, at moment: Date) throws(StoreError) -> CaseEvent {
        try appendEvent(to: reference, kind: kind, text: text, actor: nil, at: moment)
    }
}
