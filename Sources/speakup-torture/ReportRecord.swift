import Foundation

/// One report in SpeakUp's export format (docs/export-format.md), written out
/// here rather than borrowed, so the suite checks the contract from outside:
/// what it sends in an import file, and what `speakup export json` gives back.
/// Every key is always written, null when empty, as the export does.
struct ReportRecord: Codable {
    var formatVersion: Int
    var reference: String
    var wayOfRaising: String
    var concerns: [String]
    var subjectSeniority: String
    var location: String
    var account: String
    var reporter: Reporter?
    var submitted: String
    var events: [Event]
    var subjectName: String?
    var subjectRole: String?
    var occurredOn: String?
    var occurredAt: String?
    var patientHarm: String?
    var staffImpact: String?
    var witnesses: String?
    var desiredOutcome: String?
    var holdUntil: String?
    var reporterDetails: ReporterDetails?
    var excludedHandlers: [String]?
    var subjectID: String?
    var station: Station?

    struct Reporter: Codable {
        var user: String
        var uid: UInt32
    }

    struct ReporterDetails: Codable {
        var name: String
        var contact: String
        var professionalGroup: String?

        enum CodingKeys: String, CodingKey {
            case name, contact, professionalGroup = "professional_group"
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(contact, forKey: .contact)
            try container.encode(professionalGroup, forKey: .professionalGroup)
        }
    }

    struct Station: Codable {
        var kind: String
        var location: String?

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(location, forKey: .location)
        }
    }

    struct Event: Codable {
        var sequence: Int
        var kind: String
        var at: String
        var text: String?
        var actor: String?

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sequence, forKey: .sequence)
            try container.encode(kind, forKey: .kind)
            try container.encode(at, forKey: .at)
            try container.encode(text, forKey: .text)
            try container.encode(actor, forKey: .actor)
        }
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", reference, wayOfRaising = "way_of_raising", concerns
        case subjectSeniority = "subject_seniority", location, account, reporter, submitted, events
        case subjectName = "subject_name", subjectRole = "subject_role", occurredOn = "occurred_on"
        case occurredAt = "occurred_at", patientHarm = "patient_harm", staffImpact = "staff_impact", witnesses
        case desiredOutcome = "desired_outcome", holdUntil = "hold_until", reporterDetails = "reporter_details"
        case excludedHandlers = "excluded_handlers", subjectID = "subject_id", station
    }

    func encode(to encoder: Encoder) throws {
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
        try container.encode(excludedHandlers, forKey: .excludedHandlers)
        try container.encode(subjectID, forKey: .subjectID)
        try container.encode(station, forKey: .station)
    }

    /// An import file holding `records`: a JSON array, on one line.
    static func file(_ records: [ReportRecord]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain values cannot fail.
        return (try? encoder.encode(records)) ?? Data("[]".utf8)
    }

    /// Reads an export document.
    static func export(_ data: Data) throws -> [ReportRecord] {
        try JSONDecoder().decode([ReportRecord].self, from: data)
    }
}

/// How a stored report differs from the one sent, field by field, comparing the
/// UTF-8 bytes (Swift's `==` on strings would call "é" and "e\u{301}" equal).
enum RecordComparison {
    /// The names of the fields that differ; empty when the stored report is exactly what was sent.
    /// The stored report may have more case events than were sent (routing,
    /// escalations), never fewer or different ones; its concerns are a set, compared in order.
    static func differences(sent: ReportRecord, stored: ReportRecord) -> [String] {
        var sentCopy = sent
        var storedCopy = stored
        sentCopy.concerns.sort()
        storedCopy.concerns.sort()
        storedCopy.formatVersion = sentCopy.formatVersion
        var found: [String] = []
        if stored.events.count < sent.events.count {
            found.append("events (\(sent.events.count) sent, \(stored.events.count) stored)")
        } else {
            storedCopy.events = Array(stored.events.prefix(sent.events.count))
        }
        guard !found.isEmpty || bytes(of: sentCopy) != bytes(of: storedCopy) else { return [] }
        for key in ReportRecord.CodingKeys.allKeys where key != .formatVersion && key != .events {
            if field(key, of: sentCopy) != field(key, of: storedCopy) { found.append(key.rawValue) }
        }
        if bytes(of: sentCopy.events) != bytes(of: storedCopy.events) && !found.contains(where: { $0.hasPrefix("events") }) {
            found.append("events")
        }
        return found.isEmpty ? ["the record's bytes"] : found
    }

    private static func bytes<T: Encodable>(of value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data()
    }

    /// One field as JSON bytes.
    private static func field(_ key: ReportRecord.CodingKeys, of record: ReportRecord) -> Data {
        guard let object = try? JSONSerialization.jsonObject(with: bytes(of: record)) as? [String: Any],
            let value = object[key.rawValue]
        else { return Data() }
        return (try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys])) ?? Data()
    }
}

extension ReportRecord.CodingKeys {
    static let allKeys: [Self] = [
        .formatVersion, .reference, .wayOfRaising, .concerns, .subjectSeniority, .location, .account, .reporter, .submitted,
        .events, .subjectName, .subjectRole, .occurredOn, .occurredAt, .patientHarm, .staffImpact, .witnesses, .desiredOutcome,
        .holdUntil, .reporterDetails, .excludedHandlers, .subjectID, .station,
    ]
}
