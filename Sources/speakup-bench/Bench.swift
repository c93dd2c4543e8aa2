import Foundation
import Glibc
import GRDB
import SpeakUpStore

/// `make bench`: SpeakUp's figures, each beside a floor measured in the same run.
///
/// 1. Spawn to first screen: the release `speakup` on a pseudo-terminal until
///    its whole first screen is drawn, beside a minimal C ncurses program that
///    draws a screen of the same shape (median of 20 each, interleaved).
/// 2. Submit to committed: `SQLiteReportStore.submit` of a realistic report,
///    beside a raw SQLite single-row insert of the same bytes with the same
///    settings (WAL, synchronous=FULL), 1,000 each, interleaved in blocks.
/// ... and the others each part prints; `postgres` (PostgresBench) runs on a throwaway
/// PostgreSQL server of its own.
@main
enum Bench {
    static func main() throws {
        // The child processes of the concurrent-submission figure.
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--submitter" || arguments.first == "--raw-submitter" {
            SharedHostBench.submitter(raw: arguments[0] == "--raw-submitter", arguments: Array(arguments.dropFirst()))
        }
        if ["--pg-submitter", "--pg-one-by-one-submitter", "--pg-unprepared-submitter", "--pg-raw-submitter"].contains(arguments.first) {
            PostgresBench.submitter(raw: arguments[0] == "--pg-raw-submitter", oneByOne: arguments[0] == "--pg-one-by-one-submitter",
                                    unprepared: arguments[0] == "--pg-unprepared-submitter",
                                    arguments: Array(arguments.dropFirst()))
        }
        let options = Options(CommandLine.arguments.dropFirst())
        // Stores made here are opened by speakup too, which refuses any that others could read.
        umask(0o077)
        let scratch = NSTemporaryDirectory() + "speakup-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer {
            // --keep leaves the stores for a look with sqlite3 (EXPLAIN QUERY PLAN and the like).
            if options.keep { print("stores kept in \(scratch)") } else { try? FileManager.default.removeItem(atPath: scratch) }
        }

        print("# SpeakUp benchmarks")
        print("machine: \(Machine.description)")
        print("")
        var summary: [String] = []
        func part(_ name: String, _ body: () throws -> [String]) rethrows {
            guard options.only == nil || options.only == name else { return }
            summary += try body()
            print("")
        }
        try part("startup") { [try StartupBench(speakup: options.speakup, scratch: scratch, runs: options.spawns).run()] }
        try part("commits") { [try CommitBench(scratch: scratch, commits: options.commits).run()] }
        try part("journey") { try JourneyBench(scratch: scratch).run() }
        try part("subjects") { try SubjectBench().run() }
        try part("rules") { try RulesBench(scratch: scratch, reports: options.reports, openCases: options.openCases).run() }
        try part("host") {
            let bench = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            return try SharedHostBench(
                speakup: options.speakup, bench: bench, scratch: scratch, sessions: options.sessions,
                submitters: options.submitters, submissionsEach: options.submissionsEach
            ).run()
        }
        try part("cases") { try CasesBench(scratch: scratch, cases: options.cases).run() }
        try part("board") { try BoardBench(scratch: scratch, cases: options.boardCases).run() }
        try part("retention") { try RetentionBench(scratch: scratch, cases: options.retentionCases).run() }
        try part("search") { try SearchBench(scratch: scratch, cases: options.searchCases, speakup: options.speakup).run() }
        try part("sealing") { try SealingBench(scratch: scratch, submits: options.sealedSubmits, searchCases: options.sealedSearchCases).run() }
        try part("postgres") {
            let bench = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            return try PostgresBench(bench: bench, commits: options.commits, submitters: options.submitters,
                                     submissionsEach: options.submissionsEach, cases: options.pgCases, copyCases: options.copyCases,
                                     scratch: scratch, settings: options.pgSettings).run()
        }
        print("## Summary")
        for line in summary { print(line) }
    }
}

struct Options {
    var speakup = ".build/release/speakup"
    var spawns = 20
    var commits = 1000
    var reports = 1_000_000
    var openCases = 100_000
    var sessions = 50
    var submitters = 32
    var submissionsEach = 20
    var cases = 1_000_000
    var searchCases = 100_000
    var sealedSubmits = 500
    var sealedSearchCases = 10_000
    var boardCases = 1_000_000
    var pgCases = 1_000_000
    var copyCases = 20_000
    var retentionCases = 1_000_000
    /// PostgreSQL server settings for the bench's server, `name=value` (`--pg-setting`, repeatable); stock when empty.
    var pgSettings: [String] = []
    /// Run one part only: startup, commits, journey, subjects, rules, host, cases, board, retention, search or postgres.
    var only: String? = nil
    var keep = false

    init(_ arguments: ArraySlice<String>) {
        var rest = arguments
        while let flag = rest.popFirst() {
            switch flag {
            case "--speakup": speakup = rest.popFirst() ?? speakup
            case "--spawns": spawns = rest.popFirst().flatMap(Int.init) ?? spawns
            case "--commits": commits = rest.popFirst().flatMap(Int.init) ?? commits
            case "--reports": reports = rest.popFirst().flatMap(Int.init) ?? reports
            case "--open-cases": openCases = rest.popFirst().flatMap(Int.init) ?? openCases
            case "--sessions": sessions = rest.popFirst().flatMap(Int.init) ?? sessions
            case "--submitters": submitters = rest.popFirst().flatMap(Int.init) ?? submitters
            case "--submissions-each": submissionsEach = rest.popFirst().flatMap(Int.init) ?? submissionsEach
            case "--cases": cases = rest.popFirst().flatMap(Int.init) ?? cases
            case "--search-cases": searchCases = rest.popFirst().flatMap(Int.init) ?? searchCases
            case "--board-cases": boardCases = rest.popFirst().flatMap(Int.init) ?? boardCases
            case "--pg-cases": pgCases = rest.popFirst().flatMap(Int.init) ?? pgCases
            case "--copy-cases": copyCases = rest.popFirst().flatMap(Int.init) ?? copyCases
            case "--retention-cases": retentionCases = rest.popFirst().flatMap(Int.init) ?? retentionCases
            case "--sealed-submits": sealedSubmits = rest.popFirst().flatMap(Int.init) ?? sealedSubmits
            case "--sealed-search-cases": sealedSearchCases = rest.popFirst().flatMap(Int.init) ?? sealedSearchCases
            case "--pg-setting": if let setting = rest.popFirst() { pgSettings.append(setting) }
            case "--only": only = rest.popFirst()
            case "--keep": keep = true
            default:
                FileHandle.standardError.write(Data("speakup-bench: unknown option \(flag). Options: --speakup PATH, --spawns N, --commits N, --reports N, --open-cases N, --sessions N, --submitters N, --submissions-each N, --cases N, --search-cases N, --board-cases N, --pg-cases N, --copy-cases N, --pg-setting NAME=VALUE, --retention-cases N, --sealed-submits N, --sealed-search-cases N, --only startup|commits|journey|subjects|rules|host|cases|board|retention|search|sealing|postgres\n".utf8))
                exit(64)
            }
        }
    }
}

/// Medians and tails of a set of durations, in milliseconds.
struct Sample {
    var milliseconds: [Double] = []

    mutating func add(_ seconds: Double) { milliseconds.append(seconds * 1000) }

    func percentile(_ p: Double) -> Double {
        let sorted = milliseconds.sorted()
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count - 1)).rounded())
        return sorted[rank]
    }

    var median: Double { percentile(50) }
    var p99: Double { percentile(99) }
}

enum Machine {
    static var description: String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu), \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB"
    }
}

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func format(_ value: Double) -> String { String(format: "%.2f", value) }

/// Fills a bench store in one transaction with synchronous off (every measured read is on the real
/// settings), then runs ANALYZE. `body` gets the database and a CTE that numbers the cases as `n(i)`,
/// 0 to `cases - 1`. Returns the seconds it took.
func fillStore(_ store: SQLiteReportStore, cases: Int, _ body: (Database, String) throws -> Void) throws -> Double {
    let fill = now()
    try store.withDatabase { db in
        try db.execute(sql: "PRAGMA synchronous = OFF")
        try db.inTransaction {
            try body(db, "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(cases - 1))")
            return .commit
        }
        try db.execute(sql: "ANALYZE")
        try db.execute(sql: "PRAGMA synchronous = FULL")
    }
    return now() - fill
}
