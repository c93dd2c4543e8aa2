/// One of the things an open or confidential reporter may say about themselves, for the
/// figures only (the NHS 2024 recording guidance asks trusts to count who speaks up). Each
/// is special category data under UK GDPR: asked only when identity is kept (never at a kiosk
/// or of an anonymous reporter), "prefer not to say" unless the reporter chooses otherwise,
/// stored apart from the report so that nobody can read it back beside a case, and counted
/// only in aggregate with counts under 5 hidden (docs/governance.md).
public enum Characteristic: String, CaseIterable, Hashable, Sendable {
    case ethnicGroup = "ethnic-group"
    case disability
    case sex
    case sexualOrientation = "sexual-orientation"
    case religion
    case ageBand = "age-band"
    case training

    /// The answer every question starts at, and the one nothing is counted against.
    public static let preferNotToSay = Answer(id: "prefer-not-to-say", title: "Prefer not to say")

    /// One answer a reporter can give: a short name that never changes (stored and counted)
    /// and the words on screen.
    public struct Answer: Hashable, Sendable {
        public let id: String
        public let title: String
    }

    /// The question's name, beside its answer on the form and in the figures.
    public var title: String {
        switch self {
        case .ethnicGroup: "Ethnic group"
        case .disability: "Disability"
        case .sex: "Sex"
        case .sexualOrientation: "Sexual orientation"
        case .religion: "Religion or belief"
        case .ageBand: "Age"
        case .training: "Where you trained"
        }
    }

    /// Every answer, "prefer not to say" first (the one chosen until the reporter changes it).
    public var answers: [Answer] {
        let given: [(String, String)] = switch self {
        case .ethnicGroup: [
            ("white", "White"), ("mixed", "Mixed or multiple ethnic groups"), ("asian", "Asian or Asian British"),
            ("black", "Black, Black British, Caribbean or African"), ("other", "Another ethnic group"),
        ]
        case .disability: [("yes", "Disabled"), ("no", "Not disabled")]
        case .sex: [("female", "Female"), ("male", "Male")]
        case .sexualOrientation: [
            ("straight", "Straight or heterosexual"), ("gay-or-lesbian", "Gay or lesbian"), ("bisexual", "Bisexual"),
            ("other", "Another sexual orientation"),
        ]
        case .religion: [
            ("none", "No religion"), ("christian", "Christian"), ("buddhist", "Buddhist"), ("hindu", "Hindu"), ("jewish", "Jewish"),
            ("muslim", "Muslim"), ("sikh", "Sikh"), ("other", "Another religion or belief"),
        ]
        case .ageBand: [
            ("under-25", "Under 25"), ("25-34", "25 to 34"), ("35-44", "35 to 44"), ("45-54", "45 to 54"), ("55-64", "55 to 64"),
            ("65-plus", "65 or over"),
        ]
        case .training: [("uk", "Trained in the UK"), ("overseas", "Trained overseas")]
        }
        return [Self.preferNotToSay] + given.map { Answer(id: $0.0, title: $0.1) }
    }

    /// The answer with this short name, if the question has one.
    public func answer(_ id: String) -> Answer? {
        answers.first { $0.id == id }
    }
}
