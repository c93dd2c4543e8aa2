import Foundation
import Testing
import SpeakUpCore

@Suite("End to end: speakup import, all or nothing, with line numbers")
struct ImportTests {
    static let good = """
        [
          {
            "format_version": 2,
            "reference": "SU-7KQ4-M2XD",
            "way_of_raising": "confidential",
            "concerns": ["unsafe-practice"],
            "subject_seniority": "senior-clinician",
            "subject_name": "Dr Smith",
            "location": "Ward 7",
            "account": "Told by phone: left a patient without pain relief \\u001b[2J.",
            "reporter": null,
            "reporter_details": {"name": "Asha Patel", "contact": "ext 4321", "professional_group": "nursing"},
            "submitted": "2026-11-20T10:00:00Z",
            "occurred_on": "2026-11-19",
            "events": []
          },
          {
            "format_version": 1,
            "reference": "SU-8ABC-DEFG",
            "way_of_raising": "anonymous",
            "concerns": ["rude-or-aggressive"],
            "subject_seniority": "unknown",
            "location": "",
            "account": "A letter: rude to a visitor.",
            "reporter": null,
            "submitted": "2026-11-21",
            "events": [{"sequence": 1, "kind": "received", "at": "2026-11-21"}]
          }
        ]
        """

    static func write(_ text: String, in scratch: Scratch, name: String = "in.json") -> String {
        let path = scratch.path + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test("a valid file imports every record, and export gives them back")
    func imports() throws {
        let scratch = Scratch()
        let file = Self.write(Self.good, in: scratch)
        let result = try Binary.run(["import", file, "--db", scratch.store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Imported 2 reports"))
        let records = try ReportInTmuxTests.export(scratch.store)
        #expect(records.map(\.reference).sorted() == ["SU-7KQ4-M2XD", "SU-8ABC-DEFG"])
        let phoned = try #require(records.first { $0.reference == "SU-7KQ4-M2XD" })
        #expect(phoned.account == "Told by phone: left a patient without pain relief \u{1B}[2J.")
        #expect(phoned.events.map(\.kind) == ["received", "routed"])  // routed by the rules as it is imported
        #expect(phoned.reporterDetails?.name == "Asha Patel")

        // Importing again changes nothing: the references are taken.
        let again = try Binary.run(["import", file, "--db", scratch.store])
        #expect(again.status == 1)
        #expect(again.stderr.contains("record 1: The store already has a report SU-7KQ4-M2XD"))
        #expect(try ReportInTmuxTests.export(scratch.store).count == 2)
    }

    @Test("a store file left empty by a creation cut short (a kill, a power cut) takes an import as a new store")
    func emptyStoreFile() throws {
        let scratch = Scratch()
        FileManager.default.createFile(atPath: scratch.store, contents: Data(), attributes: [.posixPermissions: 0o600])
        let result = try Binary.run(["import", Self.write(Self.good, in: scratch), "--db", scratch.store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try ReportInTmuxTests.export(scratch.store).count == 2)
    }

    @Test("a byte-order mark before the JSON (as Windows editors write) is not part of the text")
    func byteOrderMark() throws {
        let scratch = Scratch()
        let file = scratch.path + "/bom.json"
        FileManager.default.createFile(atPath: file, contents: Data([0xEF, 0xBB, 0xBF] + Array(Self.good.utf8)))
        let result = try Binary.run(["import", file, "--db", scratch.store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try ReportInTmuxTests.export(scratch.store).count == 2)
    }

    @Test("lists nested far deeper than any report are refused with their place, never a crash",
          arguments: [String(repeating: "[", count: 200_000), "[{\"account\": " + String(repeating: "[", count: 100_000) + "}]"])
    func deepNesting(_ text: String) throws {
        let scratch = Scratch()
        let result = try Binary.run(["import", Self.write(text, in: scratch), "--db", scratch.store])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("nest more than 64 deep"))
        #expect(result.stderr.contains("line 1, column"))
    }

    @Test("one bad record stops the whole file, and every problem is named with its line")
    func allOrNothing() throws {
        let scratch = Scratch()
        let bad = Self.good
            .replacingOccurrences(of: "\"submitted\": \"2026-11-21\"", with: "\"submitted\": \"2026-11-21T09:13:00Z\"")
            .replacingOccurrences(of: "\"occurred_on\": \"2026-11-19\"", with: "\"occurred_on\": \"1947-12-31\"")
            .replacingOccurrences(of: "\"reference\": \"SU-8ABC-DEFG\"", with: "\"reference\": \"SU-7KQ4-M2XD\"")
        let file = Self.write(bad, in: scratch)
        let result = try Binary.run(["import", file, "--db", scratch.store])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):14: record 1: 1947-12-31 is before 1948."))
        #expect(result.stderr.contains("\(file):19: record 2: The reference SU-7KQ4-M2XD is used twice"))
        #expect(result.stderr.contains("\(file):26: record 2: An anonymous report keeps only the day"))
        #expect(result.stderr.contains("Nothing was imported"))
        #expect(!FileManager.default.fileExists(atPath: scratch.store))
    }

    @Test("an unknown category is named with its line and the value")
    func unknownCategory() throws {
        let scratch = Scratch()
        let file = Self.write(Self.good.replacingOccurrences(of: "[\"unsafe-practice\"]", with: "[\"unsafe\"]"), in: scratch)
        let result = try Binary.run(["import", file, "--db", scratch.store])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):6: record 1: concerns: \"unsafe\" is not a value SpeakUp knows."))
    }

    @Test("invalid UTF-8 is refused with the line of the first bad byte")
    func invalidUTF8() throws {
        let scratch = Scratch()
        var bytes = Data(Self.good.utf8)
        bytes.replaceSubrange(bytes.range(of: Data("Ward 7".utf8))!, with: Data([0x57, 0xFF, 0xFE]))
        let file = scratch.path + "/latin.json"
        FileManager.default.createFile(atPath: file, contents: bytes)
        let result = try Binary.run(["import", file, "--db", scratch.store])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):9: this is not UTF-8 text (byte 0xff)"))
    }

    @Test("broken JSON is refused with the line and column where it breaks, and what was expected there")
    func brokenJSON() throws {
        let scratch = Scratch()
        let file = Self.write(Self.good.replacingOccurrences(of: "\"location\": \"Ward 7\",", with: "\"location\": \"Ward 7\""), in: scratch)
        let result = try Binary.run(["import", file, "--db", scratch.store])
        #expect(result.status == 1)
        #expect(result.stderr == "\(file): this is not valid JSON: line 10, column 5: expected a comma (,) or the } that ends the object, found \"\"\". Nothing was imported.\n", "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.store))
    }

    @Test("every kind of malformed JSON is named with its line and column, and is never read as YAML", arguments: [
        ("[{\"broken\": ", "this is not valid JSON: the file ends at line 1 before the report is complete."),
        ("[\n  {\"reference\": \"SU-7KQ4-M2XD\"}\n", "this is not valid JSON: the file ends at line 3 before the report is complete."),
        ("[\n  {\n    \"reference\": SU-7KQ4\n  }\n]", "this is not valid JSON: line 3, column 18: expected a value (text in double quotes, a number, true, false, null, { or [), found \"S\"."),
        // YAML would take these; JSON does not.
        ("[{reference: \"SU-7KQ4-M2XD\"}]", "this is not valid JSON: line 1, column 3: expected a key in double quotes, found \"r\"."),
        ("[{\"a\": 1,}]", "this is not valid JSON: line 1, column 10: expected a key in double quotes, found \"}\"."),
        ("{\"a\": \"b\\q\"}", "this is not valid JSON: line 1, column 10: expected an escape such as \\n, \\\", \\\\ or \\u00e9 after the backslash, found \"q\"."),
        ("[{\"a\": 1}] x", "this is not valid JSON: line 1, column 12: expected the end of the file after the last ] or }, found \"x\"."),
        ("[{\"é\": 1 2}]", "this is not valid JSON: line 1, column 10: expected a comma (,) or the } that ends the object, found \"2\"."),
    ])
    func malformedJSON(_ text: String, _ sentence: String) throws {
        try Self.refuses(text, saying: sentence + " Nothing was imported.")
    }

    /// Imports `text` into a new store and expects exit 1 with "FILE: sentence" alone.
    static func refuses(_ text: String, saying sentence: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let scratch = Scratch()
        let file = Self.write(text, in: scratch)
        let result = try Binary.run(["import", file, "--db", scratch.store])
        #expect(result.status == 1, sourceLocation: sourceLocation)
        #expect(result.stderr == "\(file): \(sentence)\n", "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test("an empty file, or an empty list, holds no reports: said once, not as a problem of record 1", arguments: ["", "  \n", "[]", "[ ]\n"])
    func emptyFile(_ text: String) throws {
        try Self.refuses(text, saying: "The file holds no reports, so there is nothing to import.")
    }

    @Test("a file of null, or a list holding null, is refused in SpeakUp's words, not Foundation's", arguments: [
        ("null", ": this is not a report (an object in braces, { … }). Nothing was imported."),
        ("[null]", ": record 1 is not a report (an object in braces, { … }). Nothing was imported."),
        ("42", ": this is not a report (an object in braces, { … }). Nothing was imported."),
    ])
    func notAReport(_ text: String, _ expected: String) throws {
        let scratch = Scratch()
        let file = Self.write(text, in: scratch)
        let result = try Binary.run(["import", file, "--db", scratch.store])
        #expect(result.status == 1)
        #expect(result.stderr == file + expected + "\n", "\(result.stderr)")
    }

    @Test("audit verify on a store that cannot be opened exits 2 (cannot be read), never 1 (a broken trail)")
    func auditUnreadable() throws {
        let scratch = Scratch()
        try Data("not a database at all, but long enough to be looked at as one".utf8).write(to: URL(fileURLWithPath: scratch.store))
        let result = try Binary.run(["audit", "verify", "--db", scratch.store])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("is not a SpeakUp store"))
    }

    @Test("an anonymous record that names a reporter is refused")
    func anonymousWithReporter() throws {
        let scratch = Scratch()
        let text = Self.good.replacingOccurrences(
            of: "\"account\": \"A letter: rude to a visitor.\",\n    \"reporter\": null,",
            with: "\"account\": \"A letter: rude to a visitor.\",\n    \"reporter\": {\"user\": \"asha\", \"uid\": 1001},")
        let file = Self.write(text, in: scratch)
        let result = try Binary.run(["import", file, "--db", scratch.store])
        #expect(result.status == 1)
        #expect(result.stderr.contains("record 2: An anonymous report cannot name its reporter"))
    }

    @Test("a single report, not in an array, imports too; a missing file gets a sentence")
    func singleAndMissing() throws {
        let scratch = Scratch()
        let one = """
            {"reference": "SU-9XYZ-0123", "format_version": 2, "way_of_raising": "open", "concerns": ["other"],
             "subject_seniority": "board", "location": "", "account": "In person.", "reporter": null,
             "submitted": "2026-11-22T12:00:00Z", "events": []}
            """
        let result = try Binary.run(["import", Self.write(one, in: scratch), "--db", scratch.store])
        #expect(result.status == 0, "\(result.stderr)")
        let missing = try Binary.run(["import", scratch.path + "/nope.json", "--db", scratch.store])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read"))
    }
}
