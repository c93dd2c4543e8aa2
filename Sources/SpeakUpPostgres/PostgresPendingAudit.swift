import Foundation
import SpeakUpCore

/// What a session's open transaction will add to the audit trail when it commits: the records
/// appended so far, in order, and the chain's head if a statement of the transaction already
/// locked it (`PostgresAuditTrail.headLock`). Outside a transaction nothing waits here: a record
/// is written as it is appended.
struct PendingAudit: Sendable {
    /// Whether a transaction is open (records wait for its commit).
    var open = false
    var entries: [AuditEntry] = []
    var lockedHead: LockedAuditHead?
}

/// The audit chain's head as a writer found it when it locked the head row, with the day of the
/// oldest anonymous record still waiting to be chained (nil: none waits).
struct LockedAuditHead: Sendable {
    var position: Int
    var hash: Data
    var oldestWaiting: String?
}
