import Foundation
import GRDB
import SpeakUpCore

/// The audit trail: an append-only log in which each record holds the SHA-256
/// of the one before, so changing, removing or reordering any record breaks
/// every hash after it.
///
/// What an anonymous reporter does carries only the day and no actor. Its place
/// in the chain could still date it (between two exactly timed records), so it
/// waits, unordered, in `audit_waiting` until its day is over, then joins the
/// chain with that day's other waiting records in random order.
enum AuditTrail {
    /// The hash before the first record.
    static var genesis: Data { AuditChain.genesis }

    /// Appends an entry, inside the caller's transaction.
    static func append(_ entry: AuditEntry, in db: Database) throws {
        switch AuditChain.placement(of: entry) {
        case .waiting(let day):
            // What an anonymous reporter did (and the routing that came with it): unordered until the day ends.
            try db.execute(
                sql: "INSERT INTO audit_waiting (id, day, action, reference, detail, event, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [randomID(), day, entry.action, entry.reference, entry.detail, entry.event, entry.content])
        case .chained(let day):
            try sealWaiting(before: day, in: db)
            try chain(entry, in: db)
        }
    }

    /// Chains the waiting records of every day before `day`, in random order.
    static func sealWaiting(before day: CalendarDay, in db: Database) throws {
        // The ids are random, so their order says nothing about when each was written.
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM audit_waiting WHERE day < ? ORDER BY id"), arguments: [day.description])
        for row in rows {
            try chain(
                AuditEntry(at: .day(row["day"]), actor: nil, action: row["action"], reference: row["reference"], detail: row["detail"],
                           event: row["event"], content: row["content"]),
                in: db)
            try db.execute(sql: "DELETE FROM audit_waiting WHERE id = ?", arguments: [row["id"] as String])
        }
    }

    private static func chain(_ entry: AuditEntry, in db: Database) throws {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT position, hash FROM audit_record ORDER BY position DESC LIMIT 1"))
        let position = (last?["position"] as Int? ?? 0) + 1
        let previous = last?["hash"] as Data? ?? genesis
        try db.cachedStatement(sql: """
            INSERT INTO audit_record (position, at, actor, action, reference, detail, event, content, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                position, entry.at.text, entry.actor, entry.action, entry.reference, entry.detail, entry.event, entry.content, previous,
                digest(position: position, previous: previous, entry),
            ])
    }

    /// The record's hash (see `AuditChain.digest`).
    static func digest(position: Int, previous: Data, _ entry: AuditEntry) -> Data {
        AuditChain.digest(position: position, previous: previous, entry)
    }

    /// Reads the chain from the start and checks every link; with `anchor`, also that
    /// record `anchor.position` still has the hash noted earlier (so a cut or a rewrite shows).
    static func verify(in db: Database, anchor: (position: Int, hash: String)? = nil) throws -> AuditVerification {
        // Only the last directory import can be held against the directory as it is now.
        let lastDirectory = try Int.fetchOne(
            db, sql: "SELECT max(position) FROM audit_record WHERE action = 'directory-replaced' AND content IS NOT NULL")
        let staffDigest = lastDirectory == nil ? nil : try ContentDigest.ofStaff(in: db)
        let upgraded = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_record WHERE action = ? AND actor IS NULL", arguments: [upgradeAction]) == 0
        var check = AuditChain.Check(anchor: anchor, staffDigest: staffDigest, lastDirectory: lastDirectory, upgraded: upgraded)
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_record ORDER BY position")
        while let row = try cursor.next() {
            try check.check(
                stored(row),
                eventDigest: { reference, sequence in try ContentDigest.ofEventOrTombstone(reference: reference, sequence: sequence, in: db) },
                erasureDigest: { reference in try ContentDigest.ofErasure(reference: reference, in: db) },
                sealingDigest: { reference in try ContentDigest.ofSealing(reference: reference, in: db) },
                namingDigest: { reference in try ContentDigest.ofNaming(reference: reference, in: db) })
        }
        let waiting = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_waiting") ?? 0
        var result = check.finish(waiting: waiting)
        if result.firstBroken == nil {
            // The keys cases are sealed for must be the ones the trail says were set.
            let records = try Row.fetchAll(db, sql: "SELECT position, actor, action, content FROM audit_record WHERE action IN (\(SealingKeyDigest.keyActions.map { "'\($0)'" }.joined(separator: ", ")))")
                .map { SealingKeyDigest.KeyRecord(position: $0["position"], actor: $0["actor"], action: $0["action"], content: $0["content"]) }
            let handlers = try Row.fetchAll(db, sql: "SELECT handler, public_key FROM sealing_key").map {
                HandlerSealingKey(handler: $0["handler"], publicKey: Array($0["public_key"] as Data), lockedKey: [], keptAt: Date())
            }
            let recovery = try (Data.fetchOne(db, sql: "SELECT public_key FROM recovery_key")).map { TrustRecoveryKey(publicKey: Array($0), madeAt: Date()) }
            result.firstBroken = SealingKeyDigest.keptKeysHold(records, handlers: handlers, recovery: recovery)
        }
        result.erasedEvents = try Int.fetchOne(db, sql: "SELECT count(*) FROM erased_event") ?? 0
        result.erasedCases = try Int.fetchOne(db, sql: "SELECT count(*) FROM case_erasure") ?? 0
        return result
    }

    /// The chain's records, oldest first.
    static func records(in db: Database) throws -> [AuditRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM audit_record ORDER BY position").compactMap { row in stored(row).record }
    }

    /// The action of the record that added content digests to an older store's records.
    static var upgradeAction: String { AuditChain.upgradeAction }

    /// The case event number in a record's detail ("event 3", or "event 3: …" for an import).
    static func eventNumber(in detail: String?) -> Int? {
        AuditChain.eventNumber(in: detail)
    }

    /// A record as stored, before anything about it is trusted.
    private static func stored(_ row: Row) -> AuditChain.StoredRecord {
        AuditChain.StoredRecord(position: row["position"], atText: row["at"], previousHash: row["previous_hash"], hash: row["hash"]) { at in
            AuditEntry(at: at, actor: row["actor"], action: row["action"], reference: row["reference"], detail: row["detail"],
                       event: row["event"], content: row["content"])
        }
    }

    private static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }.hex
    }
}
