/// The Promoting Professionalism Pyramid (Vanderbilt CORS/PARS): how firmly a
/// case is handled. `urgent` skips the levels.
public enum PyramidLevel: String, CaseIterable, Codable, Sendable, Comparable {
    /// A single, non-egregious event: a private, peer "cup of coffee" conversation.
    case informal
    /// An apparent pattern: a non-punitive awareness intervention.
    case awareness
    /// The pattern persists: a leader-guided plan.
    case authority
    /// No change.
    case disciplinary
    /// Imminent risk of harm, impairment, sexual harassment, anything contrary to law.
    case urgent

    public static func < (lhs: PyramidLevel, rhs: PyramidLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The next level up (urgent stays urgent).
    public var next: PyramidLevel {
        switch self {
        case .informal: .awareness
        case .awareness: .authority
        case .authority: .disciplinary
        case .disciplinary, .urgent: .urgent
        }
    }
}
