/// A kind of concern. A report has "elements of" one or more of these.
public enum ConcernCategory: String, CaseIterable, Codable, Sendable, Comparable {
    case rudeOrAggressive = "rude-or-aggressive"
    case unsafePractice = "unsafe-practice"
    case lackOfCompassion = "lack-of-compassion"
    case bullyingOrHarassment = "bullying-or-harassment"
    case discrimination
    case workerSafety = "worker-safety"
    case detriment
    case other

    /// What the category means, in the words shown to reporters.
    public var meaning: String {
        switch self {
        case .rudeOrAggressive: "Rude, aggressive or brusque behaviour"
        case .unsafePractice: "Unsafe behaviour or practice"
        case .lackOfCompassion: "Care without compassion, or loss of dignity"
        case .bullyingOrHarassment: "Bullying, harassment or intimidation"
        case .discrimination: "Discrimination (race, sex, disability, religion, sexuality, age…)"
        case .workerSafety: "A risk to staff safety or wellbeing"
        case .detriment: "Being treated badly for having spoken up"
        case .other: "Something else"
        }
    }

    /// A short name, in words, for figures and lists where `meaning` is too long.
    public var title: String {
        switch self {
        case .rudeOrAggressive: "Rude or aggressive"
        case .unsafePractice: "Unsafe practice"
        case .lackOfCompassion: "Lack of compassion"
        case .bullyingOrHarassment: "Bullying or harassment"
        case .discrimination: "Discrimination"
        case .workerSafety: "Worker safety"
        case .detriment: "Detriment"
        case .other: "Other"
        }
    }

    /// Categories keep the domain list's order wherever they are listed.
    public static func < (lhs: ConcernCategory, rhs: ConcernCategory) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
