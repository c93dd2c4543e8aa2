import Foundation
import GRDB
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore

/// The rules engine at scale: routing one report with 100 rules over a store of
/// 1,000,000 reports and a directory of 10,000 staff, beside the raw indexed
/// history query; and a tick over 100,000 open cases.
struct RulesBench {
    let scratch: String
    let reports: Int
    let openCases: Int

    /// Counts the history queries a route makes.
    final class CountingRouter: CaseRouter, @unchecked Sendable {
        let inner: RulesRouter
        private(set) var queries = 0
        init(_ inner: RulesRouter) { self.inner = inner }

        struct Counting: ReportHistory {
            let inner: any ReportHistory
            let count: () -> Void
            func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) throws -> Int {
                count()
                return try inner.reportsAbout(subject, since: day)
            }
        }

        func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
            try inner.route(report, history: Counting(inner: history, count: { self.queries += 1 }), from: from)
        }
    }

    func run() throws -> [String] {
        let store = try SQLiteReportStore(path: scratch + "/rules.sqlite")
        let fill = now()
        try store.withDatabase { db in
            try db.inTransaction {
                try db.execute(sql: """
                    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(reports - 1))
                    INSERT INTO report (reference, way_of_raising, subject_seniority, location, account, submitted,
                                        subject_key, subject_role, patient_harm, staff_impact, witnesses)
                    SELECT printf('SU-%04d-%04d', i / 10000, i % 10000), 'open', 'practitioner', 'Ward ' || (i % 50), 'bench',
                           printf('2026-%02d-%02dT10:00:00Z', 1 + i % 11, 1 + i % 28),
                           'name:person ' || (i % 100000) || '|nurse', 'nurse', 'none', '', '' FROM n
                    """)
                // Open cases: a routed event each, deadlines in the future, except 1,000 already due.
                try db.execute(sql: """
                    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(openCases - 1))
                    INSERT INTO case_event (reference, sequence, kind, at, text, detail)
                    SELECT printf('SU-%04d-%04d', i / 10000, i % 10000), 2, 'routed', '2026-11-01T10:00:00Z', 'bench',
                           '{"acknowledge_by":"' || (CASE WHEN i < 1000 THEN '2026-11-08T10:00:00Z' ELSE '2027-11-08T10:00:00Z' END) ||
                           '","explanation":[],"feed_back_by":"2028-02-01T10:00:00Z","handlers":["asha"],"level":"informal","roles":["guardian"]}'
                    FROM n
                    """)
                return .commit
            }
        }
        let filled = now() - fill

        // 10,000 staff in chains ten deep; 100 rules: the three pattern routes, then 96 by location, then everything else.
        var staff: [StaffMember] = []
        for i in 0..<10_000 {
            staff.append(StaffMember(id: "S\(i)", name: "Person \(i)", unixUser: i < 50 ? "handler\(i)" : nil, role: "nurse",
                                     seniority: .practitioner, managerID: i % 10 == 0 ? nil : "S\(i - 1)", ward: "Ward \(i % 50)"))
        }
        var yaml = "version: 1\nroles:\n  guardian: { groups: [g] }\n  independent: { groups: [i] }\nfallback: [guardian]\nroutes:\n"
        for (count, level) in [(9, "disciplinary"), (6, "authority"), (3, "awareness")] {
            yaml += "  - { name: pattern-\(level), match: { pattern: { at_least: \(count), within: 28mo } }, level: \(level), notify: [guardian] }\n"
        }
        for n in 0..<96 { yaml += "  - { name: unit-\(n), match: { location: [\"Unit \(n)\"] }, notify: [guardian] }\n" }
        yaml += "  - { name: everything-else, notify: [guardian] }\n"
        let rules = try RulesLoader.load(yaml).get()
        struct Groups: GroupMembership { func members(ofGroup group: String) -> [String] { (0..<50).map { "handler\($0)" } } }
        let router = CountingRouter(RulesRouter(rules: rules, directory: StaffDirectory(staff), membership: Groups()))

        var routing = Sample()
        var raw = Sample()
        var generator = SystemRandomNumberGenerator()
        let moment = Date(timeIntervalSince1970: 1_795_770_106)
        try store.withDatabase { db in
            let statement = try db.makeStatement(sql: "SELECT count(*) FROM report WHERE subject_key = ? AND substr(submitted, 1, 10) >= ?")
            for _ in 0..<1000 {
                let person = Int.random(in: 0..<100_000, using: &generator)
                let start = now()
                _ = try Int.fetchOne(statement, arguments: ["name:person \(person)|nurse", "2024-07-27"])
                raw.add(now() - start)
            }
        }
        for _ in 0..<1000 {
            let person = Int.random(in: 0..<100_000, using: &generator)
            let report = Report(reference: .random(), wayOfRaising: .open, concerns: [.rudeOrAggressive],
                                subject: Subject(name: "Person \(person)", role: "nurse", seniority: .practitioner),
                                location: "Ward 3", account: "x", reporter: nil, submitted: .instant(moment))
            let start = now()
            _ = try store.dryRoute(report, router: router)
            routing.add(now() - start)
        }
        let queriesPerReport = Double(router.queries) / 1000

        var ticks = Sample()
        let tick = DeadlineTick(router: RulesRouter(rules: rules, membership: Groups()))
        var escalated = 0
        for _ in 0..<3 {
            let start = now()
            escalated += try tick.run(on: store, now: moment).count
            ticks.add(now() - start)
        }

        print("## Rules at scale (\(reports.formatted()) reports, 10,000 staff, 100 rules; store filled in \(format(filled)) s)")
        print("| what | median ms | p99 ms |")
        print("|---|---|---|")
        print("| route one report (3 pattern routes, 96 location routes, fallback) | \(format(routing.median)) | \(format(routing.p99)) |")
        print("| floor: the raw indexed history query | \(format(raw.median)) | \(format(raw.p99)) |")
        print("history queries per report: \(format(queriesPerReport)) (goal: under 10); goal: under 1 ms median")
        print("## escalate tick over \(openCases.formatted()) open cases, 1,000 of them due (3 runs: the first escalates them, the next find nothing)")
        print("runs: \(ticks.milliseconds.map { format($0 / 1000) + " s" }.joined(separator: ", ")); escalated \(escalated) in all (goal: under 2 s)")
        return [
            "route one report: median \(format(routing.median)) ms, p99 \(format(routing.p99)) ms, \(format(queriesPerReport)) queries; raw query \(format(raw.median)) ms",
            "escalate tick over \(openCases.formatted()) open cases: \(ticks.milliseconds.map { format($0 / 1000) + " s" }.joined(separator: ", "))",
        ]
    }
}
