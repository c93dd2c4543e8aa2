import Foundation
import Testing

@Suite("End to end: speakup export return, from the return definition")
struct ReturnExportTests {
    /// Nine reports: six open-ish from nurses about bullying in October 2026, two anonymous about
    /// unsafe practice in November, and one raised in Q2 whose answer came in Q3.
    static func seeded() throws -> Scratch {
        let scratch = Scratch()
        var records: [String] = (1...6).map { n in
            """
            {"format_version":2,"reference":"SU-AAAA-000\(n)","way_of_raising":"confidential","concerns":["bullying-or-harassment"],"subject_seniority":"staff","location":"Ward 7","account":"Secret words \(n).","reporter":null,"reporter_details":{"name":"Nurse \(n)","contact":"","professional_group":"nursing"},"submitted":"2026-10-0\(n)T10:00:00Z","events":[]}
            """
        }
        records += (7...8).map { n in
            """
            {"format_version":2,"reference":"SU-AAAA-000\(n)","way_of_raising":"anonymous","concerns":["unsafe-practice"],"subject_seniority":"manager","location":"","account":"Hidden \(n).","reporter":null,"submitted":"2026-11-0\(n)","events":[]}
            """
        }
        records.append("""
            {"format_version":2,"reference":"SU-AAAA-0009","way_of_raising":"confidential","concerns":["worker-safety"],"subject_seniority":"staff","location":"","account":"Nine.","reporter":null,"reporter_details":{"name":"Cara","contact":"","professional_group":"medical-dental"},"submitted":"2026-09-30T10:00:00Z","events":[{"sequence":1,"kind":"received","at":"2026-09-30T10:00:00Z","text":null},{"sequence":2,"kind":"speak-up-again","at":"2026-10-02T10:00:00Z","text":"no"}]}
            """)
        let file = scratch.path + "/seed.json"
        FileManager.default.createFile(atPath: file, contents: Data(("[" + records.joined(separator: ",\n") + "]").utf8))
        let imported = try Binary.run(["import", file, "--db", scratch.store])
        #expect(imported.status == 0, "\(imported.stderr)")
        return scratch
    }

    static func counts(_ csv: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: csv.split(separator: "\n").dropFirst().map { line in
            (String(line.prefix { $0 != "," }), String(line.split(separator: ",").last!))
        })
    }

    @Test("the CSV and JSON of 2026Q3 give the hand counts, 1 to 4 as <5, and no words anyone typed")
    func export() throws {
        let scratch = try Self.seeded()
        let csv = try Binary.run(["export", "return", "--quarter", "2026Q3", "--db", scratch.store])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("id,label,count\ncases,Cases raised,8\nanonymous,Cases raised anonymously,<5\n"), "\(csv.stdout)")
        let counts = Self.counts(csv.stdout)
        #expect(counts["bullying-harassment"] == "6" && counts["group-nurses-midwives"] == "6")
        #expect(counts["patient-safety"] == "<5" && counts["group-not-known"] == "<5" && counts["feedback-no"] == "<5")
        #expect(counts["worker-safety"] == "0" && counts["group-medical-dental"] == "0" && counts["feedback-yes"] == "0")
        #expect(counts.count == 21)
        for typed in ["Secret", "Hidden", "Nine.", "Nurse", "Cara", "Ward 7"] { #expect(!csv.stdout.contains(typed)) }

        let json = try Binary.run(["export", "return", "--quarter", "2026q3", "--format", "json", "--db", scratch.store])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["quarter"] as? String == "2026Q3" && document["first_day"] as? String == "2026-10-01")
        let measures = try #require(document["measures"] as? [[String: Any]])
        #expect(measures.first { $0["id"] as? String == "cases" }?["count"] as? Int == 8)
        #expect(measures.first { $0["id"] as? String == "anonymous" }?["count"] is NSNull)
        #expect(!json.stdout.contains("Secret") && !json.stdout.contains("Hidden"))
    }

    @Test("a trust's own definition file is what is counted")
    func ownDefinition() throws {
        let scratch = try Self.seeded()
        let file = scratch.path + "/ours.yaml"
        FileManager.default.createFile(atPath: file, contents: Data("""
            format: 1
            name: Our board's return
            version: "1"
            quarters: {first-month: 4}
            measures:
              - {id: nurses-bullied, label: "Nurses, bullying", count: cases, where: {professional-group: nursing, category: bullying-or-harassment}}
              - {id: said-no, label: Would not speak up again, count: answers, where: {speak-up-again: no}}

            """.utf8))
        let result = try Binary.run(["export", "return", "--quarter", "2026Q3", "--definition", file, "--db", scratch.store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "id,label,count\nnurses-bullied,\"Nurses, bullying\",6\nsaid-no,Would not speak up again,<5\n")
    }

    @Test("export ngo still prints what it printed, with the note on stderr that the office closed")
    func ngoNote() throws {
        let scratch = try Self.seeded()
        let result = try Binary.run(["export", "ngo", "--quarter", "2026Q3", "--format", "csv", "--db", scratch.store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("quarter,measure,count\n2026Q3,cases raised,8\n2026Q3,cases raised anonymously,2\n"), "\(result.stdout)")
        #expect(result.stderr.contains("The National Guardian's Office closed in 2026; this is now `speakup export return` (NHS England's quarterly return)."))
        #expect(!result.stdout.contains("closed in 2026"))
    }

    @Test("a definition with problems: every one as FILE:LINE:COLUMN, exit 65, and no return written")
    func badDefinition() throws {
        let scratch = try Self.seeded()
        let file = scratch.path + "/bad.yaml"
        FileManager.default.createFile(atPath: file, contents: Data("""
            format: 1
            name: Broken
            version: "1"
            quarters: {first-month: 13}
            measures:
              - {id: nurses, label: Nurses, count: cases, where: {professional-group: [nursing, midwifery]}}
              - {id: midwives, label: Midwives, count: case, where: {professional-group: midwifery}}
              - {id: nurses2, label: More nurses, count: cases, where: {professional-group: nursing}}
            exclusive:
              groups: [nurses, nurses2]

            """.utf8))
        let result = try Binary.run(["export", "return", "--quarter", "2026Q3", "--definition", file, "--db", scratch.store])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(file):4:25: first-month should be a month from 1 to 12"), "\(result.stderr)")
        #expect(result.stderr.contains("\(file):7:44: A measure cannot count \"case\". Did you mean \"cases\"?"))
        #expect(result.stderr.contains("\(file):10:20: \"nurses\" and \"nurses2\" could both count a case from professional group nursing"))
        #expect(result.stderr.contains("3 problems in \(file); no return was written."))
    }

    @Test("bad flags and files get a sentence and exit 64", arguments: [
        (["--quarter", "2026Q5"], "is not a quarter"),
        (["--quarter", "2031Q1"], "has not started yet"),
        (["--quarter", "2026Q3", "--definition", "/nonexistent/return.yaml"], "SpeakUp cannot read /nonexistent/return.yaml"),
        (["--quarter", "2026Q3", "--format", "xml"], "xml"),
        ([], "--quarter"),
    ])
    func badFlags(_ arguments: [String], _ sentence: String) throws {
        let scratch = try Self.seeded()
        let result = try Binary.run(["export", "return"] + arguments + ["--db", scratch.store])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(sentence), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("a definition that is not UTF-8 is a data error, exit 65")
    func notUTF8() throws {
        let scratch = try Self.seeded()
        let file = scratch.path + "/latin.yaml"
        FileManager.default.createFile(atPath: file, contents: Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0xE9, 0x0A]))
        let result = try Binary.run(["export", "return", "--quarter", "2026Q3", "--definition", file, "--db", scratch.store])
        #expect(result.status == 65 && result.stderr.contains("not UTF-8"), "\(result.stderr)")
    }
}
