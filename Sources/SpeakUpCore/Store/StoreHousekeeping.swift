/// An engine's own upkeep, which the program runs at quiet moments and no screen relies on:
/// SQLite copies its log back into the file after a report is saved and the reporter told, and
/// indexes the words of new cases for search before a tick; PostgreSQL does this as it writes.
public protocol StoreHousekeeping: Sendable {
    /// After a report is saved and its confirmation is on screen.
    func tidy()
    /// Before searching or a tick: makes the words of cases sent since the last time searchable.
    func indexPendingWords() throws(StoreError)
    /// While a reporter writes (on a thread of its own): gets the store ready for the submit, writing
    /// nothing. PostgreSQL's server process for a new connection has nothing cached, and its first submit
    /// took about ten times a warm one.
    func warmUpForSubmit()
}

extension StoreHousekeeping {
    /// Nothing to do where nothing is slow the first time.
    public func warmUpForSubmit() {}
}

/// A store the program can open: every job, the engine's upkeep, and erasure under the retention policy.
public typealias OpenedStore = ReportStore & StoreHousekeeping & RetentionKeeping
