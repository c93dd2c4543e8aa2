import Foundation
import GRDB
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore

/// The guardian's workspace with 1,000,000 cases routed to one handler (the
/// worst case: one guardian for a whole trust): opening the queue, one screen
/// of scrolling, a filter change and a full-text search term, each beside the
/// raw SQLite or FTS5 query that is its floor.
struct CasesBench {
    let scratch: String
    let cases: Int

    func run() throws -> [String] {
        let store = try SQLiteReportStore(path: scratch + "/cases.sqlite")
        let filled = try fillStore(store, cases: cases) { db, numbers in
            try db.execute(sql: """
                \(numbers)
                INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, submitted, subject_role,
                                    patient_harm, staff_impact, witnesses)
                SELECT printf('SU-%04d-%04d', i / 10000, i % 10000), CASE WHEN i % 3 = 0 THEN 'anonymous' ELSE 'confidential' END,
                       'practitioner', 'Ward ' || (i % 50), 'bench', printf('2026-%02d-%02d', 1 + i % 11, 1 + i % 28), 'nurse', 'none', '', ''
                FROM n
                """)
            try db.execute(sql: """
                \(numbers)
                INSERT INTO report_concern (reference, category)
                SELECT printf('SU-%04d-%04d', i / 10000, i % 10000),
                       CASE i % 8 WHEN 0 THEN 'rude-or-aggressive' WHEN 1 THEN 'unsafe-practice' WHEN 2 THEN 'lack-of-compassion'
                                  WHEN 3 THEN 'bullying-or-harassment' WHEN 4 THEN 'discrimination' WHEN 5 THEN 'worker-safety'
                                  WHEN 6 THEN 'detriment' ELSE 'other' END
                FROM n
                """)
            // 60% new, 30% acknowledged, 10% closed; 5% urgent, 20% awareness; one in seven overdue.
            try db.execute(sql: """
                \(numbers)
                INSERT INTO case_file (reference, status, level, acknowledge_by, feed_back_by, held, text_id)
                SELECT printf('SU-%04d-%04d', i / 10000, i % 10000),
                       CASE WHEN i % 10 < 6 THEN 'new' WHEN i % 10 < 9 THEN 'acknowledged' ELSE 'closed' END,
                       CASE WHEN i % 20 = 0 THEN 'urgent' WHEN i % 5 = 1 THEN 'awareness' ELSE 'informal' END,
                       CASE WHEN i % 7 = 0 THEN printf('2026-10-%02dT10:00:00Z', 1 + i % 28) ELSE printf('2027-%02d-%02dT10:00:00Z', 1 + i % 12, 1 + i % 28) END,
                       printf('2027-%02d-%02dT10:00:00Z', 1 + i % 12, 1 + i % 28), 0, i + 1
                FROM n
                """)
            try db.execute(sql: """
                INSERT INTO case_handler (handler, rank, reference, level, text_id)
                SELECT 'gita',
                       (CASE WHEN status = 'closed' THEN '1' ELSE '0' END) || (CASE WHEN level = 'urgent' THEN '0' ELSE '1' END) ||
                       (CASE status WHEN 'new' THEN acknowledge_by WHEN 'acknowledged' THEN feed_back_by ELSE '9999' END),
                       reference, level, text_id
                FROM case_file
                """)
            try db.execute(sql: """
                INSERT INTO case_handler_concern (handler, category, rank, reference, level)
                SELECT h.handler, c.category, h.rank, h.reference, h.level
                FROM case_handler h JOIN report_concern c ON c.reference = h.reference
                """)
            // Accounts of about 20 words: common ones, and "marker" words each in about 1% of cases.
            try db.execute(sql: """
                \(numbers)
                INSERT INTO case_text (rowid, reference, words)
                SELECT i + 1, printf('SU-%04d-%04d', i / 10000, i % 10000),
                       'shouted at the ' || CASE i % 4 WHEN 0 THEN 'porter' WHEN 1 THEN 'student' WHEN 2 THEN 'patient' ELSE 'nurse' END ||
                       ' during handover on ward ' || (i % 50) || ' near the ' || 'marker' || (i % 100) || ' and refused to ' ||
                       'listen when asked about the ' || 'topic' || (i % 1000) || ' again'
                FROM n
                """)
        }
        let moment = Date(timeIntervalSince1970: 1_795_770_106)

        func raw(_ sql: String) -> () throws -> Int {
            { try store.withDatabase { db in try Row.fetchAll(db, sql: sql).count } }
        }

        var filtered = QueueQuery()
        filtered.level = .awareness
        filtered.category = .detriment
        var searched = QueueQuery()
        searched.search = "marker42"
        var rare = QueueQuery()
        rare.search = "topic42"
        var scrolled = QueueQuery()
        scrolled.offset = 100
        // The queue as `speakup cases` reads it: through the desk, with the handler policy checked on every row.
        let desk = store.desk(policy: SubjectChainPolicy(directory: StaffDirectory([])))
        let figures: [(String, (Sample, Sample, Int))] = [
            ("open the queue (first 100 rows)", try measureBeside({ try desk.queue(QueueQuery(), for: "gita", now: moment).rows.count },
                floor: raw("SELECT reference FROM case_handler WHERE handler = 'gita' AND rank < '1' ORDER BY rank LIMIT 100"))),
            ("one screen of scrolling (the next 100 rows)", try measureBeside({ try desk.queue(scrolled, for: "gita", now: moment).rows.count },
                floor: raw("SELECT reference FROM case_handler WHERE handler = 'gita' AND rank < '1' ORDER BY rank LIMIT 100 OFFSET 100"))),
            ("filter change: level awareness and category detriment", try measureBeside({ try desk.queue(filtered, for: "gita", now: moment).rows.count },
                floor: raw("""
                    SELECT reference FROM case_handler_concern
                    WHERE handler = 'gita' AND category = 'detriment' AND rank < '1' AND level = 'awareness'
                    ORDER BY rank LIMIT 100
                    """))),
            ("full-text search, a term in 1% of cases (\"marker42\")", try measureBeside({ try desk.queue(searched, for: "gita", now: moment).rows.count },
                floor: raw("SELECT rowid FROM case_text WHERE case_text MATCH '\"marker42\"*' LIMIT 100"))),
            ("full-text search, \"topic42\" (a word in 0.1% of cases; as a prefix it also finds topic420-429)", try measureBeside({ try desk.queue(rare, for: "gita", now: moment).rows.count },
                floor: raw("SELECT rowid FROM case_text WHERE case_text MATCH '\"topic42\"*' LIMIT 100"))),
        ]
        print("## The guardian's workspace with \(cases.formatted()) cases routed to one handler (store filled in \(format(filled)) s)")
        print("| what | rows | median ms | p99 ms | raw SQLite / FTS5 floor median ms | floor p99 ms |")
        print("|---|---|---|---|---|---|")
        var summary: [String] = []
        for (name, (ours, floor, rows)) in figures {
            print("| \(name) | \(rows) | \(format(ours.median)) | \(format(ours.p99)) | \(format(floor.median)) | \(format(floor.p99)) |")
            summary.append("cases, \(name): median \(format(ours.median)) ms, p99 \(format(ours.p99)) ms (floor \(format(floor.median)) / \(format(floor.p99)) ms; goal p99 < 50 ms)")
        }
        print("goal: under 50 ms p99 for each")
        return summary
    }
}
