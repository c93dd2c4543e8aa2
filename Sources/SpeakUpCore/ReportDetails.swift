/// Harm to patients, as the reporter judges it.
public enum PatientHarm: String, CaseIterable, Codable, Sendable {
    case none, low, moderate, severe, death, unknown

    public var title: String {
        switch self {
        case .none: "No harm to a patient"
        case .low: "Low harm"
        case .moderate: "Moderate harm"
        case .severe: "Severe harm"
        case .death: "A patient died"
        case .unknown: "Not sure"
        }
    }
}

/// What the reporter would like to happen.
public enum DesiredOutcome: String, CaseIterable, Codable, Sendable {
    case informalWord = "informal-word"
    case guardianSupport = "guardian-support"
    case formalLook = "formal-look"
    case justRecord = "just-record"

    public var title: String {
        switch self {
        case .informalWord: "A quiet, informal word with the person"
        case .guardianSupport: "Support from a Freedom to Speak Up guardian"
        case .formalLook: "A formal look into what happened"
        case .justRecord: "Just record it for now"
        }
    }
}

/// The reporter's professional group, for the National Guardian's Office data return.
public enum ProfessionalGroup: String, CaseIterable, Codable, Sendable {
    case nursing, midwifery, medical = "medical-dental", alliedHealth = "allied-health"
    case healthcareAssistant = "healthcare-assistant", healthcareScientist = "healthcare-scientist"
    case pharmacy, adminClerical = "admin-clerical", estatesAncillary = "estates-ancillary"
    case corporate, student, other, preferNotToSay = "prefer-not-to-say"

    public var title: String {
        switch self {
        case .nursing: "Nursing"
        case .midwifery: "Midwifery"
        case .medical: "Medical and dental"
        case .alliedHealth: "Allied health professional"
        case .healthcareAssistant: "Healthcare assistant or support worker"
        case .healthcareScientist: "Healthcare scientist"
        case .pharmacy: "Pharmacy"
        case .adminClerical: "Administrative and clerical"
        case .estatesAncillary: "Estates and ancillary (porters, cleaners, catering)"
        case .corporate: "Corporate services"
        case .student: "Student or trainee"
        case .other: "Another group"
        case .preferNotToSay: "I would rather not say"
        }
    }
}

/// Who the concern is about. The name may be withheld; seniority never is
/// (it may be "not sure"), since it decides who can handle the report independently.
public struct Subject: Hashable, Codable, Sendable {
    /// The person's name, or nil when the reporter would rather not name them.
    public var name: String?
    /// Their role as the reporter describes it ("charge nurse", "consultant anaesthetist"); may be empty.
    public var role: String
    public var seniority: Seniority
    /// Their staff id, when the reporter picked them from the directory.
    public var directoryID: String?
    /// Set when the name and role as typed are sealed with the report's words (docs/security.md):
    /// `name` and `role` are then empty here, and these facts stand in for them in every conflict check.
    public var sealedFacts: SubjectFacts? = nil
    /// With `sealedFacts`: the same-person key the store keeps for it (a keyed digest, never the name).
    public var keptKey: String? = nil

    /// Whether the name and role as typed are sealed away here (a sealed report not opened).
    public var isSealedAway: Bool { sealedFacts != nil && (name ?? "").isEmpty && role.isEmpty }

    public init(name: String?, role: String, seniority: Seniority, directoryID: String? = nil) {
        self.name = name
        self.role = role
        self.seniority = seniority
        self.directoryID = directoryID
    }
}

/// When it happened: a day, and a time if the reporter gave one.
public struct Occurrence: Hashable, Codable, Sendable {
    public var day: CalendarDay
    /// `HH:MM`, 24-hour, or nil.
    public var time: String?

    public init(day: CalendarDay, time: String?) {
        self.day = day
        self.time = time
    }

    /// Reads `14:30`, `9:05` or `0930`; nil when it is not a time of day.
    public static func time(typed text: String) -> String? {
        let digits = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: ".", with: "")
        guard (3...4).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else { return nil }
        let hours = value / 100
        let minutes = value % 100
        guard hours < 24, minutes < 60 else { return nil }
        return "\(hours.zeroPadded(2)):\(minutes.zeroPadded(2))"
    }
}

/// "Hold this report until someone else reports the same person" (matching escrow).
public struct MatchingHold: Hashable, Codable, Sendable {
    /// After this day the report is released on its own.
    public var until: CalendarDay

    public init(until: CalendarDay) { self.until = until }

    /// The choices offered for how long to hold, in months; 12 is the default.
    public static let monthChoices = [3, 6, 12, 24]
    public static let defaultMonths = 12
}

/// How an open or confidential reporter can be reached; never kept for anonymous reports.
public struct ReporterDetails: Hashable, Codable, Sendable {
    /// The name the reporter gave.
    public var name: String
    /// How they would like to be contacted, in their words; may be empty.
    public var contact: String
    /// For the data return; nil when not given.
    public var professionalGroup: ProfessionalGroup?

    public init(name: String, contact: String, professionalGroup: ProfessionalGroup?) {
        self.name = name
        self.contact = contact
        self.professionalGroup = professionalGroup
    }
}
