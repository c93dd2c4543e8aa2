import Foundation

/// The JSON form of reports: `speakup export json` writes it, and it is a
/// stable contract (docs/export-format.md). Version 3: version 1, plus the
/// fields of the whole reporter journey (2), plus stations and event actors (3).
public enum ReportJSON {
    /// One report as it appears in the export. Fields added after version 1 are
    /// optional when reading, so a version 1 document still imports.
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
        // Version 2.
        public var subjectName: String?
        public var subjectRole: String?
        public var occurredOn: CalendarDay?
        public var occurredAt: String?
        public var patientHarm: PatientHarm?
        public var staffImpact: String?
        public var witnesses: String?
        public var desiredOutcome: DesiredOutcome?
        public var holdUntil: CalendarDay?
        public var reporterDetails: ReporterDetailsRecord?
        public var excludedHandlers: [String]?
        public var subjectID: String?
        // Version 3.
        public var station: StationRecord?
        /// True for a report whose words are sealed for its handlers (docs/security.md): its account,
        /// witnesses, impact and reporter's name and contact are then empty here. Such a record is
        /// not imported (a store is moved whole with `speakup store copy`).
        public var sealed: Bool? = nil

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version", reference, wayOfRaising = "way_of_raising", concerns
            case subjectSeniority = "subject_seniority", location, account, reporter, submitted, events
            case subjectName = "subject_name", subjectRole = "subject_role", occurredOn = "occurred_on"
            case occurredAt = "occurred_at", patientHarm = "patient_harm", staffImpact = "staff_impact", witnesses
            case desiredOutcome = "desired_outcome", holdUntil = "hold_until", reporterDetails = "reporter_details"
            case excludedHandlers = "excluded_handlers", subjectID = "subject_id", station, sealed
        }

        // Nil fields are written as null, so every key is always present.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(formatVersion, forKey: .formatVersion)
            try container.encode(reference, forKey: .reference)
            try container.encode(wayOfRaising, forKey: .wayOfRaising)
            try container.encode(concerns, forKey: .concerns)
            try container.encode(subjectSeniority, forKey: .subjectSeniority)
            try container.encode(location, forKey: .location)
            try container.encode(account, forKey: .account)
            try container.encode(reporter, forKey: .reporter)
            try container.encode(submitted, forKey: .submitted)
            try container.encode(events, forKey: .events)
            try container.encode(subjectName, forKey: .subjectName)
            try container.encode(subjectRole, forKey: .subjectRole)
            try container.encode(occurredOn, forKey: .occurredOn)
            try container.encode(occurredAt, forKey: .occurredAt)
            try container.encode(patientHarm, forKey: .patientHarm)
            try container.encode(staffImpact, forKey: .staffImpact)
            try container.encode(witnesses, forKey: .witnesses)
            try container.encode(desiredOutcome, forKey: .desiredOutcome)
            try container.encode(holdUntil, forKey: .holdUntil)
            try container.encode(reporterDetails, forKey: .reporterDetails)
            try container.encode(excludedHandlers ?? [], forKey: .excludedHandlers)
            try container.encode(subjectID, forKey: .subjectID)
            try container.encode(station ?? StationRecord(kind: "personal", location: nil), forKey: .station)
            try container.encode(sealed ?? false, forKey: .sealed)
        }
    }

    /// Where a report was raised (version 3): `personal`, `ward` or `kiosk`, and the
    /// terminal's configured place, if any.
    public struct StationRecord: Codable, Hashable, Sendable {
        public var kind: String
        public var location: String?

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(location, forKey: .location)
        }
    }

    /// Who raised an open or confidential report, as the operating system knows them.
    public struct ReporterRecord: Codable, Hashable, Sendable {
        public var user: String
        public var uid: UInt32
    }

    /// The name and contact an open or confidential reporter gave.
    public struct ReporterDetailsRecord: Codable, Hashable, Sendable {
        public var name: String
        public var contact: String
        public var professionalGroup: ProfessionalGroup?

        enum CodingKeys: String, CodingKey {
            case name, contact, professionalGroup = "professional_group"
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(contact, forKey: .contact)
            try container.encode(professionalGroup, forKey: .professionalGroup)
        }
    }

    /// One case event.
    public struct EventRecord: Codable, Hashable, Sendable {
        public var sequence: Int
        public var kind: String
        public var at: String
        /// A message's words or an answer (version 2); null otherwise.
        public var text: String?
        /// Who did it (version 3): a login, `speakup-rules`, or null when nobody may be named.
        public var actor: String?

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sequence, forKey: .sequence)
            try container.encode(kind, forKey: .kind)
            try container.encode(at, forKey: .at)
            try container.encode(text, forKey: .text)
            try container.encode(actor, forKey: .actor)
        }
    }

    public static let formatVersion = 3

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
            events: events.map { EventRecord(sequence: $0.sequence, kind: $0.kind.rawValue, at: $0.at.text, text: $0.text, actor: $0.actor) },
            subjectName: report.subject.name,
            subjectRole: report.subject.role,
            occurredOn: report.occurred?.day,
            occurredAt: report.occurred?.time,
            patientHarm: report.harm,
            staffImpact: report.staffImpact,
            witnesses: report.witnesses,
            desiredOutcome: report.desiredOutcome,
            holdUntil: report.hold?.until,
            reporterDetails: report.reporterDetails.map {
                ReporterDetailsRecord(name: $0.name, contact: $0.contact, professionalGroup: $0.professionalGroup)
            },
            excludedHandlers: report.excludedHandlers,
            subjectID: report.subject.directoryID,
            station: StationRecord(kind: report.station.kind, location: report.station.location),
            sealed: report.sealed != nil)
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
