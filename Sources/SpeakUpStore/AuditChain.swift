import Crypto
import Foundation
import SpeakUpCore

/// The audit chain's arithmetic, with no database in it: how each record's hash is worked out
/// and how a chain read back is checked. Every engine (SQLite's `AuditTrail`, PostgreSQL's) uses
/// this, so a chain hashes to the same bytes whichever engine wrote it, and `store copy` can
/// verify it on both sides.
public enum AuditChain {
    /// The hash before the first record.
    public static let genesis = Data(repeating: 0, count: SHA256.byteCount)

    /// The action of the record that added content digests to an older store's records.
    public static let upgradeAction = "content-digests-added"

    /// SHA-256 over the previous hash and every field, each length-prefixed so
    /// that no two different records can be spelled the same. A record with a content
    /// digest has it (and its event's number) hashed too; records from before content
    /// digests keep the hash they were written with.
    public static func digest(position: Int, previous: Data, _ entry: AuditEntry) -> Data {
        var hasher = SHA256()
        hasher.update(data: previous)
        var fields = [String(position), entry.at.text, entry.actor, entry.action, entry.reference, entry.detail]
        if let content = entry.content { fields += [Array(content).hex, entry.event.map(String.init)] }
        for field in fields {
            guard let field else {
                hasher.update(data: Data([0xFF, 0xFF, 0xFF, 0xFF]))
                continue
            }
            let bytes = Array(field.utf8)
            let count = UInt32(bytes.count)
            hasher.update(data: Data([UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]))
            hasher.update(data: Data(bytes))
        }
        return Data(hasher.finalize())
    }

    /// The case event number in a record's detail ("event 3", or "event 3: …" for an import).
    public static func eventNumber(in detail: String?) -> Int? {
        guard let detail, detail.hasPrefix("event ") else { return nil }
        return Int(detail.dropFirst(6).prefix { $0.isNumber })
    }

    /// The audit entry for a case event: what was done, by whom, when; for an imported timeline, the
    /// import itself (by `importer`, at its moment), the file's own actor and time kept in the detail,
    /// never taken as the audit trail's word for who did what.
    public static func entry(for event: CaseEvent, content: Data?, importer: (actor: String?, at: Date)?) -> AuditEntry {
        if let importer {
            let said = "event \(event.sequence): \(event.kind.rawValue) at \(event.at.text)" + (event.actor.map { " by \($0)" } ?? "")
            return AuditEntry(at: .instant(importer.at), actor: importer.actor, action: "imported", reference: event.reference.text, detail: said,
                              event: event.sequence, content: content)
        }
        return AuditEntry(at: event.at, actor: event.actor, action: event.kind.rawValue, reference: event.reference.text,
                          detail: "event \(event.sequence)", event: event.sequence, content: content)
    }

    /// Where an entry goes: an anonymous reporter's action (and the routing that came with it), dated
    /// by its day only, waits unordered until the day ends; anything else is chained now, after the
    /// waiting records of the days before its own.
    public enum Placement: Equatable {
        /// Into the waiting records, for `day`.
        case waiting(day: String)
        /// Into the chain, once the waiting records of days before `day` are chained.
        case chained(sealingBefore: CalendarDay)
    }

    public static func placement(of entry: AuditEntry) -> Placement {
        switch entry.at {
        case .day(let day) where entry.actor == nil || entry.actor == CaseEvent.rulesActor:
            .waiting(day: day)
        case .day(let day):
            // A named handler's action on an anonymous case: chained now, under its name, with the day only.
            .chained(sealingBefore: CalendarDay(typed: day) ?? .earliest)
        case .instant(let moment):
            .chained(sealingBefore: CalendarDay.local(moment))
        }
    }

    /// A record as an engine read it back, before anything about it is trusted.
    public struct StoredRecord {
        public var position: Int
        /// The time exactly as stored (a changed one may not read as a time at all).
        public var atText: String
        public var previousHash: Data
        public var hash: Data
        /// The record's entry with its time, once the time reads.
        private let entryAt: (SubmissionTime) -> AuditEntry

        public init(position: Int, atText: String, previousHash: Data, hash: Data, entry: @escaping (SubmissionTime) -> AuditEntry) {
            self.position = position
            self.atText = atText
            self.previousHash = previousHash
            self.hash = hash
            entryAt = entry
        }

        /// The entry it records, if its time reads.
        public var entry: AuditEntry? {
            SubmissionTime(text: atText).map(entryAt)
        }

        /// The record, if its time reads.
        public var record: AuditRecord? {
            entry.map { AuditRecord(position: position, entry: $0, previousHash: previousHash, hash: hash) }
        }
    }

    /// Checks a chain read from the start, one record at a time, and every record's content against
    /// what the store holds now; with `anchor`, also that record `anchor.position` still has the
    /// hash noted earlier (so a cut or a rewrite shows).
    public struct Check {
        private let anchor: (position: Int, hash: String)?
        private let staffDigest: Data?
        private let lastDirectory: Int?
        private var expectedPrevious = AuditChain.genesis
        private var expectedPosition = 1
        private var broken: (Int, String)? = nil
        private var vouched: [(position: Int, digest: Data)] = []
        private var upgraded: Bool
        private var count = 0

        /// - Parameters:
        ///   - staffDigest: the staff directory's digest now (`ContentHasher`), when a directory import is recorded.
        ///   - lastDirectory: the position of the last directory import with a content digest, if any:
        ///     only that one can be held against the directory as it is now.
        ///   - upgraded: whether the chain holds no upgrade record (nothing was written before content digests).
        public init(anchor: (position: Int, hash: String)?, staffDigest: Data?, lastDirectory: Int?, upgraded: Bool) {
            self.anchor = anchor
            self.staffDigest = staffDigest
            self.lastDirectory = lastDirectory
            self.upgraded = upgraded
        }

        /// Checks the next record. `eventDigest` gives the digest of a case event as stored now
        /// (nil if there is no such event).
        /// `erasureDigest` gives the digest of a case's erasure row and tombstones as stored now
        /// (`RetentionErasure.tombstonesDigest`; nil if the case was not erased).
        /// `sealingDigest` gives the digest of a case's sealed-in-place tombstones as stored now
        /// (`SealingInPlace.tombstonesDigest`); `namingDigest` the digest of the tombstone a case's subject's
        /// name left when it was sealed in place (`SealingInPlace.nameTombstoneDigest`; nil if it has none).
        public mutating func check(_ record: StoredRecord, eventDigest: (_ reference: String, _ sequence: Int) throws -> Data?,
                                   erasureDigest: (_ reference: String) throws -> Data? = { _ in nil },
                                   sealingDigest: (_ reference: String) throws -> Data? = { _ in nil },
                                   namingDigest: (_ reference: String) throws -> Data? = { _ in nil }) rethrows {
            count += 1
            guard broken == nil else { return }
            let position = record.position
            if position != expectedPosition {
                broken = (expectedPosition, "record \(expectedPosition) is missing: the chain jumps from record \(expectedPosition - 1) to record \(position)")
                return
            }
            guard let entry = record.entry else {
                broken = (position, "its time (\(record.atText.debugDescription)) has been changed")
                return
            }
            // A record from before content digests was hashed without its digest, which the upgrade record vouches for instead.
            var outsideHash = false
            if record.previousHash != expectedPrevious {
                broken = (position, "it does not follow on from record \(position - 1): a record before it was changed, removed or put in")
            } else if AuditChain.digest(position: position, previous: record.previousHash, entry) != record.hash || record.atText != entry.at.text {
                var bare = entry
                bare.content = nil
                bare.event = nil
                if !upgraded, entry.content != nil, record.atText == entry.at.text,
                    AuditChain.digest(position: position, previous: record.previousHash, bare) == record.hash {
                    outsideHash = true
                } else {
                    broken = (position, "its contents were changed after it was written")
                }
            }
            if entry.action == AuditChain.upgradeAction && entry.actor == nil { upgraded = true }
            if broken == nil, entry.action == RetentionErasure.action, let reference = entry.reference, entry.event == nil {
                if try erasureDigest(reference) != entry.content {
                    broken = (position, "the tombstones of case \(reference), left when it was erased, were changed or removed after the erasure")
                }
            } else if broken == nil, entry.action == SealingInPlace.action, let reference = entry.reference, entry.event == nil {
                if try sealingDigest(reference) != entry.content {
                    broken = (position, "the tombstones of case \(reference), left when it was sealed in place, were changed or removed after the sealing")
                }
            } else if broken == nil, entry.action == SealingInPlace.nameAction, let reference = entry.reference, entry.event == nil {
                if try namingDigest(reference) != entry.content {
                    broken = (position, "the tombstone of case \(reference), left when the name it gives was sealed in place, was changed or removed after the sealing")
                }
            } else if broken == nil, let problem = try contentProblem(entry, position: position, outsideHash: outsideHash, eventDigest: eventDigest) {
                broken = (position, problem)
            }
            if broken == nil, let anchor, anchor.position == position, !Array(record.hash).hex.hasPrefix(anchor.hash.lowercased()) {
                broken = (position, "its hash is not the one noted earlier: the trail was rewritten from here or before")
            }
            expectedPrevious = record.hash
            expectedPosition += 1
        }

        /// What the check found, once every record was read; `waiting`: the records still waiting for their day to end.
        public func finish(waiting: Int) -> AuditVerification {
            var broken = broken
            if broken == nil, let anchor, anchor.position > count {
                broken = (count + 1, "the trail ends at record \(count), but record \(anchor.position) was noted earlier: its last records were cut off")
            }
            let last = count == 0 ? nil : Array(expectedPrevious).hex
            return AuditVerification(records: count, waiting: waiting, firstBroken: broken, lastHash: last)
        }

        /// Why a record no longer matches what it records, or nil if it does (or records no content).
        /// `vouched` gathers the digests of records from before content digests, for the upgrade record.
        private mutating func contentProblem(_ entry: AuditEntry, position: Int, outsideHash: Bool,
                                             eventDigest: (String, Int) throws -> Data?) rethrows -> String? {
            if entry.action == AuditChain.upgradeAction && entry.actor == nil {
                guard entry.content == ContentHasher.ofDigests(vouched) else {
                    return "the digests it vouched for no longer match: an earlier record, or what it records, was changed"
                }
                return nil
            }
            guard let content = entry.content else { return nil }
            if let reference = entry.reference, let sequence = entry.event {
                guard let now = try eventDigest(reference, sequence) else {
                    return "the case event it records (event \(sequence) of \(reference)) has been removed"
                }
                if now != content {
                    return sequence == 1
                        ? "what it records (the report \(reference) as sent, and its first event) was changed after it was written"
                        : "what it records (event \(sequence) of \(reference)) was changed after it was written"
                }
            } else if entry.action == "directory-replaced", position == lastDirectory, let staffDigest, staffDigest != content {
                return "the staff directory was changed after this import of it, outside SpeakUp"
            }
            if outsideHash { vouched.append((position, content)) }
            return nil
        }
    }
}
