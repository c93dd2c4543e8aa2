import Foundation
import Testing
import SpeakUpCore

/// Before, `speakup import` said it succeeded while an account was cut at a NUL; now the file is
/// refused whole, at the right line. Every other code point goes in and comes out byte for byte.
@Suite("End to end: import and export keep text whole")
struct TextKeptWholeEndToEndTests {
    static func record(account: String) -> String {
        """
        [{"format_version": 2, "reference": "SU-7KQ4-M2XD", "way_of_raising": "anonymous", "concerns": ["unsafe-practice"],
          "subject_seniority": "unknown", "location": "Ward 7",
          "account": \(account),
          "reporter": null, "submitted": "2026-11-20", "events": []}]
        """
    }

    @Test("an import with a NUL in an account is refused at its line, and nothing is imported")
    func nulRefused() throws {
        let scratch = Scratch()
        let file = scratch.path + "/nul.json"
        try Self.record(account: "\"Told by phone.\\u0000 The rest of the account.\"").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Binary.run(["import", file, "--db", scratch.store])
        #expect(result.status != 0)
        #expect(result.stderr.contains("nul.json:3: record 1: This text holds a NUL character (shown as ␀), which SpeakUp cannot keep"))
        #expect(result.stderr.contains("Nothing was imported"))
        #expect(!FileManager.default.fileExists(atPath: scratch.store))
    }

    @Test("escape sequences, bidi controls, joiners, noncharacters and emoji go in and come out byte for byte")
    func everyOtherCodePointKept() throws {
        let scratch = Scratch()
        let account = "A\u{1B}[2J\u{202E}gnol\u{202C} \u{200D}\u{1F469}\u{200D}\u{1F4BB} e\u{301} \u{FFFF}\u{10FFFF}\u{E000}\u{2028}\r\n\t\u{7F}\u{9B}end"
        let encoded = String(decoding: try JSONEncoder().encode(account), as: UTF8.self)
        let file = scratch.path + "/odd.json"
        try Self.record(account: encoded).write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try Binary.run(["import", file, "--db", scratch.store])
        try #require(imported.status == 0, "\(imported.stderr)")
        let exported = try Binary.run(["export", "json", "--db", scratch.store])
        try #require(exported.status == 0, "\(exported.stderr)")
        let records = try JSONDecoder().decode([ReportJSON.Record].self, from: exported.stdoutData)
        #expect(records.map { Array($0.account.utf8) } == [Array(account.utf8)])
    }
}
