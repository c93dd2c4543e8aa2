import Foundation

/// Taking reports in: the form, the kiosk and ward terminals, and `speakup import`.
public protocol ReportIntake: StoreLocated {
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

    /// Whether a report sent now has its words sealed (the store has a trust recovery key,
    /// docs/security.md): an open or confidential reporter is then given a reply code, from which the
    /// key to the replies on their case is made, as an anonymous reporter's receipt code is.
    func sealsReports() throws(StoreError) -> Bool

    /// How many reports a shared terminal (`station`) sent on `day`: what a kiosk's hourly limit
    /// starts from after a restart, read from the reports themselves.
    func reportCount(at station: Station, on day: CalendarDay) throws(StoreError) -> Int

    /// Which of these references the store already has (an import's check).
    func takenReferences(_ references: [String]) throws(StoreError) -> Set<String>

    /// Adds reports received by other channels, with their timelines, all in one
    /// transaction: either every one is stored or none is. A reference already in
    /// the store is refused, never overwritten. Each is routed by `router`, when given.
    func importReports(_ items: [(Report, [CaseEvent])], router: (any CaseRouter)?, by importer: String?, at moment: Date?) throws(StoreError)

    /// Routes a report against this store's history without storing anything.
    func dryRoute(_ report: Report, router: any CaseRouter) throws(StoreError) -> CaseRouting

    /// How long this store's writes wait for other writers, shared with the screen using it
    /// (so it can say the report is waiting, and Ctrl-C can stop the wait); nil for a store
    /// that never waits.
    var writeWait: StoreWait? { get }
}

extension ReportIntake {
    /// A store that never waits for another terminal.
    public var writeWait: StoreWait? { nil }

    /// Imports with no router, importer or moment named.
    public func importReports(_ items: [(Report, [CaseEvent])], router: (any CaseRouter)? = nil, by importer: String? = nil) throws(StoreError) {
        try importReports(items, router: router, by: importer, at: nil)
    }
}
