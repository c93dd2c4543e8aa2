import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// What `PostgresContentDigest.ofEventOrTombstone` gives, worked out for a page of audit records
/// at once: their events, the reports, concerns and name tombstones of the first ones, and their
/// tombstones read in six statements, not three or more a record (a verify of a million cases' trail would otherwise
/// be millions of round trips).
struct PostgresEventDigests {
    struct Key: Hashable {
        let reference: String
        let sequence: Int
    }

    /// The digest each key's event is held to (nil: no such event, nor a tombstone for it).
    private var digests: [Key: Data?] = [:]

    init(_ keys: Set<Key>, in session: PostgresSession) throws {
        guard !keys.isEmpty else { return }
        let ordered = Array(keys)
        let references = ordered.map(\.reference), sequences = ordered.map(\.sequence)
        func rows(of table: String, _ columns: String) throws -> [Key: PostgresColumns] {
            var found: [Key: PostgresColumns] = [:]
            for row in try session.rows("""
                SELECT \(unescaped: columns) FROM \(unescaped: table) t
                JOIN unnest(\(references)::text[], \(sequences)::int[]) AS k (reference, sequence) USING (reference, sequence)
                """) {
                guard let sequence = try row.integer("sequence") else { throw StoredForm.damaged("case event number", "NULL") }
                found[Key(reference: try row.string("reference"), sequence: sequence)] = row
            }
            return found
        }
        let events = try rows(of: "case_event", "t.*")
        let erased = try rows(of: "erased_event", "reference, sequence, content, remains")
        let sealed = try rows(of: "sealed_event", "reference, sequence, content, remains")
        let first = Array(Set(ordered.filter { $0.sequence == 1 }.map(\.reference)))
        var reports: [String: PostgresColumns] = [:]
        var concerns: [String: [String]] = [:]
        var named: [String: PostgresColumns] = [:]
        if !first.isEmpty {
            for row in try session.rows("SELECT reference, content, remains FROM sealed_name WHERE reference = ANY(\(first))") {
                named[try row.string("reference")] = row
            }
            for row in try session.rows("SELECT * FROM report WHERE reference = ANY(\(first))") { reports[try row.string("reference")] = row }
            for row in try session.rows("SELECT reference, category FROM report_concern WHERE reference = ANY(\(first)) ORDER BY reference, category") {
                concerns[try row.string("reference"), default: []].append(try row.string("category"))
            }
        }
        func pair(_ row: PostgresColumns?) throws -> (content: Data, remains: Data)? {
            guard let row, let content = try row.bytes("content"), let remains = try row.bytes("remains") else { return nil }
            return (content, remains)
        }
        for key in ordered {
            let now = try events[key].map { event in
                try ContentHasher.ofEvent(try event.forDigest(), sequence: key.sequence,
                                          report: { try reports[key.reference]?.forDigest() }, concerns: { concerns[key.reference] ?? [] })
            }
            digests[key] = SealingInPlace.heldDigest(now: now, erased: try pair(erased[key]),
                                                     named: key.sequence == 1 ? try pair(named[key.reference]) : nil, sealed: try pair(sealed[key]))
        }
    }

    /// The digest for an event of the page; one not read with it is read on its own.
    func digest(reference: String, sequence: Int, in session: PostgresSession) throws -> Data? {
        if let found = digests[Key(reference: reference, sequence: sequence)] { return found }
        return try PostgresContentDigest.ofEventOrTombstone(reference: reference, sequence: sequence, in: session)
    }
}
