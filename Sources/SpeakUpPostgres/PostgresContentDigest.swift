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

    /// The digest of the staff directory as it is now, every row in id order.
    static func ofStaff(in session: PostgresSession) throws -> Data {
        var hasher = ContentHasher()
        hasher.add("staff")
        for row in try session.rows("SELECT * FROM staff ORDER BY id") { hasher.add(row: try row.forDigest()) }
        return hasher.finalize()
    }
}
