import Foundation
import GRDB
import SpeakUpCore
import SpeakUpStore

/// The board report (`speakup board`) over 1,000,000 cases: what the command does (the store
/// counts the quarter over its board columns, `boardTally`, and `BoardReport` is made from the
/// counts), beside a raw `SELECT count(*)` over the reports measured in the same run; and, once,
/// the old way (every case's facts read, `caseFacts`), to check the two give the same report and
/// to say what the columns saved.
struct BoardBench {
    let scratch: String
    let cases: Int
    var runs = 5

    func run() throws -> [String] {
        let store = try SQLiteReportStore(path: scratch + "/board.sqlite")
        var backfill = 0.0
        let filled = try fillStore(store, cases: cases) { db, numbers in
            let reference = "printf('SU-%04d-%04d', i / 10000, i % 10000)"
            let submitted = "printf('2026-%02d-%02dT10:00:00Z', 1 + i % 12, 1 + i % 28)"
            let seniorities = Seniority.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            try db.execute(sql: """
                \(numbers)
                INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, submitted, subject_role,
                                    patient_harm, staff_impact, witnesses)
                SELECT \(reference), 'confidential', json_extract(json_array(\(seniorities)), '$[' || (i % \(Seniority.allCases.count)) || ']'),
                       'Ward ' || (i % 50), 'bench', \(submitted), 'nurse', 'none', '', ''
                FROM n
                """)
            try db.execute(sql: """
                \(numbers)
                INSERT INTO report_concern (reference, category)
                SELECT \(reference), CASE i % 8 WHEN 0 THEN 'rude-or-aggressive' WHEN 1 THEN 'unsafe-practice' WHEN 2 THEN 'lack-of-compassion'
                    WHEN 3 THEN 'bullying-or-harassment' WHEN 4 THEN 'discrimination' WHEN 5 THEN 'worker-safety'
                    WHEN 6 THEN 'detriment' ELSE 'other' END
                FROM n
                """)
            try db.execute(sql: """
                \(numbers)
                INSERT INTO case_file (reference, status, level, acknowledge_by, feed_back_by, held, text_id)
                SELECT \(reference), CASE WHEN i % 10 < 6 THEN 'new' WHEN i % 10 < 9 THEN 'acknowledged' ELSE 'closed' END,
                       CASE WHEN i % 20 = 0 THEN 'urgent' WHEN i % 5 = 1 THEN 'awareness' ELSE 'informal' END,
                       printf('2026-%02d-%02dT10:00:00Z', 1 + i % 12, 8 + i % 20), printf('2027-%02d-%02dT10:00:00Z', 1 + i % 12, 1 + i % 28), 0, i + 1
                FROM n
                """)
            // Every case received and routed (the routing's explanation as long as a real one; one in ten took a
            // higher seniority from the directory); 40% acknowledged, 10% closed with an answer, 5% escalated.
            try db.execute(sql: """
                \(numbers)
                INSERT INTO case_event (reference, sequence, kind, at, text, detail, actor)
                SELECT \(reference), 1, 'received', \(submitted), NULL, NULL, NULL FROM n
                UNION ALL
                SELECT \(reference), 2, 'routed', \(submitted), 'Routed.',
                       json_object('level', CASE WHEN i % 20 = 0 THEN 'urgent' ELSE 'informal' END, 'roles', json_array('guardian'),
                                   'handlers', json_array('gita'), 'acknowledge_by', 0, 'feed_back_by', 0, 'held', json('false'),
                                   'explanation', json_array('Nobody in the directory matches the name.',
                                       CASE WHEN i % 10 = 0 THEN '\(Seniority.takenByRouting(.executive, reported: .practitioner))' ELSE 'Seniority as the report gave it.' END,
                                       'Route "everything-else" (line 40) matched: every report.')),
                       'speakup-rules'
                FROM n
                UNION ALL
                SELECT \(reference), 3, 'acknowledged', printf('2026-%02d-%02dT10:00:00Z', 1 + i % 12, 2 + i % 27), NULL, NULL, 'gita' FROM n WHERE i % 10 >= 6
                UNION ALL
                SELECT \(reference), 4, 'closed', printf('2026-%02d-28T10:00:00Z', 1 + i % 12), NULL, NULL, 'gita' FROM n WHERE i % 10 = 9
                UNION ALL
                SELECT \(reference), 5, 'speak-up-again', printf('2026-%02d-28T11:00:00Z', 1 + i % 12), CASE i % 3 WHEN 0 THEN 'yes' WHEN 1 THEN 'no' ELSE 'maybe' END,
                       NULL, NULL FROM n WHERE i % 10 = 9
                UNION ALL
                SELECT \(reference), 6, 'escalated', printf('2026-%02d-28T12:00:00Z', 1 + i % 12), 'Not acknowledged in time.',
                       json_object('level', 'authority'), 'speakup-rules' FROM n WHERE i % 20 = 3
                """)
            // The store was filled with SQL, as no program writes: its board columns are filled as
            // migration v18 fills an existing store's.
            let started = now()
            try db.execute(sql: BoardColumns.migrationBackfill)
            backfill = now() - started
        }
        let quarter = Quarter(year: 2026, number: 3)!

        var board = Sample(), count = Sample()
        var report: BoardReport?
        _ = try store.boardTally(for: quarter)  // warm the cache
        for _ in 0..<runs {
            var start = now()
            let tally = try store.boardTally(for: quarter)
            report = BoardReport(tally, described: try store.characteristics(from: quarter.first, through: quarter.last))
            board.add(now() - start)
            start = now()
            _ = try store.withDatabase { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM report") }
            count.add(now() - start)
        }
        // Once, the old way, with the same moment for "late": the same report, figure for figure?
        let moment = Date()
        var start = now()
        let fromFacts = BoardReport(quarter: quarter, facts: try store.caseFacts(now: moment))
        let old = (now() - start) * 1000
        let fromColumns = BoardReport(try store.boardTally(for: quarter, now: moment))
        let same = fromFacts.lines(width: 80) == fromColumns.lines(width: 80) && fromFacts.csv == fromColumns.csv && fromFacts.json == fromColumns.json
        guard same else { throw BenchError("board: the report from the board columns differs from the one from every case's facts") }
        let events = try store.withDatabase { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM case_event") ?? 0 }
        print("## The board report over \(cases.formatted()) cases (\(events.formatted()) case events; store filled in \(format(filled)) s, of which \(format(backfill)) s filling the board columns as migration v18 does), median of \(runs) runs")
        print("| what | median ms | slowest ms |")
        print("|---|---|---|")
        print("| `speakup board`'s work: count \(quarter) in the store and make the report (\(report?.raised.formatted() ?? "?") cases in it) | \(format(board.median)) | \(format(board.percentile(100))) |")
        print("| floor: raw `SELECT count(*) FROM report` | \(format(count.median)) | \(format(count.percentile(100))) |")
        print("| before: every case's facts read and counted (`caseFacts`, once) | \(format(old)) | |")
        print("the report takes \(String(format: "%.1f", board.median / count.median))x the raw count; the same text, csv and json as from every case's facts; goal: under 2,000 ms")
        return ["board, \(cases.formatted()) cases: median \(format(board.median)) ms, slowest \(format(board.percentile(100))) ms (count(*) \(format(count.median)) ms; caseFacts way \(format(old)) ms; goal < 2000 ms)"]
    }
}
