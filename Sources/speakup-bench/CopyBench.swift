import Foundation
import PostgresNIO
import SpeakUpCore
import SpeakUpPostgres
import SpeakUpStore

/// 4. Moving a trust's data (`speakup store copy`): an SQLite store of N routed cases (imported,
/// each with a note) copied into a new PostgreSQL database and from there into a new SQLite file,
/// each copy checked as the command checks it (every table's count, the audit chain verified on
/// both sides, every report's export equal). The floor: the same rows, as the same JSON batches,
/// into a table of one `json` column in one transaction (the client's encoding, the transfer and
/// the server's parsing, without the tables' types, indexes and triggers).
extension PostgresBench {
    func copyFigures(_ server: Server) throws -> [String] {
        let folder = scratch + "/copy"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let moment = Date(timeIntervalSince1970: 1_795_770_106)
        let today = CalendarDay(moment.addingTimeInterval(400 * 86_400), in: .gmt)

        let filling = now()
        let source = try SQLiteReportStore(path: folder + "/source.sqlite", receiptRounds: 1 << 10)
        for start in stride(from: 0, to: copyCases, by: 5_000) {
            let batch = (start..<min(start + 5_000, copyCases)).map { index in
                let report = Report(reference: .random(), wayOfRaising: .confidential, concerns: [.rudeOrAggressive, .lackOfCompassion],
                                    subject: Subject(name: "Dr Okafor \(index % 500)", role: "consultant", seniority: .seniorClinician),
                                    location: "Ward 7", account: CommitBench.account, reporter: Reporter(userName: "asha", uid: 1001),
                                    submitted: .recorded(for: .confidential, at: moment.addingTimeInterval(Double(index) * 30)))
                return (report, [CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted),
                                 CaseEvent(reference: report.reference, sequence: 2, kind: .note, at: report.submitted,
                                           text: "Spoke to the ward manager about case \(index).", actor: "gita")])
            }
            try source.importReports(batch, router: TwoGuardians(), by: "bench", at: moment)
        }
        let filled = now() - filling
        var rows = 0
        for table in StoreTables.copied { rows += try source.count(of: table) }
        print("store copy: an SQLite store of \(copyCases.formatted()) cases, \(rows.formatted()) rows in the copied tables, filled in \(format(filled)) s")

        let database = try server.makeDatabase("speakup_copy")
        // As the owner, as docs/deployment.md has it (the program's own login may not replace the store's salt).
        let target = try PostgresReportStore(address: PostgresAddress(server.address(database, .socket, as: server.ownerUser)),
                                             password: PostgresBench.password)
        let started = now()
        _ = try StoreCopy(from: source, to: target, today: today).run()
        let there = now() - started

        // `speakup export json`'s reads on the copy: every report, and each one's timeline, read one report at a time
        // (as before session 16) or a thousand a read; the floor, both tables' rows read whole as the copy reads them.
        let oneByOne = now()
        var events = 0
        for report in try target.allReports() { events += try target.events(for: report.reference).count }
        let exportOne = now() - oneByOne
        let batched = now()
        let everyReport = try target.allReports()
        var batchedEvents = 0
        for start in stride(from: 0, to: everyReport.count, by: 1_000) {
            let batch = everyReport[start..<min(start + 1_000, everyReport.count)]
            batchedEvents += try target.timelines(of: batch.map(\.reference)).values.reduce(0) { $0 + $1.count }
        }
        let exportBatched = now() - batched
        guard batchedEvents == events else { throw BenchFailure("the export's reads found \(batchedEvents) events a thousand at a time, \(events) one by one") }
        let rawRead = now()
        _ = try target.rows(of: "report")
        _ = try target.rows(of: "case_event")
        let exportFloor = now() - rawRead

        let back = try SQLiteReportStore(path: folder + "/back.sqlite", receiptRounds: 1 << 10)
        let returning = now()
        _ = try StoreCopy(from: target, to: back, today: today).run()
        let home = now() - returning
        target.close()

        let floorDatabase = try server.makeDatabase("speakup_copy_floor")
        let floorSession = try server.connect(floorDatabase, .socket, as: server.ownerUser)
        defer { floorSession.close() }
        _ = try floorSession.query("CREATE TABLE bench_copy (doc json NOT NULL)")
        let floorStarted = now()
        var tables: [TableRows] = []
        for table in StoreTables.copied { tables.append(try source.rows(of: table)) }
        try floorSession.transaction { session in
            for table in tables {
                for start in stride(from: 0, to: table.rows.count, by: 5_000) {
                    let batch = table.rows[start..<min(start + 5_000, table.rows.count)].map { row in
                        Dictionary(uniqueKeysWithValues: zip(table.columns, row.map(PostgresReportStore.jsonText)))
                    }
                    let json = String(decoding: try JSONSerialization.data(withJSONObject: batch, options: []), as: UTF8.self)
                    _ = try session.query("INSERT INTO bench_copy (doc) SELECT value FROM json_array_elements(\(json)::json)")
                }
            }
        }
        let floor = now() - floorStarted

        let perSecond = { (seconds: Double) in (Double(rows) / seconds).rounded().formatted() }
        print("| copy of \(copyCases.formatted()) cases (\(rows.formatted()) rows) | seconds | rows a second | x floor |")
        print("|---|---|---|---|")
        print("| SQLite to PostgreSQL, checked (`speakup store copy`) | \(format(there)) | \(perSecond(there)) | \(format(there / floor))x |")
        print("| PostgreSQL to a new SQLite file, checked | \(format(home)) | \(perSecond(home)) | \(format(home / floor))x |")
        print("| floor: the SQLite tables read, the same JSON batches into one json column, one transaction | \(format(floor)) | \(perSecond(floor)) | 1x |")
        print("")
        print("| `export json`'s reads from PostgreSQL, \(copyCases.formatted()) reports and \(events.formatted()) events | seconds | x floor |")
        print("|---|---|---|")
        print("| every report, then each one's timeline in a read of its own | \(format(exportOne)) | \(format(exportOne / exportFloor))x |")
        print("| every report, then a thousand timelines a read | \(format(exportBatched)) | \(format(exportBatched / exportFloor))x |")
        print("| floor: the two tables' rows read whole, as the copy reads them | \(format(exportFloor)) | 1x |")
        return ["export reads of \(copyCases.formatted()) reports from PostgreSQL: one timeline a read \(format(exportOne)) s, a thousand a read \(format(exportBatched)) s; floor \(format(exportFloor)) s",
                "store copy of \(copyCases.formatted()) cases (\(rows.formatted()) rows): SQLite to PostgreSQL \(format(there)) s, back \(format(home)) s; floor \(format(floor)) s"]
    }
}
