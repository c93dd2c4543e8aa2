/// Something that happened to a case after it was submitted, appended and never edited.
public struct CaseEvent: Hashable, Sendable {
    /// What kind of thing happened.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The report was received and stored.
        case received
        /// The rules engine decided who sees it, at what level, by when (the text explains why).
        case routed
        /// A deadline passed and the rules escalated the case (the text explains how).
        case escalated
        /// A handler has read it and taken it on.
        case acknowledged
        /// A handler wrote to the reporter (shown in follow-up).
        case handlerMessage = "handler-message"
        /// The reporter wrote back through follow-up.
        case reporterMessage = "reporter-message"
        /// The case was closed.
        case closed
        /// The reporter's answer to "Given your experience, would you speak up again?"
        case speakUpAgain = "speak-up-again"
        /// A handler's internal note: never shown to the reporter.
        case note
        /// A handler changed the case's level on the pyramid (the detail holds the new level).
        case levelChanged = "level-changed"
        /// A handler passed the case to another eligible handler.
        case reassigned
        /// A handler stepped away for a conflict of interest; the case went to others.
        case recused
        /// The reporter's answer to a detriment check-in after the case closed (`DetrimentCheckIn.Recorded`).
        case detrimentCheckIn = "detriment-check-in"
        /// On a case opened by a check-in's yes: which case it was asked about (`DetrimentCheckIn.Link`).
        case detrimentLinked = "detriment-linked"
        /// A legal hold was set on the case (the text gives the reason): nothing of it is erased while it lasts.
        case legalHold = "legal-hold"
        /// The legal hold was lifted (the text gives the reason).
        case legalHoldLifted = "legal-hold-lifted"

        /// Whether the reporter sees this event in follow-up.
        public var isShownToReporter: Bool {
            switch self {
            case .note, .levelChanged, .reassigned, .recused, .legalHold, .legalHoldLifted: false
            default: true
            }
        }
    }

    /// The case this belongs to.
    public var reference: CaseReference
    /// Position in the case's own timeline, from 1.
    public var sequence: Int
    public var kind: Kind
    /// When it happened (coarsened to the day for anonymous cases).
    public var at: SubmissionTime
    /// A message's words, or an answer; nil for events that carry none.
    public var text: String?
    /// Who did it: a login name, `CaseEvent.rulesActor` for the rules engine, or
    /// nil when nobody may be named (the reporter of an anonymous case).
    public var actor: String?

    /// The actor named for what the escalation rules did.
    public static let rulesActor = "speakup-rules"

    public init(reference: CaseReference, sequence: Int, kind: Kind, at: SubmissionTime, text: String? = nil, actor: String? = nil) {
        self.reference = reference
        self.sequence = sequence
        self.kind = kind
        self.at = at
        self.text = text
        self.actor = actor
    }
}

/// The reporter's answer to "Given your experience, would you speak up again?"
/// (the National Guardian's Office feedback question).
public enum SpeakUpAgain: String, CaseIterable, Codable, Sendable {
    case yes, no, maybe, dontKnow = "dont-know"

    public var title: String {
        switch self {
        case .yes: "Yes"
        case .no: "No"
        case .maybe: "Maybe"
        case .dontKnow: "I don't know"
        }
    }
}

/// Where a case stands, as its reporter sees it, worked out from its events.
public enum CaseStatus: Hashable, Sendable {
    case received, acknowledged, closed

    public init(events: [CaseEvent]) {
        if events.contains(where: { $0.kind == .closed }) {
            self = .closed
        } else if events.contains(where: { $0.kind == .acknowledged || $0.kind == .handlerMessage }) {
            self = .acknowledged
        } else {
            self = .received
        }
    }

    /// Plain words for the reporter.
    public var sentence: String {
        switch self {
        case .received: "Received. It is waiting to be read by the person who will handle it."
        case .acknowledged: "Being looked into. The person handling it has read your report."
        case .closed: "Closed. The person who handled it has finished looking into it."
        }
    }
}
