import Foundation

/// Handlers' sealing keys and the trust's recovery key, as the store keeps them (docs/security.md).
///
/// A handler's public key is kept in clear, so that a submit can wrap a case's content key for
/// them; their private key only locked under their passphrase (the bytes of `SpeakUpSealing`'s
/// `PassphraseLockedKey`). The store never sees a passphrase or a private key in clear. Of the
/// trust's recovery key only the public half is kept: its private half is printed once.
public protocol SealingKeyKeeping: Sendable {
    /// The handler's key as kept, or nil when they have not chosen a passphrase yet.
    func sealingKey(of handler: String) throws(StoreError) -> HandlerSealingKey?

    /// Every handler's key, in login order: what a submit wraps a case's content key for.
    func sealingKeys() throws(StoreError) -> [HandlerSealingKey]

    /// Keeps a handler's key, with an audit record naming them and the public key's digest
    /// (`sealing-key-made`, `passphrase-changed` over the same key, or `sealing-key-replaced`).
    /// With `replacing` nil the handler must hold no key yet; otherwise the locked key kept now
    /// must be exactly `replacing` (a change made meanwhile from another terminal is refused, not
    /// overwritten). Either refusal is a `StoreError` of kind `.failed` that says so.
    func keepSealingKey(_ key: HandlerSealingKey, replacing: [UInt8]?, at moment: Date) throws(StoreError)

    /// Counts a wrong passphrase for the handler, with an audit record; the handler's key as it
    /// now stands (its count of failed tries since the last success, and when the last was).
    func recordFailedUnlock(of handler: String, at moment: Date) throws(StoreError) -> HandlerSealingKey

    /// Clears the handler's count of failed tries after a right passphrase (nothing is written
    /// when there were none).
    func recordUnlock(of handler: String, at moment: Date) throws(StoreError)

    /// The trust recovery key's public half, or nil before one is made.
    func recoveryKey() throws(StoreError) -> TrustRecoveryKey?

    /// Keeps the trust recovery key's public half, with an audit record; refused (`.failed`) when
    /// the store holds one already: a second would leave the cases sealed for the first unrecoverable
    /// without anyone noticing.
    func keepRecoveryKey(_ key: TrustRecoveryKey, by actor: String, at moment: Date) throws(StoreError)

    /// A sealed case's content key as wrapped for each recipient (a login, or `SealedWords.recoveryRecipient`).
    func caseKeys(_ reference: CaseReference) throws(StoreError) -> [String: [UInt8]]

    /// The sealed cases `handler` holds now or has a wrapped key for, and those `alsoOf` has a
    /// wrapped key for: what `speakup recover` seals again for them.
    func sealedCases(for handler: String, alsoOf other: String?) throws(StoreError) -> [CaseReference]

    /// Keeps content keys wrapped anew (for a handler given a case, a new handler, or a new key),
    /// replacing any earlier wrapping for the same recipient, in one transaction, each recorded in the
    /// audit trail (`case-key-wrapped`, naming the recipient and `by`, who or what wrapped it).
    func keepCaseKeys(_ keys: [CaseKeyWrapping], by actor: String, at moment: Date) throws(StoreError)

    /// Keeps handlers' later checks against sealed names (`SubjectCheck`), in one transaction, each
    /// recorded in the audit trail (`subject-checked`, naming the handler, `by` and whether the name fits
    /// them). A handler already checked for a case keeps their first check (a check is never changed).
    /// From then on the case's facts count them as checked (`SubjectFacts.adding`).
    func keepSubjectChecks(_ checks: [SubjectCheck], by actor: String, at moment: Date) throws(StoreError)

    /// The sealed words of every case routed to `handler` with a key wrapped for them, with its sealed
    /// notes: what the workspace opens in memory to search (`SealedSearchDesk`).
    func sealedWords(heldBy handler: String) throws(StoreError) -> [SealedCase]

    /// `sealedWords` for only these of the handler's cases, without their notes: what the queue opens to
    /// show whom the cases on its page are about, when their names are sealed.
    func sealedWords(of references: [CaseReference], heldBy handler: String) throws(StoreError) -> [SealedCase]

    /// Which cases `sealedWords` would give, without their words: what a search checks each time.
    func sealedReferences(heldBy handler: String) throws(StoreError) -> Set<CaseReference>

    /// The secret a receipt code gives besides its hash (never kept): what the reporter's key for a
    /// sealed case is made from (`SpeakUpSealing`'s `ReporterKey`). As slow as looking the code up.
    func replySecret(forReceipt code: ReceiptCode) throws(StoreError) -> [UInt8]

    /// Seals in place, in one transaction, every report the store keeps in clear (sent before it had a
    /// recovery key), with its notes, for whoever may hold each case (`mayHold`, by reference, with its
    /// current handlers) and the recovery key; each case's changed events kept as tombstones and one
    /// audit record by `actor`. All or nothing: refused, with nothing changed, without a recovery key,
    /// or if any case cannot be sealed and read back. Erasing the clear copies from the files is the
    /// caller's next step (`RetentionKeeping.vacuum`). A report with an entry in `subjects` (the facts the
    /// conflict rules find now, and its same-person key as the installation's digest keeps it) has its
    /// subject's name and role sealed with its words too; the others keep them in clear.
    func sealInPlace(mayHold: [CaseReference: [String]], subjects: [CaseReference: SubjectSealing], by actor: String, at moment: Date)
        throws(StoreError) -> SealedInPlace

    /// Seals in place, in one transaction, the subject's name and role of reports whose words were sealed
    /// before the installation had its subject-key secret: each report's sealed words are replaced by
    /// `sealed` (the same content key, the name and role laid in with the words), its name and role
    /// emptied, its facts and same-person key kept in their place, its first event's digest kept as a
    /// tombstone (`sealed_name`) and one audit record (`name-sealed-in-place`) by `actor`. All or
    /// nothing: refused, with nothing changed, when any report is not as it was read (its sealed words
    /// changed, its name sealed or erased meanwhile). Returns how many names were sealed.
    func sealNamesInPlace(_ names: [NameSealing], by actor: String, at moment: Date) throws(StoreError) -> Int

    /// After `sealInPlace` or `sealNamesInPlace`: the copies in clear erased from the store's files as far
    /// as this login can. SQLite: the file rewritten (secure_delete and VACUUM) and its log truncated;
    /// PostgreSQL: the tables that held the words (`report`, `case_event`, `case_text`, their indexes
    /// and TOAST) rewritten with `VACUUM FULL` when this login owns them, else vacuumed, which frees the
    /// old rows' space without overwriting it. True when the files were rewritten.
    func eraseClearCopies() throws(StoreError) -> Bool

    /// How many reports the store keeps in clear (not sealed, not erased): in a sealing store, those sent
    /// before it had a recovery key, which `speakup store seal` seals (`speakup check` says so).
    func reportsInClear() throws(StoreError) -> Int

    /// How many reports have their words sealed but the name or role of the person they are about in clear
    /// (sealed before the installation had its subject-key secret: `speakup check` says so).
    func namesInClear() throws(StoreError) -> Int

    /// Open sealed cases that have handlers, none of whom holds a wrapping of the case's key: nobody
    /// handling them can read them until `speakup recover` seals them for someone (`speakup check` names
    /// them), each with its handlers. (A wrapping for a handler's earlier key cannot be told from one for
    /// their key now without it: such a case says so when they open it.)
    func sealedCasesNobodyCanOpen() throws(StoreError) -> [(reference: CaseReference, handlers: [String])]
}

/// One case's sealed words with its content key as wrapped for one handler, and its sealed notes.
public struct SealedCase: Hashable, Sendable {
    public var reference: CaseReference
    public var words: SealedWords
    public var wrapped: [UInt8]
    /// The case's notes whose words are sealed (`SealedEventText`), in order.
    public var notes: [CaseEvent]

    public init(reference: CaseReference, words: SealedWords, wrapped: [UInt8], notes: [CaseEvent] = []) {
        self.reference = reference
        self.words = words
        self.wrapped = wrapped
        self.notes = notes
    }
}

/// A case's content key wrapped for one recipient, to keep.
public struct CaseKeyWrapping: Hashable, Sendable {
    public var reference: CaseReference
    public var recipient: String
    public var wrapped: [UInt8]
    /// How it was wrapped, for the audit record: "from gita's session", "with the recovery key".
    public var how: String

    public init(reference: CaseReference, recipient: String, wrapped: [UInt8], how: String) {
        self.reference = reference
        self.recipient = recipient
        self.wrapped = wrapped
        self.how = how
    }
}

/// One handler's sealing key as the store keeps it.
public struct HandlerSealingKey: Hashable, Sendable {
    /// The handler's login.
    public var handler: String
    /// The public half (32 bytes), in clear.
    public var publicKey: [UInt8]
    /// The private half locked under the handler's passphrase.
    public var lockedKey: [UInt8]
    /// When this key (or its passphrase) was last set.
    public var keptAt: Date
    /// Wrong passphrases since the last right one.
    public var failedUnlocks: Int
    /// When the last wrong passphrase was tried.
    public var lastFailedUnlock: Date?

    public init(handler: String, publicKey: [UInt8], lockedKey: [UInt8], keptAt: Date, failedUnlocks: Int = 0, lastFailedUnlock: Date? = nil) {
        self.handler = handler
        self.publicKey = publicKey
        self.lockedKey = lockedKey
        self.keptAt = keptAt
        self.failedUnlocks = failedUnlocks
        self.lastFailedUnlock = lastFailedUnlock
    }
}

/// The public half of the trust's recovery key, as the store keeps it.
public struct TrustRecoveryKey: Hashable, Sendable {
    public var publicKey: [UInt8]
    public var madeAt: Date

    public init(publicKey: [UInt8], madeAt: Date) {
        self.publicKey = publicKey
        self.madeAt = madeAt
    }
}

/// What sealing a store in place did.
extension SealingKeyKeeping {
    /// Sealing in place with every subject's name kept in clear.
    public func sealInPlace(mayHold: [CaseReference: [String]], by actor: String, at moment: Date) throws(StoreError) -> SealedInPlace {
        try sealInPlace(mayHold: mayHold, subjects: [:], by: actor, at: moment)
    }
}

/// What stands in for a report's subject once their name and role are sealed: the facts the conflict
/// rules found (`SubjectFacts`) and the same-person key as the installation's digest keeps it.
public struct SubjectSealing: Hashable, Sendable {
    public var facts: SubjectFacts
    public var key: String?

    public init(facts: SubjectFacts, key: String?) {
        self.facts = facts
        self.key = key
    }
}

/// One report's subject's name sealed in place with its words (`SealingKeyKeeping.sealNamesInPlace`).
public struct NameSealing: Hashable, Sendable {
    public var reference: CaseReference
    /// The sealed words as read, which `sealed` replaces (a report whose words differ now is refused).
    public var replacing: SealedWords
    /// The words sealed again under the same content key, with the subject's name and role.
    public var sealed: SealedWords
    /// What stands in for the name once sealed: the facts the conflict rules find now, and the same-person key.
    public var subject: SubjectSealing

    public init(reference: CaseReference, replacing: SealedWords, sealed: SealedWords, subject: SubjectSealing) {
        self.reference = reference
        self.replacing = replacing
        self.sealed = sealed
        self.subject = subject
    }
}

public struct SealedInPlace: Hashable, Sendable {
    /// Cases whose report was sealed.
    public var cases: Int
    /// Notes sealed with them.
    public var notes: Int
    /// Of `cases`, those whose subject's name and role were sealed too.
    public var names = 0

    public init(cases: Int, notes: Int) {
        self.cases = cases
        self.notes = notes
    }
}
