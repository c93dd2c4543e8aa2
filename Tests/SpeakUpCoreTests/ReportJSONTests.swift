import Foundation
import Testing
@testable import SpeakUpCore

@Suite("The JSON export format")
struct ReportJSONTests {
    static func report(account: String) -> Report {
        Report(
            reference: CaseReference("SU-7KQ4-M2XD")!, wayOfRaising: .confidential, concerns: [.detriment],
            subject: Subject(name: nil, role: "", seniority: .manager), location: "Ward 7", account: account,
            reporter: Reporter(userName: "asha", uid: 1001), submitted: SubmissionTime(text: "2026-11-27T08:21:46Z")!)
    }

    @Test("the document is an array of records with snake_case keys and a format version")
    func shape() throws {
        let report = Self.report(account: "Shouted.")
        let event = CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted)
        let data = try ReportJSON.document([ReportJSON.record(report, events: [event])])
        let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(parsed.count == 1)
        let record = parsed[0]
        #expect(record["format_version"] as? Int == 3)
        #expect((record["station"] as? [String: Any])?["kind"] as? String == "personal")
        #expect((record["events"] as? [[String: Any]])?.first?.keys.contains("actor") == true)
        #expect(record["reference"] as? String == "SU-7KQ4-M2XD")
        #expect(record["way_of_raising"] as? String == "confidential")
        #expect(record["concerns"] as? [String] == ["detriment"])
        #expect(record["subject_seniority"] as? String == "manager")
        #expect(record["submitted"] as? String == "2026-11-27T08:21:46Z")
        #expect((record["reporter"] as? [String: Any])?["user"] as? String == "asha")
        #expect((record["events"] as? [[String: Any]])?.first?["kind"] as? String == "received")
    }

    @Test("terminal-unsafe characters are escaped in the bytes yet decode back exactly")
    func escapesAndRoundTrip() throws {
        let account = "Ward 7 — Zoë said \"患者\" was fine \u{1B}]52;c;eA==\u{07} \u{9B}2J \u{7F} \u{202E}evil \u{2028}"
        let data = try ReportJSON.document([ReportJSON.record(Self.report(account: account), events: [])])
        let text = String(decoding: data, as: UTF8.self)
        for scalar in text.unicodeScalars where scalar != "\n" {
            #expect(SafeText.placeholder(for: scalar) == nil, "raw \(scalar.value) in export")
        }
        #expect(text.contains("\\u202e") && text.contains("\\u009b") && text.contains("\\u007f"))
        #expect(text.contains("患者") && text.contains("Zoë"))
        let decoded = try JSONDecoder().decode([ReportJSON.Record].self, from: data)
        #expect(decoded.first?.account == account)
    }
}
