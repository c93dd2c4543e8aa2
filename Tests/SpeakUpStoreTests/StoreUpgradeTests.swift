import Foundation
import GRDB
import Testing
import SpeakUpCore
@testable import SpeakUpStore

/// Stores left at an older version, filled as the program of that time filled them, then opened
/// by this one: the upgrade must complete and leave a workspace and an audit trail that hold.
@Suite("An older store upgrades: its cases reach the workspace and its audit trail still verifies")
struct StoreUpgradeTests {
    /// When the upgrade runs (with a fraction of a second, which the upgrade record's time drops).
    static let upgradeMoment = Date(timeIntervalSince1970: 1_796_025_600.25)  // 2026-11-30T08:00:00.25Z
    static let open = "SU-7KQ4-M2XD"
    static let confidential = "SU-3HJR-9PWN"
    static let anonymous = "SU-8T2V-K4QA"
    static let unrouted = "SU-5CFG-2D6E"
    /// The chained records the upgrade gives content digests to: one per case event written by a
    /// named or timed action (the anonymous case's two wait for their day's end).
    static let eventRecords = 13

    /// A routing as the rules engine of the time kept it (sorted keys, ISO 8601 dates, no candidates).
    static func routing(level: String, handlers: [String], acknowledgeBy: String, feedBackBy: String, held: Bool = false) -> String {
        let list = handlers.map { "\"\($0)\"" }.joined(separator: ",")
        return """
            {"acknowledge_by":"\(acknowledgeBy)","explanation":["Rule default: sent to the guardians."],"feed_back_by":"\(feedBackBy)",\
            "handlers":[\(list)],"held":\(held),"level":"\(level)","roles":["guardian"]}
            """
    }

    /// A version-10 store: every way of raising, from a personal login, a ward terminal and a kiosk;
    /// events acknowledged, closed, messages both ways, a note, an answer; a case routed to nobody;
    /// the audit chain as it was written (no content digests), and an anonymous case's records waiting.
    static func makeVersionTenStore(at path: String, upTo last: String) throws {
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: "v10-stations-actors-audit")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, reporter_user, reporter_uid, submitted,
                                    subject_name, subject_role, occurred_on, occurred_at, patient_harm, staff_impact, witnesses,
                                    desired_outcome, hold_until, reporter_name, reporter_contact, reporter_group, subject_key,
                                    excluded_handlers, subject_id, station, station_location)
                VALUES
                    ('\(open)', 'open', 'senior-clinician', 'Ward 7', 'Shouted at a patient in front of the family.', 'asha', 1001,
                     '2026-11-27T09:01:46Z', 'Dr Grey', 'consultant', '2026-11-26', '14:30', 'low', 'The team was shaken.', 'Two nurses',
                     'informal-word', NULL, 'Asha Patel', 'ext 4410', 'nursing', 'name:grey|consultant', '', NULL, 'personal', NULL),
                    ('\(confidential)', 'confidential', 'manager', 'Theatres', 'Rotas changed to punish people who complained.', NULL, NULL,
                     '2026-11-27T09:30:00Z', NULL, 'theatre manager', NULL, NULL, 'none', '', '', 'formal-look', NULL,
                     'Ben Okafor', 'bleep 221', 'medical-dental', NULL, 'chris', NULL, 'ward', 'Ward 7 terminal'),
                    ('\(anonymous)', 'anonymous', 'staff', 'Main entrance', 'Visitors were turned away rudely at night.', NULL, NULL,
                     '2026-11-27', NULL, 'porter', NULL, NULL, 'unknown', '', '', NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, 'kiosk', 'Atrium'),
                    ('\(unrouted)', 'open', 'student', 'Ward 2', 'A student was left alone on a night shift.', 'dev', 1002,
                     '2026-11-27T10:00:00Z', NULL, '', NULL, NULL, 'unknown', '', '', NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, 'personal', NULL);
                INSERT INTO report_concern (reference, category) VALUES
                    ('\(open)', 'rude-or-aggressive'), ('\(open)', 'lack-of-compassion'),
                    ('\(confidential)', 'detriment'), ('\(anonymous)', 'rude-or-aggressive'), ('\(unrouted)', 'worker-safety');
                INSERT INTO receipt (hash, reference) VALUES (randomblob(32), '\(anonymous)');
                """)
            let events: [(String, Int, String, String, String?, String?, String?)] = [
                (open, 1, "received", "2026-11-27T09:01:46Z", nil, nil, "asha"),
                (open, 2, "routed", "2026-11-27T09:01:46Z", "Rule default: sent to the guardians.",
                 routing(level: "informal", handlers: ["guardian"], acknowledgeBy: "2026-11-29T09:01:46Z", feedBackBy: "2026-12-18T09:01:46Z"),
                 CaseEvent.rulesActor),
                (open, 3, "acknowledged", "2026-11-27T11:00:00Z", nil, nil, "guardian"),
                (open, 4, "handler-message", "2026-11-27T11:05:00Z", "Thank you. We are looking into it.", nil, "guardian"),
                (open, 5, "note", "2026-11-27T11:06:00Z", "Spoke to the ward manager about the rota.", nil, "guardian"),
                (open, 6, "reporter-message", "2026-11-27T12:00:00Z", "It happened again last night.", nil, "asha"),
                (confidential, 1, "received", "2026-11-27T09:30:00Z", nil, nil, nil),
                (confidential, 2, "routed", "2026-11-27T09:30:00Z", "Rule default: sent to the guardians.",
                 routing(level: "awareness", handlers: ["guardian", "lead"], acknowledgeBy: "2026-11-29T09:30:00Z", feedBackBy: "2026-12-18T09:30:00Z"),
                 CaseEvent.rulesActor),
                (confidential, 3, "acknowledged", "2026-11-27T13:00:00Z", nil, nil, "lead"),
                (confidential, 4, "closed", "2026-11-27T15:00:00Z", "Rotas restored; the manager apologised.", nil, "lead"),
                (confidential, 5, "speak-up-again", "2026-11-27T16:00:00Z", "yes", nil, nil),
                (anonymous, 1, "received", "2026-11-27", nil, nil, nil),
                (anonymous, 2, "routed", "2026-11-27", "Rule default: sent to the guardians.",
                 routing(level: "informal", handlers: ["guardian"], acknowledgeBy: "2026-11-29T00:00:00Z", feedBackBy: "2026-12-18T00:00:00Z"),
                 CaseEvent.rulesActor),
                (unrouted, 1, "received", "2026-11-27T10:00:00Z", nil, nil, "dev"),
                (unrouted, 2, "routed", "2026-11-27T10:00:00Z", "Nobody can take it.",
                 routing(level: "informal", handlers: [], acknowledgeBy: "2026-11-29T10:00:00Z", feedBackBy: "2026-12-18T10:00:00Z"),
                 CaseEvent.rulesActor),
            ]
            for (reference, sequence, kind, at, text, detail, actor) in events {
                try db.execute(
                    sql: "INSERT INTO case_event (reference, sequence, kind, at, text, detail, actor) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [reference, sequence, kind, at, text, detail, actor])
            }
            // The chain as the program of the time wrote it: every timed event, an opening, a directory
            // import; each record hashed without content. The anonymous case's records wait for their day's end.
            var chained = events.filter { $0.0 != anonymous }.map { event in
                (at: event.3, actor: event.6, action: event.2, reference: Optional(event.0), detail: Optional("event \(event.1)"))
            }
            chained.insert((at: "2026-11-27T10:59:00Z", actor: "guardian", action: "opened", reference: open, detail: nil), at: 4)
            chained.insert((at: "2026-11-27T08:00:00Z", actor: "admin", action: "directory-replaced", reference: nil, detail: "12 people"), at: 0)
            var previous = AuditTrail.genesis
            for (index, record) in chained.enumerated() {
                let entry = AuditEntry(at: SubmissionTime(text: record.at)!, actor: record.actor, action: record.action,
                                       reference: record.reference, detail: record.detail)
                let hash = AuditTrail.digest(position: index + 1, previous: previous, entry)
                try db.execute(
                    sql: """
                        INSERT INTO audit_record (position, at, actor, action, reference, detail, previous_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [index + 1, record.at, record.actor, record.action, record.reference, record.detail, previous, hash])
                previous = hash
            }
            try db.execute(sql: """
                INSERT INTO audit_waiting (id, day, action, reference, detail) VALUES
                    ('9f1c2e7a55d04b3e8a61c0de7b2f4a10', '2026-11-27', 'received', '\(anonymous)', 'event 1'),
                    ('1b7e3d9c0a2f4e6d8c5b3a1f0e9d7c6b', '2026-11-27', 'routed', '\(anonymous)', 'event 2');
                """)
        }
        if last != "v10-stations-actors-audit" {
            try StoreSchema.migrator.migrate(queue, upTo: last)
        }
    }

    @Test("a version-10 or version-12 store upgrades: cases with their status in the queue, the unrouted one named, search, an unbroken chain",
          arguments: ["v10-stations-actors-audit", "v12-safe-routing"])
    func upgrades(from version: String) throws {
        let folder = TemporaryFolder()
        try Self.makeVersionTenStore(at: folder.file(), upTo: version)
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10, clock: FixedClock(Self.upgradeMoment))
        #expect(try store.appliedMigrations().count == StoreSchema.migrator.migrations.count)

        // The workspace: each handler's queue holds their cases, with the status their events gave them.
        var all = QueueQuery()
        all.status = .all
        let guardian = try store.queue(all, for: "guardian", now: Self.upgradeMoment)
        #expect(Dictionary(uniqueKeysWithValues: guardian.map { ($0.reference.text, $0.status) })
                == [Self.open: .acknowledged, Self.confidential: .closed, Self.anonymous: .new])
        let lead = try store.queue(all, for: "lead", now: Self.upgradeMoment)
        #expect(lead.map(\.reference.text) == [Self.confidential])
        #expect(lead.first?.level == .awareness)
        #expect(guardian.first { $0.reference.text == Self.open }?.deadlineKind == .feedBack)
        // Search reads the accounts and the handlers' notes.
        var search = all
        search.search = "rota"
        #expect(Set(try store.queue(search, for: "guardian", now: Self.upgradeMoment).map(\.reference.text)) == [Self.open, Self.confidential])
        // The case routed to nobody waits, and says so.
        #expect(try store.unroutedCases().map(\.reference.text) == [Self.unrouted])
        // The workspace rows as the routings and actions made them.
        let files = try store.withDatabase { db in
            try Row.fetchAll(db, sql: "SELECT reference, status, level, acknowledge_by, feed_back_by, held, unrouted FROM case_file ORDER BY reference")
                .map { row in [row[0], row[1], row[2], row[3], row[4], String(row[5] as Int), String(row[6] as Int)] as [String?] }
        }
        #expect(files == [
            [Self.confidential, "closed", "awareness", "2026-11-29T09:30:00Z", "2026-12-18T09:30:00Z", "0", "0"],
            [Self.unrouted, "new", "informal", "2026-11-29T10:00:00Z", "2026-12-18T10:00:00Z", "0", "1"],
            [Self.open, "acknowledged", "informal", "2026-11-29T09:01:46Z", "2026-12-18T09:01:46Z", "0", "0"],
            [Self.anonymous, "new", "informal", "2026-11-29T00:00:00Z", "2026-12-18T00:00:00Z", "0", "0"],
        ])

        // The audit trail: the upgrade record is chained, vouches for every earlier record with an event, and all verifies.
        let records = try store.auditRecords()
        let upgrade = try #require(records.first { $0.entry.action == AuditTrail.upgradeAction })
        #expect(upgrade.entry.actor == nil && upgrade.entry.detail == "\(Self.eventRecords) earlier records")
        #expect(upgrade.entry.at == .instant(Date(timeIntervalSince1970: 1_796_025_600)))
        #expect(records.filter { $0.position < upgrade.position && $0.entry.content != nil }.count == Self.eventRecords + 2)
        // The anonymous case's waiting records were chained (their day had ended) just before the upgrade record.
        #expect(records.filter { $0.entry.reference == Self.anonymous }.map(\.position) == [upgrade.position - 2, upgrade.position - 1])
        // The upgrade record is hashed, and vouches, exactly as the live audit trail reads it back.
        #expect(AuditTrail.digest(position: upgrade.position, previous: upgrade.previousHash, upgrade.entry) == upgrade.hash)
        let vouched = try store.withDatabase { db in
            // The records written before the upgrade (not the anonymous case's, which were chained with theirs).
            try records.filter { $0.position < upgrade.position && $0.entry.reference != Self.anonymous }
                .compactMap { record in
                    try record.entry.event.flatMap { try ContentDigest.ofEvent(reference: record.entry.reference!, sequence: $0, in: db) }
                        .map { (position: record.position, digest: $0) }
                }
        }
        #expect(vouched.count == Self.eventRecords)
        #expect(upgrade.entry.content == ContentDigest.ofDigests(vouched))
        let verification = try store.verifyAudit(today: CalendarDay.local(Self.upgradeMoment))
        #expect(verification.firstBroken == nil, "\(String(describing: verification.firstBroken))")
        #expect(verification.waiting == 0 && verification.records == records.count)
    }

    @Test("a routing that does not read back is passed over, as it was when v11 shipped, and the upgrade completes")
    func unreadableRoutingPassedOver() throws {
        let folder = TemporaryFolder()
        try Self.makeVersionTenStore(at: folder.file(), upTo: "v10-stations-actors-audit")
        let queue = try DatabaseQueue(path: folder.file())
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO case_event (reference, sequence, kind, at, text, detail, actor)
                VALUES ('\(Self.open)', 7, 'escalated', '2026-11-29T09:01:47Z', 'Not acknowledged in time.', '{"level":"urgent"}', 'speakup-rules')
                """)
        }
        try queue.close()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10, clock: FixedClock(Self.upgradeMoment))
        var all = QueueQuery()
        all.status = .all
        let row = try #require(try store.queue(all, for: "guardian", now: Self.upgradeMoment).first { $0.reference.text == Self.open })
        #expect(row.level == .informal && row.status == .acknowledged)
    }

    @Test("a value the program of v11's time did not know stops the upgrade as it did then, as a damaged store, and changes nothing")
    func unknownValueStops() throws {
        let folder = TemporaryFolder()
        try Self.makeVersionTenStore(at: folder.file(), upTo: "v10-stations-actors-audit")
        let queue = try DatabaseQueue(path: folder.file())
        try queue.write { db in try db.execute(sql: "INSERT INTO report_concern (reference, category) VALUES ('\(Self.open)', 'gossip')") }
        try queue.close()
        let error = try #require(throws: StoreError.self) {
            try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10, clock: FixedClock(Self.upgradeMoment))
        }
        #expect(error.kind == .damaged && error.sentence.contains("concern") && error.sentence.contains("\"gossip\""))
        let applied = try DatabaseQueue(path: folder.file()).read { db in try StoreSchema.migrator.appliedIdentifiers(db) }
        #expect(applied.contains("v10-stations-actors-audit") && !applied.contains("v11-guardians-workspace"))
    }

    @Test("the frozen v13 hashes every kind of record byte for byte as the live audit trail does")
    func frozenHashingMatchesLive() throws {
        let previous = Data((0..<32).map { UInt8($0 * 7 % 256) })
        let content = Data((0..<32).map { UInt8(255 - $0) })
        let instant = Date(timeIntervalSince1970: 1_796_025_600.75)
        let entries: [AuditEntry] = [
            AuditEntry(at: .instant(instant), actor: nil, action: AuditTrail.upgradeAction, reference: nil, detail: "13 earlier records", content: content),
            AuditEntry(at: .day("2026-11-27"), actor: nil, action: "received", reference: Self.anonymous, detail: "event 1", event: 1, content: content),
            AuditEntry(at: .day("2026-11-27"), actor: CaseEvent.rulesActor, action: "routed", reference: Self.anonymous, detail: "event 2"),
            AuditEntry(at: .instant(instant), actor: "guardian", action: "opened", reference: Self.open),
            AuditEntry(at: .instant(instant), actor: "zoë", action: "imported", reference: Self.open, detail: "event 3: note at — ✓", event: 3,
                       content: Data()),
        ]
        for (index, entry) in entries.enumerated() {
            let frozen = V13ContentDigests.Entry(at: entry.at.text, actor: entry.actor, action: entry.action, reference: entry.reference,
                                                 detail: entry.detail, event: entry.event, content: entry.content)
            for (position, before) in [(1, AuditTrail.genesis), (index + 40_000, previous)] {
                #expect(V13ContentDigests.digest(position: position, previous: before, frozen) == AuditTrail.digest(position: position, previous: before, entry))
            }
        }
        #expect(Date(timeIntervalSince1970: 1_796_025_600.75).formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) == SubmissionTime.instant(instant).text)
        for seconds in [0, 1_796_025_599, 1_796_025_600, 1_795_737_600 - 1] {
            let moment = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(V13ContentDigests.localDay(moment) == CalendarDay.local(moment).description)
        }
        for detail in ["event 3", "event 12: received at 2026-11-27 by asha", "event", "opened", nil] as [String?] {
            #expect(V13ContentDigests.eventNumber(in: detail) == AuditTrail.eventNumber(in: detail))
        }
        let list = [(position: 3, digest: content), (position: 9, digest: previous)]
        #expect(V13ContentDigests.digestOfDigests(list) == ContentDigest.ofDigests(list))
        // The content digests of every event in a filled store.
        let folder = TemporaryFolder()
        try Self.makeVersionTenStore(at: folder.file(), upTo: "v12-safe-routing")
        let queue = try DatabaseQueue(path: folder.file())
        try queue.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT reference, sequence FROM case_event") {
                let frozen = try V13ContentDigests.eventDigest(reference: row["reference"], sequence: row["sequence"], in: db)
                let live = try ContentDigest.ofEvent(reference: row["reference"], sequence: row["sequence"], in: db)
                #expect(frozen != nil && frozen == live)
            }
        }
    }

    @Test("v24 keeps every wrapped case key byte for byte when it reorders them, and still refuses a second key for one recipient")
    func wrappedKeysKeptThroughV24() throws {
        let folder = TemporaryFolder()
        try Self.makeVersionTenStore(at: folder.file(), upTo: "v23-sealed-subject")
        let wrapped: [Data] = (0..<3).map { (index: Int) -> Data in
            Data((0..<93).map { (position: Int) -> UInt8 in UInt8((position * 31 + index * 7) % 256) })
        }
        try DatabaseQueue(path: folder.file()).write { db in
            for (index, recipient) in ["guardian", "recovery", "chris"].enumerated() {
                let reference: String = index < 2 ? Self.open : Self.confidential
                try db.execute(sql: "INSERT INTO case_key (reference, recipient, wrapped) VALUES (?, ?, ?)",
                               arguments: [reference, recipient, wrapped[index]])
            }
        }
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10, clock: FixedClock(Self.upgradeMoment))
        #expect(try store.appliedMigrations().contains("v24-case-keys-appended"))
        try store.withDatabase { db in
            let rows: [String] = try Row.fetchAll(db, sql: "SELECT reference, recipient, wrapped FROM case_key ORDER BY reference, recipient").map { row in
                let reference: String = row["reference"]
                let recipient: String = row["recipient"]
                let bytes: Data = row["wrapped"]
                return reference + " " + recipient + " " + bytes.base64EncodedString()
            }
            let expected: [String] = [Self.confidential + " chris " + wrapped[2].base64EncodedString(),
                                      Self.open + " guardian " + wrapped[0].base64EncodedString(),
                                      Self.open + " recovery " + wrapped[1].base64EncodedString()]
            #expect(rows == expected)
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO case_key (reference, recipient, wrapped) VALUES (?, 'guardian', x'00')", arguments: [Self.open])
            }
            let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT wrapped FROM case_key WHERE reference = ? AND recipient = ?",
                                        arguments: [Self.open, "guardian"]).map { $0["detail"] as String }.joined()
            #expect(plan.contains("USING INDEX"))
        }
    }
}
