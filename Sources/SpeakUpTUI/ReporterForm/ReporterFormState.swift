import SpeakUpCore

/// Everything the reporter form shows, as a value: the screen is a pure
/// function of this, and keys change it only through `ReporterForm.update`.
public struct ReporterFormState: Hashable, Sendable {
    /// The pages, in the order they are asked, then the check page.
    public enum Step: Int, CaseIterable, Hashable, Sendable {
        case wayOfRaising, subject, seniority, concerns, whenWhere, impact, account, witnesses, outcome
        case aboutYou, professionalGroup, characteristics, review
    }

    /// Where the reporter is.
    public enum Phase: Hashable, Sendable {
        /// A draft from an earlier session was found: resume it or start again.
        case offerResume(ReportDraft)
        case asking(Step)
        /// The report is being written to the store.
        case saving
        /// The store said it is on disk: the confirmation (with the receipt, shown once, if anonymous).
        case saved(Report, ReceiptCode?)
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
    /// Where the form runs: the reporter's own login, a ward terminal or a kiosk.
    public let station: Station
    /// Today where the reporter is, for "today", "yesterday" and checking dates.
    public let today: CalendarDay
    public var phase: Phase = .asking(.wayOfRaising)
    public var overlay: Overlay? = nil
    public var notice: Notice? = nil
    /// The field that caused the last problem, marked on screen.
    public var problemField: FormField? = nil
    /// The focused field's position on the current page.
    public var focus = 0
    /// Set once the check page was reached: later pages then return to it.
    public var hasReviewed = false
    /// The first line shown on the check page.
    public var reviewTop = 0
    /// Set when the reporter left from the resume offer, so their draft stays.
    public var keptDraft = false
    /// Where the saved report went and by when, for the confirmation.
    public var routing: CaseRouting? = nil
    /// The report is saved, but where it went could not be read back just now.
    public var routingUnknown = false
    /// While saving: how long the store has waited for another terminal, in seconds.
    public var waitingForStore: Double? = nil
    /// False when an earlier draft could not be read: it is left as it was, and this form keeps none.
    public var keepsDrafts = true

    public var ways: ChoiceList<WayOfRaising>
    public var subjectName = TextField(limit: ReportLimits.shortText) { didSet { refreshMatches() } }
    public var subjectNotNamed = false { didSet { refreshMatches() } }
    /// The staff directory, once loaded (when the "who is it about" page is first shown; never at a kiosk,
    /// where a passer-by must not be able to list staff). Indexed once, so each key press is cheap.
    public var directory: StaffDirectory? = nil { didSet { refreshMatches() } }
    /// The staff id picked from the directory, if any.
    public var subjectID: String? = nil { didSet { refreshMatches() } }
    /// The reporter said none of the people offered is the one they mean (the name stays as typed).
    public var noneOfTheseFor: String? = nil { didSet { refreshMatches() } }
    /// The highlighted directory match.
    public var matchHighlight = 0
    public var subjectRole = TextField(limit: ReportLimits.shortText)
    public var seniorities = ChoiceList(Seniority.ladder + [.unknown], allowsMany: false)
    public var concerns = ChoiceList(ConcernCategory.allCases, allowsMany: true)
    public var when = ChoiceList(ReportDraft.When.allCases, allowsMany: false)
    public var date = TextField(limit: 20)
    public var time = TextField(limit: 10)
    public var location = TextField(limit: ReportLimits.shortText)
    public var harm = ChoiceList(PatientHarm.allCases, allowsMany: false)
    public var staffImpact = TextEditor(limit: ReportLimits.longText)
    public var account = TextEditor(limit: ReportLimits.accountCharacters)
    public var witnesses = TextEditor(limit: ReportLimits.longText)
    public var outcome = ChoiceList(DesiredOutcome.allCases, allowsMany: false)
    public var hold = false
    public var holdMonths = ChoiceList(MatchingHold.monthChoices, allowsMany: false)
    public var excluded = TextField(limit: ReportLimits.shortText)
    public var reporterName = TextField(limit: ReportLimits.shortText)
    public var contact = TextField(limit: ReportLimits.shortText)
    public var professionalGroup = ChoiceList(ProfessionalGroup.allCases, allowsMany: false)
    /// How the reporter describes themselves, for the figures only; never kept in a draft.
    public var characteristics = ReporterCharacteristics()

    /// - Parameters:
    ///   - reporterName: the name to offer for open and confidential reports (from the passwd entry).
    ///   - resumable: a draft left by an earlier session, offered before anything else.
    ///   - station: a ward terminal offers no name (the login is shared) and starts at its
    ///     location; a kiosk offers anonymity only.
    public init(size: Size, today: CalendarDay, reporterName: String = "", resumable: ReportDraft? = nil,
                station: Station = .personal) {
        self.size = size
        self.today = today
        self.station = station
        ways = ChoiceList(station.ways, allowsMany: false)
        if case .kiosk = station { ways.choose(.anonymous) }
        if case .ward(let location?) = station { self.location.setText(location) }
        holdMonths.choose(MatchingHold.defaultMonths)
        self.reporterName.setText(reporterName)
        if let resumable { phase = .offerResume(resumable) }
        layoutEditors()
    }

    /// Fills every answer from a draft (resuming an earlier session).
    public mutating func load(_ draft: ReportDraft) {
        if let way = draft.wayOfRaising { ways.choose(way) }
        subjectName.setText(draft.subjectName)
        subjectNotNamed = draft.subjectNotNamed
        subjectID = draft.subjectID
        subjectRole.setText(draft.subjectRole)
        if let seniority = draft.subjectSeniority { seniorities.choose(seniority) }
        for concern in draft.concerns { concerns.tick(concern) }
        if let answer = draft.when { when.choose(answer) }
        date.setText(draft.dateText)
        time.setText(draft.timeText)
        location.setText(draft.location)
        if let answer = draft.harm { harm.choose(answer) }
        staffImpact.setText(draft.staffImpact)
        account.setText(draft.account)
        witnesses.setText(draft.witnesses)
        if let answer = draft.desiredOutcome { outcome.choose(answer) }
        hold = draft.holdForMatch
        holdMonths.choose(draft.holdMonths)
        excluded.setText(draft.excludeText)
        if !draft.reporterName.isEmpty { reporterName.setText(draft.reporterName) }
        contact.setText(draft.contact)
        if let group = draft.professionalGroup { professionalGroup.choose(group) }
        layoutEditors()
    }

    /// What the reporter has given so far.
    public var draft: ReportDraft {
        var draft = ReportDraft()
        draft.wayOfRaising = ways.chosen.first
        draft.subjectName = subjectNotNamed ? "" : subjectName.text
        draft.subjectNotNamed = subjectNotNamed
        draft.subjectID = subjectNotNamed ? nil : subjectID
        draft.subjectRole = subjectRole.text
        draft.subjectSeniority = seniorities.chosen.first
        draft.concerns = concerns.chosen
        draft.when = when.chosen.first
        draft.dateText = draft.when == .anotherDay ? date.text : ""
        draft.timeText = time.text
        draft.location = location.text
        draft.harm = harm.chosen.first
        draft.staffImpact = staffImpact.text
        draft.account = account.text
        draft.witnesses = witnesses.text
        draft.desiredOutcome = outcome.chosen.first
        draft.holdForMatch = hold
        draft.holdMonths = holdMonths.chosen.first ?? MatchingHold.defaultMonths
        draft.excludeText = excluded.text
        if draft.wayOfRaising?.keepsIdentity ?? true {
            draft.reporterName = reporterName.text
            draft.contact = contact.text
            draft.professionalGroup = professionalGroup.chosen.first
        }
        return draft
    }

    /// The draft to keep: the answers, and the page and answer the reporter is on.
    public var draftToKeep: ReportDraft {
        var kept = draft
        if let step {
            kept.leftAt = ReportDraft.Place(page: "\(step)", answer: focus, reviewed: hasReviewed)
        }
        return kept
    }

    /// Resumes a draft: every answer, and the page and answer it was left on.
    public mutating func resume(_ draft: ReportDraft) {
        load(draft)
        phase = .asking(.wayOfRaising)
        guard let place = draft.leftAt, let step = steps.first(where: { "\($0)" == place.page }) else { return }
        hasReviewed = place.reviewed
        phase = .asking(step)
        focus = max(0, min(place.answer, step.fields(self).count - 1))
    }

    /// True when the reporter has not started: nothing chosen or typed beyond what was offered.
    public var hasStarted: Bool {
        var untouched = ReporterFormState(size: size, today: today, reporterName: reporterName.text, station: station).draft
        untouched.reporterName = reporterName.text
        return draft != untouched
    }

    /// The people what has been typed could be (as routing will read it: short forms, initials,
    /// slips of the keyboard, logins), up to four, whole names first; none once someone has been
    /// picked, or the reporter said none of these is the one. Worked out when what it depends on
    /// changes (once a key press, not each time a screen asks).
    public private(set) var directoryMatches: [StaffMember] = []
    /// What `directoryMatches` was worked out for.
    private var matchedFor = ""

    private mutating func refreshMatches() {
        let key = "\(subjectName.text)|\(subjectID ?? "")|\(subjectNotNamed)|\(noneOfTheseFor ?? "\u{0}")|\(directory?.members.count ?? -1)"
        guard key != matchedFor else { return }
        matchedFor = key
        guard subjectID == nil, !subjectNotNamed, let directory, noneOfTheseFor != subjectName.text,
            NameFolding.key(subjectName.text).count >= 2
        else {
            directoryMatches = []
            return
        }
        let found = directory.resolve(Subject(name: subjectName.text, role: "", seniority: .unknown))
        directoryMatches = found.ids.prefix(4).compactMap { directory.members[$0] }
    }

    /// The pages for the answers so far: "about you" only when identity is kept.
    public var steps: [Step] {
        let keepsIdentity = ways.chosen.first?.keepsIdentity ?? true
        return Step.allCases.filter { keepsIdentity || ($0 != .aboutYou && $0 != .professionalGroup && $0 != .characteristics) }
    }

    /// The page on screen, if a question is.
    public var step: Step? {
        if case .asking(let step) = phase { return step }
        return nil
    }

    /// The focused field, if any.
    public var focusedField: FormField? {
        guard let step else { return nil }
        let fields = step.fields(self)
        return fields.isEmpty ? nil : fields[min(focus, fields.count - 1)]
    }

    /// Re-measures the editors for the window size.
    mutating func layoutEditors() {
        let layout = ReporterFormLayout(size: size)
        account.resize(to: layout.editorViewport(for: .account))
        staffImpact.resize(to: layout.editorViewport(for: .staffImpact))
        witnesses.resize(to: layout.editorViewport(for: .witnesses))
    }
}
