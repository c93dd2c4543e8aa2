/// How a reporter chooses to raise a concern (NHS Freedom to Speak Up).
public enum WayOfRaising: String, CaseIterable, Codable, Sendable {
    /// The reporter's identity may be shared with those handling the case.
    case open
    /// The reporter's identity is known to the handler only.
    case confidential
    /// Nobody, including SpeakUp, knows who raised the concern.
    case anonymous

    /// A short name for lists and summaries.
    public var title: String {
        switch self {
        case .open: "Openly"
        case .confidential: "Confidentially"
        case .anonymous: "Anonymously"
        }
    }

    /// One plain sentence that says what this choice means for the reporter.
    public var explanation: String {
        switch self {
        case .open:
            "Your name is kept with the report and may be shared with the people who handle it."
        case .confidential:
            "Your name is kept, but only the person handling the report sees it; it is not shared without your agreement."
        case .anonymous:
            "Your name, login and the exact time are not kept, so nobody can tell the report came from you."
        }
    }

    /// Whether the reporter's identity is stored with the report.
    public var keepsIdentity: Bool { self != .anonymous }
}
