import Foundation
import Glibc
import Testing

/// `speakup board` through the real binary: text at 80 columns, csv and json for board papers, bad input.
@Suite("End to end: what the board monitors")
struct BoardTests {
    /// Seven cases raised in October-November 2026 (six about practitioners, all answering yes; one about an
    /// executive) and one in September (the quarter before). The accounts must never reach the output.
    static var seed: String {
        var reports: [String] = []
        for n in 1...6 {
            reports.append("""
                {"format_version":2,"reference":"SU-BRD0-000\(n)","way_of_raising":"confidential","concerns":["rude-or-aggressive"],"subject_seniority":"practitioner","location":"Ward 7","account":"Secret words \(n).","reporter":{"user":"ben","uid":1002},"submitted":"2026-10-0\(n)T10:00:00Z","events":[{"sequence":1,"kind":"received","at":"2026-10-0\(n)T10:00:00Z","text":null},{"sequence":2,"kind":"speak-up-again","at":"2026-10-2\(n)T10:00:00Z","text":"yes"}],"reporter_details":{"name":"Ben","contact":"","professional_group":"nursing"}}
                """)
        }
        reports.append("""
            {"format_version":2,"reference":"SU-BRD0-0007","way_of_raising":"anonymous","concerns":["detriment"],"subject_seniority":"executive","location":"","account":"Secret words 7.","reporter":null,"submitted":"2026-11-15","events":[]}
            """)
        reports.append("""
            {"format_version":2,"reference":"SU-BRD0-0008","way_of_raising":"anonymous","concerns":["other"],"subject_seniority":"staff","location":"","account":"Secret words 8.","reporter":null,"submitted":"2026-09-15","events":[]}
            """)
        return "[\n" + reports.joined(separator: ",\n") + "\n]\n"
    }

    static func seeded() throws -> Scratch {
        let scratch = Scratch()
        let file = ImportTests.write(seed, in: scratch)
        let imported = try Binary.run(["import", file, "--db", scratch.store])
        #expect(imported.status == 0, "\(imported.stderr)")
        return scratch
    }

    @Test("text at 80 columns: the seniority rows, small counts as <5 with no bar, no line past 80 or ending in a space, no words typed")
    func text() throws {
        let scratch = try Self.seeded()
        let result = try Binary.run(["board", "--quarter", "2026Q3", "--db", scratch.store], environment: ["COLUMNS": "80"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "What the board monitors: Q3 2026/27: 1 October 2026 to 31 December 2026")
        for line in lines {
            #expect(line.count <= 80 && !line.hasSuffix(" "), "\(line)")
        }
        #expect(!result.stdout.contains("Secret") && !result.stdout.contains("Ward 7"))
        #expect(lines.contains { $0.hasPrefix("Does seniority shield anyone?") })
        // Six cases about practitioners (all at informal, all answering yes); one about an executive, shown as <5.
        let practitioner = try #require(lines.first { $0.hasPrefix("  Practitioner ") })
        #expect(practitioner.split(separator: " ")[1] == "6" && practitioner.hasSuffix("100%"), "\(practitioner)")
        let executive = try #require(lines.first { $0.hasPrefix("  Executive ") })
        #expect(executive.split(separator: " ")[1] == "<5", "\(executive)")
        #expect(lines.contains("  Oct 2026         6  " + String(repeating: "█", count: 58)))
        #expect(lines.contains("  Nov 2026        <5"))  // no bar for a suppressed count
        #expect(lines.contains("  Q2 2026/27      <5"))
    }

    @Test("csv and json carry the same figures, suppressed as in text")
    func papers() throws {
        let scratch = try Self.seeded()
        let csv = try Binary.run(["board", "--quarter", "2026q3", "--format", "csv", "--db", scratch.store])
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = csv.stdout.split(separator: "\n").map(String.init)
        #expect(rows.first == "quarter,figure,row,value")
        #expect(rows.contains("2026Q3,subject seniority: cases,practitioner,6"))
        #expect(rows.contains("2026Q3,subject seniority: cases,executive,<5"))
        #expect(rows.contains("2026Q3,subject seniority: would speak up again (percent),practitioner,100"))
        #expect(rows.contains("2026Q3,would speak up again,yes,6"))
        #expect(rows.contains("2026Q3,cases with detriment by quarter,Q3 2026/27,<5"))
        #expect(!csv.stdout.contains("Secret"))
        let json = try Binary.run(["board", "--quarter", "2026Q3", "--format", "json", "--db", scratch.store])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["quarter"] as? String == "2026Q3")
        let figures = try #require(object["figures"] as? [[String: Any]])
        #expect(figures.count == rows.count - 1)
        let cases = figures.filter { $0["figure"] as? String == "subject seniority: cases" }
        #expect(cases.first { $0["row"] as? String == "practitioner" }?["value"] as? Int == 6)
        #expect(cases.first { $0["row"] as? String == "executive" }?["value"] as? String == "<5")
    }

    @Test("a bad quarter or format, a quarter not started and a missing store: a sentence and a non-zero exit")
    func badInput() throws {
        let scratch = try Self.seeded()
        for bad in ["2026Q5", "Q3", "2026-Q3"] {
            let refused = try Binary.run(["board", "--quarter", bad, "--db", scratch.store])
            #expect(refused.status == 64 && refused.stderr.contains("is not a quarter"), "\(refused.stderr)")
        }
        let future = try Binary.run(["board", "--quarter", "2031Q1", "--db", scratch.store])
        #expect(future.status == 64 && future.stderr.contains("has not started yet"))
        let format = try Binary.run(["board", "--quarter", "2026Q3", "--format", "pdf", "--db", scratch.store])
        #expect(format.status == 64 && format.stderr.contains("pdf"), "\(format.stderr)")
        let missing = try Binary.run(["board", "--quarter", "2026Q3", "--db", scratch.path + "/nothing-here.sqlite"])
        #expect(missing.status != 0 && !missing.stderr.isEmpty && missing.stdout.isEmpty)
    }
}

extension SharedHostSuites {
    @Suite("End to end: only handlers and administrators see the board's figures", .enabled(if: SharedHost.isPossible, "needs root to make users"))
    struct BoardRoleTests {
        @Test("a reporter is refused (77); the guardian and the administrator are not")
        func roles() throws {
            let host = try SharedHost()
            let refused = try host.speakup(as: host.reporter, ["board", "--quarter", "2026Q3"])
            #expect(refused.status == 77 && refused.stderr.contains("Only a handler or an administrator"), "\(refused.stderr)")
            #expect(refused.stdout.isEmpty)
            for person in [host.guardian, host.admin] {
                let shown = try host.speakup(as: person, ["board", "--quarter", "2026Q3"])
                #expect(shown.status == 0, "\(shown.stderr)")
            }
        }
    }
}
