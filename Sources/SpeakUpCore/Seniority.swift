/// The seniority of the person a concern is about, from student to board.
///
/// Ordered from the most junior to the most senior; `unknown` stands apart and
/// compares below every rung so that ordering never throws.
public enum Seniority: String, CaseIterable, Codable, Sendable, Comparable {
    case student
    case staff
    case practitioner
    case seniorPractitioner = "senior-practitioner"
    case manager
    case seniorClinician = "senior-clinician"
    case director
    case executive
    case chiefExecutive = "chief-executive"
    case board
    case unknown

    /// The ladder in order, without `unknown`.
    public static let ladder: [Seniority] = allCases.filter { $0 != .unknown }

    /// Position on the ladder; `unknown` is -1.
    public var rank: Int { Seniority.ladder.firstIndex(of: self) ?? -1 }

    /// A short name.
    public var title: String {
        switch self {
        case .student: "Student"
        case .staff: "Support staff"
        case .practitioner: "Practitioner"
        case .seniorPractitioner: "Senior practitioner"
        case .manager: "Manager"
        case .seniorClinician: "Senior clinician"
        case .director: "Director"
        case .executive: "Executive"
        case .chiefExecutive: "Chief executive"
        case .board: "Board member"
        case .unknown: "Not sure"
        }
    }

    /// Examples that help a reporter place someone.
    public var examples: String {
        switch self {
        case .student: "any student or trainee on placement"
        case .staff: "healthcare assistants, porters, admin (bands 1-4)"
        case .practitioner: "nurses, AHPs, foundation doctors (bands 5-6)"
        case .seniorPractitioner: "charge nurses, registrars (band 7)"
        case .manager: "ward or department managers, matrons (8a-8b)"
        case .seniorClinician: "consultants, clinical leads"
        case .director: "clinical, divisional or associate directors"
        case .executive: "chief nurse, medical director"
        case .chiefExecutive: "the trust's chief executive"
        case .board: "the chair, non-executive directors"
        case .unknown: "you don't know, or would rather not say"
        }
    }

    public static func < (lhs: Seniority, rhs: Seniority) -> Bool { lhs.rank < rhs.rank }

    /// The line routing adds to a case's explanation when it takes a higher seniority than the
    /// report gave (a named person's, from the directory). The store reads it back from the
    /// routed event with `takenByRouting(in:)`, so the board counts the case as routing did.
    public static func takenByRouting(_ known: Seniority, reported: Seniority) -> String {
        "\(takenPrefix)\(known.rawValue), the highest among the people it may be about (the report said \(reported.rawValue))."
    }

    public static let takenPrefix = "Seniority taken as "

    /// The seniority named by a `takenByRouting` line, or by the text just after its prefix.
    public static func takenByRouting(in text: Substring) -> Seniority? {
        let rest = text.hasPrefix(takenPrefix) ? text.dropFirst(takenPrefix.count) : text
        return Seniority(rawValue: String(rest.prefix { $0 != "," }))
    }
}
