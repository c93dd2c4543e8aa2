import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// The audit trail on PostgreSQL: the same chain as on SQLite (`AuditChain` works out every
/// hash), serialised by the chain's head row, which each writer locks (`FOR UPDATE`) before it
/// works out the next record and keeps locked until its transaction ends. An anonymous
/// reporter's records wait, unordered, in `audit_waiting` until their day is over.
///
/// Inside a transaction the records wait in the session (`PendingAudit`) and are written together
/// just before the COMMIT (`flush`): the head is locked as late as it can be, and a transaction
/// that appends many records (a submit with its routing, a retention run) writes them in a
/// statement or two rather than two round trips each.
enum PostgresAuditTrail {
    /// Appends an entry: kept for the commit of the session's open transaction, or written now.
    static func append(_ entry: AuditEntry, in session: PostgresSession) throws {
        let kept = session.pendingAudit.withLock { pending in
            guard pending.open else { return false }
            pending.entries.append(entry)
            return true
        }
        if !kept { try write([entry], head: nil, in: session) }
    }

    /// Writes what the open transaction appended (called by `PostgresSession.transaction` before COMMIT).
    static func flush(in session: PostgresSession) throws {
        let (entries, head) = session.pendingAudit.withLock { pending in
            defer { pending.entries = [] }
            return (pending.entries, pending.lockedHead)
        }
        guard !entries.isEmpty else { return }
        try write(entries, head: head, in: session)
    }

    /// Columns that lock the chain's head when added to a statement (`FROM …, \(headLock.from)`,
    /// selecting `\(headLock.columns)`), so the statement before the commit takes the lock and no
    /// round trip of its own is spent on it. Read them back with `lockedHead(from:)`.
    static let headLock = (
        columns: "audit_head_lock.position AS audit_head_position, audit_head_lock.hash AS audit_head_hash, "
            + "(SELECT min(day) FROM audit_waiting) AS audit_oldest_waiting",
        from: "(SELECT position, hash FROM audit_head FOR UPDATE) audit_head_lock")

    /// Keeps the head a statement locked (its `headLock` columns) for this transaction's commit.
    static func lockedHead(from row: PostgresColumns, in session: PostgresSession) throws {
        guard let position = try row.integer("audit_head_position"), let hash = try row.bytes("audit_head_hash") else {
            throw missingHead
        }
        let head = LockedAuditHead(position: position, hash: hash, oldestWaiting: try row.text("audit_oldest_waiting"))
        session.pendingAudit.withLock { $0.lockedHead = head }
    }

    /// Chains the waiting records of every day before `day`, in random order.
    static func sealWaiting(before day: CalendarDay, in session: PostgresSession) throws {
        var head = try lockHead(in: session)
        guard let oldest = head.oldestWaiting, oldest < day.description else { return }
        let due = try storedWaiting(before: day.description, except: [], in: session)
        try chain(due.map(\.entry), after: &head, in: session)
        _ = try session.query("DELETE FROM audit_waiting WHERE id = ANY(\(due.map(\.id)))")
    }

    /// Writes `entries` in order: an anonymous reporter's to the waiting records, the rest onto the
    /// chain, each after the waiting records of the days before its own (stored ones, and any of
    /// these), in random order. `head` is the head if this transaction already locked it.
    private static func write(_ entries: [AuditEntry], head locked: LockedAuditHead?, in session: PostgresSession) throws {
        var head = locked
        var waiting: [(id: String, day: String, entry: AuditEntry)] = []
        var chained: [AuditEntry] = []
        var taken: [String] = []
        var storedTakenBefore: String?
        for entry in entries {
            switch AuditChain.placement(of: entry) {
            case .waiting(let day):
                // As `audit_waiting` keeps it: the day only, and nobody named.
                var kept = entry
                kept.at = .day(day)
                kept.actor = nil
                waiting.append((randomID(), day, kept))
            case .chained(let before):
                let current = try head ?? lockHead(in: session)
                head = current
                let day = before.description
                var due: [(id: String, entry: AuditEntry)] = []
                if let oldest = current.oldestWaiting, oldest < day, storedTakenBefore.map({ $0 < day }) ?? true {
                    let stored = try storedWaiting(before: day, except: taken, in: session)
                    taken += stored.map(\.id)
                    due += stored
                    storedTakenBefore = day
                }
                due += waiting.filter { $0.day < day }.map { ($0.id, $0.entry) }
                waiting.removeAll { $0.day < day }
                // The ids are random, so their order says nothing about when each was written.
                chained += due.sorted { $0.id < $1.id }.map(\.entry)
                chained.append(entry)
            }
        }
        for batch in waiting.chunked(by: 500) {
            var parts = StatementParts()
            let rows = batch.map { item in
                let values = [parts.bind(item.id), parts.bind(item.day), parts.bind(item.entry.action), parts.bind(item.entry.reference),
                              parts.bind(item.entry.detail), parts.bind(item.entry.event), parts.bind(item.entry.content)]
                return "(\(values.joined(separator: ", ")))"
            }
            _ = try session.query(parts.query(
                "INSERT INTO audit_waiting (id, day, action, reference, detail, event, content) VALUES \(rows.joined(separator: ", "))"))
        }
        if !taken.isEmpty {
            _ = try session.query("DELETE FROM audit_waiting WHERE id = ANY(\(taken))")
        }
        if var current = head {
            try chain(chained, after: &current, in: session)
        }
    }

    /// Locks the chain's head until the transaction ends, and reads it.
    private static func lockHead(in session: PostgresSession) throws -> LockedAuditHead {
        guard let row = try session.row("SELECT \(unescaped: headLock.columns) FROM \(unescaped: headLock.from)"),
            let position = try row.integer("audit_head_position"), let hash = try row.bytes("audit_head_hash")
        else { throw missingHead }
        return LockedAuditHead(position: position, hash: hash, oldestWaiting: try row.text("audit_oldest_waiting"))
    }

    private static var missingHead: StoreError {
        StoreError(.damaged, "The head of the audit trail is missing from the PostgreSQL store, so nothing was written. Please tell IT.")
    }

    /// The stored waiting records of days before `day`, but those in `except`.
    private static func storedWaiting(before day: String, except: [String], in session: PostgresSession) throws
        -> [(id: String, entry: AuditEntry)] {
        try session.rows("SELECT * FROM audit_waiting WHERE day < \(day) AND NOT (id = ANY(\(except))) ORDER BY id").map { row in
            (try row.string("id"),
             AuditEntry(at: .day(try row.string("day")), actor: nil, action: try row.string("action"), reference: try row.text("reference"),
                        detail: try row.text("detail"), event: try row.integer("event"), content: try row.bytes("content")))
        }
    }

    /// Chains `entries` after the locked head, in order, a few hundred records a statement (the
    /// table's trigger checks that each follows the one before and moves the head on).
    private static func chain(_ entries: [AuditEntry], after head: inout LockedAuditHead, in session: PostgresSession) throws {
        for batch in entries.chunked(by: 500) {
            var parts = StatementParts()
            var rows: [String] = []
            for entry in batch {
                let position = head.position + 1
                let hash = AuditChain.digest(position: position, previous: head.hash, entry)
                let values = [parts.bind(position), parts.bind(entry.at.text), parts.bind(entry.actor), parts.bind(entry.action),
                              parts.bind(entry.reference), parts.bind(entry.detail), parts.bind(entry.event), parts.bind(entry.content),
                              parts.bind(head.hash), parts.bind(hash)]
                rows.append("(\(values.joined(separator: ", ")))")
                head.position = position
                head.hash = hash
            }
            _ = try session.query(parts.query("""
                INSERT INTO audit_record (position, at, actor, action, reference, detail, event, content, previous_hash, hash)
                VALUES \(rows.joined(separator: ", "))
                """))
        }
    }

    /// Reads the chain from the start and checks every link (see `AuditChain.Check`).
    /// Records `verify` reads at a time.
    static let verifyPage = 2_000

    static func verify(in session: PostgresSession, anchor: (position: Int, hash: String)?, page: Int = verifyPage) throws -> AuditVerification {
        // Only the last directory import can be held against the directory as it is now.
        let lastDirectory = try session.number(
            "SELECT max(position) FROM audit_record WHERE action = 'directory-replaced' AND content IS NOT NULL")
        let staffDigest = lastDirectory == nil ? nil : try PostgresContentDigest.ofStaff(in: session)
        let upgraded = try session.number(
            "SELECT count(*) FROM audit_record WHERE action = \(AuditChain.upgradeAction) AND actor IS NULL") == 0
        var check = AuditChain.Check(anchor: anchor, staffDigest: staffDigest, lastDirectory: lastDirectory, upgraded: upgraded)
        // A page of records at a time, with the digests of their events read together.
        var after = Int.min
        while true {
            let rows = try session.rows("SELECT * FROM audit_record WHERE position > \(after) ORDER BY position LIMIT \(page)")
            guard let last = rows.last else { break }
            var keys = Set<PostgresEventDigests.Key>()
            for row in rows {
                if let reference = try row.text("reference"), let event = try row.integer("event") {
                    keys.insert(PostgresEventDigests.Key(reference: reference, sequence: event))
                }
            }
            let digests = try PostgresEventDigests(keys, in: session)
            for row in rows {
                try check.check(
                    try stored(row),
                    eventDigest: { reference, sequence in try digests.digest(reference: reference, sequence: sequence, in: session) },
                    erasureDigest: { reference in try PostgresContentDigest.ofErasure(reference: reference, in: session) },
                    sealingDigest: { reference in try PostgresContentDigest.ofSealing(reference: reference, in: session) },
                    namingDigest: { reference in try PostgresContentDigest.ofNaming(reference: reference, in: session) })
            }
            guard let position = try last.integer("position") else { throw StoredForm.damaged("audit record", "NULL") }
            after = position
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

extension Array {
    /// The array in pieces of at most `size` elements, in order.
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension AuditChain.Placement {
    /// Whether the record waits, unordered, for its day to end.
    var isWaiting: Bool {
        if case .waiting = self { true } else { false }
    }
}
