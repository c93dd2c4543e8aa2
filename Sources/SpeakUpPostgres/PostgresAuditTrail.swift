import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// The audit trail on PostgreSQL: the same chain as on SQLite (`AuditChain` works out every
/// hash), serialised by the chain's head row, which each writer locks (`FOR UPDATE`) before it
/// works out the next record and keeps locked until its transaction ends. An anonymous
/// reporter's records wait, unordered, in `audit_waiting` until their day is over.
enum PostgresAuditTrail {
    /// Appends an entry, inside the caller's transaction.
    static func append(_ entry: AuditEntry, in session: PostgresSession) throws {
        switch AuditChain.placement(of: entry) {
        case .waiting(let day):
            // What an anonymous reporter did (and the routing that came with it): unordered until the day ends.
            _ = try session.query("""
                INSERT INTO audit_waiting (id, day, action, reference, detail, event, content)
                VALUES (\(randomID()), \(day), \(entry.action), \(entry.reference), \(entry.detail), \(entry.event), \(entry.content))
                """)
        case .chained(let day):
            try sealWaiting(before: day, in: session)
            try chain(entry, in: session)
        }
    }

    /// Chains the waiting records of every day before `day`, in random order.
    static func sealWaiting(before day: CalendarDay, in session: PostgresSession) throws {
        // The ids are random, so their order says nothing about when each was written.
        for row in try session.rows("SELECT * FROM audit_waiting WHERE day < \(day.description) ORDER BY id") {
            try chain(
                AuditEntry(at: .day(try row.string("day")), actor: nil, action: try row.string("action"), reference: try row.text("reference"),
                           detail: try row.text("detail"), event: try row.integer("event"), content: try row.bytes("content")),
                in: session)
            _ = try session.query("DELETE FROM audit_waiting WHERE id = \(try row.string("id"))")
        }
    }

    /// Chains one record after the head, which stays locked until the transaction ends.
    private static func chain(_ entry: AuditEntry, in session: PostgresSession) throws {
        guard let head = try session.row("SELECT position, hash FROM audit_head FOR UPDATE"),
            let last = try head.integer("position"), let previous = try head.bytes("hash")
        else {
            throw StoreError(.damaged, "The head of the audit trail is missing from the PostgreSQL store, so nothing was written. Please tell IT.")
        }
        let position = last + 1
        let hash = AuditChain.digest(position: position, previous: previous, entry)
        _ = try session.query("""
            INSERT INTO audit_record (position, at, actor, action, reference, detail, event, content, previous_hash, hash)
            VALUES (\(position), \(entry.at.text), \(entry.actor), \(entry.action), \(entry.reference), \(entry.detail), \(entry.event),
                    \(entry.content), \(previous), \(hash))
            """)
    }

    /// Reads the chain from the start and checks every link (see `AuditChain.Check`).
    static func verify(in session: PostgresSession, anchor: (position: Int, hash: String)?) throws -> AuditVerification {
        // Only the last directory import can be held against the directory as it is now.
        let lastDirectory = try session.number(
            "SELECT max(position) FROM audit_record WHERE action = 'directory-replaced' AND content IS NOT NULL")
        let staffDigest = lastDirectory == nil ? nil : try PostgresContentDigest.ofStaff(in: session)
        let upgraded = try session.number(
            "SELECT count(*) FROM audit_record WHERE action = \(AuditChain.upgradeAction) AND actor IS NULL") == 0
        var check = AuditChain.Check(anchor: anchor, staffDigest: staffDigest, lastDirectory: lastDirectory, upgraded: upgraded)
        for row in try session.rows("SELECT * FROM audit_record ORDER BY position") {
            try check.check(
                try stored(row),
                eventDigest: { reference, sequence in try PostgresContentDigest.ofEventOrTombstone(reference: reference, sequence: sequence, in: session) },
                erasureDigest: { reference in try PostgresContentDigest.ofErasure(reference: reference, in: session) },
                sealingDigest: { reference in try PostgresContentDigest.ofSealing(reference: reference, in: session) })
        }
        var result = check.finish(waiting: try session.number("SELECT count(*) FROM audit_waiting") ?? 0)
        if result.firstBroken == nil {
            // The keys cases are sealed for must be the ones the trail says were set.
            let actions = SealingKeyDigest.keyActions
            let records = try session.rows("SELECT position, actor, action, content FROM audit_record WHERE action = ANY(\(actions))").map { row throws(StoreError) in
                SealingKeyDigest.KeyRecord(position: try row.integer("position") ?? 0, actor: try row.text("actor"), action: try row.string("action"),
                                           content: try row.bytes("content"))
            }
            let handlers = try session.rows("SELECT handler, public_key FROM sealing_key").map { row throws(StoreError) in
                HandlerSealingKey(handler: try row.string("handler"), publicKey: Array(try row.bytes("public_key") ?? Data()), lockedKey: [], keptAt: Date())
            }
            let recovery = try session.rows("SELECT public_key FROM recovery_key").first.flatMap { row throws(StoreError) in try row.bytes("public_key") }
                .map { TrustRecoveryKey(publicKey: Array($0), madeAt: Date()) }
            result.firstBroken = SealingKeyDigest.keptKeysHold(records, handlers: handlers, recovery: recovery)
        }
        result.erasedEvents = try session.number("SELECT count(*) FROM erased_event") ?? 0
        result.erasedCases = try session.number("SELECT count(*) FROM case_erasure") ?? 0
        return result
    }

    /// The chain's records, oldest first.
    static func records(in session: PostgresSession) throws -> [AuditRecord] {
        try session.rows("SELECT * FROM audit_record ORDER BY position").compactMap { row in try stored(row).record }
    }

    /// A record as stored, before anything about it is trusted.
    private static func stored(_ row: PostgresColumns) throws -> AuditChain.StoredRecord {
        guard let position = try row.integer("position"), let previous = try row.bytes("previous_hash"), let hash = try row.bytes("hash") else {
            throw StoredForm.damaged("audit record", "NULL")
        }
        let (actor, action, reference, detail) = (try row.text("actor"), try row.string("action"), try row.text("reference"), try row.text("detail"))
        let (event, content) = (try row.integer("event"), try row.bytes("content"))
        return AuditChain.StoredRecord(position: position, atText: try row.string("at"), previousHash: previous, hash: hash) { at in
            AuditEntry(at: at, actor: actor, action: action, reference: reference, detail: detail, event: event, content: content)
        }
    }

    private static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }.hex
    }
}
