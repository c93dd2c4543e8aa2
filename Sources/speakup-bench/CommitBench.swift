import Foundation
import GRDBSQLite
import SpeakUpCore
import SpeakUpStore

/// Submit to committed through the store, beside a raw SQLite commit of the same size.
struct CommitBench {
    let scratch: String
    let commits: Int

    static let account = String(repeating: "She raised her voice at the patient's daughter and walked off. ", count: 8)

    static func report(way: WayOfRaising = .confidential) -> Report {
        Report(
            reference: .random(), wayOfRaising: way, concerns: [.rudeOrAggressive, .lackOfCompassion],
            subject: Subject(name: nil, role: "", seniority: .seniorClinician), location: "Ward 7", account: account,
            reporter: Reporter(userName: "asha", uid: 1001), submitted: .recorded(for: way, at: Date()))
    }

    func run() throws -> String {
        let store = try SQLiteReportStore(path: scratch + "/commits.sqlite")
        let raw = try RawSQLite(path: scratch + "/raw.sqlite")
        let payload = String(repeating: "x", count: Self.account.utf8.count + 120)  // the report's text columns
        var storeTimes = Sample()
        var rawTimes = Sample()
        // Warm up both, then interleave blocks so drift in the machine hits both alike.
        for _ in 0..<20 {
            _ = try store.submit(Self.report(), receipt: nil)
            try raw.insert(payload)
        }
        let block = 50
        var done = 0
        while done < commits {
            let count = min(block, commits - done)
            for _ in 0..<count {
                let report = Self.report()
                let start = now()
                _ = try store.submit(report, receipt: nil)
                storeTimes.add(now() - start)
                store.tidy()  // as the form does, once the confirmation is drawn
            }
            for _ in 0..<count {
                let start = now()
                try raw.insert(payload)
                rawTimes.add(now() - start)
            }
            done += count
        }
        let ratio = storeTimes.median / rawTimes.median
        print("## Submit to committed (\(commits) each, WAL, synchronous=FULL, interleaved blocks of \(block))")
        print("| path | median ms | p99 ms |")
        print("|---|---|---|")
        print("| SQLiteReportStore.submit (report + 2 concerns + case event, one transaction) | \(format(storeTimes.median)) | \(format(storeTimes.p99)) |")
        print("| raw SQLite single-row insert, same bytes (floor) | \(format(rawTimes.median)) | \(format(rawTimes.p99)) |")
        print("ratio of medians: \(format(ratio))x, ratio of p99: \(format(storeTimes.p99 / rawTimes.p99))x (goal: within 2x)")
        return "submit to committed: store median \(format(storeTimes.median)) ms / p99 \(format(storeTimes.p99)) ms, raw SQLite median \(format(rawTimes.median)) ms / p99 \(format(rawTimes.p99)) ms, ratio \(format(ratio))x (goal <= 2x)"
    }
}

/// The floor: SQLite's C API with nothing on top, one row per transaction.
final class RawSQLite {
    private var db: OpaquePointer?
    private var statement: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw BenchError("raw sqlite: cannot open \(path)") }
        sqlite3_busy_timeout(db, 15_000)  // as the store waits for other writers
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = FULL")
        try execute("CREATE TABLE IF NOT EXISTS entry (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        guard sqlite3_prepare_v2(db, "INSERT INTO entry (payload) VALUES (?)", -1, &statement, nil) == SQLITE_OK else {
            throw BenchError("raw sqlite: cannot prepare")
        }
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close(db)
    }

    func insert(_ payload: String) throws {
        try execute("BEGIN IMMEDIATE")
        sqlite3_reset(statement)
        sqlite3_bind_text(statement, 1, payload, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchError("raw sqlite: insert failed") }
        try execute("COMMIT")
    }

    private func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchError("raw sqlite: \(sql) failed: \(String(cString: sqlite3_errmsg(db)))")
        }
    }
}
