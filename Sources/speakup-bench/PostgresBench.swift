import Foundation
import Glibc
import PostgresNIO
import SpeakUpCore
import SpeakUpPostgres
import SpeakUpRules
import SpeakUpStore
import TestPostgres

/// The PostgreSQL figures, each beside a floor measured in the same run, on a throwaway server of
/// the bench's own (initdb'd in a temporary folder, stock settings but its own socket and port,
/// and fsync on, unlike the tests' clusters; stopped and removed at the end):
///
/// 1. Submit to committed: `PostgresReportStore.submit` of CommitBench's report (no router, as
///    CommitBench), over the Unix socket, over loopback TCP and over loopback TCP through a relay that
///    holds each piece 0.25 ms each way (`DelayRelay`: a network between hosts), beside a raw single-row
///    INSERT of the same bytes through a `PostgresSession` with the same settings (synchronous_commit on).
/// 2. 32 processes submitting at once (this program as children, `--pg-submitter`), beside the same
///    with submits written one statement at a time as before (`--pg-one-by-one-submitter`) and with
///    raw inserts (`--pg-raw-submitter`).
/// 3. The workspace queue and search through the real `PostgresReportStore.desk` over N cases
///    (1,000,000 unless `--pg-cases`), beside the bare SQL that is each one's floor.
/// 4. `speakup store copy` of N cases (20,000 unless `--copy-cases`) there and back (CopyBench.swift).
struct PostgresBench {
    let bench: String
    let commits: Int
    let submitters: Int
    let submissionsEach: Int
    let cases: Int
    /// Cases in the store `copyFigures` copies.
    let copyCases: Int
    /// A folder for the copy's SQLite files.
    let scratch: String
    /// Server settings given at start (`--pg-setting`); stock settings when empty.
    var settings: [String] = []

    /// The logins' password on the throwaway server (children get it from the environment, never argv).
    static let password = "bench-Secret-\(UUID().uuidString.prefix(8))"
    static let passwordVariable = "SPEAKUP_BENCH_PG_PASSWORD"
    /// Seconds the relay holds each piece, each way: 0.5 ms a round trip, as between two hosts in one data centre.
    static let relayDelay = 0.00025

    func run() throws -> [String] {
        let started = now()
        let cluster: ThrowawayCluster
        do { cluster = try ThrowawayCluster.durable(settings: settings) } catch { throw BenchError("PostgreSQL: \(error)") }
        defer { cluster.stop() }
        let version = ((try? cluster.sql("SHOW server_version")) ?? "?").trimmingCharacters(in: .whitespacesAndNewlines)
        print("PostgreSQL \(version), a throwaway cluster of the bench's own (\(settings.isEmpty ? "stock settings" : "stock settings but " + settings.joined(separator: ", ")); fsync on, synchronous_commit on; started in \(format(now() - started)) s)")
        print("")
        let server = Server(cluster: cluster)
        try server.makeRoles()
        var summary: [String] = []
        summary += try commitFigures(server)
        print("")
        summary += try concurrentFigures(server)
        print("")
        summary += try workspaceFigures(server)
        print("")
        summary += try copyFigures(server)
        return summary
    }

    // MARK: 1. Submit to committed

    private func commitFigures(_ server: Server) throws -> [String] {
        let database = try server.makeDatabase("speakup_commits")
        var lines: [String] = []
        var rows: [String] = []
        // Between two hosts each round trip costs more: the relay adds what a network would.
        let relay = try DelayRelay(to: server.cluster.port, delay: Self.relayDelay)
        defer { relay.stop() }
        for transport in [Transport.socket, .tcp, .relayed(port: relay.port)] {
            let store = try server.openStore(database, transport)
            // The same store's submits as they were written before the one-statement submit, for the comparison.
            let oneByOne = try server.openStore(database, transport)
            oneByOne.writeSubmitsOneByOne()
            // And with its one statement sent as it is each time, never prepared by name.
            let unprepared = try server.openStore(database, transport)
            unprepared.sendSubmitsUnprepared()
            let raw = try RawPostgres(session: server.connect(database, transport))
            let payload = String(repeating: "x", count: CommitBench.account.utf8.count + 120)
            var storeTimes = Sample(), rawTimes = Sample(), bareTimes = Sample(), tripTimes = Sample(), routedTimes = Sample()
            var oneByOneTimes = Sample(), routedOneByOneTimes = Sample(), unpreparedTimes = Sample(), routedUnpreparedTimes = Sample()
            for _ in 0..<20 {
                _ = try store.submit(CommitBench.report(), receipt: nil, discardingDraftOf: nil, router: nil)
                _ = try store.submit(CommitBench.report(), receipt: nil, discardingDraftOf: nil, router: TwoGuardians())
                _ = try oneByOne.submit(CommitBench.report(), receipt: nil, discardingDraftOf: nil, router: nil)
                _ = try oneByOne.submit(CommitBench.report(), receipt: nil, discardingDraftOf: nil, router: TwoGuardians())
                _ = try unprepared.submit(CommitBench.report(), receipt: nil, discardingDraftOf: nil, router: nil)
                _ = try unprepared.submit(CommitBench.report(), receipt: nil, discardingDraftOf: nil, router: TwoGuardians())
                try raw.insertInTransaction(payload)
                try raw.insert(payload)
                try raw.insertAfterRoundTrips(payload)
            }
            let block = 50
            var done = 0
            while done < commits {
                let count = min(block, commits - done)
                for _ in 0..<count {
                    let report = CommitBench.report()
                    let start = now()
                    _ = try store.submit(report, receipt: nil, discardingDraftOf: nil, router: nil)
                    storeTimes.add(now() - start)
                }
                for _ in 0..<count {
                    let report = CommitBench.report()
                    let start = now()
                    _ = try store.submit(report, receipt: nil, discardingDraftOf: nil, router: TwoGuardians())
                    routedTimes.add(now() - start)
                }
                for (path, router, into) in [(oneByOne, nil, 0), (oneByOne, TwoGuardians() as (any CaseRouter)?, 1),
                                             (unprepared, nil, 2), (unprepared, TwoGuardians() as (any CaseRouter)?, 3)] {
                    for _ in 0..<count {
                        let report = CommitBench.report()
                        let start = now()
                        _ = try path.submit(report, receipt: nil, discardingDraftOf: nil, router: router)
                        switch into {
                        case 0: oneByOneTimes.add(now() - start)
                        case 1: routedOneByOneTimes.add(now() - start)
                        case 2: unpreparedTimes.add(now() - start)
                        default: routedUnpreparedTimes.add(now() - start)
                        }
                    }
                }
                for _ in 0..<count {
                    let start = now()
                    try raw.insertInTransaction(payload)
                    rawTimes.add(now() - start)
                }
                for _ in 0..<count {
                    let start = now()
                    try raw.insert(payload)
                    bareTimes.add(now() - start)
                }
                for _ in 0..<count {
                    let start = now()
                    try raw.insertAfterRoundTrips(payload)
                    tripTimes.add(now() - start)
                }
                done += count
            }
            store.close()
            oneByOne.close()
            unprepared.close()
            raw.session.close()
            rows.append("| \(transport.name) | PostgresReportStore.submit (report + 2 concerns + case file, words, event, audit record; BEGIN, one statement prepared once the session has sent it twice, COMMIT) | \(format(storeTimes.median)) | \(format(storeTimes.p99)) |")
            rows.append("| \(transport.name) | not a floor: the same submit with a router (two handlers, earlier reports about the person counted once; the product's path, 4 round trips) | \(format(routedTimes.median)) | \(format(routedTimes.p99)) |")
            rows.append("| \(transport.name) | not a floor: the one statement sent as it is each time, never prepared (as before this session) | \(format(unpreparedTimes.median)) | \(format(unpreparedTimes.p99)) |")
            rows.append("| \(transport.name) | not a floor: with a router, never prepared | \(format(routedUnpreparedTimes.median)) | \(format(routedUnpreparedTimes.p99)) |")
            rows.append("| \(transport.name) | not a floor: the submit written one statement at a time (as before the one-statement submit: 5 round trips) | \(format(oneByOneTimes.median)) | \(format(oneByOneTimes.p99)) |")
            rows.append("| \(transport.name) | not a floor: with a router, one statement at a time (10 round trips) | \(format(routedOneByOneTimes.median)) | \(format(routedOneByOneTimes.p99)) |")
            rows.append("| \(transport.name) | raw BEGIN; INSERT one row of the same bytes; COMMIT (floor) | \(format(rawTimes.median)) | \(format(rawTimes.p99)) |")
            rows.append("| \(transport.name) | raw single INSERT of the same bytes, its own transaction (strictest floor) | \(format(bareTimes.median)) | \(format(bareTimes.p99)) |")
            rows.append("| \(transport.name) | not a floor: BEGIN, SELECT 1, the INSERT, COMMIT (a routed submit's 4 round trips, no work) | \(format(tripTimes.median)) | \(format(tripTimes.p99)) |")
            let ratio = storeTimes.median / bareTimes.median, tail = storeTimes.p99 / bareTimes.p99
            lines.append("\(transport.name): ratio to the single INSERT \(format(ratio))x at the median, \(format(tail))x at p99; to BEGIN/INSERT/COMMIT \(format(storeTimes.median / rawTimes.median))x, \(format(storeTimes.p99 / rawTimes.p99))x (goal: within 2x); with a router \(format(routedTimes.median / bareTimes.median))x, \(format(routedTimes.p99 / bareTimes.p99))x; never prepared: \(format(unpreparedTimes.median / bareTimes.median))x and with a router \(format(routedUnpreparedTimes.median / bareTimes.median))x; one statement at a time before: \(format(oneByOneTimes.median / bareTimes.median))x and with a router \(format(routedOneByOneTimes.median / bareTimes.median))x at the median")
        }
        print("## PostgreSQL: submit to committed (\(commits) each, synchronous_commit on, no router, interleaved blocks of 50; a submit is BEGIN, one statement and COMMIT, each a round trip)")
        print("| transport | path | median ms | p99 ms |")
        print("|---|---|---|---|")
        rows.forEach { print($0) }
        lines.forEach { print($0) }
        print("")
        lines.append(try firstSubmitFigures(server, database: database))
        return lines.map { "PostgreSQL submit to committed, " + $0 }
    }

    /// A reporter's form opens the store, sends one report and ends: its submit is the first
    /// statement of a new connection, whose server process has nothing cached yet (the tables'
    /// descriptions, the triggers' plans). Each timed submit here is a store of its own, opened
    /// untimed just before, over the Unix socket, with the router; beside a raw INSERT that is a new
    /// connection's first statement.
    private func firstSubmitFigures(_ server: Server, database: String) throws -> String {
        let count = max(20, commits / 5)
        var statement = Sample(), oneByOne = Sample(), warmed = Sample(), bare = Sample()
        let payload = String(repeating: "x", count: CommitBench.account.utf8.count + 120)
        for _ in 0..<count {
            for (into, writeOneByOne, warmUp) in [(0, false, false), (1, true, false), (2, false, true)] {
                let store = try server.openStore(database, .socket)
                if writeOneByOne { store.writeSubmitsOneByOne() }
                // As the form does while the reporter writes.
                if warmUp { store.warmUpForSubmit() }
                let report = CommitBench.report()
                let start = now()
                _ = try store.submit(report, receipt: nil, discardingDraftOf: nil, router: TwoGuardians())
                let took = now() - start
                switch into {
                case 0: statement.add(took)
                case 1: oneByOne.add(took)
                default: warmed.add(took)
                }
                store.close()
            }
            let raw = try RawPostgres(session: server.connect(database, .socket))
            let start = now()
            try raw.insert(payload)
            bare.add(now() - start)
            raw.session.close()
        }
        print("## PostgreSQL: the first submit of a new connection, as a reporter's form makes it (\(count) each, Unix socket, with the router; the store opened untimed)")
        print("| path | median ms | p99 ms |")
        print("|---|---|---|")
        print("| PostgresReportStore.submit (BEGIN, the earlier reports counted, one statement, COMMIT) | \(format(statement.median)) | \(format(statement.p99)) |")
        print("| not a floor: the same, one statement at a time (10 round trips) | \(format(oneByOne.median)) | \(format(oneByOne.p99)) |")
        print("| PostgresReportStore.submit after the warm-up the form runs while the reporter writes (`warmUpForSubmit`, untimed) | \(format(warmed.median)) | \(format(warmed.p99)) |")
        print("| raw single INSERT, a new connection's first statement (floor) | \(format(bare.median)) | \(format(bare.p99)) |")
        return "the first submit of a new connection (Unix socket, with the router): \(format(statement.median)) ms at the median, \(format(statement.median / bare.median))x a new connection's single INSERT (one statement at a time: \(format(oneByOne.median)) ms, \(format(oneByOne.median / bare.median))x; after the form's warm-up: \(format(warmed.median)) ms, \(format(warmed.median / bare.median))x)"
    }

    /// Routes every report to two guardians after counting the earlier reports about the same person,
    /// as a trust's rules do (`RulesRouter` reads the history through the same call).
    struct TwoGuardians: CaseRouter {
        func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
            if let key = SubjectKey.of(report.subject, directoryID: nil) {
                _ = try history.reportsAbout(key, since: CalendarDay(from.addingTimeInterval(-365 * 86_400), in: .gmt))
            }
            return CaseRouting(level: .informal, roles: ["guardian"], handlers: ["gita", "asha"], acknowledgeBy: from.addingTimeInterval(2 * 86_400),
                               feedBackBy: from.addingTimeInterval(28 * 86_400), explanation: ["Routed for the bench."])
        }
    }

    // MARK: 2. Many processes at once

    private func concurrentFigures(_ server: Server) throws -> [String] {
        setenv(Self.passwordVariable, Self.password, 1)
        let clock = try ServerProcessorClock(data: server.cluster.folder + "/data")
        print("## PostgreSQL: \(submitters) processes submitting at once (Unix socket, one connection each, \(submissionsEach) reports each)")
        print("| path | how | submitted | failed | median ms | p99 ms | max ms | processor ms a report: client, server |")
        print("|---|---|---|---|---|---|---|---|")
        var summary: [String] = []
        for (how, gap) in [("all at the same moment, \(submissionsEach) rounds 150 ms apart", 0.15), ("back to back, no pause", 0.0)] {
            let database = try server.makeDatabase("speakup_concurrent_\(gap == 0 ? "stress" : "rounds")")
            try server.openStore(database, .socket).close()  // which login the store opens as
            let address = server.address(database, .socket, as: server.storeUser.user)
            let before = try submitAtOnce(mode: "--pg-one-by-one-submitter", address: address, gap: gap, clock: clock)
            let unprepared = try submitAtOnce(mode: "--pg-unprepared-submitter", address: address, gap: gap, clock: clock)
            let ours = try submitAtOnce(mode: "--pg-submitter", address: address, gap: gap, clock: clock)
            let raw = try submitAtOnce(mode: "--pg-raw-submitter", address: address, gap: gap, clock: clock)
            for (name, result) in [("PostgresReportStore.submit", ours), ("not a floor: the one statement never prepared (before)", unprepared),
                                   ("not a floor: the submit one statement at a time (before that)", before),
                                   ("raw single-row INSERT (floor)", raw)] {
                let reports = Double(max(1, result.latencies.milliseconds.count))
                print("| \(name) | \(how) | \(result.latencies.milliseconds.count) | \(result.failures) | \(format(result.latencies.median)) | \(format(result.latencies.p99)) | \(format(result.latencies.percentile(100))) | \(format(result.processorSeconds * 1000 / reports)), \(format(result.serverSeconds * 1000 / reports)) |")
            }
            let reports = Double(max(1, ours.latencies.milliseconds.count))
            let cost = "processor time a report: client \(format(ours.processorSeconds * 1000 / reports)) ms, server \(format(ours.serverSeconds * 1000 / reports)) ms"
            if gap > 0 {
                summary.append("PostgreSQL, \(submitters) processes submitting at the same moment x \(submissionsEach) rounds: \(ours.failures) failed, median \(format(ours.latencies.median)) ms, p99 \(format(ours.latencies.p99)) ms, \(cost) (never prepared: p99 \(format(unprepared.latencies.p99)) ms; one statement at a time: p99 \(format(before.latencies.p99)) ms, \(before.failures) failed; raw INSERT p99 \(format(raw.latencies.p99)) ms, \(raw.failures) failed; goal 0 failed, p99 < 50 ms)")
            } else {
                summary.append("PostgreSQL, \(submitters) processes back to back x \(submissionsEach): \(ours.failures) failed, p99 \(format(ours.latencies.p99)) ms, \(cost) (raw INSERT p99 \(format(raw.latencies.p99)) ms)")
            }
        }
        print("goal: no failures, p99 under 50 ms (the same-moment rounds). Processor time: the children's own from the common start to their")
        print("last report, and the server's (its processes', the ended backends' included) over the same span, each divided by the reports")
        return summary
    }

    /// Starts the submitting processes (three seconds to start and connect on 2 busy cores), lets
    /// them go at one moment, and gathers their timings, their processor time and the server's.
    private func submitAtOnce(mode: String, address: String, gap: Double, clock: ServerProcessorClock) throws
        -> (latencies: Sample, failures: Int, processorSeconds: Double, serverSeconds: Double) {
        let background = clock.children()
        var serverAtStart = 0.0
        let result = try Submitters.atOnce(bench: bench, mode: mode, target: address, processes: submitters, each: submissionsEach, gap: gap,
                                           lead: 3, folder: NSTemporaryDirectory()) { serverAtStart = clock.seconds() }
        clock.settle(backgroundProcesses: background)
        let server = clock.seconds() - serverAtStart
        if let first = result.firstFailure { print("(\(mode), the first failure: \(first))") }
        return (result.latencies, result.failures, result.processorSeconds, server)
    }

    /// The child's side of `--pg-submitter` / `--pg-one-by-one-submitter` / `--pg-raw-submitter` (`Submitters.child`): the store, or
    /// a raw session, at the address it is given, with the password from the environment.
    static func submitter(raw: Bool, oneByOne: Bool = false, unprepared: Bool = false, arguments: [String]) -> Never {
        let password = ProcessInfo.processInfo.environment[passwordVariable]
        Submitters.child(arguments) { text in
            let address = try PostgresAddress(text)
            if raw {
                let rawStore = RawPostgres(session: try PostgresSession.connect(to: address, password: password, deadline: 10))
                let payload = String(repeating: "x", count: CommitBench.account.utf8.count + 120)
                return ({ _ in try rawStore.insert(payload) }, {})
            }
            let store = try PostgresReportStore(address: address, password: password)
            if oneByOne { store.writeSubmitsOneByOne() }
            if unprepared { store.sendSubmitsUnprepared() }
            return ({ report in _ = try store.submit(report, receipt: nil, discardingDraftOf: nil, router: nil) }, {})
        }
    }

    // MARK: 3. The workspace on many cases

    private func workspaceFigures(_ server: Server) throws -> [String] {
        let database = try server.makeDatabase("speakup_cases")
        let filled = try Self.fill(server.connect(database, .socket, as: server.superuser), cases: cases)
        let analyzed = now()
        // A store that has run a while has been vacuumed and analysed by autovacuum; a bulk fill has not.
        try server.cluster.sql("VACUUM ANALYZE", database: database)
        let vacuum = now() - analyzed
        let store = try server.openStore(database, .socket)
        let floorSession = try server.connect(database, .socket)
        defer {
            store.close()
            floorSession.close()
        }
        let moment = Date(timeIntervalSince1970: 1_795_770_106)
        let desk = store.desk(policy: SubjectChainPolicy(directory: StaffDirectory([])))

        // 30 runs each, interleaved; a slow one stops after a minute (and at least 5 runs).
        func measure(_ body: () throws -> Int, floor: () throws -> Int) throws -> (Sample, Sample, Int) {
            try measureBeside(giveUpAfter: 60, body, floor: floor)
        }
        func raw(_ sql: String) -> () throws -> Int {
            { try floorSession.query(PostgresQuery(unsafeSQL: sql)).count }
        }
        func queue(_ query: QueueQuery) -> () throws -> Int {
            { try desk.queue(query, for: "gita", now: moment).rows.count }
        }
        func searching(_ text: String) -> QueueQuery {
            var query = QueueQuery()
            query.search = text
            return query
        }
        var filtered = QueueQuery()
        filtered.level = .awareness
        filtered.category = .detriment
        var scrolled = QueueQuery()
        scrolled.offset = 100
        let firstPage = "SELECT reference FROM case_handler WHERE handler = 'gita' AND rank < '1' ORDER BY rank, reference LIMIT 100"
        func textFloor(_ tsquery: String) -> () throws -> Int {
            raw("SELECT id FROM case_text WHERE search @@ '\(tsquery)'::tsquery LIMIT 100")
        }
        let figures: [(String, (Sample, Sample, Int))] = [
            ("open the queue (first 100 rows)", try measure(queue(QueueQuery()), floor: raw(firstPage))),
            ("one screen of scrolling (the next 100 rows)", try measure(queue(scrolled), floor: raw(firstPage + " OFFSET 100"))),
            ("filter change: level awareness and category detriment", try measure(queue(filtered), floor: raw("""
                SELECT reference FROM case_handler_concern
                WHERE handler = 'gita' AND category = 'detriment' AND rank < '1' AND level = 'awareness'
                ORDER BY rank, reference LIMIT 100
                """))),
            ("a reference typed, \"SU 0000 12\"", try measure(queue(searching("SU 0000 12")), floor: raw(
                "SELECT reference FROM case_handler WHERE handler = 'gita' AND reference >= 'SU-0000-12' AND reference < 'SU-0000-12~' ORDER BY rank LIMIT 100"))),
            ("search, a word in 1% of cases (\"marker42\")", try measure(queue(searching("marker42")), floor: textFloor("marker42:*"))),
            ("search, \"topic42\" (0.1% of cases; as a prefix also topic420-429)", try measure(queue(searching("topic42")), floor: textFloor("topic42:*"))),
            ("search, a word in every case (\"shouted\")", try measure(queue(searching("shouted")), floor: textFloor("shouted:*"))),
            ("search, two words (\"patient marker42\")", try measure(queue(searching("patient marker42")), floor: textFloor("patient & marker42:*"))),
            ("search, letters in no case (\"zqxjv\")", try measure(queue(searching("zqxjv")), floor: textFloor("zqxjv:*"))),
        ]
        print("## PostgreSQL: the guardian's workspace with \(cases.formatted()) cases routed to one handler (filled in \(format(filled)) s, VACUUM ANALYZE \(format(vacuum)) s; Unix socket)")
        print("| what | rows | median ms | p99 ms | bare SQL floor median ms | floor p99 ms |")
        print("|---|---|---|---|---|---|")
        var summary: [String] = []
        for (name, (ours, floor, rows)) in figures {
            print("| \(name) | \(rows) | \(format(ours.median)) | \(format(ours.p99)) | \(format(floor.median)) | \(format(floor.p99)) |")
            summary.append("PostgreSQL cases (\(cases.formatted())), \(name): median \(format(ours.median)) ms, p99 \(format(ours.p99)) ms (floor \(format(floor.median)) / \(format(floor.p99)) ms; goal p99 < 50 ms)")
        }
        print("goal: under 50 ms p99 for each")
        return summary
    }

    /// Fills the workspace tables with `cases` cases routed to one handler, as the store writes
    /// them (a report, its concern, a received and a routed event, and an acknowledgement and a
    /// closing where the case has them; the case file, its handler rows and its words with their
    /// tsvector), with the same mix as CasesBench: 60% new, 30% acknowledged, 10% closed; 5% urgent,
    /// 20% awareness; one in seven overdue; a third anonymous. In bulk, as the superuser, with
    /// triggers off for the fill (the rows keep the rules they check) and the GIN index built after
    /// the rows; audit records are not made (nothing here reads them). Returns the seconds it took.
    static func fill(_ session: PostgresSession, cases: Int) throws -> Double {
        let started = now()
        let numbers = "FROM generate_series(0, \(cases - 1)) AS n(i)"
        let reference = "'SU-' || lpad((i / 10000)::text, 4, '0') || '-' || lpad((i % 10000)::text, 4, '0')"
        let day = "'2026-' || lpad((1 + i % 11)::text, 2, '0') || '-' || lpad((1 + i % 28)::text, 2, '0')"
        let status = "CASE WHEN i % 10 < 6 THEN 'new' WHEN i % 10 < 9 THEN 'acknowledged' ELSE 'closed' END"
        let level = "CASE WHEN i % 20 = 0 THEN 'urgent' WHEN i % 5 = 1 THEN 'awareness' ELSE 'informal' END"
        let acknowledgeBy = """
            CASE WHEN i % 7 = 0 THEN '2026-10-' || lpad((1 + i % 28)::text, 2, '0') || 'T10:00:00Z'
                 ELSE '2027-' || lpad((1 + i % 12)::text, 2, '0') || '-' || lpad((1 + i % 28)::text, 2, '0') || 'T10:00:00Z' END
            """
        let feedBackBy = "'2027-' || lpad((1 + i % 12)::text, 2, '0') || '-' || lpad((1 + i % 28)::text, 2, '0') || 'T10:00:00Z'"
        // A random-looking, unique text id (odd multiplier modulo 2^40), as the store's are random.
        let textID = "((i::bigint + 1) * 2654435761) % 1099511627776"
        let account = """
            'shouted at the ' || CASE i % 4 WHEN 0 THEN 'porter' WHEN 1 THEN 'student' WHEN 2 THEN 'patient' ELSE 'nurse' END ||
            ' during handover on ward ' || (i % 50) || ' near the marker' || (i % 100) || ' and refused to listen when asked about the topic' ||
            (i % 1000) || ' again'
            """
        let statements = [
            "SET session_replication_role = replica",
            "SET maintenance_work_mem = '512MB'",
            "BEGIN",
            """
            INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, reporter_user, reporter_uid, submitted,
                                subject_role, patient_harm, station)
            SELECT \(reference), CASE WHEN i % 3 = 0 THEN 'anonymous' ELSE 'confidential' END, 'practitioner', 'Ward ' || (i % 50),
                   \(account), CASE WHEN i % 3 = 0 THEN NULL ELSE 'asha' END, CASE WHEN i % 3 = 0 THEN NULL ELSE 1001 END,
                   CASE WHEN i % 3 = 0 THEN \(day) ELSE \(day) || 'T09:30:00Z' END, 'nurse', 'none', 'personal'
            \(numbers)
            """,
            """
            INSERT INTO report_concern (reference, category)
            SELECT \(reference), CASE i % 8 WHEN 0 THEN 'rude-or-aggressive' WHEN 1 THEN 'unsafe-practice' WHEN 2 THEN 'lack-of-compassion'
                   WHEN 3 THEN 'bullying-or-harassment' WHEN 4 THEN 'discrimination' WHEN 5 THEN 'worker-safety'
                   WHEN 6 THEN 'detriment' ELSE 'other' END
            \(numbers)
            """,
            """
            INSERT INTO case_file (reference, status, level, acknowledge_by, feed_back_by, held, text_id, unrouted)
            SELECT \(reference), \(status), \(level), \(acknowledgeBy), \(feedBackBy), 0, \(textID), 0
            \(numbers)
            """,
            """
            INSERT INTO case_event (reference, sequence, kind, at, text, detail, actor)
            SELECT r.reference, 1, 'received', r.submitted, NULL, NULL, r.reporter_user FROM report r
            """,
            """
            INSERT INTO case_event (reference, sequence, kind, at, text, detail, actor)
            SELECT f.reference, 2, 'routed', r.submitted, 'Routed to the Freedom to Speak Up Guardian.',
                   '{"acknowledge_by":"' || f.acknowledge_by || '","candidates":["gita"],"explanation":["Routed to the Freedom to Speak Up Guardian."],'
                   || '"feed_back_by":"' || f.feed_back_by || '","handlers":["gita"],"held":false,"level":"' || f.level || '","roles":["guardian"]}',
                   'speakup-rules'
            FROM case_file f JOIN report r ON r.reference = f.reference
            """,
            """
            INSERT INTO case_event (reference, sequence, kind, at, actor)
            SELECT reference, 3, 'acknowledged', '2026-11-20T10:00:00Z', 'gita' FROM case_file WHERE status <> 'new'
            """,
            """
            INSERT INTO case_event (reference, sequence, kind, at, text, actor)
            SELECT reference, 4, 'closed', '2026-11-25T10:00:00Z', 'Resolved with the ward manager.', 'gita' FROM case_file WHERE status = 'closed'
            """,
            """
            INSERT INTO case_handler (handler, rank, reference, level, text_id)
            SELECT 'gita', (CASE WHEN status = 'closed' THEN '1' ELSE '0' END) || (CASE WHEN level = 'urgent' THEN '0' ELSE '1' END) ||
                   (CASE status WHEN 'new' THEN acknowledge_by WHEN 'acknowledged' THEN feed_back_by ELSE '9999' END),
                   reference, level, text_id
            FROM case_file
            """,
            """
            INSERT INTO case_handler_concern (handler, category, rank, reference, level)
            SELECT h.handler, c.category, h.rank, h.reference, h.level
            FROM case_handler h JOIN report_concern c ON c.reference = h.reference
            """,
            "DROP INDEX case_text_search",
            // The words as StoredForm.searchWords joins them, and the terms as SearchTerms folds them.
            """
            INSERT INTO case_text (id, reference, words, terms)
            SELECT f.text_id, r.reference, r.account || chr(10) || r.subject_role || chr(10) || r.location,
                   lower(r.account || ' ' || r.subject_role || ' ' || r.location)
            FROM case_file f JOIN report r ON r.reference = f.reference
            """,
            "CREATE INDEX case_text_search ON case_text USING gin (search)",
            "COMMIT",
            "SET session_replication_role = origin",
        ]
        for statement in statements {
            _ = try session.query(PostgresQuery(unsafeSQL: statement), deadline: 3600)
        }
        session.close()
        return now() - started
    }
}

/// How the bench reaches the server.
enum Transport {
    case socket, tcp
    /// Loopback TCP through a `DelayRelay` on this port.
    case relayed(port: Int)

    var name: String {
        switch self {
        case .socket: "Unix socket"
        case .tcp: "loopback TCP"
        case .relayed: "TCP, \(format(PostgresBench.relayDelay * 1000)) ms each way"
        }
    }
}

/// The throwaway server's logins and databases, made as the store's documentation says
/// (`PostgresRoles`): `speakup_owner` owns the database and runs the migration, `speakup_app`
/// (what SpeakUp logs in as) submits and reads; both with a password (scram-sha-256), over the socket and TCP.
struct Server {
    let cluster: ThrowawayCluster
    let appUser = "speakup_app"
    let ownerUser = "speakup_owner"
    var superuser: String { cluster.superuser }

    func makeRoles() throws {
        try sql(PostgresRoles.sql)
        try sql("ALTER ROLE speakup_owner PASSWORD '\(PostgresBench.password)'")
        try sql("ALTER ROLE speakup_app PASSWORD '\(PostgresBench.password)'")
    }

    /// A new database with the store's schema (migrated as its owner) and the floor's table.
    func makeDatabase(_ name: String) throws -> String {
        for statement in PostgresRoles.database(named: name) { try sql(statement) }
        for statement in PostgresRoles.insideDatabase { try sql(statement, database: name) }
        let owner = try connect(name, .socket, as: ownerUser)
        defer { owner.close() }
        try PostgresSchema.migrate(owner)
        _ = try owner.query("CREATE TABLE bench_raw (payload TEXT NOT NULL)")
        _ = try owner.query("GRANT SELECT, INSERT ON bench_raw TO speakup_app")
        return name
    }

    func address(_ database: String, _ transport: Transport, as user: String) -> String {
        switch transport {
        case .socket: "postgresql://\(user)@:\(cluster.port)/\(database)?host=\(cluster.socketFolder)"
        case .tcp: "postgresql://\(user)@127.0.0.1:\(cluster.port)/\(database)?sslmode=disable"
        case .relayed(let port): "postgresql://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable"
        }
    }

    func connect(_ database: String, _ transport: Transport, as user: String? = nil) throws -> PostgresSession {
        let user = user ?? appUser
        return try PostgresSession.connect(to: PostgresAddress(address(database, transport, as: user)),
                                           password: user == superuser ? nil : PostgresBench.password, deadline: 10)
    }

    /// The store as SpeakUp opens it: logged in as `speakup_app`, or, if the store refuses to open
    /// as that login, as `speakup_owner` (said once, on the output).
    func openStore(_ database: String, _ transport: Transport) throws -> PostgresReportStore {
        if storeUser.user == appUser {
            do {
                return try PostgresReportStore(address: PostgresAddress(address(database, transport, as: appUser)), password: PostgresBench.password)
            } catch {
                print("note: the store would not open as speakup_app (\(error)); the bench's stores log in as speakup_owner")
                storeUser.user = ownerUser
            }
        }
        return try PostgresReportStore(address: PostgresAddress(address(database, transport, as: storeUser.user)), password: PostgresBench.password)
    }

    /// The login the stores use (`openStore` decides).
    final class StoreUser: @unchecked Sendable { var user = "speakup_app" }
    let storeUser = StoreUser()

    private func sql(_ statements: String, database: String = "postgres") throws {
        do { try cluster.sql(statements, database: database) } catch { throw BenchError("PostgreSQL: \(error)") }
    }
}

/// The floor: one row of the same bytes through the same client, with the same settings.
struct RawPostgres {
    let session: PostgresSession

    /// One INSERT, its own transaction (one round trip).
    func insert(_ payload: String) throws {
        _ = try session.query("INSERT INTO bench_raw (payload) VALUES (\(payload))")
    }

    /// As many round trips as a routed submit makes (BEGIN, the earlier reports counted, the statement,
    /// COMMIT), with nothing to do but the one row: how much of a submit is the trips themselves.
    func insertAfterRoundTrips(_ payload: String) throws {
        try session.transaction { session in
            _ = try session.query("SELECT 1")
            _ = try session.query("INSERT INTO bench_raw (payload) VALUES (\(payload))")
        }
    }

    /// BEGIN; INSERT; COMMIT, as the store wraps its writes (three round trips).
    func insertInTransaction(_ payload: String) throws {
        try session.transaction { session in _ = try session.query("INSERT INTO bench_raw (payload) VALUES (\(payload))") }
    }
}
