import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// The digest of what an audit record's event holds, as on SQLite (`ContentHasher`): the same
/// rows give the same bytes, whichever engine holds them.
enum PostgresContentDigest {
    /// The digest of case event `sequence` of case `reference`, or nil if there is no such event.
    static func ofEvent(reference: String, sequence: Int, in session: PostgresSession) throws -> Data? {
        guard let event = try session.row("SELECT * FROM case_event WHERE reference = \(reference) AND sequence = \(sequence)") else { return nil }
        return try ContentHasher.ofEvent(
            try event.forDigest(), sequence: sequence,
            report: { try session.row("SELECT * FROM report WHERE reference = \(reference)")?.forDigest() },
            concerns: {
                try session.texts("SELECT category FROM report_concern WHERE reference = \(reference) ORDER BY category")
            })
    }

    /// As `ContentDigest.ofEventOrTombstone` on SQLite: an erased event is held against its tombstone.
    /// An event sealed in place is held the same way against its own tombstone (`SealingInPlace`), and a
    /// case's first event against the tombstone its subject's name left when sealed in place.
    static func ofEventOrTombstone(reference: String, sequence: Int, in session: PostgresSession) throws -> Data? {
        let now = try ofEvent(reference: reference, sequence: sequence, in: session)
        let erased = try session.row("SELECT content, remains FROM erased_event WHERE reference = \(reference) AND sequence = \(sequence)")
        let sealed = try session.row("SELECT content, remains FROM sealed_event WHERE reference = \(reference) AND sequence = \(sequence)")
        func pair(_ row: PostgresColumns?) throws -> (content: Data, remains: Data)? {
            guard let row, let content = try row.bytes("content"), let remains = try row.bytes("remains") else { return nil }
            return (content, remains)
        }
        let named = sequence == 1 ? try session.row("SELECT content, remains FROM sealed_name WHERE reference = \(reference)") : nil
        return SealingInPlace.heldDigest(now: now, erased: try pair(erased), named: try pair(named), sealed: try pair(sealed))
    }

    /// The digest of a case's name-sealing tombstone as stored now, or nil if it has none.
    static func ofNaming(reference: String, in session: PostgresSession) throws -> Data? {
        guard let row = try session.row("SELECT content, remains FROM sealed_name WHERE reference = \(reference)") else { return nil }
        guard let content = try row.bytes("content"), let remains = try row.bytes("remains") else { throw StoredForm.damaged("tombstone", "NULL") }
        return SealingInPlace.nameTombstoneDigest(reference: reference, content: content, remains: remains)
    }

    /// The digest of a case's sealed-in-place tombstones as stored now, in order.
    static func ofSealing(reference: String, in session: PostgresSession) throws -> Data {
        var events: [(sequence: Int, content: Data, remains: Data)] = []
        for row in try session.rows("SELECT sequence, content, remains FROM sealed_event WHERE reference = \(reference) ORDER BY sequence") {
            guard let sequence = try row.integer("sequence"), let content = try row.bytes("content"), let remains = try row.bytes("remains") else {
                throw StoredForm.damaged("tombstone", "NULL")
            }
            events.append((sequence, content, remains))
        }
        return SealingInPlace.tombstonesDigest(reference: reference, events: events)
    }

    /// The digest of a case's erasure row and tombstones as stored now, or nil if it was not erased.
    static func ofErasure(reference: String, in session: PostgresSession) throws -> Data? {
        guard let erasure = try session.row("SELECT erased_on, rule FROM case_erasure WHERE reference = \(reference)") else { return nil }
        var events: [(sequence: Int, content: Data, remains: Data)] = []
        for row in try session.rows("SELECT sequence, content, remains FROM erased_event WHERE reference = \(reference) ORDER BY sequence") {
            guard let sequence = try row.integer("sequence"), let content = try row.bytes("content"), let remains = try row.bytes("remains") else {
                throw StoredForm.damaged("tombstone", "NULL")
            }
            events.append((sequence, content, remains))
        }
        return RetentionErasure.tombstonesDigest(reference: reference, erasedOn: try erasure.string("erased_on"), rule: try erasure.string("rule"),
                                                 events: events)
    }

    /// The digest of the staff directory as it is now, every row in id order.
    static func ofStaff(in session: PostgresSession) throws -> Data {
        var hasher = ContentHasher()
        hasher.add("staff")
        for row in try session.rows("SELECT * FROM staff ORDER BY id") { hasher.add(row: try row.forDigest()) }
        return hasher.finalize()
    }
}
