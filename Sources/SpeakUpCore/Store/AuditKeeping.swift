import Foundation

/// One thing done to a case (or to the store), as the audit trail keeps it.
public struct AuditEntry: Hashable, Sendable {
    /// When: an instant, or only the day for what an anonymous reporter did.
    public var at: SubmissionTime
    /// The login that did it, `CaseEvent.rulesActor`, or nil when nobody may be named.
    public var actor: String?
    /// What was done: a case event's kind, `opened`, `imported`, `directory-replaced`…
    public var action: String
    /// The case it was done to, if it was done to one.
    public var reference: String?
    /// A short detail (such as the case event's number); never words a person typed.
    public var detail: String?
    /// The case event the record stands for, by its number in the case's timeline.
    public var event: Int?
    /// The digest of what the record's event holds (`ContentDigest`): the report's fields, a
    /// message's words, a routing's explanation, the directory as imported. Nil in records
    /// from before content digests, and in records with no content (a case opened).
    public var content: Data?

    public init(at: SubmissionTime, actor: String?, action: String, reference: String?, detail: String? = nil,
                event: Int? = nil, content: Data? = nil) {
        self.at = at
        self.actor = actor
        self.action = action
        self.reference = reference
        self.detail = detail
        self.event = event
        self.content = content
    }
}

/// A record of the chain: an entry, its position, and the hashes that bind it to the one before.
public struct AuditRecord: Hashable, Sendable {
    public var position: Int
    public var entry: AuditEntry
    public var previousHash: Data
    public var hash: Data

    public init(position: Int, entry: AuditEntry, previousHash: Data, hash: Data) {
        self.position = position
        self.entry = entry
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// What `audit verify` found.
public struct AuditVerification: Hashable, Sendable {
    /// Records in the chain.
    public var records: Int
    /// Records of anonymous reporters' actions still waiting for their day to end
    /// before they join the chain.
    public var waiting: Int
    /// The first record that does not hold together, and why, in plain words.
    public var firstBroken: (position: Int, reason: String)?
    /// The last record's hash (hex), to be kept somewhere the store's users cannot write:
    /// a chain alone cannot show that its last records were cut off, or all rewritten.
    public var lastHash: String?
    /// Case events whose content was erased under the retention policy: each checked against
    /// the tombstone it left (the digest it had), not against what it held.
    public var erasedEvents: Int
    /// Cases erased under the retention policy.
    public var erasedCases: Int

    public init(records: Int, waiting: Int, firstBroken: (position: Int, reason: String)?, lastHash: String?,
                erasedEvents: Int = 0, erasedCases: Int = 0) {
        self.records = records
        self.waiting = waiting
        self.firstBroken = firstBroken
        self.lastHash = lastHash
        self.erasedEvents = erasedEvents
        self.erasedCases = erasedCases
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.records == b.records && a.waiting == b.waiting && a.firstBroken?.position == b.firstBroken?.position
            && a.firstBroken?.reason == b.firstBroken?.reason
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(records)
        hasher.combine(waiting)
        hasher.combine(firstBroken?.position)
    }
}

/// The audit trail: who did what to which case, in a hash chain that shows any record changed,
/// removed or reordered.
public protocol AuditKeeping: Sendable {
    /// Records in the audit trail that a handler opened a case.
    func recordOpening(_ reference: CaseReference, by actor: String, at moment: Date) throws(StoreError)

    /// Chains the audit records still waiting from days before `today`, then checks the whole
    /// chain (against `anchor`, a position and hash kept outside the store, when given).
    func verifyAudit(today: CalendarDay, anchor: (position: Int, hash: String)?) throws(StoreError) -> AuditVerification

    /// Chains the audit records still waiting from days before `today`.
    func sealAudit(today: CalendarDay) throws(StoreError)

    /// The audit chain, oldest first.
    func auditRecords() throws(StoreError) -> [AuditRecord]
}

extension AuditKeeping {
    public func verifyAudit(today: CalendarDay) throws(StoreError) -> AuditVerification {
        try verifyAudit(today: today, anchor: nil)
    }
}
