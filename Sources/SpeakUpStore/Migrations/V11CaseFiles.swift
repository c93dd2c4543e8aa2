import Foundation
import GRDB

/// Migration v11, frozen: the handlers' workspace tables, built once from the reports and their events.
///
/// Its rebuild is a private copy of what `CaseProjection.rebuild` did when v11 shipped (commit 74fd521,
/// the last before v12), with what that read: `ReportRows.all` (which refused a store holding a value it
/// did not know), `CaseEvent.Kind`, `SubmissionTime(text:)`, `CaseRouting`, `PyramidLevel`,
/// `CaseReference` and `CalendarDay(typed:)`, their constants copied. It uses GRDB and Foundation only:
/// the live projection may change (it has: a routing that does not read back now stops the write, and
/// it writes `unrouted`, a v12 column), and an old store must upgrade as it always did.
/// Never change this file; a change to the workspace is a new migration.
enum V11CaseFiles {
    /// A value in the store that the program of v11's time did not know: the upgrade stops, as it did then.
    struct UnknownValue: Error, CustomStringConvertible {
        let what: String
        let raw: String
        var description: String {
            "The store holds a \(what) this version of SpeakUp does not know (\(raw.debugDescription)). It may have been written by a newer version."
        }
    }

    static func migrate(_ db: Database) throws {
        // What the handlers' workspace reads: each case's current state and handlers, kept in step with
        // its events in the same transactions. The events stay the record; these tables are built from them here.
        try db.execute(sql: """
            CREATE TABLE case_file (
                reference TEXT PRIMARY KEY NOT NULL REFERENCES report(reference),
                status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'closed')),
                level TEXT NOT NULL DEFAULT 'informal',
                acknowledge_by TEXT,
                feed_back_by TEXT,
                held INTEGER NOT NULL DEFAULT 0,
                text_id INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE case_handler (
                handler TEXT NOT NULL,
                rank TEXT NOT NULL,
                reference TEXT NOT NULL REFERENCES report(reference),
                level TEXT NOT NULL,
                text_id INTEGER NOT NULL,
                PRIMARY KEY (handler, rank, reference)
            ) WITHOUT ROWID;
            CREATE UNIQUE INDEX case_handler_by_case ON case_handler(reference, handler);
            CREATE INDEX case_handler_by_level ON case_handler(handler, level, rank);
            -- The queue by concern: one row per handler and category, so a category filter reads in queue order.
            CREATE TABLE case_handler_concern (
                handler TEXT NOT NULL,
                category TEXT NOT NULL,
                rank TEXT NOT NULL,
                reference TEXT NOT NULL REFERENCES report(reference),
                level TEXT NOT NULL,
                PRIMARY KEY (handler, category, rank, reference)
            ) WITHOUT ROWID;
            CREATE INDEX case_handler_concern_by_case ON case_handler_concern(reference);
            CREATE TABLE case_recusal (
                reference TEXT NOT NULL REFERENCES report(reference),
                handler TEXT NOT NULL,
                PRIMARY KEY (reference, handler)
            ) WITHOUT ROWID;
            CREATE TABLE reminder (
                reference TEXT NOT NULL REFERENCES report(reference),
                handler TEXT NOT NULL,
                deadline TEXT NOT NULL,
                stage TEXT NOT NULL,
                due TEXT NOT NULL,
                seen INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (reference, handler, deadline, stage)
            ) WITHOUT ROWID;
            CREATE INDEX reminder_unseen ON reminder(handler, seen, due);
            CREATE UNIQUE INDEX case_file_by_text ON case_file(text_id);
            CREATE INDEX case_file_acknowledge ON case_file(acknowledge_by) WHERE status = 'new';
            CREATE INDEX case_file_feed_back ON case_file(feed_back_by) WHERE status <> 'closed';
            CREATE VIRTUAL TABLE case_text USING fts5(reference UNINDEXED, words, tokenize = 'unicode61 remove_diacritics 2', detail = none);
            -- Cases whose words are not in case_text yet: a report is indexed by the first search after
            -- it (or the next tick), so sending one never waits on the full-text index.
            CREATE TABLE case_text_pending (reference TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
            """)
        try rebuild(in: db)
    }

    // MARK: The constants of v11's time

    /// `CaseEvent.Kind`'s raw values: an event of any other kind was passed over.
    static let eventKinds: Set<String> = [
        "received", "routed", "escalated", "acknowledged", "handler-message", "reporter-message", "closed", "speak-up-again", "note",
        "level-changed", "reassigned", "recused",
    ]
    /// `PyramidLevel`'s raw values, lowest first (an escalation never lowered a level).
    static let levels = ["informal", "awareness", "authority", "disciplinary", "urgent"]
    static let waysOfRaising: Set<String> = ["open", "confidential", "anonymous"]
    static let concernCategories: Set<String> = [
        "rude-or-aggressive", "unsafe-practice", "lack-of-compassion", "bullying-or-harassment", "discrimination", "worker-safety",
        "detriment", "other",
    ]
    static let seniorities: Set<String> = [
        "student", "staff", "practitioner", "senior-practitioner", "manager", "senior-clinician", "director", "executive",
        "chief-executive", "board", "unknown",
    ]
    static let patientHarms: Set<String> = ["none", "low", "moderate", "severe", "death", "unknown"]
    static let desiredOutcomes: Set<String> = ["informal-word", "guardian-support", "formal-look", "just-record"]
    static let professionalGroups: Set<String> = [
        "nursing", "midwifery", "medical-dental", "allied-health", "healthcare-assistant", "healthcare-scientist", "pharmacy",
        "admin-clerical", "estates-ancillary", "corporate", "student", "other", "prefer-not-to-say",
    ]
    static let stations: Set<String> = ["personal", "ward", "kiosk"]
    /// `CaseReference`'s alphabet (Crockford's base 32).
    static let referenceAlphabet = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    // MARK: The rebuild as it was

    /// A report as the rebuild needed it: its reference (as `CaseReference` wrote it) and its words for search.
    private struct CaseWords {
        var reference: String
        var words: [String]
    }

    private static func rebuild(in db: Database) throws {
        for table in ["case_file", "case_handler", "case_handler_concern", "case_recusal", "case_text", "reminder"] {
            try db.execute(sql: "DELETE FROM \(table)")
        }
        let reports = try readReports(in: db)
        for report in reports {
            // Opening the case: its row (with a random id for its words, so the index keeps no order) and its words pending.
            let textID = Int64.random(in: 1...Int64.max)
            try db.cachedStatement(sql: "INSERT INTO case_file (reference, text_id) VALUES (?, ?)").execute(arguments: [report.reference, textID])
            try db.cachedStatement(sql: "INSERT INTO case_text_pending (reference) VALUES (?)").execute(arguments: [report.reference])
            for row in try Row.fetchAll(db, sql: "SELECT * FROM case_event WHERE reference = ? ORDER BY sequence", arguments: [report.reference]) {
                let kind: String = row["kind"]
                guard eventKinds.contains(kind), isSubmissionTime(row["at"]) else { continue }
                try apply(kind: kind, reference: report.reference, text: row["text"], actor: row["actor"], detail: row["detail"], in: db)
            }
        }
        // Indexing the pending cases' words: the report's and every note's.
        let byReference = Dictionary(reports.map { ($0.reference, $0.words) }, uniquingKeysWith: { first, _ in first })
        for reference in try String.fetchAll(db, sql: "SELECT reference FROM case_text_pending") {
            if let words = byReference[reference],
                let textID = try Int64.fetchOne(db, sql: "SELECT text_id FROM case_file WHERE reference = ?", arguments: [reference]) {
                let notes = try String.fetchAll(db, sql: "SELECT text FROM case_event WHERE reference = ? AND kind = 'note' ORDER BY sequence",
                                                arguments: [reference])
                let text = (words + notes).filter { !$0.isEmpty }.joined(separator: "\n")
                try db.execute(sql: "INSERT INTO case_text (rowid, reference, words) VALUES (?, ?, ?)", arguments: [textID, reference, text])
            }
            try db.execute(sql: "DELETE FROM case_text_pending WHERE reference = ?", arguments: [reference])
        }
    }

    /// Every report, oldest first, read as `ReportRows.all` read it: a value it did not know stops the upgrade.
    private static func readReports(in db: Database) throws -> [CaseWords] {
        for category in try String.fetchAll(db, sql: "SELECT category FROM report_concern") where !concernCategories.contains(category) {
            throw UnknownValue(what: "concern", raw: category)
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM report ORDER BY submitted, reference").map { row in
            let referenceText: String = row["reference"]
            guard let reference = caseReference(referenceText) else { throw UnknownValue(what: "case reference", raw: referenceText) }
            let submitted: String = row["submitted"]
            guard isSubmissionTime(submitted) else { throw UnknownValue(what: "time", raw: submitted) }
            try known(row["way_of_raising"], in: waysOfRaising, "way of raising")
            try known(row["subject_seniority"], in: seniorities, "seniority")
            if let occurred: String = row["occurred_on"], !isTypedDay(occurred) { throw UnknownValue(what: "date", raw: occurred) }
            try known(row["patient_harm"], in: patientHarms, "patient harm")
            if let outcome: String = row["desired_outcome"] { try known(outcome, in: desiredOutcomes, "outcome") }
            if let hold: String = row["hold_until"], !isTypedDay(hold) { throw UnknownValue(what: "date", raw: hold) }
            // The professional group was read only with the reporter's name.
            if (row["reporter_name"] as String?) != nil, let group: String = row["reporter_group"] {
                try known(group, in: professionalGroups, "professional group")
            }
            try known(row["station"], in: stations, "station")
            let words: [String] = [
                row["account"], (row["subject_name"] as String?) ?? "", row["subject_role"], row["location"], row["witnesses"], row["staff_impact"],
            ]
            return CaseWords(reference: reference, words: words)
        }
    }

    private static func known(_ raw: String, in values: Set<String>, _ what: String) throws {
        guard values.contains(raw) else { throw UnknownValue(what: what, raw: raw) }
    }

    /// One event applied to the workspace tables, as `CaseProjection.apply` did.
    private static func apply(kind: String, reference: String, text: String?, actor: String?, detail: String?, in db: Database) throws {
        switch kind {
        case "routed", "escalated":
            // A routing that did not read back was passed over.
            guard let detail, let routing = try? decoder.decode(Routing.self, from: Data(detail.utf8)) else { return }
            // An escalation never lowers a level a handler raised.
            var level = routing.level
            if kind == "escalated",
                let current = try String.fetchOne(db, sql: "SELECT level FROM case_file WHERE reference = ?", arguments: [reference]),
                let currentRank = levels.firstIndex(of: current), let routedRank = levels.firstIndex(of: level), currentRank > routedRank {
                level = current
            }
            try db.execute(
                sql: "UPDATE case_file SET level = ?, acknowledge_by = ?, feed_back_by = ?, held = ? WHERE reference = ?",
                arguments: [level, stamp(routing.acknowledgeBy), stamp(routing.feedBackBy), routing.held, reference])
            let recused = Set(try String.fetchAll(db, sql: "SELECT handler FROM case_recusal WHERE reference = ?", arguments: [reference]))
            if kind == "routed" {
                try setHandlers(routing.held ? [] : routing.handlers.filter { !recused.contains($0) }, of: reference, in: db)
            } else {
                // An escalation adds people; it never takes back a case a handler passed on.
                let passedOn = Set(try String.fetchAll(db, sql: """
                    SELECT json_extract(detail, '$.from') FROM case_event WHERE reference = ? AND kind = 'reassigned'
                    """, arguments: [reference]))
                let current = try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ?", arguments: [reference])
                let added = routing.handlers.filter { !passedOn.contains($0) && !recused.contains($0) && !current.contains($0) }
                try setHandlers(current + added, of: reference, in: db)
            }
        case "acknowledged", "handler-message":
            try db.execute(sql: "UPDATE case_file SET status = 'acknowledged' WHERE reference = ? AND status = 'new'", arguments: [reference])
            try rerank(reference, in: db)
        case "closed":
            try db.execute(sql: "UPDATE case_file SET status = 'closed' WHERE reference = ?", arguments: [reference])
            try rerank(reference, in: db)
        case "note":
            // A case still waiting to be indexed takes its notes when it is (in a rebuild, every case is).
            if let text, try Bool.fetchOne(db, sql: "SELECT 1 FROM case_text_pending WHERE reference = ?", arguments: [reference]) != true {
                try db.execute(
                    sql: "UPDATE case_text SET words = words || char(10) || ? WHERE rowid = (SELECT text_id FROM case_file WHERE reference = ?)",
                    arguments: [text, reference])
            }
        case "level-changed":
            if let level = field("level", of: detail) {
                try db.execute(sql: "UPDATE case_file SET level = ? WHERE reference = ?", arguments: [level, reference])
                try rerank(reference, in: db)
            }
        case "reassigned":
            if let from = field("from", of: detail), let to = field("to", of: detail) {
                var handlers = try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ?", arguments: [reference])
                handlers.removeAll { $0 == from }
                if !handlers.contains(to) { handlers.append(to) }
                try setHandlers(handlers, of: reference, in: db)
            }
        case "recused":
            // An imported timeline has no detail: the one who stepped away is the event's actor.
            if let who = field("handler", of: detail) ?? actor {
                try db.execute(sql: "INSERT OR IGNORE INTO case_recusal (reference, handler) VALUES (?, ?)", arguments: [reference, who])
                var handlers = try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ?", arguments: [reference])
                handlers.removeAll { $0 == who }
                for next in list("to", of: detail) where !handlers.contains(next) && next != who { handlers.append(next) }
                try setHandlers(handlers, of: reference, in: db)
            }
        default:
            break
        }
    }

    /// The queue's sort key: open cases before closed, urgent before the rest, then the next deadline.
    private static func rank(status: String, level: String, acknowledgeBy: String?, feedBackBy: String?) -> String {
        let group = status == "closed" ? "1" : "0"
        let urgency = level == "urgent" ? "0" : "1"
        let due = switch status {
        case "new": acknowledgeBy ?? "9999"
        case "acknowledged": feedBackBy ?? "9999"
        default: "9999"
        }
        return group + urgency + due
    }

    private static func setHandlers(_ handlers: [String], of reference: String, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM case_handler WHERE reference = ?").execute(arguments: [reference])
        try db.cachedStatement(sql: "DELETE FROM case_handler_concern WHERE reference = ?").execute(arguments: [reference])
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM case_file WHERE reference = ?"), arguments: [reference]) else { return }
        let level: String = row["level"]
        let textID: Int64 = row["text_id"]
        let key = rank(status: row["status"], level: level, acknowledgeBy: row["acknowledge_by"], feedBackBy: row["feed_back_by"])
        let categories = try String.fetchAll(db.cachedStatement(sql: "SELECT category FROM report_concern WHERE reference = ?"), arguments: [reference])
        for handler in Set(handlers) {
            try db.cachedStatement(sql: "INSERT INTO case_handler (handler, rank, reference, level, text_id) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [handler, key, reference, level, textID])
            for category in categories {
                try db.cachedStatement(sql: "INSERT INTO case_handler_concern (handler, category, rank, reference, level) VALUES (?, ?, ?, ?, ?)")
                    .execute(arguments: [handler, category, key, reference, level])
            }
        }
    }

    private static func rerank(_ reference: String, in db: Database) throws {
        let handlers = try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ?", arguments: [reference])
        try setHandlers(handlers, of: reference, in: db)
    }

    // MARK: Reading as v11's time read

    /// A routing event's detail, as `CaseRouting` decoded it then: every key but `held` required.
    private struct Routing: Decodable {
        var level: String
        var handlers: [String]
        var acknowledgeBy: Date
        var feedBackBy: Date
        var held: Bool

        enum CodingKeys: String, CodingKey {
            case level, roles, handlers, acknowledgeBy = "acknowledge_by", feedBackBy = "feed_back_by", explanation, held
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            level = try container.decode(String.self, forKey: .level)
            guard V11CaseFiles.levels.contains(level) else {
                throw DecodingError.dataCorruptedError(forKey: .level, in: container, debugDescription: "not a pyramid level")
            }
            _ = try container.decode([String].self, forKey: .roles)
            handlers = try container.decode([String].self, forKey: .handlers)
            acknowledgeBy = try container.decode(Date.self, forKey: .acknowledgeBy)
            feedBackBy = try container.decode(Date.self, forKey: .feedBackBy)
            _ = try container.decode([String].self, forKey: .explanation)
            held = try container.decodeIfPresent(Bool.self, forKey: .held) ?? false
        }
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// An instant as the workspace keeps it: `2026-11-27T08:01:46Z`.
    private static func stamp(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) }

    private static func field(_ name: String, of detail: String?) -> String? {
        guard let detail, let object = try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any] else { return nil }
        return object[name] as? String
    }

    private static func list(_ name: String, of detail: String?) -> [String] {
        guard let detail, let object = try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any] else { return [] }
        return object[name] as? [String] ?? []
    }

    /// `CaseReference(_:)`: the reference as it wrote it (`SU-XXXX-XXXX`), or nil.
    static func caseReference(_ typed: String) -> String? {
        let symbols = typed.uppercased().filter { $0 != "-" && $0 != " " }
        guard symbols.hasPrefix("SU") else { return nil }
        let body = Array(symbols.dropFirst(2))
        guard body.count == 8, body.allSatisfy(referenceAlphabet.contains) else { return nil }
        return "SU-\(String(body[0..<4]))-\(String(body[4..<8]))"
    }

    /// `SubmissionTime(text:)` as it was: a real `yyyy-MM-dd` day, or whatever ISO 8601 instant the date parser took.
    static func isSubmissionTime(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let dayPattern = parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
            && parts.allSatisfy { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        if text.count == 10, dayPattern { return isTypedDay(text) }
        return (try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt))) != nil
    }

    /// `CalendarDay(typed:)` found a real day: `2026-11-20`, or `20/11/2026` as written in the UK.
    static func isTypedDay(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let iso = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let uk = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        func number(_ part: Substring, digits: ClosedRange<Int>) -> Int? {
            guard digits.contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(part)
        }
        func isReal(year: Int, month: Int, day: Int) -> Bool {
            let days = switch month {
            case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
            return (1...9999).contains(year) && (1...12).contains(month) && (1...days).contains(day)
        }
        if iso.count == 3, let y = number(iso[0], digits: 4...4), let m = number(iso[1], digits: 1...2), let d = number(iso[2], digits: 1...2) {
            return isReal(year: y, month: m, day: d)
        } else if uk.count == 3, let d = number(uk[0], digits: 1...2), let m = number(uk[1], digits: 1...2), let y = number(uk[2], digits: 4...4) {
            return isReal(year: y, month: m, day: d)
        }
        return false
    }
}
