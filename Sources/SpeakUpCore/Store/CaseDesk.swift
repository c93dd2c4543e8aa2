import Foundation

/// What a handler's workspace (`speakup cases`) asks of the store. Every call
/// names the handler: a handler sees only the cases routed to them, and never a
/// case that the store's `HandlerPolicy` keeps from them (its subject, anyone the
/// subject may manage), however the desk is called.
public protocol CaseDesk: Sendable {
    /// One screen of the handler's queue, most urgent first, less any case the policy keeps from them.
    func queue(_ query: QueueQuery, for handler: String, now: Date) throws(StoreError) -> QueuePage

    /// Everything about one case, if it is routed to `handler`; the opening is written to
    /// the audit trail. A case the policy keeps from them is refused with its reason
    /// (thrown), before anything is written.
    func openCase(_ reference: CaseReference, for handler: String, at moment: Date) throws(StoreError) -> CaseFile?

    /// Carries out a handler's action as a case event (nothing is edited in place). Refused
    /// when the policy keeps the case from the handler, or from the one it is passed to.
    func act(_ action: CaseAction, on reference: CaseReference, by handler: String, at moment: Date) throws(StoreError)

    /// Reminders of deadlines for `handler` not yet seen, nearest first (none for cases kept from them).
    func reminders(for handler: String) throws(StoreError) -> [Reminder]

    /// Marks the handler's reminders as seen.
    func dismissReminders(for handler: String) throws(StoreError)

    /// What the statistics are counted from: every case's facts, no free text.
    func caseFacts() throws(StoreError) -> [CaseFacts]

    /// Reports stored with nobody able to handle them, oldest first (references and days only).
    func unrouted() throws(StoreError) -> [UnroutedCase]
}

/// One page of the queue.
public struct QueuePage: Hashable, Sendable {
    public var rows: [QueueRow]
    /// How many rows the store read for the page, before any kept from the handler were
    /// left out: the next page starts after these.
    public var fetched: Int

    public init(rows: [QueueRow], fetched: Int) {
        self.rows = rows
        self.fetched = fetched
    }
}

/// A report that waits for a handler to be set up.
public struct UnroutedCase: Hashable, Sendable {
    public var reference: CaseReference
    /// The day it was sent (no time: it may be anonymous).
    public var since: CalendarDay

    public init(reference: CaseReference, since: CalendarDay) {
        self.reference = reference
        self.since = since
    }
}

/// Who may see and act on a case: decided once, given to the store (as the router is),
/// and enforced in every `CaseDesk` call.
public protocol HandlerPolicy: Sendable {
    /// Why `handler` (a login) must not see or act on the case, in a sentence, or nil when they may.
    func refusal(of handler: String, for report: CaseSubject) -> String?
}

/// What the handler policy needs of a report, and no more: who it is about, and whom the
/// reporter asked to keep it from (read for every queue row, so kept small).
public struct CaseSubject: Hashable, Sendable {
    public var reference: CaseReference
    public var subject: Subject
    public var excludedHandlers: [String]

    public init(reference: CaseReference, subject: Subject, excludedHandlers: [String]) {
        self.reference = reference
        self.subject = subject
        self.excludedHandlers = excludedHandlers
    }
}

extension Subject {
    /// Who it is about as the reporter wrote it: "Dr Smith, consultant", "charge nurse", or ""
    /// when they named nobody and gave no role. Screens say "not named" for "".
    public var asWritten: String {
        [name?.trimmingCharacters(in: .whitespacesAndNewlines), role.trimmingCharacters(in: .whitespacesAndNewlines)]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
    }
}

extension Report {
    /// Who it is about, for the handler policy.
    public var caseSubject: CaseSubject { CaseSubject(reference: reference, subject: subject, excludedHandlers: excludedHandlers) }
}

/// Which cases the queue shows.
public struct QueueQuery: Hashable, Sendable {
    public enum StatusFilter: String, CaseIterable, Hashable, Sendable {
        case open, new, acknowledged, closed, all
        public var title: String {
            switch self {
            case .open: "open (new or acknowledged)"
            case .new: "new"
            case .acknowledged: "acknowledged"
            case .closed: "closed"
            case .all: "all"
            }
        }
    }

    public var status: StatusFilter = .open
    public var level: PyramidLevel? = nil
    public var overdueOnly = false
    public var category: ConcernCategory? = nil
    /// Part of the location, as typed (case-insensitive).
    public var location: String = ""
    /// Words to find in accounts and notes (full-text search).
    public var search: String = ""
    public var offset = 0
    public var limit = 100
    /// Only these cases (by reference text), when set.
    public var only: [String]? = nil

    public init() {}

    /// The same query from its first row.
    public var firstPage: QueueQuery {
        var query = self
        query.offset = 0
        return query
    }
}

/// Where a case stands for its handlers.
public enum HandlingStatus: String, Codable, Hashable, Sendable {
    case new, acknowledged, closed
}

/// One line of the queue.
public struct QueueRow: Hashable, Sendable {
    public var reference: CaseReference
    public var status: HandlingStatus
    public var level: PyramidLevel
    public var submitted: SubmissionTime
    /// The next promise due: acknowledge (while new), else feed back (until closed).
    public var deadline: Date?
    public var deadlineKind: CaseDeadline?
    public var concerns: [ConcernCategory]
    public var seniority: Seniority
    public var location: String
    public var wayOfRaising: WayOfRaising
    /// Who the report is about, as the reporter wrote it (name, role), as a handler of the
    /// case sees it on opening it; empty when the reporter named nobody.
    public var about: String
    /// Whether who it is about is sealed with the report's words and not opened here (`about` is then empty).
    public var aboutSealed: Bool

    public init(reference: CaseReference, status: HandlingStatus, level: PyramidLevel, submitted: SubmissionTime, deadline: Date?,
                deadlineKind: CaseDeadline?, concerns: [ConcernCategory], seniority: Seniority, location: String, wayOfRaising: WayOfRaising,
                about: String = "", aboutSealed: Bool = false) {
        self.aboutSealed = aboutSealed
        self.reference = reference
        self.status = status
        self.level = level
        self.submitted = submitted
        self.deadline = deadline
        self.deadlineKind = deadlineKind
        self.concerns = concerns
        self.seniority = seniority
        self.location = location
        self.wayOfRaising = wayOfRaising
        self.about = about
    }

    public func isOverdue(at now: Date) -> Bool { deadline.map { $0 < now } ?? false }
}

/// Everything a handler sees of one case.
public struct CaseFile: Hashable, Sendable {
    public var report: Report
    public var events: [CaseEvent]
    public var routing: CaseRouting?
    public var status: HandlingStatus
    /// Other cases about the same person that this handler may see (the pattern).
    public var linked: [QueueRow]
    /// How many reports in all name the same person (including ones routed elsewhere or still held).
    public var reportsAboutSamePerson: Int
    /// Every handler, each with the reason any is not offered, filled in by the program: until it
    /// is (or when it could not be worked out), nobody is offered (fail closed).
    public var handlerChoices: HandlerChoices
    /// The handlers the case may be passed to (eligible under the same rules); setting it says
    /// every one of them may take the case.
    public var eligibleHandlers: [String] {
        get { handlerChoices.offered }
        set { handlerChoices = .workedOut(newValue.map { HandlerChoice(handler: $0, notOffered: nil) }) }
    }
    /// Who has the case now (after any reassigning and stepping away).
    public var currentHandlers: [String] = []
    /// For a sealed report: its content key wrapped for the handler opening it (nil when none is).
    public var wrappedKey: [UInt8]?
    /// For a sealed report: everyone its content key is wrapped for.
    public var wrappedFor: [String] = []
    /// For a sealed report whose words could not be opened: why, said in their place.
    public var unopened: String?

    public init(report: Report, events: [CaseEvent], routing: CaseRouting?, status: HandlingStatus, linked: [QueueRow],
                reportsAboutSamePerson: Int, handlerChoices: HandlerChoices = .unknown(HandlerChoices.notWorkedOut)) {
        self.report = report
        self.events = events
        self.routing = routing
        self.status = status
        self.linked = linked
        self.reportsAboutSamePerson = reportsAboutSamePerson
        self.handlerChoices = handlerChoices
    }
}

/// One handler in the list a case can be passed to, with the reason they are not offered, if any.
public struct HandlerChoice: Hashable, Sendable {
    public var handler: String
    /// Why they may not take the case ("managed by the person the report is about"), or nil.
    public var notOffered: String?

    public init(handler: String, notOffered: String?) {
        self.handler = handler
        self.notOffered = notOffered
    }
}

/// Whom a case may be passed to: every handler with a reason for each left out, or, when
/// that could not be worked out, why not (and then nobody is offered).
public enum HandlerChoices: Hashable, Sendable {
    case workedOut([HandlerChoice])
    case unknown(String)

    public static let notWorkedOut = "SpeakUp could not work out who else may take this case, so nobody is offered."

    /// The handlers who may be chosen.
    public var offered: [String] {
        switch self {
        case .workedOut(let all): all.filter { $0.notOffered == nil }.map(\.handler)
        case .unknown: []
        }
    }
}

/// What a handler can do to a case. Each becomes an appended case event.
public enum CaseAction: Hashable, Sendable {
    case acknowledge
    /// An internal note, never shown to the reporter.
    case note(String)
    /// A message the reporter reads in follow-up (anonymous reporters too, by receipt).
    case message(String)
    case changeLevel(PyramidLevel)
    /// Pass the case to another eligible handler (this handler no longer has it).
    case reassign(to: String)
    /// Step away for a conflict of interest: the case goes to `to` (eligible handlers), never back.
    case recuse(to: [String])
    case close(CaseOutcome, learned: String)
    /// Keep the case whatever the retention policy says, for `reason` (open or closed cases).
    case legalHold(reason: String)
    /// Lift the legal hold, for `reason`.
    case liftLegalHold(reason: String)

    /// For a closing: the internal note kept just before it (what was learned is for the organisation,
    /// not the reporter, so the closing's own words say only the outcome). Nil when nothing was written;
    /// words already sealed (`SealedEventText`) are the note as they are.
    public var learnedNote: String? {
        guard case .close(_, let learned) = self, !learned.isBlank else { return nil }
        return SealedEventText.isSealed(learned) ? learned : "What was learned: \(learned)"
    }
}

/// How a case ended.
public enum CaseOutcome: String, CaseIterable, Codable, Hashable, Sendable {
    case resolvedInformally = "resolved-informally"
    case upheld
    case partlyUpheld = "partly-upheld"
    case notUpheld = "not-upheld"
    case referredOn = "referred-on"
    case withdrawn

    public var title: String {
        switch self {
        case .resolvedInformally: "Resolved informally"
        case .upheld: "Upheld: action taken"
        case .partlyUpheld: "Partly upheld"
        case .notUpheld: "Not upheld"
        case .referredOn: "Referred on (HR, safeguarding, regulator)"
        case .withdrawn: "Withdrawn by the reporter"
        }
    }
}

/// A deadline coming up or passed, for one handler.
public struct Reminder: Hashable, Sendable {
    public enum Stage: String, Codable, Hashable, Sendable {
        /// Due within a day.
        case nearing
        case passed
    }

    public var reference: CaseReference
    public var handler: String
    public var deadline: CaseDeadline
    public var due: Date
    public var stage: Stage

    public init(reference: CaseReference, handler: String, deadline: CaseDeadline, due: Date, stage: Stage) {
        self.reference = reference
        self.handler = handler
        self.deadline = deadline
        self.due = due
        self.stage = stage
    }

    /// One reminder a case and promise: a passed one over one that was only nearing (the
    /// nearing one was made first, and is no longer true). Order kept, nearest first.
    public static func oneEach(_ reminders: [Reminder]) -> [Reminder] {
        var kept: [Reminder] = []
        for reminder in reminders {
            if let index = kept.firstIndex(where: { $0.reference == reminder.reference && $0.deadline == reminder.deadline }) {
                if reminder.stage == .passed { kept[index] = reminder }
            } else {
                kept.append(reminder)
            }
        }
        return kept
    }

    /// A sentence with no report content in it (it may go by mail).
    public var sentence: String {
        let what = deadline == .acknowledge ? "acknowledge" : "feed back on"
        let when = SubmissionTime.instant(due).text
        switch stage {
        case .nearing: return "SpeakUp: please \(what) case \(reference) by \(when). Open `speakup cases` to see it."
        case .passed: return "SpeakUp: the deadline to \(what) case \(reference) passed at \(when). Open `speakup cases` to see it."
        }
    }
}

/// The facts about one case that statistics are counted from: no free text.
public struct CaseFacts: Hashable, Sendable {
    public var submitted: CalendarDay
    public var wayOfRaising: WayOfRaising
    public var concerns: [ConcernCategory]
    public var professionalGroup: ProfessionalGroup?
    public var acknowledgedAfterDays: Double?
    public var closedAfterDays: Double?
    public var acknowledgedLate: Bool
    public var closedLate: Bool
    public var speakUpAgain: SpeakUpAgain?
    /// The day the reporter answered.
    public var answeredOn: CalendarDay?
    /// How senior the person the concern is about is: what the report said, or the higher
    /// seniority routing took (the directory's, for a named person), as routing used it.
    public var subjectSeniority: Seniority
    /// The highest level on the pyramid the case has reached (routing, escalations, handlers' changes).
    public var highestLevel: PyramidLevel
    /// The reporter's answers to detriment check-ins after the case closed, with the day of each.
    public var checkIns: [CheckInFact] = []

    /// One answer to a detriment check-in: the day, and the answer (no words).
    public struct CheckInFact: Hashable, Sendable {
        public var day: CalendarDay
        public var answer: DetrimentCheckIn.Answer
        public init(day: CalendarDay, answer: DetrimentCheckIn.Answer) {
            self.day = day
            self.answer = answer
        }
    }

    public init(submitted: CalendarDay, wayOfRaising: WayOfRaising, concerns: [ConcernCategory], professionalGroup: ProfessionalGroup?,
                acknowledgedAfterDays: Double?, closedAfterDays: Double?, acknowledgedLate: Bool, closedLate: Bool, speakUpAgain: SpeakUpAgain?,
                answeredOn: CalendarDay? = nil, subjectSeniority: Seniority = .unknown, highestLevel: PyramidLevel = .informal) {
        self.answeredOn = answeredOn
        self.subjectSeniority = subjectSeniority
        self.highestLevel = highestLevel
        self.submitted = submitted
        self.wayOfRaising = wayOfRaising
        self.concerns = concerns
        self.professionalGroup = professionalGroup
        self.acknowledgedAfterDays = acknowledgedAfterDays
        self.closedAfterDays = closedAfterDays
        self.acknowledgedLate = acknowledgedLate
        self.closedLate = closedLate
        self.speakUpAgain = speakUpAgain
    }
}
