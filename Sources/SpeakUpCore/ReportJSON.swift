import Foundation

/// The JSON form of reports: `speakup export json` writes it, and it is a
/// stable contract (docs/export-format.md). Version 1.
public enum ReportJSON {
    /// One report as it appears in the export.
    public struct Record: Codable, Hashable, Sendable {
        public var formatVersion: Int
        public var reference: String
        public var wayOfRaising: WayOfRaising
        public var concerns: [ConcernCategory]
        public var subjectSeniority: Seniority
        public var location: String
        public var account: String
        public var reporter: ReporterRecord?
        public var submitted: String
        public var events: [EventRecord]

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version", reference, wayOfRaising = "way_of_raising", concerns
            case subjectSeniority = "subject_seniority", location, account, reporter, submitted, events
        }
    }

    /// Who raised an open or confidential report.
    public struct ReporterRecord: Codable, Hashable, Sendable {
        public var user: String
        public var uid: UInt32
    }

    /// One case event.
    public struct EventRecord: Codable, Hashable, Sendable {
        public var sequence: Int
        public var kind: String
        public var at: String
    }

    public static let formatVersion = 1

    /// The record for a report and its case events.
    public static func record(_ report: Report, events: [CaseEvent]) -> Record {
        Record(
            formatVersion: formatVersion,
            reference: report.reference.text,
            wayOfRaising: report.wayOfRaising,
            concerns: report.concerns,
            subjectSeniority: report.subjectSeniority,
            location: report.location,
            account: report.account,
            reporter: report.reporter.map { ReporterRecord(user: $0.userName, uid: $0.uid) },
            submitted: report.submitted.text,
            events: events.map { EventRecord(sequence: $0.sequence, kind: $0.kind.rawValue, at: $0.at.text) })
    }

    /// The export document: a JSON array of records, keys sorted, UTF-8.
    ///
    /// Characters a terminal could obey (DEL, C1 controls, bidi overrides, line
    /// separators) are written as `\uXXXX` escapes, so printing an export to a
    /// terminal is as safe as reading it in SpeakUp. JSON readers decode them
    /// back to exactly what was typed.
    public static func document(_ records: [Record]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(records)
        return terminalSafe(data)
    }

    static func terminalSafe(_ data: Data) -> Data {
        let text = String(decoding: data, as: UTF8.self)
        guard text.unicodeScalars.contains(where: needsEscape) else { return data }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: false)
                result.append(contentsOf: "\\u\(String(repeating: "0", count: 4 - hex.count))\(hex)".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return Data(String(result).utf8)
    }

    // JSON itself escapes C0 controls inside strings; the pretty printer's own
    // newlines and spaces stay as they are.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x7F && SafeText.placeholder(for: scalar) != nil
    }
}
