import Foundation
import SpeakUpCore
import SpeakUpSealing

/// Sealing a store's existing reports in place (`speakup store seal`), the same on every engine: what
/// one case becomes, checked before it is kept, and how its tombstones are digested for the audit chain.
///
/// A case kept in clear has its report's words sealed (as a submit to a sealing store would have sealed
/// them) and every note sealed under the same content key, wrapped for whoever may hold it and the
/// recovery key. Its messages stay in clear: nobody holds its receipt code any more, so no key could be
/// made for the reporter, and a message sealed away from them would reach nobody. The audit records of
/// the events changed still hold the digests of the events as they were: each such event gets a
/// tombstone (`sealed_event`: the digest before, and the digest of what sealing left), and the case one
/// audit record (`action`) holding the digest of its tombstones, as an erasure does.
public enum SealingInPlace {
    /// The audit action recorded for a case sealed in place.
    public static let action = "sealed-in-place"

    /// One case sealed: the report as it is now to be kept (emptied, with its sealed words), the content
    /// key wrapped for each recipient, and each note's sealed text by its sequence.
    public struct SealedCase {
        public var report: Report
        public var keys: [ReportSeal.Wrapped]
        public var notes: [(sequence: Int, text: String)]
    }

    /// Seals `report` and its `notes` (events of kind note, in clear) for `mayHold` who have keys and
    /// the recovery key; then opens what was sealed and checks it gives back exactly what was there,
    /// so nothing is kept that could not be read again.
    /// With `subject`, the subject's name and role are sealed with the words, and the facts and key kept instead.
    public static func seal(_ report: Report, notes: [CaseEvent], recipients: SealingRecipients, mayHold: [String],
                            subject: SubjectSealing? = nil) throws(StoreError) -> SealedCase {
        var list: [(name: String, key: SealingPublicKey)] = []
        for handler in Set(mayHold).sorted() { if let key = recipients.handlers[handler] { list.append((handler, key)) } }
        list.append((SealedWords.recoveryRecipient, recipients.recovery))
        do {
            let (words, keys, key) = try ReportSeal.sealKeepingKey(report, for: list, subject: subject != nil)
            var sealedNotes: [(sequence: Int, text: String)] = []
            for note in notes {
                guard let text = note.text, !text.isEmpty, !SealedEventText.isSealed(text) else { continue }
                let sealed = try key.seal(text, kind: .note, actor: note.actor)
                var check = note
                check.text = sealed
                guard key.open(check).text == text else { throw SealingFailure.tampered(report.reference, field: "note \(note.sequence)") }
                sealedNotes.append((note.sequence, sealed))
            }
            guard try ReportSeal.words(words, with: key) == ReportWords(of: report, subject: subject != nil) else {
                throw SealingFailure.tampered(report.reference, field: "report words")
            }
            return SealedCase(report: ReportWords.emptied(report, sealed: words, subject: subject), keys: keys, notes: sealedNotes)
        } catch let error as StoreError {
            throw error
        } catch let failure as SealingFailure {
            throw StoreError(.failed, "Case \(report.reference.text) could not be sealed (\(failure.sentence)), so nothing was sealed: the store is as it was.")
        } catch {
            throw StoreError(.failed, "Case \(report.reference.text) could not be sealed (\(error)), so nothing was sealed: the store is as it was.")
        }
    }

    /// A report imported into a sealing store, sealed before it is kept, as a submit would seal it: the
    /// report emptied of its words, its timeline with every note's words sealed (messages stay readable:
    /// nobody holds a code for its reporter), and the content key wrapped for each recipient.
    public static func sealImported(_ report: Report, events: [CaseEvent], recipients: SealingRecipients, mayHold: [String],
                                    subject: SubjectSealing? = nil) throws(StoreError)
        -> (report: Report, events: [CaseEvent], keys: [ReportSeal.Wrapped]) {
        let sealed = try seal(report, notes: events.filter { $0.kind == .note }, recipients: recipients, mayHold: mayHold, subject: subject)
        let notes = Dictionary(uniqueKeysWithValues: sealed.notes.map { ($0.sequence, $0.text) })
        let timeline = events.map { event in
            guard event.kind == .note, let text = notes[event.sequence] else { return event }
            var event = event
            event.text = text
            return event
        }
        return (sealed.report, timeline, sealed.keys)
    }

    /// The digest a case's audit record holds: every tombstone, in order.
    public static func tombstonesDigest(reference: String, events: [(sequence: Int, content: Data, remains: Data)]) -> Data {
        var hasher = ContentHasher()
        hasher.add("sealed_event")
        hasher.add(reference)
        for event in events {
            hasher.add(String(event.sequence))
            hasher.add(Array(event.content).hex)
            hasher.add(Array(event.remains).hex)
        }
        return hasher.finalize()
    }

    /// The audit entry of a case sealed in place.
    public static func auditEntry(reference: String, events: Int, notes: Int, digest: Data, by actor: String, at moment: Date) -> AuditEntry {
        AuditEntry(at: .instant(moment), actor: actor, action: action, reference: reference,
                   detail: "sealed in place: the report's words and \(notes) note\(notes == 1 ? "" : "s") (\(events) events' digests kept as tombstones)",
                   content: digest)
    }

    /// The digest an event is held against: the digest now, taken back through an erasure's tombstone,
    /// then a name's sealing's (`named`: a case's first event only), then a sealing's, each only when what
    /// it left is as it left it. (In that order because they can only happen in the other: a case sealed in
    /// place before its name was, and erased last.)
    public static func heldDigest(now: Data?, erased: (content: Data, remains: Data)?, named: (content: Data, remains: Data)? = nil,
                                  sealed: (content: Data, remains: Data)?) -> Data? {
        var digest = now
        if let erased, digest == erased.remains { digest = erased.content }
        if let named, digest == named.remains { digest = named.content }
        if let sealed, digest == sealed.remains { digest = sealed.content }
        return digest
    }

    /// The audit action recorded for a subject's name sealed in place with the report's sealed words.
    public static let nameAction = "name-sealed-in-place"

    /// The digest a name's sealing's audit record holds: its tombstone (`sealed_name`).
    public static func nameTombstoneDigest(reference: String, content: Data, remains: Data) -> Data {
        var hasher = ContentHasher()
        hasher.add("sealed_name")
        hasher.add(reference)
        hasher.add(Array(content).hex)
        hasher.add(Array(remains).hex)
        return hasher.finalize()
    }

    /// The audit entry of a subject's name sealed in place.
    public static func nameAuditEntry(reference: String, digest: Data, by actor: String, at moment: Date) -> AuditEntry {
        AuditEntry(at: .instant(moment), actor: actor, action: nameAction, reference: reference,
                   detail: "the name and role of the person the report is about sealed with its words (its first event's digest kept as a tombstone)",
                   content: digest)
    }

    /// Why `name` cannot be sealed into `report` as the store holds it now (nil: it can): each engine asks
    /// inside its transaction, so a report changed since it was read is refused, never overwritten.
    public static func nameRefusal(_ name: NameSealing, report: Report?, erased: Bool) -> StoreError? {
        let reference = name.reference.text
        let again = "Nothing was changed: run `speakup store seal --names` again."
        guard let report, !erased else {
            return StoreError(.failed, "Case \(reference) is no longer in the store (it was erased meanwhile). \(again)")
        }
        guard report.sealed == name.replacing else {
            return StoreError(.failed, "The sealed words of case \(reference) are not the ones read a moment ago: changed meanwhile, or sealed again. \(again)")
        }
        guard !report.subject.isSealedAway, report.subject.sealedFacts == nil else {
            return StoreError(.failed, "The name in case \(reference) has been sealed already (from another terminal?). \(again)")
        }
        guard !(report.subject.name ?? "").isEmpty || !report.subject.role.isEmpty else {
            return StoreError(.failed, "Case \(reference) names nobody, so there is no name to seal. \(again)")
        }
        return nil
    }

    /// The refusal when the store has no recovery key.
    public static let noRecoveryKey = StoreError(
        .failed, "This store has no trust recovery key, so there is nothing to seal for: make one first with `speakup store recovery-key` (docs/security.md). Nothing was changed.")
}
