import Crypto
import Foundation
import GRDB

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
    static let derivedColumns: Set<String> = ["subject_key"]

    /// The digest of case event `sequence` of case `reference`, or nil if there is no such event.
    static func ofEvent(reference: String, sequence: Int, in db: Database) throws -> Data? {
        guard let event = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM case_event WHERE reference = ? AND sequence = ?"), arguments: [reference, sequence])
        else { return nil }
        var hasher = SHA256()
        add("case_event", to: &hasher)
        add(event, to: &hasher)
        if sequence == 1 {
            if let report = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM report WHERE reference = ?"), arguments: [reference]) {
                add("report", to: &hasher)
                add(report, to: &hasher)
            }
            add("report_concern", to: &hasher)
            let concerns = try String.fetchAll(
                db.cachedStatement(sql: "SELECT category FROM report_concern WHERE reference = ? ORDER BY category"), arguments: [reference])
            for concern in concerns { add(concern, to: &hasher) }
        }
        return Data(hasher.finalize())
    }

    /// The digest of the staff directory as it is now, every row in id order.
    static func ofStaff(in db: Database) throws -> Data {
        var hasher = SHA256()
        add("staff", to: &hasher)
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM staff ORDER BY id")
        while let row = try rows.next() { add(row, to: &hasher) }
        return Data(hasher.finalize())
    }

    /// The digest of a list of digests, in order: what the upgrade that added content digests vouches for.
    static func ofDigests(_ digests: [(position: Int, digest: Data)]) -> Data {
        var hasher = SHA256()
        for (position, digest) in digests {
            add(String(position), to: &hasher)
            hasher.update(data: digest)
        }
        return Data(hasher.finalize())
    }

    private static func add(_ row: Row, to hasher: inout SHA256) {
        let fields = zip(row.columnNames, row.databaseValues)
            .filter { !derivedColumns.contains($0.0) && !$0.1.isNull }
            .sorted { $0.0 < $1.0 }
        add(String(fields.count), to: &hasher)
        for (column, value) in fields {
            add(column, to: &hasher)
            switch value.storage {
            case .null: break
            case .int64(let number): add("i" + String(number), to: &hasher)
            case .double(let number): add("d" + String(number), to: &hasher)
            case .string(let text): add("s" + text, to: &hasher)
            case .blob(let data):
                add("b" + String(data.count), to: &hasher)
                hasher.update(data: data)
            }
        }
    }

    /// A length-prefixed text, so that no two different contents are spelled the same.
    private static func add(_ text: String, to hasher: inout SHA256) {
        let bytes = Array(text.utf8)
        let count = UInt32(bytes.count)
        hasher.update(data: Data([UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]))
        hasher.update(data: Data(bytes))
    }
}
