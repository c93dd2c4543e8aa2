import Foundation
import GRDB
import SpeakUpCore

/// A digest of what an audit record's event holds, so that changing any stored word shows.
///
/// The chain (`AuditTrail`) binds each record to the one before; this binds each record to its
/// content. A case event's digest covers its whole row (kind, time, text, detail, actor: a
/// message's words, a routing's explanation) and, for a case's first event, the report's row
/// and its concerns (every field the reporter gave). A directory import's covers the staff
/// table as imported. Columns are taken by name in order, so the digest does not depend on
/// the order of columns in the file; NULLs are left out, so a column added later (NULL in old
/// rows) leaves old digests as they were. Derived columns (`subject_key`, worked out again by
/// SpeakUp from the subject) are left out too.
enum ContentDigest {
    static var derivedColumns: Set<String> { ContentHasher.derivedColumns }

    /// The digest of case event `sequence` of case `reference`, or nil if there is no such event.
    static func ofEvent(reference: String, sequence: Int, in db: Database) throws -> Data? {
        guard let event = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM case_event WHERE reference = ? AND sequence = ?"), arguments: [reference, sequence])
        else { return nil }
        return try ContentHasher.ofEvent(
            columns(event), sequence: sequence,
            report: { try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM report WHERE reference = ?"), arguments: [reference]).map(columns) },
            concerns: {
                try String.fetchAll(
                    db.cachedStatement(sql: "SELECT category FROM report_concern WHERE reference = ? ORDER BY category"), arguments: [reference])
            })
    }

    /// A case's events digested as they are now and as an erasure leaves them (`RetentionErasure.erasedEvents`),
    /// from their rows as read with `SELECT *`, and its report row and concerns (a retention batch reads
    /// them for all its cases at once).
    static func ofErasure(_ events: [Row], report: Row?, concerns: [String]) throws -> [RetentionErasure.ErasedEvent] {
        try RetentionErasure.erasedEvents(events.map(columns), report: { report.map(columns) }, concerns: { concerns })
    }

    /// What the audit trail holds an event against: for an event erased under the retention policy,
    /// the digest its tombstone kept, provided what the erasure left is as it left it (else the
    /// digest of the row as it is now, which will not match); for any other event, its digest now.
    /// An event sealed in place (`SealingInPlace`) is held the same way against its own tombstone.
    static func ofEventOrTombstone(reference: String, sequence: Int, in db: Database) throws -> Data? {
        let now = try ofEvent(reference: reference, sequence: sequence, in: db)
        func tombstone(_ table: String) throws -> (content: Data, remains: Data)? {
            try Row.fetchOne(db.cachedStatement(sql: "SELECT content, remains FROM \(table) WHERE reference = ? AND sequence = ?"),
                             arguments: [reference, sequence]).map { ($0["content"], $0["remains"]) }
        }
        let named = sequence == 1
            ? try Row.fetchOne(db.cachedStatement(sql: "SELECT content, remains FROM sealed_name WHERE reference = ?"), arguments: [reference])
                .map { (content: $0["content"] as Data, remains: $0["remains"] as Data) }
            : nil
        return SealingInPlace.heldDigest(now: now, erased: try tombstone("erased_event"), named: named, sealed: try tombstone("sealed_event"))
    }

    /// The digest of a case's name-sealing tombstone as stored now, or nil if it has none.
    static func ofNaming(reference: String, in db: Database) throws -> Data? {
        try Row.fetchOne(db, sql: "SELECT content, remains FROM sealed_name WHERE reference = ?", arguments: [reference]).map {
            SealingInPlace.nameTombstoneDigest(reference: reference, content: $0["content"], remains: $0["remains"])
        }
    }

    /// The digest of a case's sealed-in-place tombstones as stored now, in order.
    static func ofSealing(reference: String, in db: Database) throws -> Data {
        let events = try Row.fetchAll(
            db, sql: "SELECT sequence, content, remains FROM sealed_event WHERE reference = ? ORDER BY sequence", arguments: [reference]
        ).map { row in (sequence: row["sequence"] as Int, content: row["content"] as Data, remains: row["remains"] as Data) }
        return SealingInPlace.tombstonesDigest(reference: reference, events: events)
    }

    /// The digest of a case's erasure row and tombstones as stored now, or nil if it was not erased.
    static func ofErasure(reference: String, in db: Database) throws -> Data? {
        guard let erasure = try Row.fetchOne(db, sql: "SELECT erased_on, rule FROM case_erasure WHERE reference = ?", arguments: [reference])
        else { return nil }
        let events = try Row.fetchAll(
            db, sql: "SELECT sequence, content, remains FROM erased_event WHERE reference = ? ORDER BY sequence", arguments: [reference]
        ).map { row in (sequence: row["sequence"] as Int, content: row["content"] as Data, remains: row["remains"] as Data) }
        return RetentionErasure.tombstonesDigest(reference: reference, erasedOn: erasure["erased_on"], rule: erasure["rule"], events: events)
    }

    /// The digest of the staff directory as it is now, every row in id order.
    static func ofStaff(in db: Database) throws -> Data {
        var hasher = ContentHasher()
        hasher.add("staff")
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM staff ORDER BY id")
        while let row = try rows.next() { hasher.add(row: columns(row)) }
        return hasher.finalize()
    }

    /// The digest of a list of digests, in order: what the upgrade that added content digests vouches for.
    static func ofDigests(_ digests: [(position: Int, digest: Data)]) -> Data {
        ContentHasher.ofDigests(digests)
    }

    /// A row's columns as the digest reads them.
    private static func columns(_ row: Row) -> [(name: String, value: ContentHasher.Value?)] {
        zip(row.columnNames, row.databaseValues).map { column, value in
            switch value.storage {
            case .null: (column, nil)
            case .int64(let number): (column, .integer(number))
            case .double(let number): (column, .real(number))
            case .string(let text): (column, .text(text))
            case .blob(let data): (column, .blob(data))
            }
        }
    }
}
