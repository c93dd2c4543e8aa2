import Foundation

/// What a reporter has told the form so far. Every field may still be missing.
///
/// Codable, because open and confidential drafts are kept (for their owner
/// only) so that a dropped session can be resumed. Anonymous drafts never are.
public struct ReportDraft: Hashable, Codable, Sendable {
    /// Today, yesterday, or a day the reporter types.
    public enum When: String, CaseIterable, Codable, Sendable {
        case today, yesterday, anotherDay = "another-day"

        public var title: String {
            switch self {
            case .today: "Today"
            case .yesterday: "Yesterday"
            case .anotherDay: "Another day"
            }
        }
    }

    public var wayOfRaising: WayOfRaising?
    public var subjectName = ""
    public var subjectNotNamed = false
    /// The staff id, when the person was picked from the directory.
    public var subjectID: String? = nil
    public var subjectRole = ""
    public var subjectSeniority: Seniority?
    public var concerns: Set<ConcernCategory> = []
    public var when: When?
    public var dateText = ""
    public var timeText = ""
    public var location = ""
    public var harm: PatientHarm?
    public var staffImpact = ""
    public var account = ""
    public var witnesses = ""
    public var desiredOutcome: DesiredOutcome?
    public var holdForMatch = false
    public var holdMonths = MatchingHold.defaultMonths
    /// Names or logins, separated by commas, of handlers who should not see it.
    public var excludeText = ""
    public var reporterName = ""
    public var contact = ""
    public var professionalGroup: ProfessionalGroup?
    /// Where the reporter was when the draft was kept, so that resuming opens there.
    public var leftAt: Place? = nil

    /// A page of the form (by name) and the answer on it, counted from 0.
    public struct Place: Hashable, Codable, Sendable {
        public var page: String
        public var answer: Int
        /// Whether the check page had been reached (later pages then return to it).
        public var reviewed: Bool

        public init(page: String, answer: Int, reviewed: Bool) {
            self.page = page
            self.answer = answer
            self.reviewed = reviewed
        }
    }

    public init() {}

    /// True when nothing has been chosen or typed, so leaving loses nothing.
    public var isEmpty: Bool { self == ReportDraft() }

    /// The day it happened, if the answers say one.
    public func occurredDay(today: CalendarDay) -> CalendarDay? {
        switch when {
        case .today: today
        case .yesterday: today.adding(days: -1)
        case .anotherDay: CalendarDay(typed: dateText)
        case nil: nil
        }
    }

    /// Everything still missing or wrong, in the order the form asks for it.
    public func problems(today: CalendarDay) -> [ReportProblem] {
        var found: [ReportProblem] = []
        if wayOfRaising == nil { found.append(.noWayOfRaising) }
        for (text, field) in [(subjectName, FreeText.subjectName), (subjectRole, .subjectRole), (location, .location),
                              (reporterName, .reporterName), (contact, .contact)]
        where text.count > ReportLimits.shortText {
            found.append(.tooLong(field))
        }
        for (text, field) in [(subjectName, FreeText.subjectName), (subjectRole, .subjectRole), (location, .location),
                              (staffImpact, .staffImpact), (account, .account), (witnesses, .witnesses),
                              (reporterName, .reporterName), (contact, .contact)]
        where StorableText.holdsNul(text) {
            found.append(.holdsNul(field))
        }
        if subjectSeniority == nil { found.append(.noSeniority) }
        if concerns.isEmpty { found.append(.noConcern) }
        found += whenProblems(today: today)
        if harm == nil { found.append(.noHarm) }
        if staffImpact.count > ReportLimits.longText { found.append(.tooLong(.staffImpact)) }
        if account.isBlank { found.append(.emptyAccount) }
        if account.count > ReportLimits.accountCharacters { found.append(.tooLong(.account)) }
        if witnesses.count > ReportLimits.longText { found.append(.tooLong(.witnesses)) }
        if desiredOutcome == nil { found.append(.noOutcome) }
        if !MatchingHold.monthChoices.contains(holdMonths) { found.append(.badHoldMonths) }
        if wayOfRaising?.keepsIdentity == true && reporterName.isBlank { found.append(.noReporterName) }
        return found
    }

    /// Problems with the "when" answers alone.
    public func whenProblems(today: CalendarDay) -> [ReportProblem] {
        var found: [ReportProblem] = []
        switch when {
        case nil: found.append(.noWhen)
        case .anotherDay:
            if dateText.allSatisfy(\.isWhitespace) {
                found.append(.noDate)
            } else if let day = CalendarDay(typed: dateText) {
                if day > today { found.append(.dateInFuture) }
                if day < CalendarDay.earliest { found.append(.dateTooEarly) }
            } else {
                found.append(.badDate)
            }
        case .today, .yesterday: break
        }
        if !timeText.allSatisfy(\.isWhitespace) && Occurrence.time(typed: timeText) == nil { found.append(.badTime) }
        return found
    }

    /// The finished report, or the first problem that stops it.
    ///
    /// The reporter and their details are attached only when the way of raising
    /// keeps identity, and the time is coarsened for anonymous reports.
    public func report(
        reference: CaseReference, reporter: Reporter?, at moment: Date, today: CalendarDay, station: Station = .personal
    ) -> Result<Report, ReportProblem> {
        if let problem = problems(today: today).first { return .failure(problem) }
        let way = wayOfRaising!
        let trimmedName = subjectName.trimmingCharacters(in: .whitespacesAndNewlines)
        let timeOfDay = timeText.allSatisfy(\.isWhitespace) ? nil : Occurrence.time(typed: timeText)
        return .success(Report(
            reference: reference,
            wayOfRaising: way,
            concerns: Array(concerns),
            subject: Subject(
                name: subjectNotNamed || trimmedName.isEmpty ? nil : subjectName, role: subjectRole, seniority: subjectSeniority!,
                directoryID: subjectNotNamed ? nil : subjectID),
            occurred: occurredDay(today: today).map { Occurrence(day: $0, time: timeOfDay) },
            location: location,
            harm: harm!,
            staffImpact: staffImpact,
            account: account,
            witnesses: witnesses,
            desiredOutcome: desiredOutcome,
            hold: holdForMatch ? MatchingHold(until: today.adding(months: holdMonths)) : nil,
            excludedHandlers: ReportDraft.names(in: excludeText),
            reporter: way.keepsIdentity ? reporter : nil,
            reporterDetails: way.keepsIdentity ? ReporterDetails(name: reporterName, contact: contact, professionalGroup: professionalGroup) : nil,
            submitted: .recorded(for: way, at: moment),
            station: station
        ))
    }

    /// The names in a comma-separated answer, trimmed, without blanks.
    public static func names(in text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isBlank }
    }

    /// The free-text answers, named for messages.
    public enum FreeText: String, Hashable, Codable, Sendable {
        case subjectName, subjectRole, location, staffImpact, account, witnesses, reporterName, contact

        var words: String {
            switch self {
            case .subjectName: "their name"
            case .subjectRole: "their role"
            case .location: "the place"
            case .staffImpact: "the impact on staff"
            case .account: "what happened"
            case .witnesses: "who else saw it"
            case .reporterName: "your name"
            case .contact: "how to contact you"
            }
        }

        public var limit: Int {
            switch self {
            case .account: ReportLimits.accountCharacters
            case .staffImpact, .witnesses: ReportLimits.longText
            default: ReportLimits.shortText
            }
        }
    }
}

/// Something that stops a draft from being submitted, with a sentence a reporter can act on.
public enum ReportProblem: Error, Hashable, Sendable {
    case noWayOfRaising, noSeniority, noConcern, noWhen, noDate, badDate, dateInFuture, dateTooEarly, badTime
    case noHarm, emptyAccount, noOutcome, badHoldMonths, noReporterName
    case tooLong(ReportDraft.FreeText)
    /// The answer holds a NUL character, which cannot be kept (see `StorableText`).
    case holdsNul(ReportDraft.FreeText)

    /// What to do about it, in plain words.
    public var sentence: String {
        switch self {
        case .noWayOfRaising: "Please choose how you would like to raise this concern."
        case .noSeniority: "Please choose how senior the person is. \"Not sure\" is fine."
        case .noConcern: "Please tick at least one kind of concern (Space ticks). \"Something else\" is fine."
        case .noWhen: "Please say when it happened: today, yesterday or another day."
        case .noDate: "Please type the day it happened, like 20/11/2026."
        case .badDate: "That date could not be read. Please write it like 20/11/2026."
        case .dateInFuture: "That date is in the future. Please check the day it happened."
        case .dateTooEarly: "Please give a date from 1948 onwards."
        case .badTime: "That time could not be read. Please write it like 14:30, or leave it blank."
        case .noHarm: "Please choose whether a patient was harmed. \"Not sure\" is fine."
        case .emptyAccount: "Please say a little about what happened. A sentence or two is enough."
        case .noOutcome: "Please choose what you would like to happen. \"Just record it\" is fine."
        case .badHoldMonths: "Please choose how long to hold the report: 3, 6, 12 or 24 months."
        case .noReporterName: "Please give your name, or go back and choose to raise this anonymously."
        case .holdsNul(let field):
            "Your answer for \(field.words) \(StorableText.nulAdvice)"
        case .tooLong(let field):
            "There is room for \(field.limit.grouped) characters in \(field.words). Please shorten it."
        }
    }
}

/// How long the reporter's free text may be.
public enum ReportLimits {
    /// About four printed pages: room for any account, small enough to keep the form quick.
    public static let accountCharacters = 10_000
    /// The impact on staff, and witnesses.
    public static let longText = 2_000
    /// Names, roles, places and contact details.
    public static let shortText = 200
}
