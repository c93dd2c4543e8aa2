import Crypto
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Migration v13, frozen: each audit record carries a digest of what its event holds, so a changed
/// word shows in `audit verify`. Records already written get theirs now, once; their own hashes are
/// left as they were, and the upgrade itself is chained, vouching for every digest it added.
///
/// A private copy of what it called when it shipped (commits ef7de1e and 2e92c3e):
/// `AuditTrail.eventNumber`, `ContentDigest.ofEvent` and `ofDigests`, and `AuditTrail.append` of the
/// upgrade record (which first chains the waiting records of the days before, then the record, hashed
/// as `AuditTrail.digest` hashes). It uses GRDB, Foundation and Crypto only. What it writes must stay
/// byte for byte what the live audit trail reads back (`verify` recomputes these digests and hashes):
/// StoreUpgradeTests holds the two side by side. Never change this file; a change is a new migration.
enum V13ContentDigests {
    /// `AuditTrail.upgradeAction`: the action of the record that vouches for the digests added here.
    static let upgradeAction = "content-digests-added"
    /// The hash before the first record.
    static let genesis = Data(repeating: 0, count: SHA256.byteCount)
    /// `ContentDigest.derivedColumns`: worked out again by SpeakUp, so left out of a digest.
    static let derivedColumns: Set<String> = ["subject_key"]

    /// `now` dates the upgrade record.
    static func migrate(_ db: Database, now: Date) throws {
        try db.execute(sql: """
            ALTER TABLE audit_record ADD COLUMN event INTEGER;
            ALTER TABLE audit_record ADD COLUMN content BLOB;
            ALTER TABLE audit_waiting ADD COLUMN event INTEGER;
            ALTER TABLE audit_waiting ADD COLUMN content BLOB;
            DROP TRIGGER audit_record_no_update;
            """)
        var vouched: [(position: Int, digest: Data)] = []
        let records = try Row.fetchAll(db, sql: "SELECT position, reference, detail FROM audit_record WHERE reference IS NOT NULL ORDER BY position")
        for row in records {
            guard let sequence = eventNumber(in: row["detail"]),
                let content = try eventDigest(reference: row["reference"], sequence: sequence, in: db)
            else { continue }
            try db.execute(sql: "UPDATE audit_record SET event = ?, content = ? WHERE position = ?", arguments: [sequence, content, row["position"]])
            vouched.append((row["position"], content))
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, reference, detail FROM audit_waiting WHERE reference IS NOT NULL") {
            guard let sequence = eventNumber(in: row["detail"]),
                let content = try eventDigest(reference: row["reference"], sequence: sequence, in: db)
            else { continue }
            try db.execute(sql: "UPDATE audit_waiting SET event = ?, content = ? WHERE id = ?", arguments: [sequence, content, row["id"]])
        }
        try db.execute(sql: """
            CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record
            BEGIN SELECT RAISE(ABORT, 'audit records are appended, never changed'); END;
            """)
        if !records.isEmpty {
            // As `AuditTrail.append` chained a timed record: the waiting records of the days before its
            // local day first (in the order of their random ids), then the record.
            try sealWaiting(before: localDay(now), in: db)
            try chain(
                Entry(at: now.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)), actor: nil, action: upgradeAction, reference: nil,
                      detail: "\(vouched.count) earlier records", event: nil, content: digestOfDigests(vouched)),
                in: db)
        }
    }

    // MARK: Content digests (`ContentDigest`)

    /// The case event number in a record's detail ("event 3", or "event 3: …" for an import).
    static func eventNumber(in detail: String?) -> Int? {
        guard let detail, detail.hasPrefix("event ") else { return nil }
        return Int(detail.dropFirst(6).prefix { $0.isNumber })
    }

    /// The digest of case event `sequence` of case `reference` (with the report and its concerns for the
    /// first event), or nil if there is no such event.
    static func eventDigest(reference: String, sequence: Int, in db: Database) throws -> Data? {
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

    /// The digest of a list of digests, in order: what the upgrade record vouches for.
    static func digestOfDigests(_ digests: [(position: Int, digest: Data)]) -> Data {
        var hasher = SHA256()
        for (position, digest) in digests {
            add(String(position), to: &hasher)
            hasher.update(data: digest)
        }
        return Data(hasher.finalize())
    }

    /// A row's non-NULL, non-derived columns by name in order, each value with its type.
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
        hasher.update(data: lengthPrefix(text))
        hasher.update(data: Data(text.utf8))
    }

    private static func lengthPrefix(_ text: String) -> Data {
        let count = UInt32(text.utf8.count)
        return Data([UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)])
    }

    // MARK: The chain (`AuditTrail`)

    /// An audit record's fields, its time already as text (`yyyy-MM-dd`, or an instant to the second in UTC).
    struct Entry {
        var at: String
        var actor: String?
        var action: String
        var reference: String?
        var detail: String?
        var event: Int?
        var content: Data?
    }

    /// Chains the waiting records of every day before `day` (`yyyy-MM-dd`), in the order of their random ids.
    private static func sealWaiting(before day: String, in db: Database) throws {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit_waiting WHERE day < ? ORDER BY id"), arguments: [day])
        for row in rows {
            try chain(
                Entry(at: row["day"], actor: nil, action: row["action"], reference: row["reference"], detail: row["detail"],
                      event: row["event"], content: row["content"]),
                in: db)
            try db.execute(sql: "DELETE FROM audit_waiting WHERE id = ?", arguments: [row["id"] as String])
        }
    }

    private static func chain(_ entry: Entry, in db: Database) throws {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT position, hash FROM audit_record ORDER BY position DESC LIMIT 1"))
        let position = (last?["position"] as Int? ?? 0) + 1
        let previous = last?["hash"] as Data? ?? genesis
        try db.cachedStatement(sql: """
            INSERT INTO audit_record (position, at, actor, action, reference, detail, event, content, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                position, entry.at, entry.actor, entry.action, entry.reference, entry.detail, entry.event, entry.content, previous,
                digest(position: position, previous: previous, entry),
            ])
    }

    /// SHA-256 over the previous hash and every field, each length-prefixed (a missing one as four 0xFF
    /// bytes); a record with a content digest has it (in lower-case hex) and its event's number hashed too.
    static func digest(position: Int, previous: Data, _ entry: Entry) -> Data {
        var hasher = SHA256()
        hasher.update(data: previous)
        var fields = [String(position), entry.at, entry.actor, entry.action, entry.reference, entry.detail]
        if let content = entry.content { fields += [hex(content), entry.event.map(String.init)] }
        for field in fields {
            guard let field else {
                hasher.update(data: Data([0xFF, 0xFF, 0xFF, 0xFF]))
                continue
            }
            add(field, to: &hasher)
        }
        return Data(hasher.finalize())
    }

    private static func hex(_ data: Data) -> String {
        let symbols = Array("0123456789abcdef")
        var text = ""
        for byte in data {
            text.append(symbols[Int(byte >> 4)])
            text.append(symbols[Int(byte & 0x0F)])
        }
        return text
    }

    /// The local day (`yyyy-MM-dd`) a moment falls on, from the C library (the TZ variable, else
    /// /etc/localtime), as `CalendarDay.local` found it; UTC's day if the C library cannot say.
    static func localDay(_ moment: Date) -> String {
        var seconds = time_t(moment.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let utc = calendar.dateComponents([.year, .month, .day], from: moment)
        var (year, month, day) = (utc.year!, utc.month!, utc.day!)
        if localtime_r(&seconds, &parts) != nil, (1...9999).contains(Int(parts.tm_year) + 1900) {
            (year, month, day) = (Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
        }
        func padded(_ number: Int, _ width: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }
}
