import SpeakUpCore

/// Everything the reporter form shows, as a value: the screen is a pure
/// function of this, and keys change it only through `ReporterForm.update`.
public struct ReporterFormState: Hashable, Sendable {
    /// The questions, in the order they are asked, then the check page.
    public enum Step: Int, CaseIterable, Hashable, Sendable {
        case wayOfRaising, concerns, seniority, location, account, review

        /// "Step 2 of 6" counts from one.
        public var number: Int { rawValue + 1 }
    }

    /// Where the reporter is.
    public enum Phase: Hashable, Sendable {
        case asking(Step)
        /// The report is being written to the store.
        case saving
        /// The store said it is on disk: the confirmation.
        case saved(Report)
        /// The reporter is done (or left); the program may end.
        case finished
    }

    /// A box drawn over the page.
    public enum Overlay: Hashable, Sendable {
        case help
        case confirmLeave
    }

    /// A sentence under the page: a problem to fix, or news.
    public struct Notice: Hashable, Sendable {
        public enum Tone: Hashable, Sendable { case problem, info }
        public var text: String
        public var tone: Tone

        public static func problem(_ text: String) -> Notice { Notice(text: text, tone: .problem) }
        public static func info(_ text: String) -> Notice { Notice(text: text, tone: .info) }
    }

    public var size: Size
    public var phase: Phase = .asking(.wayOfRaising)
    public var overlay: Overlay? = nil
    public var notice: Notice? = nil
    public var ways = ChoiceList(WayOfRaising.allCases, allowsMany: false)
    public var concerns = ChoiceList(ConcernCategory.allCases, allowsMany: true)
    public var seniorities = ChoiceList(Seniority.ladder + [.unknown], allowsMany: false)
    public var location = TextField(limit: ReportLimits.locationCharacters)
    public var account = TextEditor(limit: ReportLimits.accountCharacters)
    /// Set when the check page was reached once: later steps then return to it.
    public var hasReviewed = false

    public init(size: Size) {
        self.size = size
        account.resize(to: ReporterFormLayout(size: size).accountViewport)
    }

    /// What the reporter has given so far.
    public var draft: ReportDraft {
        var draft = ReportDraft()
        draft.wayOfRaising = ways.chosen.first
        draft.concerns = concerns.chosen
        draft.subjectSeniority = seniorities.chosen.first
        draft.location = location.text
        draft.account = account.text
        return draft
    }

    /// The question on screen, if one is.
    public var step: Step? {
        if case .asking(let step) = phase { return step }
        return nil
    }
}
