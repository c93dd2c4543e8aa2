import Crypto
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
    static let genesis = Data(repeating: 0, count: SHA256.byteCount)

    /// Appends an entry, inside the caller's transaction.
    static func append(_ entry: AuditEntry, in db: Database) throws {
        switch entry.at {
        case .day(let day) where entry.actor == nil || entry.actor == CaseEvent.rulesActor:
            // What an anonymous reporter did (and the routing that came with it): unordered until the day ends.
            try db.execute(
                sql: "INSERT INTO audit_waiting (id, day, action, reference, detail, event, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [randomID(), day, entry.action, entry.reference, entry.detail, entry.event, entry.content])
        case .day(let day):
            // A named handler's action on an anonymous case: chained now, under its name, with the day only.
            try sealWaiting(before: CalendarDay(typed: day) ?? .earliest, in: db)
            try chain(entry, in: db)
        case .instant(let moment):
            try sealWaiting(before: CalendarDay.local(moment), in: db)
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

    /// SHA-256 over the previous hash and every field, each length-prefixed so
    /// that no two different records can be spelled the same. A record with a content
    /// digest has it (and its event's number) hashed too; records from before content
    /// digests keep the hash they were written with.
    static func digest(position: Int, previous: Data, _ entry: AuditEntry) -> Data {
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

    /// Reads the chain from the start and checks every link; with `anchor`, also that
    /// record `anchor.position` still has the hash noted earlier (so a cut or a rewrite shows).
    static func verify(in db: Database, anchor: (position: Int, hash: String)? = nil) throws -> AuditVerification {
        var expectedPrevious = genesis
        var expectedPosition = 1
        var broken: (Int, String)? = nil
        // Only the last directory import can be held against the directory as it is now.
        let lastDirectory = try Int.fetchOne(
            db, sql: "SELECT max(position) FROM audit_record WHERE action = 'directory-replaced' AND content IS NOT NULL")
        let staffDigest = lastDirectory == nil ? nil : try ContentDigest.ofStaff(in: db)
        var vouched: [(position: Int, digest: Data)] = []
        var upgraded = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_record WHERE action = ? AND actor IS NULL", arguments: [upgradeAction]) == 0
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_record ORDER BY position")
        var count = 0
        while let row = try cursor.next() {
            count += 1
            guard broken == nil else { continue }
            let position: Int = row["position"]
            let atText: String = row["at"]
            let previous: Data = row["previous_hash"]
            let stored: Data = row["hash"]
            if position != expectedPosition {
                broken = (expectedPosition, "record \(expectedPosition) is missing: the chain jumps from record \(expectedPosition - 1) to record \(position)")
                continue
            }
            guard let at = SubmissionTime(text: atText) else {
                broken = (position, "its time (\(atText.debugDescription)) has been changed")
                continue
            }
            let entry = Self.entry(row, at: at)
            // A record from before content digests was hashed without its digest, which the upgrade record vouches for instead.
            var outsideHash = false
            if previous != expectedPrevious {
                broken = (position, "it does not follow on from record \(position - 1): a record before it was changed, removed or put in")
            } else if digest(position: position, previous: previous, entry) != stored || atText != at.text {
                var bare = entry
                bare.content = nil
                bare.event = nil
                if !upgraded, entry.content != nil, atText == at.text, digest(position: position, previous: previous, bare) == stored {
                    outsideHash = true
                } else {
                    broken = (position, "its contents were changed after it was written")
                }
            }
            if entry.action == upgradeAction && entry.actor == nil { upgraded = true }
            if broken == nil, let problem = try contentProblem(
                entry, position: position, outsideHash: outsideHash, staffDigest: staffDigest, lastDirectory: lastDirectory, vouched: &vouched, in: db) {
                broken = (position, problem)
            }
            if broken == nil, let anchor, anchor.position == position,
                !Array(stored).hex.hasPrefix(anchor.hash.lowercased()) {
                broken = (position, "its hash is not the one noted earlier: the trail was rewritten from here or before")
            }
            expectedPrevious = stored
            expectedPosition += 1
        }
        if broken == nil, let anchor, anchor.position > count {
            broken = (count + 1, "the trail ends at record \(count), but record \(anchor.position) was noted earlier: its last records were cut off")
        }
        let waiting = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_waiting") ?? 0
        let last = count == 0 ? nil : Array(expectedPrevious).hex
        return AuditVerification(records: count, waiting: waiting, firstBroken: broken, lastHash: last)
    }

    /// The chain's records, oldest first.
    static func records(in db: Database) throws -> [AuditRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM audit_record ORDER BY position").compactMap { row in
            guard let at = SubmissionTime(text: row["at"]) else { return nil }
            return AuditRecord(
                position: row["position"],
                entry: Self.entry(row, at: at),
                previousHash: row["previous_hash"], hash: row["hash"])
        }
    }

    /// The action of the record that added content digests to an older store's records.
    static let upgradeAction = "content-digests-added"

    /// The case event number in a record's detail ("event 3", or "event 3: …" for an import).
    static func eventNumber(in detail: String?) -> Int? {
        guard let detail, detail.hasPrefix("event ") else { return nil }
        return Int(detail.dropFirst(6).prefix { $0.isNumber })
    }

    /// Why a record no longer matches what it records, or nil if it does (or records no content).
    /// `vouched` gathers the digests of records from before content digests, for the upgrade record.
    private static func contentProblem(_ entry: AuditEntry, position: Int, outsideHash: Bool, staffDigest: Data?, lastDirectory: Int?,
                                       vouched: inout [(position: Int, digest: Data)], in db: Database) throws -> String? {
        if entry.action == upgradeAction && entry.actor == nil {
            guard entry.content == ContentDigest.ofDigests(vouched) else {
                return "the digests it vouched for no longer match: an earlier record, or what it records, was changed"
            }
            return nil
        }
        guard let content = entry.content else { return nil }
        if let reference = entry.reference, let sequence = entry.event {
            guard let now = try ContentDigest.ofEvent(reference: reference, sequence: sequence, in: db) else {
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

    private static func entry(_ row: Row, at: SubmissionTime) -> AuditEntry {
        AuditEntry(at: at, actor: row["actor"], action: row["action"], reference: row["reference"], detail: row["detail"],
                   event: row["event"], content: row["content"])
    }

    private static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }.hex
    }
}
